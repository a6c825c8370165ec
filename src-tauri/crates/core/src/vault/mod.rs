//! The vault: a directory holding `vault.json` (how to unwrap the data key) and `vault.db`
//! (SQLCipher, keyed with the data key). An open `Vault` owns the connection and the audit
//! key; dropping or locking it closes the database and zeroizes the keys.

pub mod check;
pub mod header;
pub mod kdf;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rusqlite::Connection;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::db;
use crate::error::{Error, Result};
pub(crate) use header::{HEADER_FILE, sync_dir};
use header::{HEADER_NEW_FILE, Header};
pub use kdf::{KdfChoice, KdfParams};

pub const MIN_PASSPHRASE_CHARS: usize = 10;

pub struct Vault {
    dir: PathBuf,
    pub(crate) conn: Connection,
    pub(crate) audit_key: Zeroizing<[u8; 32]>,
    pub(crate) actor: String,
    /// Kept while unlocked to open the checker's own connection (SQLCipher holds the same
    /// key for as long as the database is open); zeroized on lock.
    pub(crate) data_key: header::DataKey,
    /// Closed when a check found the history broken or the pages damaged: the vault then
    /// takes no more writes. Shared with the background checker.
    pub(crate) gate: Arc<WriteGate>,
    /// Sees every change before it commits (see [`crate::store::ChangeHook`]).
    pub(crate) hook: Option<Box<dyn crate::store::ChangeHook>>,
}

/// Whether writes are still allowed. Set by the checks; never reopened while unlocked.
#[derive(Debug, Default)]
pub(crate) struct WriteGate {
    pub(crate) tampered: AtomicBool,
    pub(crate) damaged: AtomicBool,
}

/// Starts a write transaction, unless a check found the vault damaged or its history broken:
/// the app never writes to a vault it could not verify.
pub(crate) fn begin_write<'c>(
    conn: &'c mut Connection,
    gate: &WriteGate,
) -> Result<rusqlite::Transaction<'c>> {
    if gate.damaged.load(Ordering::SeqCst) {
        return Err(Error::VaultDamaged);
    }
    if gate.tampered.load(Ordering::SeqCst) {
        return Err(Error::VaultTampered);
    }
    Ok(conn.transaction()?)
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Whether a directory holds a vault (a header file); says nothing of whether it opens.
pub fn exists(dir: &Path) -> bool {
    dir.join(HEADER_FILE).is_file()
}

