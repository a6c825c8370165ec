//! The full check of an open vault: every page's HMAC (`cipher_integrity_check`), the
//! database structure (`quick_check`), the audit chain and the records it describes. Runs on
//! its own read-only connection so the app can run it in the background after unlock; what
//! it finds closes the vault's write gate.

use std::sync::Arc;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::seal::Writes;
use super::{Vault, WriteGate};
use crate::audit::{self, ChainReport};
use crate::db;
use crate::error::{Error, Result};

/// What the full check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CheckReport {
    /// Every page decrypted and authenticated (no damage anywhere in the file).
    pub pages_ok: bool,
    /// SQLite's own structural check.
    pub structure_ok: bool,
    /// `None` when damage kept the chain from being read.
    pub chain: Option<ChainReport>,
}

impl CheckReport {
    pub fn holds(&self) -> bool {
        self.pages_ok && self.structure_ok && self.chain.as_ref().is_some_and(ChainReport::holds)
    }

    /// Damaged (restore from a backup) rather than tampered with.
    pub fn damaged(&self) -> bool {
        !self.pages_ok || !self.structure_ok || self.chain.is_none()
    }
}

/// A second connection to an unlocked vault, for the full check. `Send`: it can be moved to
/// a background thread.
pub struct Checker {
    conn: Connection,
    audit_key: Zeroizing<[u8; 32]>,
    gate: Arc<WriteGate>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker").finish_non_exhaustive()
    }
}

impl Vault {
    /// Opens the checker's connection (read-only, a small page cache of its own).
    pub fn checker(&self) -> Result<Checker> {
        let conn = db::open_keyed(self.dir(), &self.data_key, false)?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", -4_000)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        Ok(Checker {
            conn,
            audit_key: self.audit_key.clone(),
            gate: Arc::clone(&self.gate),
        })
    }

    /// The full check, here and now (the CLI's `verify`, a restore).
    pub fn full_check(&self) -> Result<CheckReport> {
        self.checker()?.run()
    }
}

/// Stops a running check from another thread (its SQL statements end with an error).
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

pub(super) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

impl Checker {
    /// Lets another thread stop a running check (the app does on lock).
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
    }

    /// Pages first (the HMAC of every page: about 6 s for 2 GB), then the history and the
    /// records it describes (about 10 s), then SQLite's structural check (the slowest: about
    /// 22 s for 2 GB). The write gate closes the moment a stage fails, not at the end.
    pub fn run(self) -> Result<CheckReport> {
        let damaged = || self.gate.close(Writes::Damaged);
        // One row per page whose HMAC does not verify; none when the file is whole.
        let bad_pages = {
            let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
            stmt.query_map([], |_| Ok(()))?.count()
        };
        if bad_pages > 0 {
            damaged();
            return Ok(CheckReport {
                pages_ok: false,
                structure_ok: false,
                chain: None,
            });
        }
        let chain = match audit::verify_chain(&self.conn, &self.audit_key) {
            Ok(c) => c,
            Err(Error::Storage(e)) if is_damage(&e) => {
                damaged();
                return Ok(CheckReport {
                    pages_ok: true,
                    structure_ok: false,
                    chain: None,
                });
            }
            Err(e) => return Err(e),
        };
        if !chain.holds() {
            self.gate.close(Writes::Tampered);
        }
        let structure_ok = match self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
        {
            Ok(s) => s == "ok",
            Err(e) if is_damage(&e) => false,
            Err(e) => return Err(Error::Storage(e)),
        };
        if !structure_ok {
            damaged();
        }
        Ok(CheckReport {
            pages_ok: true,
            structure_ok,
            chain: Some(chain),
        })
    }
}
