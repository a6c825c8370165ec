//! What the app holds between commands: the core's `Session` (the open vault, its background
//! check, the unsaved packet) and the unlock throttle. Case data lives only inside the
//! session's `Vault`; locking drops it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU8;
use std::sync::{Mutex, MutexGuard};

use amparo_core::session::Session;

use crate::commands::dialogs::DialogPurpose;
use amparo_core::{ErrorReport, UnlockThrottle, Vault};

#[derive(Default)]
pub struct AppState {
    session: Mutex<Session>,
    pub throttle: Mutex<UnlockThrottle>,
    /// How far a passphrase change or key rotation has copied the vault, 0–100.
    pub rotation: AtomicU8,
    /// Paths chosen in the system's dialogs, by one-time token (see `commands::dialogs`).
    pub(crate) chosen: Mutex<HashMap<String, (DialogPurpose, PathBuf)>>,
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
        let mut session = lock(&self.session);
        f(session.vault()?).map_err(ErrorReport::from)
    }

    /// Runs `f` on the session itself (open, close, the check, the held packet).
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> amparo_core::Result<T>,
    ) -> CmdResult<T> {
        f(&mut lock(&self.session)).map_err(ErrorReport::from)
    }

    /// The background check's answer: `None` while it runs.
    pub fn check_result(&self) -> CmdResult<Option<amparo_core::vault::check::CheckReport>> {
        lock(&self.session).check_result()
    }

    pub fn is_open(&self) -> bool {
        lock(&self.session).is_open()
    }

    /// Locks now (system sleep, desktop session locked, page reloaded). `true` if the vault
    /// was open.
    pub fn lock_now(&self) -> bool {
        lock(&self.session).lock_now()
    }

    /// Locks if the page let the idle deadline pass without locking (see `watch`). `true` if
    /// this call locked the vault.
    pub fn lock_if_abandoned(&self) -> bool {
        lock(&self.session).lock_if_abandoned()
    }
}
