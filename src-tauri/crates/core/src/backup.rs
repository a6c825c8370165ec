//! Encrypted backups: one file holding the vault's header (the wrapped key) and a consistent
//! SQLCipher copy of its database, made by `sqlcipher_export` under the same key while the
//! vault stays open (never a copy of the live file). Restoring writes a new vault from it,
//! opens it with the passphrase and verifies it before anything else happens.
//!
//! File layout: `AMPARO-BACKUP-1\n`, the header's length (u32, little-endian), the header
//! (vault.json as written), then the database file (SQLCipher pages: ciphertext).

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dates::now_rfc3339;
use crate::error::{Error, FieldCode, Result};
use crate::vault::Vault;

const MAGIC: &[u8] = b"AMPARO-BACKUP-1\n";
const MAX_HEADER: u32 = 64 * 1024;
const LAST_BACKUP_KEY: &str = "last_backup";

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct BackupInfo {
    pub path: String,
    pub size_bytes: f64,
    pub at: String,
}

/// Whether it is time to make a backup.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct BackupStatus {
    pub last_backup_at: Option<String>,
    /// Whole days since the last backup (or since the vault's first record, if none yet).
    pub days_since: Option<u32>,
    pub reminder_due: bool,
}

/// What a restore found: the new vault's checks.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct RestoreReport {
    pub audit_entries: u32,
    pub integrity_ok: bool,
}

fn partial(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".partial");
    PathBuf::from(p)
}

impl Vault {
    /// Writes the vault's header and a consistent encrypted copy of its database to `path`,
    /// atomically (a backup, or a replica seed). Returns the file's size.
    pub(crate) fn write_copy(&self, path: &Path) -> Result<u64> {
        self.write_copy_telling(path, &|_| {})
    }

    /// [`Vault::write_copy`], telling `progress` how far it got (0–100, never backwards): the
    /// copy's files measured against twice the database (exported once, then copied into the
    /// backup file) every 200 ms. A large vault takes half a minute.
    fn write_copy_telling(&self, path: &Path, progress: &(dyn Fn(u8) + Sync)) -> Result<u64> {
        let total = fs::metadata(self.dir().join(crate::db::DB_FILE))
            .map_or(1, |m| m.len())
            .max(1)
            * 2;
        let files = [partial(path).with_extension("db-partial"), partial(path)];
        let result = crate::progress::telling_while(&files, total, 99, progress, || {
            self.write_copy_now(path)
        });
        if result.is_ok() {
            progress(100);
        }
        result
    }

