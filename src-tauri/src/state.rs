//! What the app holds between commands: the open vault (or none, when locked) and the
//! unlock throttle. Case data lives only inside the `Vault`; locking drops it.

use std::sync::{Arc, Mutex, MutexGuard};

use amparo_core::vault::check::{CheckReport, Interrupt};
use amparo_core::{Error, ErrorReport, UnlockThrottle, Vault};

/// The full check started at unlock, running on its own connection in the background.
#[derive(Default)]
struct CheckSlot {
    /// Bumped on every unlock and lock, so a late answer from an earlier check is dropped.
    generation: u64,
    result: Option<Result<CheckReport, ErrorReport>>,
    interrupt: Option<Interrupt>,
}

#[derive(Default)]
pub struct AppState {
    vault: Mutex<Option<Vault>>,
    check: Arc<Mutex<CheckSlot>>,
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

    /// Replaces the open vault (closing any previous one) and starts its full check in the
    /// background: pages, structure, audit chain and records. Until it answers, the vault
    /// works; if it finds damage or tampering, the core refuses every write from then on.
    pub fn open(&self, v: Vault) -> CmdResult<()> {
        let checker = v.checker();
        self.stop_check();
        match checker {
            Ok(checker) => {
                let generation = {
                    let mut slot = lock(&self.check);
                    slot.interrupt = Some(checker.interrupt_handle());
                    slot.generation
                };
                let shared = Arc::clone(&self.check);
                std::thread::spawn(move || {
                    let result = checker.run().map_err(ErrorReport::from);
                    let mut slot = lock(&shared);
                    if slot.generation == generation {
                        slot.result = Some(result);
                        slot.interrupt = None;
                    }
                });
            }
            Err(e) => lock(&self.check).result = Some(Err(ErrorReport::from(e))),
        }
        let previous = lock(&self.vault).replace(v);
        if let Some(p) = previous {
            p.lock().map_err(ErrorReport::from)?;
        }
        Ok(())
    }

    /// The background check's answer: `None` while it runs.
    pub fn check_result(&self) -> CmdResult<Option<CheckReport>> {
        if !self.is_open() {
            return Err(ErrorReport::from(Error::Locked));
        }
        lock(&self.check).result.clone().transpose()
    }

    fn stop_check(&self) {
        let mut slot = lock(&self.check);
        if let Some(handle) = slot.interrupt.take() {
            handle.interrupt();
        }
        slot.generation += 1;
        slot.result = None;
    }

    /// Closes the database and drops (zeroizing) the keys. Locking twice is fine. A check
    /// still running is interrupted; its connection and key copy go when its thread ends.
    pub fn close(&self) -> CmdResult<()> {
        self.stop_check();
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
