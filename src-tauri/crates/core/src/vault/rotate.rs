//! Key rotation: a new data key for the whole vault, on every passphrase change and on demand
//! ("my passphrase may be known"). Re-wrapping the old key was not enough: anyone who kept an
//! old `vault.json` (a backup, a `vault.replaced-*` folder, a disk image) and learned the old
//! passphrase could decrypt every later copy of `vault.db` and forge its history.
//!
//! The steps, each safe to be killed after:
//! 1. the database is exported under the new key into `vault.db.rekey` (`sqlcipher_export`),
//!    the old audit key is kept in it (`audit_epochs`) and a rotation entry is appended, MAC'd
//!    by the new audit key over the old chain's last MAC; the copy's history is verified;
//! 2. the new header is written as `vault.json.rekey` (the new passphrase, the new key, the
//!    state carried over);
//! 3. `vault.db.rekey` is renamed over `vault.db`;
//! 4. `vault.json.rekey` is renamed over `vault.json`.
//!
//! Unlocking settles a rotation that was cut short ([`settle`]): with the new passphrase it
//! finishes it (steps 3 and 4; the copy is whole once its header exists), with the old one it
//! discards it if the live database is still the old one. The vault opens with the old or the
//! new passphrase at every point, never neither. The whole rotation holds the header lock, and
//! refuses to start while another connection has the database open.

use std::fs;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::header::{self, OnDisk, sync_dir};
use super::seal::{self, HeaderLock};
use super::slots::{Slot, TeamHeader};
use super::stop::{StopFlag, StopHandle, Stopper};
use super::{HEADER_FILE, KdfChoice, Vault, audit_key_from, check_passphrase_strength};
use crate::db::{self, DB_FILE};
use crate::error::{Error, Result};

pub const DB_REKEY_FILE: &str = "vault.db.rekey";
pub const HEADER_REKEY_FILE: &str = "vault.json.rekey";

/// Points after which a test may simulate a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RotateStep {
    Exported,
    HeaderWritten,
    DatabaseSwapped,
}

