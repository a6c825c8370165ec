//! What a running app holds between requests: the open vault (or none, when locked), the full
//! check started at unlock, the packet built but not yet saved, and the idle deadline. The app
//! keeps one `Session` behind a lock; everything here is plain Rust, so the CLI or a test can
//! hold one too.
//!
//! The idle lock lives here, not in the page: a deadline on a clock that keeps counting while
//! the laptop sleeps (`CLOCK_BOOTTIME`), moved on by the person's activity, checked before
//! every use of the vault. A laptop closed mid-session and opened hours later is locked the
//! moment anything asks for the vault; the app also locks at once when the system goes to
//! sleep, the desktop session locks, or the page reloads (see the app's shell).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, ErrorReport, Result};
use crate::packet::{BuiltPacket, BuiltPacketInfo};
use crate::vault::Vault;
use crate::vault::check::{CheckReport, Interrupt};
pub use crate::vault::stop::StopHandle;

/// The full check started at unlock, running on its own connection in the background.
#[derive(Default)]
struct CheckSlot {
    /// Bumped on every unlock and lock, so a late answer from an earlier check is dropped.
    generation: u64,
    result: Option<std::result::Result<CheckReport, ErrorReport>>,
    interrupt: Option<Interrupt>,
    /// Check threads not yet ended (an interrupted one ends a moment after the lock).
    running: usize,
}

pub struct Session {
    vault: Option<Vault>,
    /// Reaches the open vault's running task without this session's lock (see [`StopHandle`]).
    stop: StopHandle,
    check: Arc<Mutex<CheckSlot>>,
    /// The complaint packet last built, until saved, replaced or locked (zeroized on drop).
    packet: Option<BuiltPacket>,
    clock: Box<dyn Clock>,
    /// How long without activity before the vault locks, and when that will be.
    idle_after: Duration,
    deadline: Option<Duration>,
}

impl Default for Session {
    fn default() -> Self {
        Session::with_clock(Box::new(SuspendAwareClock))
    }
}

/// What locking did besides closing the vault.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct LockReport {
    /// With a sync folder set: how many changes this laptop's bundle there now carries.
    pub sent: Option<u32>,
    /// Why the bundle could not be written: the session's changes did not reach the folder
    /// (they stay in the vault and leave with the next round).
    pub send_failed: Option<ErrorCode>,
}

/// Time since some fixed point, counting the time the machine was suspended.
pub trait Clock: Send {
    fn now(&self) -> Duration;
}

/// `CLOCK_BOOTTIME` on Linux (counts suspend); elsewhere the monotonic clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SuspendAwareClock;

impl Clock for SuspendAwareClock {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn now(&self) -> Duration {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_nsec).unwrap_or(0),
        )
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn now(&self) -> Duration {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
}

/// Until the vault's own setting is read.
const DEFAULT_IDLE: Duration = Duration::from_secs(5 * 60);

/// How long past the idle deadline the app waits for the page to lock before it locks the
/// vault itself ([`Session::lock_if_abandoned`]).
pub const ABANDONED_AFTER: Duration = Duration::from_secs(20);

