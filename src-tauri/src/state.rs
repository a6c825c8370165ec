//! What the app holds between commands: the open vault (or none, when locked) and the
//! unlock throttle. Case data lives only inside the `Vault`; locking drops it.

use std::sync::{Mutex, MutexGuard};

use amparo_core::{Error, ErrorReport, UnlockThrottle, Vault};

#[derive(Default)]
pub struct AppState {
    vault: Mutex<Option<Vault>>,
    pub throttle: Mutex<UnlockThrottle>,
    /// The complaint packet last built, until saved, replaced or locked (zeroized on drop).
    pub packet: Mutex<Option<amparo_core::packet::BuiltPacket>>,
}

pub type CmdResult<T> = Result<T, ErrorReport>;

/// A poisoned lock only means another command panicked; the data behind it is still sound.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// Runs `f` on the open vault, or answers `locked`.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> amparo_core::Result<T>,
    ) -> CmdResult<T> {
        let mut guard = lock(&self.vault);
        let vault = guard
            .as_mut()
            .ok_or_else(|| ErrorReport::from(Error::Locked))?;
        f(vault).map_err(ErrorReport::from)
    }

    /// Replaces the open vault (closing any previous one).
    pub fn open(&self, v: Vault) -> CmdResult<()> {
        let previous = lock(&self.vault).replace(v);
        if let Some(p) = previous {
            p.lock().map_err(ErrorReport::from)?;
        }
        Ok(())
    }

    /// Closes the database and drops (zeroizing) the keys. Locking twice is fine.
    pub fn close(&self) -> CmdResult<()> {
        lock(&self.packet).take();
        let taken = lock(&self.vault).take();
        match taken {
            Some(v) => v.lock().map_err(ErrorReport::from),
            None => Ok(()),
        }
    }

    pub fn is_open(&self) -> bool {
        lock(&self.vault).is_some()
    }
}