fn simulated_crash() -> Error {
    Error::Io(std::io::Error::other("simulated crash"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Removes a database file with its WAL and shared-memory files.
fn remove_db(path: &Path) {
    let _ = fs::remove_file(path);
    let _ = fs::remove_file(with_suffix(path, "-wal"));
    let _ = fs::remove_file(with_suffix(path, "-shm"));
}

impl Vault {
    /// Changes the member `handle`'s passphrase: a key rotation, their slot under the new
    /// passphrase, every other member's slot given the new key.
    pub fn change_passphrase(
        dir: &Path,
        handle: &str,
        old: &str,
        new: &str,
        kdf: KdfChoice,
    ) -> Result<()> {
        Self::rotate_key(dir, handle, old, new, kdf, &|_| {})
    }

    /// Gives the vault a new data key (and `new` as its passphrase, which may be the same as
    /// `old`), re-encrypting the whole database. `progress` hears the percentage copied. The
    /// vault must not be open anywhere (lock it first): refused with `vault_in_use` if it is.
    pub fn rotate_key(
        dir: &Path,
        handle: &str,
        old: &str,
        new: &str,
        kdf: KdfChoice,
        progress: &(dyn Fn(u8) + Sync),
    ) -> Result<()> {
        let turn = Turn {
            handle,
            old,
            new,
            kdf,
            removing: None,
            stop: None,
        };
        Self::rotate_steps(dir, &turn, progress, None).map(drop)
    }

    /// Removes the member `removed` from the team, as the coordinator `handle`: their slot
    /// goes, their row is marked removed, and the data key is rotated (the database
    /// re-encrypted), so their passphrase and any copy of the old header open nothing written
    /// after. The vault must not be open anywhere. The last coordinator cannot be removed, nor
    /// can one remove oneself. `stop` ends the re-encryption early (`stopped`; nobody removed).
    pub fn remove_member(
        dir: &Path,
        handle: &str,
        passphrase: &str,
        removed: &str,
        progress: &(dyn Fn(u8) + Sync),
        stop: Option<&StopHandle>,
    ) -> Result<()> {
        let turn = Turn {
            handle,
            old: passphrase,
            new: passphrase,
            kdf: KdfChoice::Fixed(super::team_kdf(dir)?),
            removing: Some(removed),
            stop,
        };
        Self::rotate_steps(dir, &turn, progress, None).map(drop)
    }

    /// [`Vault::rotate_key`], then the vault opened under its new key as `actor` (without
    /// deriving the new key again): how the app carries on after a change in its settings.
    /// `stop` ends the re-encryption early (`stopped`; the old passphrase and key kept).
    pub fn rotate_and_open(
        dir: &Path,
        old: &str,
        new: &str,
        kdf: KdfChoice,
        actor: &str,
        progress: &(dyn Fn(u8) + Sync),
        stop: Option<&StopHandle>,
    ) -> Result<Vault> {
        let turn = Turn {
            handle: actor,
            old,
            new,
            kdf,
            removing: None,
            stop,
        };
        let (held, key, handle, signer) = Self::rotate_steps(dir, &turn, progress, None)?;
        let (found, alone) = match OnDisk::read(dir)? {
            OnDisk::Team(h) => (h.open_state(&key)?, h.alone()),
            OnDisk::Single(_) => return Err(Error::HeaderDamaged("version")),
        };
        let sealer = super::seal::Sealer::new(dir, &key);
        let mut v = Self::open_with_key(dir, key, &handle)?;
        v.gate = std::sync::Arc::new(super::WriteGate::with_sealer(sealer));
        v.found = found;
        v.signer = signer;
        v.start_from_seal(&held)?;
        // The member carries on in their own role (the unlock before enrolled them).
        v.role = v.known_role(&handle, alone)?.ok_or(Error::Forbidden)?;
        Ok(v)
    }

    /// Whether `passphrase` opens the member `handle`'s slot (one key derivation; nothing
    /// opened).
    pub fn check_passphrase(dir: &Path, handle: &str, passphrase: &str) -> Result<()> {
        OnDisk::read(dir)?
            .open(handle, passphrase.as_bytes())
            .map(drop)
    }

    pub(crate) fn rotate_steps(
        dir: &Path,
        turn: &Turn<'_>,
        progress: &(dyn Fn(u8) + Sync),
        crash_after: Option<RotateStep>,
    ) -> Result<Rotated> {
        let Turn {
            handle,
            old,
            new,
            kdf,
            removing,
            stop,
        } = *turn;
        check_passphrase_strength(new)?;
        let held = HeaderLock::take(dir)?;
        settle(&held, dir, handle, old)?;
        let current = OnDisk::read(dir)?;
        let unsealed = current.open(handle, old.as_bytes())?;
        // A new key under the same passphrase, asked for on its own, is a coordinator's to
        // ask (a member's own new passphrase turns the key too; a removal checks its remover).
        if old == new && removing.is_none() {
            let conn = db::open_keyed(dir, &unsealed.data_key, false)?;
            let role = crate::members::role_in(&conn, &unsealed.handle)?;
            if role.is_some_and(|r| r != crate::codes::Role::Coordinator) {
                return Err(Error::Forbidden);
            }
        }
        let params = kdf.resolve()?;
        let state = unsealed.state.clone();
        let next_key = header::new_data_key()?;
        let copy = dir.join(DB_REKEY_FILE);
        remove_db(&copy);
        let exported = export_rekeyed(dir, &unsealed.data_key, &next_key, &copy, progress, stop);
        let tail = match exported
            .and_then(|()| add_rotation_entry(dir, &copy, &unsealed, &next_key, removing, stop))
        {
            Ok(tail) => tail,
            Err(e) => {
                remove_db(&copy);
                return Err(e);
            }
        };
        if crash_after == Some(RotateStep::Exported) {
            return Err(simulated_crash());
        }
        let state = seal::SealedState {
            writes: state.writes,
            ..tail
        };
        let next = next_header(current, &unsealed, new, params, &next_key, &state, removing)?;
        next.write_atomically_as(dir, HEADER_REKEY_FILE)?;
        if crash_after == Some(RotateStep::HeaderWritten) {
            return Err(simulated_crash());
        }
        finish(dir, crash_after)?;
        progress(100);
        let signer = unsealed
            .keys
            .as_ref()
            .map(|k| crate::audit::EntrySigner::new(&unsealed.handle, &k.signing));
        Ok((held, next_key, unsealed.actor, signer))
    }
}

/// The header after a rotation: every member's slot given the new key, the one who rotated
/// under their new passphrase, the state sealed under the new key. An older header becomes a
/// team of one.
fn next_header(
    current: OnDisk,
    opened: &header::Opened,
    new: &str,
    params: super::KdfParams,
    next_key: &header::DataKey,
    state: &seal::SealedState,
    removing: Option<&str>,
) -> Result<TeamHeader> {
    match (current, &opened.keys) {
        (OnDisk::Team(mut h), Some(keys)) => {
            if let Some(gone) = removing {
                h.remove(gone)?;
            }
            h.rewrap_all(next_key)?;
            h.slot_mut(&opened.handle)
                .ok_or(Error::NotFound)?
                .change_passphrase(keys, new.as_bytes(), params)?;
            h.seal_state(next_key, state)?;
            Ok(h)
        }
        _ => {
            let (slot, _) = Slot::new(&opened.handle, new.as_bytes(), params, false, next_key)?;
            TeamHeader::first(slot, next_key, state)
        }
    }
}

/// Who turns the key and why: the member `handle` with their passphrase `old`, their slot
/// under `new` afterwards (the same for a rotation on demand or a removal) at the cost `kdf`,
/// and the member `removing` taken out of the team.
#[derive(Clone, Copy)]
pub(crate) struct Turn<'a> {
    pub(crate) handle: &'a str,
    pub(crate) old: &'a str,
    pub(crate) new: &'a str,
    pub(crate) kdf: KdfChoice,
    pub(crate) removing: Option<&'a str>,
    /// Reaches the copy under the new key, which takes minutes on a large vault: a lock
    /// meanwhile ends it (the copy removed, the old key kept) rather than wait with both keys
    /// in memory.
    pub(crate) stop: Option<&'a StopHandle>,
}

/// What a finished rotation hands on: the header lock still held, the new data key, the
/// name the history records for the member who rotated, and their signing key.
type Rotated = (
    HeaderLock,
    header::DataKey,
    String,
    Option<crate::audit::EntrySigner>,
);

/// Steps 3 and 4: the copy over the database, then the next header over the header.
fn finish(dir: &Path, crash_after: Option<RotateStep>) -> Result<()> {
    let copy = dir.join(DB_REKEY_FILE);
    if copy.exists() {
        fs::rename(&copy, dir.join(DB_FILE))?;
        sync_dir(dir)?;
    }
    if crash_after == Some(RotateStep::DatabaseSwapped) {
        return Err(simulated_crash());
    }
    fs::rename(dir.join(HEADER_REKEY_FILE), dir.join(HEADER_FILE))?;
    sync_dir(dir)?;
    Ok(())
}

/// Step 1: the database under the new key, in `copy`. Opens the live database alone: if its
/// WAL is still there once this connection closed, someone else has it open.
fn export_rekeyed(
    dir: &Path,
    key: &header::DataKey,
    next_key: &header::DataKey,
    copy: &Path,
    progress: &(dyn Fn(u8) + Sync),
    stop: Option<&StopHandle>,
) -> Result<()> {
    let mut conn = db::open_keyed(dir, key, false)?;
    db::prepare(&mut conn)?;
    conn.close().map_err(|(_, e)| Error::Storage(e))?;
    if dir.join("vault.db-wal").exists() {
        return Err(Error::VaultInUse);
    }
    let conn = db::open_keyed(dir, key, false)?;
    // The vault's connection may not create files (it opens existing ones only): an empty
    // file is an empty database to SQLite.
    fs::File::create(copy)?;
    let total = fs::metadata(dir.join(DB_FILE))?.len();
    let files = [copy.to_owned()];
    crate::progress::telling_while(&files, total, 95, progress, || {
        attach_and_export(&conn, next_key, copy, stop)
    })?;
    conn.close().map_err(|(_, e)| Error::Storage(e))?;
    let file = fs::File::open(copy)?;
    file.sync_all()?;
    Ok(())
}

fn attach_and_export(
    conn: &rusqlite::Connection,
    next_key: &header::DataKey,
    copy: &Path,
    stop: Option<&StopHandle>,
) -> Result<()> {
    let flag = StopFlag::watching(conn)?;
    let stopper = Stopper::new(flag.clone(), conn);
    reachable(stop, stopper, || export_under_new_key(conn, next_key, copy))
        .map_err(|e| flag.explain(e))
}

/// Runs `f` with `stopper` as what `stop` reaches, when the caller gave a handle.
fn reachable<T>(stop: Option<&StopHandle>, stopper: Stopper, f: impl FnOnce() -> T) -> T {
    if let Some(stop) = stop {
        stop.set(Some(stopper));
    }
    let out = f();
    if let Some(stop) = stop {
        stop.set(None);
    }
    out
}

fn export_under_new_key(
    conn: &rusqlite::Connection,
    next_key: &header::DataKey,
    copy: &Path,
) -> Result<()> {
    let path = copy
        .to_str()
        .ok_or(Error::Io(std::io::Error::other("path")))?;
    let mut sql = Zeroizing::new(String::with_capacity(200));
    sql.push_str("ATTACH DATABASE '");
    sql.push_str(&path.replace('\'', "''"));
    sql.push_str("' AS rekeyed KEY \"x'");
    sql.push_str(&hex::encode(&next_key[..]));
    sql.push_str("'\";");
    conn.execute_batch(&sql)?;
    drop(sql);
    let exported = (|| -> Result<()> {
        conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
        let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        conn.execute_batch(&format!("PRAGMA rekeyed.user_version = {version};"))?;
        Ok(())
    })();
    conn.execute("DETACH DATABASE rekeyed", [])?;
    exported
}

/// Still step 1: in the copy, the old audit key kept for the history written under it, the
/// rotation entry, and the whole chain verified under the new key. Returns where it ends.
fn add_rotation_entry(
    dir: &Path,
    copy: &Path,
    opened: &header::Opened,
    next_key: &header::DataKey,
    removing: Option<&str>,
    stop: Option<&StopHandle>,
) -> Result<seal::SealedState> {
    let mut conn = db::open_keyed_file(copy, next_key, false)?;
    db::prepare(&mut conn)?;
    let mut v = Vault::over(dir, conn, next_key.clone(), "amparo")?;
    // The rotation's own entry is the app's, signed by the member who turned the key: who may
    // turn it was asked before.
    v.role = crate::codes::Role::Coordinator;
    v.signer = opened
        .keys
        .as_ref()
        .map(|k| crate::audit::EntrySigner::new(&opened.handle, &k.signing));
    let old_audit = audit_key_from(&opened.data_key)?;
    let until = crate::audit::head(&v.conn)?.map_or(0, |h| h.seq);
    v.write(|w| {
        w.execute(
            "INSERT INTO audit_epochs (until_seq, key) VALUES (?1, ?2)",
            rusqlite::params![until, &old_audit[..]],
        )?;
        w.record("rotate", "vault", "key", &[]);
        Ok(())
    })?;
    // A removal is written under the new key, by the coordinator who made it.
    if let Some(gone) = removing {
        v.actor = opened.actor.clone();
        v.role = v.member(&opened.handle)?.role;
        v.remove_member_row(&opened.handle, gone)?;
    }
    // The whole history's MACs, checked: about as long as the copy on a large vault.
    let report = reachable(stop, v.stopper(), || {
        crate::audit::verify_macs(&v.conn, &v.audit_key)
    })
    .map_err(|e| v.stop.explain(e))?;
    if report.first_bad_seq.is_some() {
        return Err(Error::VaultTampered);
    }
    let tail = seal::tail(&v.conn)?;
    let Vault { conn, .. } = v;
    conn.close().map_err(|(_, e)| Error::Storage(e))?;
    Ok(tail)
}

/// Settles a rotation cut short, before anything opens the vault (the caller holds the header
/// lock). With the passphrase of the next header, the copy is whole (its header is written only
/// after it): the rotation is finished. With the old passphrase, while the live database is
/// still the old one, the copy is discarded. Once the database was swapped, only the new
/// passphrase opens it: the old one is told it is wrong. (One or two extra key derivations,
/// only when a rotation was cut short.)
pub(crate) fn settle(_held: &HeaderLock, dir: &Path, handle: &str, passphrase: &str) -> Result<()> {
    let next = dir.join(HEADER_REKEY_FILE);
    let copy = dir.join(DB_REKEY_FILE);
    if !next.exists() {
        if copy.exists() {
            remove_db(&copy);
        }
        return Ok(());
    }
    let opens_next = match OnDisk::read_file(&next) {
        Ok(h) => h.open(handle, passphrase.as_bytes()).is_ok(),
        // Torn or unreadable: the rename never happened (writes are atomic), so treat as absent.
        Err(_) => {
            let _ = fs::remove_file(&next);
            remove_db(&copy);
            return Ok(());
        }
    };
    if opens_next {
        return finish(dir, None);
    }
    let opens_live = OnDisk::read(dir)?
        .open(handle, passphrase.as_bytes())
        .is_ok();
    if copy.exists() && opens_live {
        // The live database is still the old one: the old passphrase keeps it.
        let _ = fs::remove_file(&next);
        remove_db(&copy);
        return Ok(());
    }
    // A mistyped passphrase changes nothing; the old one, once the database was swapped,
    // no longer opens it.
    Err(Error::WrongPassphrase)
}