/// A poisoned lock only means another thread panicked; the data behind it is still sound.
fn slot(m: &Mutex<CheckSlot>) -> MutexGuard<'_, CheckSlot> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Session {
    /// A session on `clock` (tests inject one).
    pub fn with_clock(clock: Box<dyn Clock>) -> Session {
        Session {
            vault: None,
            stop: StopHandle::default(),
            check: Arc::default(),
            packet: None,
            clock,
            idle_after: DEFAULT_IDLE,
            deadline: None,
        }
    }

    /// The open vault, or `locked` (also once the idle deadline has passed: the vault is
    /// locked then and there).
    pub fn vault(&mut self) -> Result<&mut Vault> {
        self.lock_if_idle();
        self.vault.as_mut().ok_or(Error::Locked)
    }

    pub fn is_open(&mut self) -> bool {
        self.lock_if_idle();
        self.vault.is_some()
    }

    /// Kept beside the session (outside its lock) by whoever locks the vault from another
    /// thread.
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// The person did something: the idle deadline moves on. Too late once it passed.
    pub fn activity(&mut self) {
        self.lock_if_idle();
        if self.vault.is_some() {
            self.deadline = Some(self.clock.now() + self.idle_after);
        }
    }

    /// How long without activity before the vault locks (the vault's setting).
    pub fn set_idle_minutes(&mut self, minutes: u32) {
        self.idle_after = Duration::from_secs(u64::from(minutes.max(1)) * 60);
        self.activity();
    }

    /// The system is about to sleep, the desktop session locked, or the page reloaded: lock
    /// now, whatever the deadline. `true` if the vault was open (the page is to be told).
    pub fn lock_now(&mut self) -> bool {
        let was_open = self.vault.is_some();
        let _ = self.close();
        was_open
    }

    /// The safety net for a page that stopped counting (hung, or its timers held back): locks
    /// once the idle deadline has passed by [`ABANDONED_AFTER`]. A live page locks on its own
    /// at its deadline, which its activity reports put at most 15 seconds after this one, so
    /// its countdown is never cut short. `true` if this call locked the vault.
    pub fn lock_if_abandoned(&mut self) -> bool {
        let abandoned = self
            .deadline
            .is_some_and(|d| self.clock.now() >= d + ABANDONED_AFTER);
        abandoned && self.lock_now()
    }

    fn lock_if_idle(&mut self) {
        if self.vault.is_some() && self.deadline.is_some_and(|d| self.clock.now() >= d) {
            let _ = self.close();
        }
    }

    /// Locks after sending this session's changes to the sync folder, if one is set: this
    /// laptop's bundle is written there before the keys go; nothing is read from the folder,
    /// so the lock never waits on the other laptops' bundles. A bundle that cannot be written
    /// (the stick taken out, the folder full) does not keep the vault open; the report says
    /// why, and the changes stay in the vault for the next round. Past the idle deadline
    /// nothing is sent: the vault locked when the deadline passed.
    pub fn lock_after_sending(&mut self) -> Result<LockReport> {
        let mut report = LockReport::default();
        if let Ok(v) = self.vault() {
            // A task stopped for this lock left the flag raised; the bundle is the lock's own.
            v.go_on_after_stop();
            match v.sync_folder_send() {
                Ok(sent) => report.sent = sent,
                Err(e) => report.send_failed = Some(e.kind()),
            }
        }
        self.close()?;
        Ok(report)
    }

    /// Holds `v` (closing any previous vault) and starts its full check in the background:
    /// pages, structure, audit chain and records. Until it answers, the vault works; if it
    /// finds damage or tampering, the vault refuses every write from then on.
    pub fn open(&mut self, v: Vault) -> Result<()> {
        let checker = v.checker();
        self.stop_check();
        match checker {
            Ok(checker) => {
                let generation = {
                    let mut s = slot(&self.check);
                    s.interrupt = Some(checker.interrupt_handle());
                    s.running += 1;
                    s.generation
                };
                let shared = Arc::clone(&self.check);
                std::thread::spawn(move || {
                    // The checker (its connection, its key copy) is gone when `run` returns.
                    let result = checker.run().map_err(ErrorReport::from);
                    let mut s = slot(&shared);
                    s.running -= 1;
                    if s.generation == generation {
                        s.result = Some(result);
                        s.interrupt = None;
                    }
                });
            }
            Err(e) => slot(&self.check).result = Some(Err(ErrorReport::from(e))),
        }
        self.packet = None;
        if let Ok(s) = v.settings() {
            self.idle_after = Duration::from_secs(u64::from(s.idle_lock_minutes.max(1)) * 60);
        }
        self.deadline = Some(self.clock.now() + self.idle_after);
        self.stop.set(Some(v.stopper()));
        match self.vault.replace(v) {
            Some(previous) => previous.lock(),
            None => Ok(()),
        }
    }

    /// The background check's answer: `None` while it runs.
    pub fn check_result(&mut self) -> std::result::Result<Option<CheckReport>, ErrorReport> {
        if !self.is_open() {
            return Err(ErrorReport::from(Error::Locked));
        }
        slot(&self.check).result.clone().transpose()
    }

    /// Waits (up to `at_most`) for every check thread to end, after a lock interrupted them:
    /// the app does before it exits, so that no thread is still inside SQLCipher's
    /// cryptography while the process takes OpenSSL down. `true` if none is left.
    pub fn wait_for_checks(&self, at_most: Duration) -> bool {
        let until = std::time::Instant::now() + at_most;
        while slot(&self.check).running > 0 {
            if std::time::Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    fn stop_check(&self) {
        let mut s = slot(&self.check);
        if let Some(handle) = s.interrupt.take() {
            handle.interrupt();
        }
        s.generation += 1;
        s.result = None;
    }

    /// Closes the database and drops (zeroizing) the keys and the unsaved packet. Locking
    /// twice is fine. A check still running is interrupted; its connection and key copy go
    /// when its thread ends.
    pub fn close(&mut self) -> Result<()> {
        self.stop_check();
        self.packet = None;
        self.deadline = None;
        self.stop.set(None);
        match self.vault.take() {
            Some(v) => v.lock(),
            None => Ok(()),
        }
    }

    /// Keeps a built packet until it is saved, replaced or the vault locks.
    pub fn hold_packet(&mut self, p: BuiltPacket) -> Result<BuiltPacketInfo> {
        if !self.is_open() {
            return Err(Error::Locked);
        }
        let info = p.info();
        self.packet = Some(p);
        Ok(info)
    }

    /// The packet held under `id`, while the vault is open.
    pub fn held_packet(&self, id: &str) -> Result<&BuiltPacket> {
        self.packet
            .as_ref()
            .filter(|p| p.id == id && self.vault.is_some())
            .ok_or(Error::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;
    use crate::{KdfChoice, KdfParams};

    /// A clock the test moves by hand, the way a suspended laptop's boot clock jumps.
    #[derive(Clone, Default)]
    struct HandClock(Arc<AtomicU64>);
    impl Clock for HandClock {
        fn now(&self) -> Duration {
            Duration::from_secs(self.0.load(Ordering::SeqCst))
        }
    }
    impl HandClock {
        fn pass(&self, secs: u64) {
            self.0.fetch_add(secs, Ordering::SeqCst);
        }
    }

    fn open_session(dir: &std::path::Path, clock: &HandClock) -> Session {
        let v = Vault::create(
            dir,
            "correct horse battery",
            KdfChoice::Fixed(KdfParams::MINIMUM),
            "t",
        )
        .expect("create");
        let mut s = Session::with_clock(Box::new(clock.clone()));
        s.open(v).expect("open");
        s
    }

    #[test]
    fn the_vault_locks_once_the_idle_deadline_passes_even_across_a_suspend() {
        let tmp = tempfile::tempdir().expect("tmp");
        let clock = HandClock::default();
        let mut s = open_session(tmp.path(), &clock);
        // The default setting: 5 minutes. Activity moves the deadline on.
        clock.pass(4 * 60);
        assert!(s.vault().is_ok());
        s.activity();
        clock.pass(4 * 60);
        assert!(s.vault().is_ok(), "activity 4 minutes ago");
        // The lid closes; the boot clock counts the hours asleep. The first request after
        // waking finds the vault locked, and nothing brings it back.
        clock.pass(3 * 60 * 60);
        assert!(matches!(s.vault(), Err(Error::Locked)));
        s.activity();
        assert!(!s.is_open());
    }

    #[test]
    fn the_vaults_own_setting_sets_the_deadline() {
        let tmp = tempfile::tempdir().expect("tmp");
        let clock = HandClock::default();
        let mut s = open_session(tmp.path(), &clock);
        s.set_idle_minutes(1);
        clock.pass(61);
        assert!(!s.is_open());
    }

    #[test]
    fn a_sleep_signal_locks_at_once() {
        let tmp = tempfile::tempdir().expect("tmp");
        let clock = HandClock::default();
        let mut s = open_session(tmp.path(), &clock);
        assert!(s.lock_now(), "it was open: the page is told");
        assert!(matches!(s.vault(), Err(Error::Locked)));
        assert!(!s.lock_now(), "already locked: nothing to tell");
    }

    /// A check interrupted by a lock ends: its thread is gone a moment later, so the app can
    /// wait for it before exiting.
    #[test]
    fn the_check_threads_end_after_a_lock() {
        let tmp = tempfile::tempdir().expect("tmp");
        let clock = HandClock::default();
        let mut s = open_session(tmp.path(), &clock);
        assert!(s.lock_now());
        assert!(
            s.wait_for_checks(Duration::from_secs(10)),
            "a check thread lives on"
        );
        assert_eq!(slot(&s.check).running, 0);
    }

    /// With nothing asking for the vault (a page that hung), the app's own watch locks it
    /// shortly after the deadline, leaving a live page the time to lock on its own first.
    #[test]
    fn a_page_that_stopped_asking_does_not_keep_the_vault_open() {
        let tmp = tempfile::tempdir().expect("tmp");
        let clock = HandClock::default();
        let mut s = open_session(tmp.path(), &clock);
        s.set_idle_minutes(1);
        clock.pass(50);
        assert!(!s.lock_if_abandoned(), "before the deadline");
        clock.pass(10 + ABANDONED_AFTER.as_secs() - 1);
        assert!(
            !s.lock_if_abandoned(),
            "the page still has time to lock on its own"
        );
        clock.pass(1);
        assert!(s.lock_if_abandoned(), "locked by the watch");
        assert!(matches!(s.vault(), Err(Error::Locked)));
        assert!(!s.lock_if_abandoned(), "once");
    }
}