    fn write_copy_now(&self, path: &Path) -> Result<u64> {
        // A lock waiting to happen: no copy begun.
        self.stop.check()?;
        let header = fs::read(self.dir().join(crate::vault::HEADER_FILE))?;
        let db_tmp = partial(path).with_extension("db-partial");
        let _ = fs::remove_file(&db_tmp);
        // The vault's connection may not create files (it opens existing ones only): an
        // empty file is an empty database to SQLite.
        fs::File::create(&db_tmp)?;
        // Whatever cuts the copy short (a stop for a lock, a full disk) leaves no file.
        if let Err(e) = self.export_into(&db_tmp) {
            let _ = fs::remove_file(&db_tmp);
            return Err(self.stop.explain(e));
        }
        let tmp = partial(path);
        let result = (|| -> Result<u64> {
            let mut out = fs::File::create(&tmp)?;
            out.write_all(MAGIC)?;
            out.write_all(&(header.len() as u32).to_le_bytes())?;
            out.write_all(&header)?;
            let mut db = fs::File::open(&db_tmp)?;
            let n = crate::vault::stop::copy_unless_stopped(&mut db, &mut out, &self.stop)?;
            out.sync_all()?;
            drop(out);
            fs::rename(&tmp, path)?;
            Ok(n + MAGIC.len() as u64 + 4 + header.len() as u64)
        })();
        let _ = fs::remove_file(&db_tmp);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// The database copied into the (empty) file `db_tmp` under the vault's own key, with its
    /// schema version. Attached without a KEY clause, the copy is keyed with the vault's own
    /// key: ciphertext on disk from its first page. `sqlcipher_export` reads one consistent
    /// snapshot, so writers on other connections may carry on.
    fn export_into(&self, db_tmp: &Path) -> Result<()> {
        let path_str = db_tmp
            .to_str()
            .ok_or_else(|| Error::validation("path", FieldCode::PathUnusable))?;
        self.conn
            .execute("ATTACH DATABASE ?1 AS amparo_backup", [path_str])?;
        let exported = (|| -> Result<()> {
            self.conn
                .query_row("SELECT sqlcipher_export('amparo_backup')", [], |_| Ok(()))?;
            let version: i64 = self
                .conn
                .query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
            self.conn
                .execute_batch(&format!("PRAGMA amparo_backup.user_version = {version};"))?;
            Ok(())
        })();
        let detached = self.conn.execute("DETACH DATABASE amparo_backup", []);
        exported?;
        detached?;
        Ok(())
    }

    /// Writes an encrypted backup of the open vault to `path` (the user's choice), atomically:
    /// a half-written backup never carries the final name. Records the backup in the audit
    /// trail and as the vault's last backup.
    pub fn backup_to(&mut self, path: &Path) -> Result<BackupInfo> {
        self.backup_telling(path, &|_| {})
    }

    /// [`Vault::backup_to`], telling `progress` how far the copy got (0–100).
    pub fn backup_telling(
        &mut self,
        path: &Path,
        progress: &(dyn Fn(u8) + Sync),
    ) -> Result<BackupInfo> {
        // Asked before the copy is made: a role that may not back up writes no file.
        if !crate::permissions::may(self.role, "export", "backup", &[]) {
            return Err(Error::Forbidden);
        }
        let size = self.write_copy_telling(path, progress)?;
        let at = now_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                rusqlite::params![LAST_BACKUP_KEY, serde_json::json!(at).to_string()],
            )?;
            tx.record("export", "backup", "vault", &[]);
            Ok(())
        })?;
        Ok(BackupInfo {
            path: path.display().to_string(),
            size_bytes: size as f64,
            at,
        })
    }

    /// Whether the backup reminder is due at `now`: never backed up and the vault holds
    /// records older than the reminder period, or the last backup is older than that.
    pub fn backup_status(&self, now: chrono::DateTime<chrono::Utc>) -> Result<BackupStatus> {
        let last = self.last_backup_at()?;
        let since = match &last {
            Some(at) => Some(at.clone()),
            None => crate::audit::first_at(&self.conn)?,
        };
        let days_since = since
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| {
                u32::try_from((now - t.with_timezone(&chrono::Utc)).num_days().max(0))
                    .unwrap_or(u32::MAX)
            });
        let every = self.settings()?.backup_reminder_days;
        Ok(BackupStatus {
            reminder_due: every > 0 && days_since.is_some_and(|d| d >= every),
            last_backup_at: last,
            days_since,
        })
    }

    /// When the last backup was made (RFC 3339), if ever.
    pub fn last_backup_at(&self) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        let raw: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [LAST_BACKUP_KEY],
                |r| r.get(0),
            )
            .optional()?;
        Ok(raw.and_then(|r| serde_json::from_str(&r).ok()))
    }
}

/// Restores a backup into `dir` (which must not hold a vault), then opens it with
/// `passphrase` and verifies its pages and audit chain. A backup that is not one, is cut
/// short or does not verify leaves nothing behind.
pub fn restore(
    backup: &Path,
    dir: &Path,
    passphrase: &str,
    actor: &str,
) -> Result<(Vault, RestoreReport)> {
    let (mut v, report) = restore_verified(backup, dir, passphrase, actor, true)?;
    v.record_restore(None)?;
    Ok((v, report))
}

/// A replica seed taken up in `dir`: restored and verified like a backup, by any member (a
/// coordinator made the seed for this laptop).
pub(crate) fn restore_seed(
    seed: &Path,
    dir: &Path,
    passphrase: &str,
    actor: &str,
) -> Result<Vault> {
    let (mut v, _) = restore_verified(seed, dir, passphrase, actor, false)?;
    v.record_restore(None)?;
    Ok(v)
}

