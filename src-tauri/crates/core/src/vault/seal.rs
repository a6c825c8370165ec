//! The state sealed in the header beside the data key: whether the vault still takes writes,
//! and where its history ended the last time a process holding it sealed it. Encrypted and
//! authenticated with the data key (no one reads it without the passphrase, no one edits or
//! removes it without breaking the unlock), and outside the database, so:
//!
//! - a process that finds the vault damaged or tampered with closes it to writes for every
//!   process after it, until a restore or a logged decision to accept the damage;
//! - a database rolled back to an older copy, or whose newest history entries were deleted
//!   with their rows, no longer holds the entry the header names, and opens closed to writes.
//!
//! Sealed at unlock (a version 1 header becomes version 2), when the write gate closes, and at
//! lock. A process killed before it locks leaves the previous seal: the check then covers the
//! history up to that seal.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::header::{DataKey, HEADER_NEW_FILE, OnDisk};
use super::slots::TeamHeader;
use crate::error::Result;

/// The file whose lock every process takes to read, change and write the header.
pub const HEADER_LOCK_FILE: &str = "vault.lock";

/// Whether the vault takes writes. Once closed, only a restore or an explicit, logged
/// acceptance opens it again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Writes {
    #[default]
    Open,
    /// The history or a record does not verify: changed outside the app.
    Tampered,
    /// Pages or structure do not verify: restore from a backup.
    Damaged,
}

/// Where the history stood at the last seal, and whether writes are allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct SealedState {
    pub writes: Writes,
    /// How many entries the history held (the newest entry's number).
    pub audit_entries: u32,
    /// The newest entry's MAC.
    pub audit_head: Option<String>,
    /// When the newest entry was written, and by whom (shown at unlock).
    pub last_change_at: Option<String>,
    pub last_change_by: Option<String>,
}

/// The newest history entry as the database holds it now.
pub(crate) fn tail(conn: &Connection) -> Result<SealedState> {
    let row = conn
        .query_row(
            "SELECT seq, mac, at, actor FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        Some((seq, mac, at, actor)) => SealedState {
            writes: Writes::Open,
            audit_entries: seq,
            audit_head: Some(mac),
            last_change_at: Some(at),
            last_change_by: Some(actor),
        },
        None => SealedState::default(),
    })
}

/// Whether the database still holds the entry the seal names: `false` when the history was cut
/// short (entries deleted from its end, or the file rolled back to an older copy) or differs.
pub(crate) fn holds_sealed_tail(conn: &Connection, sealed: &SealedState) -> Result<bool> {
    let Some(head) = &sealed.audit_head else {
        return Ok(true);
    };
    let mac: Option<String> = conn
        .query_row(
            "SELECT mac FROM audit_log WHERE seq = ?1",
            [sealed.audit_entries],
            |r| r.get(0),
        )
        .optional()?;
    Ok(mac.as_deref() == Some(head.as_str()))
}

/// Holds what sealing the header's state again needs: the data key (the state is sealed
/// under a key derived from it, so any member's process can seal it).
pub(crate) struct Sealer {
    dir: PathBuf,
    data_key: DataKey,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").finish_non_exhaustive()
    }
}

/// Holds the header lock until dropped: one process at a time reads, changes and writes it.
pub(crate) struct HeaderLock(File);

impl HeaderLock {
    pub(crate) fn take(dir: &Path) -> Result<HeaderLock> {
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(HEADER_LOCK_FILE))?;
        f.lock()?;
        Ok(HeaderLock(f))
    }
}

impl Drop for HeaderLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Sealer {
    pub(crate) fn new(dir: &Path, key: &DataKey) -> Self {
        Sealer {
            dir: dir.to_owned(),
            data_key: key.clone(),
        }
    }

    /// The same keys for a vault folder that was renamed (a restore's staging folder).
    pub(crate) fn moved_to(&self, dir: &Path) -> Sealer {
        Sealer::new(dir, &self.data_key)
    }

    /// The team header on disk with its state, when this process's key still opens it (a
    /// rotation by another process leaves it alone: whoever rotated carried the state over).
    fn on_disk(&self) -> Option<(TeamHeader, SealedState)> {
        match OnDisk::read(&self.dir).ok()? {
            OnDisk::Team(h) => {
                let state = h.open_state(&self.data_key).ok()?;
                Some((h, state))
            }
            OnDisk::Single(_) => None,
        }
    }

    /// Reads the header on disk and changes its state with `change`.
    pub(crate) fn reseal(&self, change: impl FnOnce(&mut SealedState)) -> Result<()> {
        let held = HeaderLock::take(&self.dir)?;
        self.reseal_held(&held, change)
    }

    /// [`Sealer::reseal`] by a caller already holding the header lock.
    pub(crate) fn reseal_held(
        &self,
        _held: &HeaderLock,
        change: impl FnOnce(&mut SealedState),
    ) -> Result<()> {
        let Some((mut header, mut state)) = self.on_disk() else {
            return Ok(());
        };
        let writes = state.writes;
        change(&mut state);
        // Closed stays closed: only `reopen` (a logged decision) opens it again.
        if writes != Writes::Open && state.writes == Writes::Open {
            state.writes = writes;
        }
        header.seal_state(&self.data_key, &state)?;
        header.write_atomically(&self.dir)
    }

    /// Opens the vault to writes again, after the acceptance was logged.
    pub(crate) fn reopen(&self, tail: SealedState) -> Result<()> {
        let _held = HeaderLock::take(&self.dir)?;
        let Some((mut header, _)) = self.on_disk() else {
            return Ok(());
        };
        header.seal_state(&self.data_key, &tail)?;
        header.write_atomically(&self.dir)
    }

    /// The writes state another process may have sealed since this one unlocked.
    pub(crate) fn sealed_writes(&self) -> Writes {
        self.on_disk().map_or(Writes::Open, |(_, s)| s.writes)
    }
}

/// Removes a header write that never reached its rename (a crash mid-write); the caller holds
/// the lock, so no write in progress in another process is cut short.
pub(crate) fn remove_stale_header_write(_held: &HeaderLock, dir: &Path) {
    let _ = fs::remove_file(dir.join(HEADER_NEW_FILE));
}
