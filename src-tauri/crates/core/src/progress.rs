//! How far a long copy has got (a backup, a key rotation's re-encryption), told while it runs:
//! the files it writes measured against what they will weigh every 200 ms, and no look after
//! it ends: a copy stopped for a lock must not keep the lock waiting for the next look.

use std::fs;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

const TELL_EVERY: Duration = Duration::from_millis(200);

/// Runs `work`, telling `progress` the size of `files` against `total` as a percentage, at most
/// `most`, and only when it rose.
pub(crate) fn telling_while<T>(
    files: &[PathBuf],
    total: u64,
    most: u8,
    progress: &(dyn Fn(u8) + Sync),
    work: impl FnOnce() -> T,
) -> T {
    let (finished, done) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut told = 0;
            // Wakes at once when the work ends (the sender dropped).
            while let Err(RecvTimeoutError::Timeout) = done.recv_timeout(TELL_EVERY) {
                let now: u64 = files
                    .iter()
                    .map(|f| fs::metadata(f).map_or(0, |m| m.len()))
                    .sum();
                let pct = (now * u64::from(most) / total.max(1)).min(u64::from(most));
                let pct = u8::try_from(pct).unwrap_or(most);
                if pct > told {
                    told = pct;
                    progress(pct);
                }
            }
        });
        let out = work();
        drop(finished);
        out
    })
}
