//! What the app holds between commands: the core's `Session` (the open vault, its background
//! check, the unsaved packet) and the unlock throttle. Case data lives only inside the
//! session's `Vault`; locking drops it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU8;
use std::sync::{Mutex, MutexGuard};

use amparo_core::session::{LockReport, Session, StopHandle};

use crate::commands::dialogs::DialogPurpose;
use amparo_core::{ErrorReport, UnlockThrottle, Vault};

pub struct AppState {
    session: Mutex<Session>,
    /// Reaches the open vault's running task without waiting for the session: every lock
    /// stops it first (a backup, a sync round), so the keys never wait on it.
    stop: StopHandle,
    pub throttle: Mutex<UnlockThrottle>,
    /// How far a passphrase change or key rotation has copied the vault, 0–100.
    pub rotation: AtomicU8,
    /// Paths chosen in the system's dialogs, by one-time token (see `commands::dialogs`).
    pub(crate) chosen: Mutex<HashMap<String, (DialogPurpose, PathBuf)>>,
}

impl Default for AppState {
    fn default() -> Self {
        let session = Session::default();
        AppState {
            stop: session.stop_handle(),
            session: Mutex::new(session),
            throttle: Mutex::default(),
            rotation: AtomicU8::default(),
            chosen: Mutex::default(),
        }
    }
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
        self.stop.stop();
        lock(&self.session).lock_now()
    }

    /// The person's lock (the button, the page's idle countdown): stops what runs, sends this
    /// laptop's bundle to the sync folder, closes.
    pub fn lock_after_sending(&self) -> CmdResult<LockReport> {
        self.stop.stop();
        self.with_session(Session::lock_after_sending)
    }

    /// Locks if the page let the idle deadline pass without locking (see `watch`). `true` if
    /// this call locked the vault.
    pub fn lock_if_abandoned(&self) -> bool {
        lock(&self.session).lock_if_abandoned()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::{Duration, Instant};

    use amparo_core::clients::ClientInput;
    use amparo_core::codes::AttachmentOwner;
    use amparo_core::error::ErrorCode;
    use amparo_core::{KdfChoice, KdfParams, Vault};

    use super::AppState;

    const PASS: &str = "correct horse battery";

    /// A vault of some 60 MB (three large attachments of bytes that do not compress), so that
    /// a backup takes a while.
    fn heavy_vault(dir: &Path) -> Vault {
        let mut v = Vault::create(dir, PASS, KdfChoice::Fixed(KdfParams::MINIMUM), "tester")
            .expect("create");
        let client = v
            .create_client(&ClientInput {
                given_names: "Ana".into(),
                family_names: "Pérez".into(),
                ..ClientInput::default()
            })
            .expect("client")
            .id;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in 0..3 {
            let bytes: Vec<u8> = (0..20 << 20)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            v.attach(
                AttachmentOwner::Client,
                &client,
                &format!("scan-{n}.bin"),
                &bytes,
            )
            .expect("attach");
        }
        v
    }

    fn wait_for_check(state: &AppState) {
        while state.check_result().expect("open").is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The lock (system sleep, the button) does not wait for a backup under way: it stops it,
    /// and the keys go in a small fraction of the backup's time. The stopped backup answers
    /// `stopped` and leaves no file.
    #[test]
    fn a_lock_does_not_wait_for_a_backup_under_way() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("vault");
        let state = AppState::default();
        let v = heavy_vault(&dir);
        state.with_session(|s| s.open(v)).expect("open");
        wait_for_check(&state);

        let started = Instant::now();
        state
            .with_vault(|v| v.backup_to(&tmp.path().join("whole.amparo")))
            .expect("a whole backup");
        let whole = started.elapsed();

        let out = tmp.path().join("out");
        std::fs::create_dir(&out).expect("out");
        let (result, lock_took) = std::thread::scope(|scope| {
            let backup = scope.spawn(|| state.with_vault(|v| v.backup_to(&out.join("b.amparo"))));
            // The copy has begun once its first file is there.
            while std::fs::read_dir(&out).expect("out").count() == 0 {
                std::thread::yield_now();
            }
            let asked = Instant::now();
            assert!(state.lock_now(), "the vault was open");
            (backup.join().expect("backup thread"), asked.elapsed())
        });
        assert_eq!(
            result.map(drop).map_err(|e| e.code),
            Err(ErrorCode::Stopped)
        );
        assert!(!state.is_open());
        assert!(
            lock_took * 4 < whole,
            "the lock took {lock_took:?}, a whole backup {whole:?}"
        );
        let left: Vec<_> = std::fs::read_dir(&out)
            .expect("out")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
        eprintln!("a whole backup {whole:?}; the lock during one {lock_took:?}");
    }
}
