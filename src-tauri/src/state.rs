//! What the app holds between commands: the core's `Session` (the open vault, its background
//! check, the unsaved packet) and the unlock throttle. Case data lives only inside the
//! session's `Vault`; locking drops it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use amparo_core::session::{LockReport, Session, StopHandle};

use crate::commands::dialogs::DialogPurpose;
use amparo_core::{ErrorReport, UnlockThrottle, Vault};
use serde::{Deserialize, Serialize};

/// What turns the vault's key: each re-encrypts the whole vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum KeyTurn {
    PassphraseChange,
    KeyRotation,
    MemberRemoval,
}

/// A key turn that a lock cut into (the system went to sleep during a passphrase change):
/// whether it had taken effect, so the unlock screen can say which passphrase opens the
/// vault and whether the member is gone. Kept until the next unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct InterruptedTurn {
    pub what: KeyTurn,
    /// `false`: the lock stopped it and nothing changed (the old passphrase opens the vault);
    /// `true`: it had finished, and the vault was locked under the new key.
    pub took_effect: bool,
}

pub struct AppState {
    session: Mutex<Session>,
    /// Reaches the open vault's running task without waiting for the session: every lock
    /// stops it first (a backup, a sync round), so the keys never wait on it.
    stop: StopHandle,
    pub throttle: Mutex<UnlockThrottle>,
    /// How far a passphrase change or key rotation has copied the vault, 0–100.
    pub rotation: AtomicU8,
    /// A key is turning (see [`AppState::turning`]): a lock waits for it to let go.
    turning: AtomicBool,
    /// The last key turn a lock cut into, until the next unlock.
    interrupted: Mutex<Option<InterruptedTurn>>,
    /// How far the backup under way has got, 0–100.
    pub backup: AtomicU8,
    /// Counts the locks asked for: a vault opened by a command that began before one (an
    /// unlock, a passphrase change re-encrypting for minutes) is not held (see [`LockTicket`]).
    locks: AtomicU64,
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
            turning: AtomicBool::default(),
            interrupted: Mutex::default(),
            backup: AtomicU8::default(),
            locks: AtomicU64::default(),
            chosen: Mutex::default(),
        }
    }
}

pub type CmdResult<T> = Result<T, ErrorReport>;

/// A key turning, while it lives ([`AppState::turning`]).
pub(crate) struct Turning<'a>(&'a AtomicBool);

