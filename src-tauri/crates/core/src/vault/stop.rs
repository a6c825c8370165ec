//! Stopping what the vault's connection is doing, from another thread. A lock (the person's
//! button, the system going to sleep, the desktop session locking) must not wait for a long
//! task to finish before the keys go: a backup of a large vault copies for half a minute, a
//! sync round with another laptop's ten thousand changes takes seconds.
//!
//! A [`Stopper`] raises the vault's stop flag and interrupts the statement running at that
//! moment. Long statements (a backup's `sqlcipher_export`, a search) also look at the flag
//! every few thousand steps (SQLite's progress handler), so a stop that comes between two of
//! them is not lost; tasks made of many short statements (applying a bundle) look at it
//! themselves ([`StopFlag::check`]). A statement of few steps that each take long (copying a
//! few large rows) is reached by the interrupt only, which SQLite forgets if it came between
//! two statements: whoever waits for the task says the stop again until the task lets go
//! (the app does, every 2 ms). What a stop cuts short is rolled back whole, and its error is
//! [`Error::Stopped`]. The flag is lowered by the lock itself, before its own statements
//! (sending this laptop's bundle, sealing the history's end).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::error::{Error, Result};

/// How many of SQLite's steps run between two looks at the flag: a few hundred microseconds
/// of work, nothing measurable in a query's time.
const STEPS_BETWEEN_LOOKS: i32 = 10_000;

/// The vault's stop flag, raised by a [`Stopper`] on another thread.
#[derive(Debug, Clone, Default)]
pub(crate) struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// A flag for `conn`, whose long statements end with an interruption once it is raised.
    pub(crate) fn watching(conn: &Connection) -> Result<StopFlag> {
        let flag = StopFlag::default();
        let seen = Arc::clone(&flag.0);
        conn.progress_handler(
            STEPS_BETWEEN_LOOKS,
            Some(move || seen.load(Ordering::Relaxed)),
        )?;
        Ok(flag)
    }

    pub(crate) fn raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Stopped)` once the flag is raised: for loops of short statements.
    pub(crate) fn check(&self) -> Result<()> {
        if self.raised() {
            Err(Error::Stopped)
        } else {
            Ok(())
        }
    }

    /// `e`, or [`Error::Stopped`] if the flag is raised: a stopped statement does not always
    /// say so (`sqlcipher_export` reports an interrupted copy as a plain error).
    pub(crate) fn explain(&self, e: Error) -> Error {
        if self.raised() { Error::Stopped } else { e }
    }

    pub(crate) fn lower(&self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// Stops the task running on one vault's connection, from any thread ([`Vault::stopper`]).
/// Harmless once that vault is closed.
///
/// [`Vault::stopper`]: crate::vault::Vault::stopper
pub struct Stopper {
    flag: StopFlag,
    interrupt: rusqlite::InterruptHandle,
}

impl std::fmt::Debug for Stopper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stopper").finish_non_exhaustive()
    }
}

impl Stopper {
    pub(crate) fn new(flag: StopFlag, conn: &Connection) -> Stopper {
        Stopper {
            flag,
            interrupt: conn.get_interrupt_handle(),
        }
    }

    /// Raises the flag, then interrupts the statement running now (if any).
    pub fn stop(&self) {
        self.flag.0.store(true, Ordering::Relaxed);
        self.interrupt.interrupt();
    }
}

/// Stops whatever the session's open vault is running, or the rotation re-encrypting it, from a
/// thread that does not hold the session: whoever keeps the session behind a lock keeps one of
/// these beside it, and a lock of the vault calls [`StopHandle::stop`] before it waits for the
/// session. The task stops within milliseconds, its work rolled back, and the lock goes on.
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<Mutex<Option<Stopper>>>);

impl StopHandle {
    /// Stops the open vault's task or the rotation's copy, if one runs.
    pub fn stop(&self) {
        if let Some(s) = self.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            s.stop();
        }
    }

    /// What `stop` reaches from now on: an open vault's task, a rotation's copy, or nothing.
    pub(crate) fn set(&self, stopper: Option<Stopper>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = stopper;
    }
}

/// Copies `from` to `to`, looking at `flag` between chunks: a backup's copy of a large vault
/// takes seconds.
pub(crate) fn copy_unless_stopped(
    from: &mut impl std::io::Read,
    to: &mut impl std::io::Write,
    flag: &StopFlag,
) -> Result<u64> {
    let mut chunk = vec![0u8; 4 << 20];
    let mut copied = 0u64;
    loop {
        flag.check()?;
        let n = from.read(&mut chunk)?;
        if n == 0 {
            return Ok(copied);
        }
        to.write_all(&chunk[..n])?;
        copied += n as u64;
    }
}