fn check_passphrase_strength(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::WeakPassphrase {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

fn audit_key_from(data_key: &header::DataKey) -> Result<Zeroizing<[u8; 32]>> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(data_key.as_ref())
        .map_err(|_| Error::Crypto("hmac"))?;
    mac.update(b"amparo/audit-chain/v1");
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    Ok(out)
}

fn actor_or_default(actor: &str) -> String {
    let a = actor.trim();
    if a.is_empty() {
        "volunteer".to_owned()
    } else {
        a.chars().take(80).collect()
    }
}

impl Vault {
    /// Creates a new vault in `dir` (created if missing). Refuses if a vault is already there.
    pub fn create(dir: &Path, passphrase: &str, kdf: KdfChoice, actor: &str) -> Result<Vault> {
        check_passphrase_strength(passphrase)?;
        fs::create_dir_all(dir)?;
        if exists(dir) {
            return Err(Error::VaultExists);
        }
        // A database without a header may be a creation that never finished, or a vault whose
        // vault.json was lost and may still be found (a copy, a backup's): it is never deleted.
        // The person decides: put the key file back, or move the database away.
        if dir.join(db::DB_FILE).exists() {
            return Err(Error::OrphanDatabase);
        }
        for f in ["vault.db-wal", "vault.db-shm", HEADER_NEW_FILE] {
            let p = dir.join(f);
            if p.exists() {
                fs::remove_file(p)?;
            }
        }
        let params = kdf.resolve()?;
        let data_key = header::new_data_key()?;
        let mut conn = db::open_keyed(dir, &data_key, true)?;
        db::prepare(&mut conn)?;
        let header = Header::seal(passphrase.as_bytes(), params, &data_key)?;
        header.write_atomically(dir)?;
        Ok(Vault {
            dir: dir.to_owned(),
            conn,
            audit_key: audit_key_from(&data_key)?,
            actor: actor_or_default(actor),
            data_key,
            gate: Arc::default(),
            hook: None,
        })
    }

    /// Opens an existing vault. Wrong passphrase, damaged header, damaged database and a
    /// schema newer than this app are distinct errors; none of them writes to the vault.
    pub fn unlock(dir: &Path, passphrase: &str, actor: &str) -> Result<Vault> {
        let header = Header::read(dir)?;
        let data_key = header.open(passphrase.as_bytes())?;
        // A leftover `vault.json.new` is an interrupted passphrase change whose rename never
        // happened: the old header is still the valid one.
        let stale = dir.join(HEADER_NEW_FILE);
        if stale.exists() {
            let _ = fs::remove_file(stale);
        }
        Self::open_with_key(dir, data_key, actor)
    }

    /// The second half of unlocking, after the KDF: opens, checks and migrates the database.
    pub(crate) fn open_with_key(
        dir: &Path,
        data_key: header::DataKey,
        actor: &str,
    ) -> Result<Vault> {
        let mut conn = db::open_keyed(dir, &data_key, false)?;
        db::prepare(&mut conn)?;
        Ok(Vault {
            dir: dir.to_owned(),
            conn,
            audit_key: audit_key_from(&data_key)?,
            actor: actor_or_default(actor),
            data_key,
            gate: Arc::default(),
            hook: None,
        })
    }

    /// A `Vault` over an open connection with these keys (the plain copy of the bench tools).
    #[cfg(feature = "tools")]
    pub(crate) fn from_parts(
        dir: &Path,
        conn: Connection,
        key: Zeroizing<[u8; 32]>,
        actor: &str,
    ) -> Vault {
        Vault {
            dir: dir.to_owned(),
            conn,
            audit_key: key.clone(),
            actor: actor.to_owned(),
            data_key: key,
            gate: Arc::default(),
            hook: None,
        }
    }

    /// Re-wraps the same data key under a new passphrase; the database is not rewritten.
    /// Atomic: a crash leaves the vault openable with the old or the new passphrase.
    pub fn change_passphrase(dir: &Path, old: &str, new: &str, kdf: KdfChoice) -> Result<()> {
        Self::change_passphrase_steps(dir, old, new, kdf, None)
    }

    pub(crate) fn change_passphrase_steps(
        dir: &Path,
        old: &str,
        new: &str,
        kdf: KdfChoice,
        crash_after: Option<header::WriteStep>,
    ) -> Result<()> {
        check_passphrase_strength(new)?;
        let current = Header::read(dir)?;
        let data_key = current.open(old.as_bytes())?;
        let params = kdf.resolve()?;
        let next = Header::seal(new.as_bytes(), params, &data_key)?;
        next.write_steps(dir, crash_after)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Closes the database; the keys are zeroized as the vault is dropped.
    pub fn lock(self) -> Result<()> {
        let Vault { conn, .. } = self;
        conn.close().map_err(|(_, e)| Error::Storage(e))?;
        Ok(())
    }
}

/// Growing delays after repeated wrong passphrases, kept by whoever unlocks (the app keeps
/// one per process). The first three attempts are free; then 2, 4, 8 … up to 60 seconds.
#[derive(Debug, Default)]
pub struct UnlockThrottle {
    failures: u32,
    not_before: Option<Instant>,
}

impl UnlockThrottle {
    pub fn check(&self, now: Instant) -> Result<()> {
        match self.not_before {
            Some(t) if now < t => Err(Error::TooManyAttempts {
                retry_after_secs: (t - now).as_secs().max(1),
            }),
            _ => Ok(()),
        }
    }

    pub fn failed(&mut self, now: Instant) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= 3 {
            let exp = (self.failures - 3).min(6);
            let delay = Duration::from_secs((2u64 << exp).min(60));
            self.not_before = Some(now + delay);
        }
    }

    /// Unlocks through the throttle: refuses while a delay runs, counts wrong passphrases.
    pub fn unlock(&mut self, dir: &Path, passphrase: &str, actor: &str) -> Result<Vault> {
        self.guard(|| Vault::unlock(dir, passphrase, actor))
    }

    /// Runs anything that tries a passphrase (unlocking, restoring a backup, changing the
    /// passphrase) through the same delays, so none of them is a way around them.
    pub fn guard<T>(&mut self, attempt: impl FnOnce() -> Result<T>) -> Result<T> {
        self.check(Instant::now())?;
        match attempt() {
            Ok(v) => {
                self.succeeded();
                Ok(v)
            }
            Err(Error::WrongPassphrase) => {
                self.failed(Instant::now());
                Err(Error::WrongPassphrase)
            }
            Err(e) => Err(e),
        }
    }

    pub fn succeeded(&mut self) {
        *self = UnlockThrottle::default();
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod vault_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_grows_and_resets() {
        let mut t = UnlockThrottle::default();
        let now = Instant::now();
        for _ in 0..2 {
            t.failed(now);
            assert!(t.check(now).is_ok());
        }
        t.failed(now);
        match t.check(now) {
            Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 2),
            other => panic!("{other:?}"),
        }
        assert!(t.check(now + Duration::from_secs(3)).is_ok());
        t.failed(now);
        match t.check(now) {
            Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 4),
            other => panic!("{other:?}"),
        }
        for _ in 0..20 {
            t.failed(now);
        }
        match t.check(now) {
            Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 60),
            other => panic!("{other:?}"),
        }
        t.succeeded();
        assert!(t.check(now).is_ok());
    }
}