impl Drop for Turning<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// How many locks had been asked for when a command began to open a vault.
#[derive(Debug, Clone, Copy)]
pub struct LockTicket(u64);

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
        self.session_after_stopping().lock_now()
    }

    /// The app is exiting: locks, then waits (a few seconds at most) for the background check
    /// to end.
    pub fn lock_before_exit(&self) {
        let mut session = self.session_after_stopping();
        session.lock_now();
        session.wait_for_checks(Duration::from_secs(3));
    }

    /// The person's lock (the button, the page's idle countdown): stops what runs, sends this
    /// laptop's bundle to the sync folder, closes.
    pub fn lock_after_sending(&self) -> CmdResult<LockReport> {
        self.session_after_stopping()
            .lock_after_sending()
            .map_err(ErrorReport::from)
    }

    /// The session, once the task holding it has stopped. The stop is said again until then:
    /// an interrupt that comes between two statements is forgotten by SQLite, and a statement
    /// that copies a few large rows (a backup's scans) runs too few steps for the progress
    /// handler to look at the flag; said every few milliseconds, it ends the copy at the next
    /// row.
    /// A key turning runs with the session closed, its keys in its own thread: the lock waits
    /// for it to let go too.
    fn session_after_stopping(&self) -> MutexGuard<'_, Session> {
        self.locks.fetch_add(1, Ordering::SeqCst);
        loop {
            self.stop.stop();
            if !self.turning.load(Ordering::SeqCst) {
                match self.session.try_lock() {
                    Ok(session) => return session,
                    Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                    Err(TryLockError::WouldBlock) => {}
                }
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Marks a key turning until the mark is dropped (a panic included): every lock meanwhile
    /// stops it and waits until it has let go of its keys.
    pub(crate) fn turning(&self) -> Turning<'_> {
        self.turning.store(true, Ordering::SeqCst);
        Turning(&self.turning)
    }

    /// Says how a key turn ended when a lock cut into it; told on the unlock screen.
    pub(crate) fn record_interrupted(&self, turn: InterruptedTurn) {
        *lock(&self.interrupted) = Some(turn);
    }

    /// The last key turn a lock cut into, since the last unlock.
    pub fn interrupted_turn(&self) -> Option<InterruptedTurn> {
        *lock(&self.interrupted)
    }

    /// Taken by a command before it opens a vault (unlocking takes a second, re-encrypting
    /// for a new passphrase minutes): a lock asked for meanwhile (the system going to sleep)
    /// finds no vault open, and must not find one open after it.
    pub fn lock_ticket(&self) -> LockTicket {
        LockTicket(self.locks.load(Ordering::SeqCst))
    }

    /// Whether a lock was asked for since `ticket` was taken.
    pub fn locked_since(&self, ticket: LockTicket) -> bool {
        self.locks.load(Ordering::SeqCst) != ticket.0
    }

    /// What every lock stops first. A rotation, which runs with the session closed, makes its
    /// copy reachable here.
    pub fn stop_handle(&self) -> &StopHandle {
        &self.stop
    }

    /// Holds `v` as the open vault, unless a lock was asked for since `ticket` was taken: then
    /// `v` is locked at once and the answer is `locked`.
    pub fn open_unless_locked_since(&self, ticket: LockTicket, v: Vault) -> CmdResult<()> {
        let mut session = lock(&self.session);
        if self.locked_since(ticket) {
            let _ = v.lock();
            return Err(ErrorReport::from(amparo_core::Error::Locked));
        }
        session.open(v).map_err(ErrorReport::from)?;
        *lock(&self.interrupted) = None;
        Ok(())
    }

    /// Locks if the page let the idle deadline pass without locking (see `watch`). `true` if
    /// this call locked the vault.
    pub fn lock_if_abandoned(&self) -> bool {
        lock(&self.session).lock_if_abandoned()
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use amparo_core::clients::ClientInput;
    use amparo_core::codes::AttachmentOwner;
    use amparo_core::error::ErrorCode;
    use amparo_core::{KdfChoice, KdfParams, Vault};

    use super::{AppState, InterruptedTurn, KeyTurn};

    const PASS: &str = "correct horse battery";
    const NEW: &str = "a brand new passphrase";

    /// A vault of some 60 MB (30 scans of 2 MiB, bytes that do not compress), so that a backup
    /// takes a while. Rows of a size a clinic's scans have: a stop ends a copy between two
    /// rows.
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
        for n in 0..30 {
            let bytes: Vec<u8> = (0..(2 << 20) / 8)
                .flat_map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x.to_le_bytes()
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

    /// The system went to sleep while an unlock (or a passphrase change) was under way, with
    /// no vault open for the lock to close: the vault that unlock opens is not held, it is
    /// locked again and the page told `locked`.
    #[test]
    fn a_vault_opened_after_a_lock_was_asked_for_is_not_held() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("vault");
        Vault::create(&dir, PASS, KdfChoice::Fixed(KdfParams::MINIMUM), "tester")
            .expect("create")
            .lock()
            .expect("lock");
        let state = AppState::default();

        let ticket = state.lock_ticket();
        let v = Vault::unlock(&dir, PASS, "tester").expect("unlock");
        assert!(!state.lock_now(), "nothing was open yet");
        let held = crate::commands::vault::hold(&state, ticket, v);
        assert_eq!(held.map(drop).map_err(|e| e.code), Err(ErrorCode::Locked));
        assert!(!state.is_open());

        // Closed whole: the next unlock opens it and it is held.
        let ticket = state.lock_ticket();
        let v = Vault::unlock(&dir, PASS, "tester").expect("unlock again");
        crate::commands::vault::hold(&state, ticket, v).expect("held");
        assert!(state.is_open());
        // The background check ends before the test does (its connection beside the exit).
        wait_for_check(&state);
        assert!(state.lock_now());
    }

    /// A passphrase change as the app makes it (`turn_key`), with the fast KDF; `after` runs
    /// once the vault is re-encrypted, before the app holds it again.
    fn change_passphrase(
        state: &AppState,
        from: &str,
        to: &str,
        after: impl Fn(),
    ) -> super::CmdResult<crate::commands::vault::UnlockInfo> {
        crate::commands::vault::turn_key(
            state,
            KeyTurn::PassphraseChange,
            from,
            |dir, actor, progress, stop| {
                let kdf = KdfChoice::Fixed(KdfParams::MINIMUM);
                let v = Vault::rotate_and_open(dir, from, to, kdf, actor, progress, stop);
                after();
                v
            },
        )
    }

    /// The app holding the vault `make` creates in a fresh folder, its background check done.
    fn app_holding(make: impl FnOnce(&Path) -> Vault) -> (tempfile::TempDir, PathBuf, AppState) {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("vault");
        let state = AppState::default();
        let v = make(&dir);
        state.with_session(|s| s.open(v)).expect("open");
        wait_for_check(&state);
        (tmp, dir, state)
    }

    fn wait_for_check(state: &AppState) {
        while state.check_result().expect("open").is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The lock (system sleep, the button) does not wait for a backup under way: it stops it,
    /// and the keys go in a small fraction of the backup's time. The stopped backup answers
    /// `stopped` and leaves no file. (A whole backup first, for its time and its progress.)
    #[test]
    fn a_lock_does_not_wait_for_a_backup_under_way() {
        let (tmp, dir, state) = app_holding(heavy_vault);

        let started = Instant::now();
        let told = std::sync::Mutex::new(Vec::new());
        let progress = |p: u8| told.lock().expect("told").push(p);
        state
            .with_vault(|v| v.backup_telling(&tmp.path().join("whole.amparo"), &progress))
            .expect("a whole backup");
        let whole = started.elapsed();
        // Its progress on the way: rising, something between, 100 at the end.
        let told = told.into_inner().expect("told");
        assert!(told.windows(2).all(|w| w[0] < w[1]), "{told:?}");
        assert!(told.iter().any(|p| (1..100).contains(p)), "{told:?}");
        assert_eq!(told.last(), Some(&100), "{told:?}");

        // Stopped as it begins, a third of the way in, two thirds in.
        for part in 0..3 {
            if part > 0 {
                // (The check that starts again beside it is stopped by the lock too.)
                let v = Vault::unlock(&dir, PASS, "tester").expect("unlock");
                state.with_session(|s| s.open(v)).expect("open");
            }
            let out = tmp.path().join(format!("out-{part}"));
            std::fs::create_dir(&out).expect("out");
            let (result, lock_took) = std::thread::scope(|scope| {
                let backup =
                    scope.spawn(|| state.with_vault(|v| v.backup_to(&out.join("b.amparo"))));
                // The copy has begun once its first file is there.
                while std::fs::read_dir(&out).expect("out").count() == 0 {
                    std::thread::yield_now();
                }
                std::thread::sleep(whole * part / 3);
                let asked = Instant::now();
                assert!(state.lock_now(), "the vault was open");
                (backup.join().expect("backup thread"), asked.elapsed())
            });
            assert_eq!(
                result.map(drop).map_err(|e| e.code),
                Err(ErrorCode::Stopped),
                "stopped {part}/3 of the way"
            );
            assert!(!state.is_open());
            assert!(
                lock_took * 4 < whole,
                "the lock took {lock_took:?} {part}/3 of the way, a whole backup {whole:?}"
            );
            let left: Vec<_> = std::fs::read_dir(&out)
                .expect("out")
                .map(|e| e.expect("entry").file_name())
                .collect();
            assert!(left.is_empty(), "left behind: {left:?}");
            eprintln!("a whole backup {whole:?}; the lock {part}/3 of the way in {lock_took:?}");
        }
    }

    /// A lock during a passphrase change (minutes on a large vault) does not wait for the
    /// re-encryption with both keys in memory: the copy stops, the old key and passphrase
    /// stay, no copy is left, the answer is `stopped`. (A whole change first, for its time.)
    #[test]
    fn a_lock_stops_a_passphrase_change_under_way() {
        use amparo_core::vault::rotate::DB_REKEY_FILE;
        let (_tmp, dir, state) = app_holding(heavy_vault);
        let change = |from, to| change_passphrase(&state, from, to, || ());

        let started = Instant::now();
        change(PASS, NEW).expect("a whole change");
        let whole = started.elapsed();
        wait_for_check(&state);
        assert_eq!(state.interrupted_turn(), None, "no lock cut into that one");

        let (result, lock_took) = std::thread::scope(|scope| {
            let turn = scope.spawn(|| change(NEW, PASS));
            // The copy under the new key has begun once its file is there.
            while !dir.join(DB_REKEY_FILE).exists() {
                std::thread::yield_now();
            }
            std::thread::sleep(whole / 5);
            let asked = Instant::now();
            state.lock_now();
            let result = turn.join().expect("turn thread");
            (result, asked.elapsed())
        });
        assert_eq!(
            result.map(drop).map_err(|e| e.code),
            Err(ErrorCode::Stopped)
        );
        assert!(!state.is_open());
        assert!(!dir.join(DB_REKEY_FILE).exists(), "the copy is removed");
        assert!(
            lock_took * 4 < whole,
            "the change ended {lock_took:?} after the lock; a whole change takes {whole:?}"
        );
        // The unlock screen is told that nothing changed, until the next unlock.
        let stopped = InterruptedTurn {
            what: KeyTurn::PassphraseChange,
            took_effect: false,
        };
        assert_eq!(state.interrupted_turn(), Some(stopped));
        let v = Vault::unlock(&dir, NEW, "tester")
            .expect("the passphrase before the stopped change opens it");
        state
            .open_unless_locked_since(state.lock_ticket(), v)
            .expect("held");
        assert_eq!(
            state.interrupted_turn(),
            None,
            "forgotten at the next unlock"
        );
        // Waits for the check that unlock started, which would otherwise still be reading
        // pages as the test's process exits.
        state.lock_before_exit();
        eprintln!("a whole passphrase change {whole:?}; stopped {lock_took:?} after the lock");
    }

    /// A lock that came as a key turn finished (its new key in place, the vault not yet held
    /// again) locks it under the new key, and the unlock screen is told the turn took effect:
    /// the member is gone, the new passphrase is the one that opens it.
    #[test]
    fn a_turn_that_finished_as_the_lock_came_is_told_as_done() {
        use std::sync::atomic::Ordering;
        let (_tmp, dir, state) = app_holding(|dir| {
            Vault::create(dir, PASS, KdfChoice::Fixed(KdfParams::MINIMUM), "tester")
                .expect("create")
        });
        // The system goes to sleep the moment the vault is re-encrypted.
        let result = change_passphrase(&state, PASS, NEW, || {
            state.locks.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(result.map(drop).map_err(|e| e.code), Err(ErrorCode::Locked));
        assert!(!state.is_open());
        assert_eq!(
            state.interrupted_turn(),
            Some(InterruptedTurn {
                what: KeyTurn::PassphraseChange,
                took_effect: true
            })
        );
        Vault::unlock(&dir, NEW, "tester")
            .expect("the new passphrase opens it")
            .lock()
            .expect("lock");
    }
}