/// Writes the backup's header and database into `dir`, opens and fully checks them.
fn restore_verified(
    backup: &Path,
    dir: &Path,
    passphrase: &str,
    actor: &str,
    ask_right: bool,
) -> Result<(Vault, RestoreReport)> {
    if crate::vault::exists(dir) {
        return Err(Error::VaultExists);
    }
    let mut f = fs::File::open(backup)?;
    let mut magic = vec![0u8; MAGIC.len()];
    f.read_exact(&mut magic).map_err(|_| Error::BackupInvalid)?;
    if magic != MAGIC {
        return Err(Error::BackupInvalid);
    }
    let mut len = [0u8; 4];
    f.read_exact(&mut len).map_err(|_| Error::BackupInvalid)?;
    let len = u32::from_le_bytes(len);
    if len == 0 || len > MAX_HEADER {
        return Err(Error::BackupInvalid);
    }
    let mut header = vec![0u8; len as usize];
    f.read_exact(&mut header)
        .map_err(|_| Error::BackupInvalid)?;
    let created_dir = !dir.exists();
    fs::create_dir_all(dir)?;
    let cleanup = |dir: &Path| {
        let _ = fs::remove_file(dir.join(crate::vault::HEADER_FILE));
        let _ = fs::remove_file(dir.join(crate::vault::seal::HEADER_LOCK_FILE));
        let _ = fs::remove_file(dir.join(crate::db::DB_FILE));
        for suffix in ["-wal", "-shm"] {
            let mut p = dir.join(crate::db::DB_FILE).into_os_string();
            p.push(suffix);
            let _ = fs::remove_file(p);
        }
        if created_dir {
            let _ = fs::remove_dir(dir);
        }
    };
    let written = (|| -> Result<()> {
        let mut db = fs::File::create(dir.join(crate::db::DB_FILE))?;
        std::io::copy(&mut f, &mut db)?;
        db.sync_all()?;
        fs::write(dir.join(crate::vault::HEADER_FILE), &header)?;
        Ok(())
    })();
    if let Err(e) = written {
        cleanup(dir);
        return Err(e);
    }
    let opened = Vault::unlock(dir, passphrase, actor).and_then(|v| {
        let report = v.full_check()?;
        let entries = report.chain.as_ref().map_or(0, |c| c.entries);
        if !report.holds() {
            let _ = v.lock();
            return Err(Error::VaultDamaged);
        }
        // Asked before anything takes the backup's place (a damaged backup is told so first):
        // a member who may not restore leaves no files behind.
        if ask_right && !crate::permissions::may(v.role(), "restore", "vault", &[]) {
            let _ = v.lock();
            return Err(Error::Forbidden);
        }
        Ok((
            v,
            RestoreReport {
                audit_entries: entries,
                integrity_ok: true,
            },
        ))
    });
    match opened {
        Ok(ok) => Ok(ok),
        Err(e) => {
            cleanup(dir);
            Err(match e {
                Error::VaultDamaged | Error::HeaderDamaged(_) => Error::BackupInvalid,
                other => other,
            })
        }
    }
}

/// [`restore`] into `dir` even if a vault is there, when `move_existing_aside` is set. The
/// backup is restored and verified in a sibling folder first; only then is the existing folder
/// renamed to `<dir>.replaced-<time>` (never deleted) and the sibling renamed into its place.
/// A restore that fails or is killed leaves the live folder as it was. Returns where the
/// previous vault went.
pub fn restore_replacing(
    backup: &Path,
    dir: &Path,
    passphrase: &str,
    actor: &str,
    move_existing_aside: bool,
) -> Result<(Vault, RestoreReport, Option<PathBuf>)> {
    let occupied = dir.exists() && fs::read_dir(dir)?.next().is_some();
    if !occupied {
        let (v, report) = restore(backup, dir, passphrase, actor)?;
        return Ok((v, report, None));
    }
    if !move_existing_aside {
        return Err(Error::VaultExists);
    }
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let staging = PathBuf::from(format!("{}.restoring-{stamp}", dir.display()));
    let aside = PathBuf::from(format!("{}.replaced-{stamp}", dir.display()));
    let replaced = replaced_tail(dir, actor, passphrase);
    let (mut v, report) = restore_verified(backup, &staging, passphrase, actor, true)?;
    v.record_restore(replaced.as_ref())?;
    let parked = v.park()?;
    let moved = (|| -> Result<()> {
        fs::rename(dir, &aside)?;
        if let Err(e) = fs::rename(&staging, dir) {
            let _ = fs::rename(&aside, dir);
            return Err(e.into());
        }
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::vault::sync_dir(parent)?;
        }
        Ok(())
    })();
    if let Err(e) = moved {
        drop(parked);
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok((parked.reopen(dir)?, report, Some(aside)))
}

/// Where the history of the vault about to be replaced ended at its last seal, when its
/// header opens for the same member with the same passphrase (the usual case: the same
/// vault's older backup).
fn replaced_tail(
    dir: &Path,
    handle: &str,
    passphrase: &str,
) -> Option<crate::vault::seal::SealedState> {
    let header = crate::vault::header::OnDisk::read(dir).ok()?;
    Some(header.open(handle, passphrase.as_bytes()).ok()?.state)
}
