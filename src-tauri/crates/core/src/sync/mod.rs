//! Several laptops, one clinic record, no server. Each laptop holds a replica of the vault
//! (its own device id); every change committed on one is captured at the one write path
//! (`capture`) and travels to the others in encrypted bundle files (`bundle`) through a
//! folder a file-sync engine keeps in step or a USB stick. Arriving changes merge by rules a
//! lawyer can defend (`merge`, `frontier`): new records never clash, different fields of one
//! record merge, the same field changed on two laptops (or a record deleted on one and edited
//! on another) goes to a review queue, never a silent last-writer-wins. `docs/sync.md` tells
//! the whole design.

mod bundle;
mod capture;
mod frontier;
mod keys;
mod merge;
mod review;
mod tables;
mod team;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

pub use review::{Clash, ClashVersion, Take};

use crate::dates::now_rfc3339;
use crate::error::{Error, ErrorCode, FieldCode, Result};
use crate::vault::Vault;
use capture::{Change, Me};

/// The ending of bundle files in a sync folder.
pub const BUNDLE_EXTENSION: &str = "amparo-sync";

/// One other laptop, as this one knows it.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Peer {
    pub device: String,
    pub name: String,
    /// When a bundle of theirs was last read here; none: never yet.
    pub seen_at: Option<String>,
}

/// Where this laptop stands.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct SyncStatus {
    pub device: String,
    pub name: String,
    /// Changes are recorded for other laptops (from the first "Add a laptop" on).
    pub enabled: bool,
    pub folder: Option<String>,
    /// Changes made on this laptop so far.
    pub made_here: f64,
    /// Changes held from every laptop.
    pub held: f64,
    pub peers: Vec<Peer>,
    /// Records waiting for review (clashes).
    pub to_review: u32,
}

/// A bundle written.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ExportReport {
    pub path: String,
    pub changes: u32,
    pub attachments: u32,
    pub size_bytes: f64,
}

/// A bundle read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct ImportReport {
    /// The laptop it came from (none: this laptop's own bundle, skipped).
    pub from: Option<String>,
    pub applied: u32,
    /// Changes this laptop held already.
    pub already_held: u32,
    /// Changes that need another first (they come again with the next bundle).
    pub waiting: u32,
    /// Records waiting for review after it.
    pub to_review: u32,
}

/// A seed for another laptop.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct SeedReport {
    pub path: String,
    pub device: String,
    pub size_bytes: f64,
}

fn new_device() -> Result<String> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|_| Error::Crypto("random"))?;
    Ok(hex::encode(b))
}

impl Vault {
    /// Whether this vault records its changes for other laptops.
    pub fn sync_enabled(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT enabled FROM sync_self WHERE only = 1", [], |r| {
                r.get(0)
            })?)
    }

    /// Installs the capture on this session when the vault is a replica (at unlock).
    pub(crate) fn attach_sync(&mut self) -> Result<()> {
        if self.sync_enabled()? {
            let tables = capture::install(&self.conn)?;
            self.hook = Some(Box::new(capture::Capture {
                tables,
                member: self.actor.clone(),
            }));
        }
        Ok(())
    }

    /// "Add a laptop": a coordinator writes a seed for a new laptop (the vault encrypted as in
    /// a backup, carrying a fresh device id), and this vault starts recording its changes.
    pub fn replica_seed(&mut self, path: &Path, name: &str) -> Result<SeedReport> {
        if !crate::permissions::may(self.role, "create", "replica", &[]) {
            return Err(Error::Forbidden);
        }
        let device = new_device()?;
        let name = name.trim().to_owned();
        let enabled = self.sync_enabled()?;
        let secret = keys::new_secret()?;
        self.write(|w| {
            keys::ensure(w)?;
            let holds: String =
                w.query_row("SELECT holds FROM sync_self WHERE only = 1", [], |r| r.get(0))?;
            w.execute(
                "UPDATE sync_self SET enabled = 1, seed_device = ?1, seed_name = ?2, seed_secret = ?3
                 WHERE only = 1",
                params![device, name, &secret[..]],
            )?;
            w.execute(
                "INSERT INTO sync_peers (device, name, holds, public) VALUES (?1, ?2, ?3, ?4)",
                params![device, name, holds, keys::public_of(&secret)],
            )?;
            Ok(())
        })?;
        if !enabled {
            self.attach_sync()?;
        }
        let written = self.write_copy(path);
        self.write(|w| {
            w.execute(
                "UPDATE sync_self SET seed_device = NULL, seed_name = NULL, seed_secret = NULL",
                [],
            )?;
            if written.is_ok() {
                w.record("export", "replica", &device, &[]);
            } else {
                w.execute("DELETE FROM sync_peers WHERE device = ?1", [&device])?;
            }
            Ok(())
        })?;
        Ok(SeedReport {
            path: path.display().to_string(),
            device,
            size_bytes: written? as f64,
        })
    }

    /// "Join a clinic vault": takes up a seed in `dir` (verified like a restored backup) and
    /// becomes the laptop it was made for.
    pub fn join_replica(seed: &Path, dir: &Path, passphrase: &str, actor: &str) -> Result<Vault> {
        let mut v = crate::backup::restore_seed(seed, dir, passphrase, actor)?;
        let joined = v.write(|w| {
            let seed: Seed = w.query_row(
                "SELECT device, name, holds, secret, seed_device, seed_name, seed_secret
                 FROM sync_self WHERE only = 1",
                [],
                |r| {
                    Ok(Seed {
                        origin: r.get(0)?,
                        origin_name: r.get(1)?,
                        holds: r.get(2)?,
                        origin_secret: zeroize::Zeroizing::new(
                            r.get::<_, Option<Vec<u8>>>(3)?.unwrap_or_default(),
                        ),
                        mine: r.get(4)?,
                        my_name: r.get(5)?,
                        my_secret: zeroize::Zeroizing::new(
                            r.get::<_, Option<Vec<u8>>>(6)?.unwrap_or_default(),
                        ),
                    })
                },
            )?;
            let (Some(mine), Ok(origin_secret)) =
                (seed.mine, <[u8; 32]>::try_from(seed.origin_secret.as_slice()))
            else {
                return Err(Error::BackupInvalid);
            };
            // The laptop the seed came from keeps its own secret: this one takes the one made
            // for it.
            w.execute(
                "UPDATE sync_self SET device = ?1, name = ?2, secret = ?3, seed_device = NULL,
                 seed_name = NULL, seed_secret = NULL, enabled = 1, folder = NULL WHERE only = 1",
                params![mine, seed.my_name.unwrap_or_default(), &seed.my_secret[..]],
            )?;
            w.execute("DELETE FROM sync_peers WHERE device = ?1", [&mine])?;
            w.execute(
                "INSERT INTO sync_peers (device, name, holds, seen_at, public) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (device) DO UPDATE SET holds = excluded.holds, seen_at = excluded.seen_at,
                     public = excluded.public",
                params![
                    seed.origin,
                    seed.origin_name,
                    seed.holds,
                    now_rfc3339(),
                    keys::public_of(&origin_secret)
                ],
            )?;
            Ok(())
        });
        if let Err(e) = joined {
            let _ = v.lock();
            let _ = fs::remove_dir_all(dir);
            return Err(e);
        }
        // The capture the seed's unlock installed named the laptop the seed came from.
        v.attach_sync()?;
        Ok(v)
    }

    fn device_public(&self) -> Result<Option<String>> {
        let secret: Option<Vec<u8>> =
            self.conn
                .query_row("SELECT secret FROM sync_self WHERE only = 1", [], |r| {
                    r.get(0)
                })?;
        let secret = zeroize::Zeroizing::new(secret.unwrap_or_default());
        Ok(<[u8; 32]>::try_from(secret.as_slice())
            .ok()
            .map(|s| keys::public_of(&s)))
    }

    /// "Remove a laptop" (coordinators), lost or retired: it gets nothing more, and a new sync
    /// key, sealed to every other laptop, takes over, so a bundle written from now on is one
    /// its copy cannot read.
    pub fn remove_replica(&mut self, device: &str) -> Result<()> {
        if !crate::permissions::may(self.role, "update", "replica", &[]) {
            return Err(Error::Forbidden);
        }
        let signer = self.signer.as_ref().ok_or(Error::Forbidden)?;
        let signer = crate::audit::EntrySigner::new(&signer.handle, &signer.key);
        let own = self.device_public()?.ok_or(Error::NotFound)?;
        let me: String =
            self.conn
                .query_row("SELECT device FROM sync_self WHERE only = 1", [], |r| {
                    r.get(0)
                })?;
        if device == me {
            return Err(Error::validation("device", FieldCode::CannotRemoveSelf));
        }
        self.write(|w| {
            let found = w.execute(
                "UPDATE sync_peers SET removed_at = ?2 WHERE device = ?1 AND removed_at IS NULL",
                params![device, now_rfc3339()],
            )?;
            if found == 0 {
                return Err(Error::NotFound);
            }
            let mut keep: Vec<(String, String)> = {
                let mut stmt = w.prepare(
                    "SELECT device, public FROM sync_peers WHERE removed_at IS NULL AND public IS NOT NULL",
                )?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            keep.push((me.clone(), own.clone()));
            keys::rotate(w, &signer, &keep)?;
            w.record("update", "replica", device, &["removed"]);
            Ok(())
        })
    }

    /// Names this laptop (shown to the others).
    pub fn set_device_name(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if name.chars().count() > 80 {
            return Err(Error::validation("name", FieldCode::TooLong));
        }
        self.write(|w| {
            w.execute("UPDATE sync_self SET name = ?1 WHERE only = 1", [name])?;
            Ok(())
        })
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let (device, name, enabled, folder, counter): (String, String, bool, Option<String>, i64) =
            self.conn.query_row(
                "SELECT device, name, enabled, folder, counter FROM sync_self WHERE only = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        let me = Me::read(&self.conn)?;
        let mut stmt = self.conn.prepare(
            "SELECT device, name, seen_at FROM sync_peers WHERE removed_at IS NULL ORDER BY name, device",
        )?;
        let peers = stmt
            .query_map([], |r| {
                Ok(Peer {
                    device: r.get(0)?,
                    name: r.get(1)?,
                    seen_at: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(SyncStatus {
            device,
            name,
            enabled,
            folder,
            made_here: counter as f64,
            held: me.holds.values().sum::<u64>() as f64,
            peers,
            to_review: self.sync_clashes()?.len() as u32,
        })
    }

    /// A digest of every travelling row and of the clashes waiting for review: the same on
    /// laptops that hold the same changes.
    pub fn sync_digest(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for cols in tables::all(&self.conn)? {
            h.update(cols.table.name.as_bytes());
            for row in cols.all_rows(&self.conn)? {
                h.update(row.as_bytes());
                h.update([0]);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT tbl || ' ' || key || ' ' || col || ' ' || frontier FROM sync_fields
             WHERE clash = 1 ORDER BY tbl, key, col",
        )?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            h.update(row?.as_bytes());
        }
        Ok(hex::encode(h.finalize()))
    }

    /// The bundle for the other laptops: every change held here that one of them may lack.
    pub fn sync_bundle(&self) -> Result<(Vec<u8>, ExportReport)> {
        let me = Me::read(&self.conn)?;
        let peers: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT holds FROM sync_peers WHERE removed_at IS NULL")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let peers: Vec<BTreeMap<String, u64>> = peers
            .iter()
            .map(|h| serde_json::from_str(h).unwrap_or_default())
            .collect();
        let mut changes = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT counter, hlc, member, deps, body FROM sync_log WHERE device = ?1 AND counter > ?2
             ORDER BY counter",
        )?;
        for device in me.holds.keys() {
            let from = peers
                .iter()
                .map(|p| p.get(device).copied().unwrap_or(0))
                .min()
                .unwrap_or(0);
            let rows = stmt.query_map(params![device, from as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?;
            for row in rows {
                let (n, h, m, deps, body) = row?;
                let (rows, entries) =
                    serde_json::from_str(&body).map_err(|_| Error::Crypto("sync log"))?;
                changes.push(Change {
                    d: device.clone(),
                    n: n as u64,
                    h: h as u64,
                    m,
                    deps: serde_json::from_str(&deps).map_err(|_| Error::Crypto("sync log"))?,
                    rows,
                    entries,
                });
            }
        }
        let blobs = self.bundle_blobs(&changes)?;
        let name: String =
            self.conn
                .query_row("SELECT name FROM sync_self WHERE only = 1", [], |r| {
                    r.get(0)
                })?;
        let mut listed: Vec<(String, usize)> =
            blobs.iter().map(|(k, v)| (k.clone(), v.len())).collect();
        listed.sort();
        let contents = bundle::Contents {
            from: me.device.clone(),
            name,
            made_at: now_rfc3339(),
            holds: me.holds.clone(),
            changes,
            blobs: listed,
            slots: self.team_slots()?,
            public: self.device_public()?,
            schema: crate::db::latest_schema_version(),
        };
        let key = keys::current(&self.conn)?;
        let bytes = bundle::seal(&key, &contents, &blobs, keys::all_rekeys(&self.conn)?)?;
        let report = ExportReport {
            path: String::new(),
            changes: contents.changes.len() as u32,
            attachments: contents.blobs.len() as u32,
            size_bytes: bytes.len() as f64,
        };
        Ok((bytes, report))
    }

    fn bundle_blobs(&self, changes: &[Change]) -> Result<merge::Blobs> {
        let mut blobs = merge::Blobs::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT content FROM attachments WHERE sha256 = ?1 LIMIT 1")?;
        for row in changes.iter().flat_map(|c| &c.rows) {
            if row.t != "attachments" || row.op != capture::Op::Insert {
                continue;
            }
            let Some(sha) = row.cols.get("sha256").and_then(|v| v.as_str()) else {
                continue;
            };
            if blobs.contains_key(sha) {
                continue;
            }
            if let Some(bytes) = stmt
                .query_row([sha], |r| r.get::<_, Vec<u8>>(0))
                .optional()?
            {
                blobs.insert(sha.to_owned(), bytes);
            }
        }
        Ok(blobs)
    }

    /// "Export changes…": the bundle written to `path` atomically.
    pub fn sync_export(&self, path: &Path) -> Result<ExportReport> {
        let (bytes, mut report) = self.sync_bundle()?;
        // Beside its name, synced, renamed (a reader never sees half of it); never into the
        // vault's own folder.
        self.write_export(path, &bytes)?;
        report.path = path.display().to_string();
        Ok(report)
    }

    /// "Import changes…": a bundle read whole, then applied in one transaction (all of it or,
    /// if anything fails or the process dies, none). Importing it again changes nothing.
    pub fn sync_import(&mut self, path: &Path) -> Result<ImportReport> {
        let bytes = fs::read(path)?;
        self.sync_import_bytes(&bytes)
    }

    pub fn sync_import_bytes(&mut self, bytes: &[u8]) -> Result<ImportReport> {
        let sealed = bundle::read(bytes)?;
        if !self.sync_enabled()? {
            return Err(Error::BundleForeign);
        }
        let mut me = Me::read(&self.conn)?;
        let tables = tables::all(&self.conn)?;
        let mut report = ImportReport::default();
        let mut slots = Vec::new();
        // A lock stops a long import between two changes; all of it is rolled back.
        let stop = self.stop.clone();
        self.write(|w| {
            keys::take_rekeys(w, sealed.rekeys())?;
            let key = keys::by_id(w, sealed.key_id())?.ok_or(Error::BundleForeign)?;
            let (contents, blobs) = sealed.open(&key)?;
            if contents.from == me.device {
                return Ok(());
            }
            let supported = crate::db::latest_schema_version();
            if contents.schema > supported {
                // Made by a newer app: its rows may hold fields this one would drop.
                return Err(Error::SchemaTooNew {
                    found: contents.schema,
                    supported,
                });
            }
            let removed: bool = w.query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_peers WHERE device = ?1 AND removed_at IS NOT NULL)",
                [&contents.from],
                |r| r.get(0),
            )?;
            if removed {
                // A removed laptop's copy may be in anyone's hands: nothing more from it.
                return Err(Error::BundleForeign);
            }
            report.from = Some(contents.from.clone());
            let mut changes = contents.changes;
            changes.sort_by(|a, b| (a.h, &a.d, a.n).cmp(&(b.h, &b.d, b.n)));
            // What applying touches is the other laptops' changes, not one of this laptop's.
            w.execute("INSERT INTO temp.sync_quiet VALUES (1)", [])?;
            // The rows are indexed for search once, after the last change.
            let mut index = crate::search::Paused::start(w)?;
            let mut pending: Vec<&Change> = changes.iter().collect();
            loop {
                let before = pending.len();
                let mut waiting = Vec::new();
                for ch in pending {
                    stop.check()?;
                    match merge::fit(&me, ch) {
                        merge::Fit::Held => report.already_held += 1,
                        merge::Fit::Waiting => waiting.push(ch),
                        merge::Fit::Ready => {
                            merge::apply(w, &mut me, &tables, ch, &blobs, &mut index)?;
                            report.applied += 1;
                        }
                    }
                }
                pending = waiting;
                if pending.is_empty() || pending.len() == before {
                    break;
                }
            }
            report.waiting = pending.len() as u32;
            index.resume(w)?;
            w.execute("DELETE FROM temp.sync_quiet", [])?;
            me.save(w)?;
            let holds = capture::json(&contents.holds)?;
            w.execute(
                "INSERT INTO sync_peers (device, name, seen_at, holds, public) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (device) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at,
                     holds = excluded.holds, public = coalesce(excluded.public, public)",
                params![contents.from, contents.name, now_rfc3339(), holds, contents.public],
            )?;
            slots = contents.slots;
            Ok(())
        })?;
        self.merge_slots(&slots)?;
        report.to_review = self.sync_clashes()?.len() as u32;
        Ok(report)
    }

    /// The folder this laptop's bundles go to (and the others' are read from); none: by hand.
    pub fn set_sync_folder(&mut self, folder: Option<&Path>) -> Result<()> {
        let folder = match folder {
            Some(f) if !f.is_dir() => {
                return Err(Error::validation("folder", FieldCode::PathUnusable));
            }
            Some(f) => Some(
                f.to_str()
                    .ok_or_else(|| Error::validation("folder", FieldCode::PathUnusable))?
                    .to_owned(),
            ),
            None => None,
        };
        self.write(|w| {
            w.execute("UPDATE sync_self SET folder = ?1 WHERE only = 1", [folder])?;
            Ok(())
        })
    }

    /// One round with the sync folder: every other laptop's bundle found there is imported
    /// (a damaged or foreign one is skipped, its name and error reported), then this laptop's
    /// own bundle is written there as `<device>.amparo-sync`.
    pub fn sync_folder_round(&mut self) -> Result<FolderRound> {
        let status = self.sync_status()?;
        let Some(folder) = status.folder.map(PathBuf::from) else {
            return Ok(FolderRound::default());
        };
        let mut round = FolderRound::default();
        let mine = own_bundle_name(&status.device);
        let mut names: Vec<PathBuf> = fs::read_dir(&folder)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == BUNDLE_EXTENSION))
            .filter(|p| p.file_name().is_some_and(|n| n != mine.as_str()))
            .collect();
        names.sort();
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS sync_read (file TEXT PRIMARY KEY, stamp TEXT NOT NULL)",
        )?;
        for path in names {
            let stamp = file_stamp(&path);
            if self.read_before(&path, &stamp)? {
                round.unchanged += 1;
                continue;
            }
            match self.sync_import(&path).map_err(|e| self.stop.explain(e)) {
                Ok(r) => {
                    round.applied += r.applied;
                    round.waiting += r.waiting;
                    // A bundle with changes still waiting is read again next round: what they
                    // wait for may have come meanwhile.
                    if r.waiting == 0 {
                        self.conn.execute(
                            "INSERT OR REPLACE INTO temp.sync_read (file, stamp) VALUES (?1, ?2)",
                            params![path.to_string_lossy(), stamp],
                        )?;
                    }
                }
                // Stopped by a lock: the round ends here, the bundle is read next time.
                Err(e) if e.kind() == ErrorCode::Stopped => return Err(e),
                Err(e) => round.refused.push(RefusedBundle {
                    file: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    code: e.kind(),
                }),
            }
        }
        let written = self.sync_export(&folder.join(&mine))?;
        round.written = written.changes;
        round.to_review = self.sync_clashes()?.len() as u32;
        Ok(round)
    }

    /// Half a round, as locking does it: this laptop's own bundle written to the sync folder,
    /// nothing read from it, so that a lock never waits on the other laptops' bundles (the
    /// next unlock reads them). `None` without a folder; otherwise the changes the bundle
    /// carries.
    pub fn sync_folder_send(&self) -> Result<Option<u32>> {
        let status = self.sync_status()?;
        let Some(folder) = status.folder.map(PathBuf::from) else {
            return Ok(None);
        };
        // A folder that is gone (a stick taken out) cannot be reached, as in a round; not a
        // path refused.
        fs::metadata(&folder)?;
        let written = self.sync_export(&folder.join(own_bundle_name(&status.device)))?;
        Ok(Some(written.changes))
    }
}

/// This laptop's bundle in the sync folder.
fn own_bundle_name(device: &str) -> String {
    format!("{device}.{BUNDLE_EXTENSION}")
}

/// A bundle file's size and modification time: a bundle with the same stamp as when it was
/// read whole in this session is not read again.
fn file_stamp(path: &Path) -> String {
    fs::metadata(path)
        .map(|m| {
            let at = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{at}", m.len())
        })
        .unwrap_or_default()
}

impl Vault {
    fn read_before(&self, path: &Path, stamp: &str) -> Result<bool> {
        let seen: Option<String> = self
            .conn
            .query_row(
                "SELECT stamp FROM temp.sync_read WHERE file = ?1",
                [path.to_string_lossy()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(!stamp.is_empty() && seen.as_deref() == Some(stamp))
    }
}

/// What a round with the sync folder did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct FolderRound {
    pub applied: u32,
    pub waiting: u32,
    /// Bundles unchanged since this session last read them whole: not read again.
    pub unchanged: u32,
    pub written: u32,
    pub to_review: u32,
    pub refused: Vec<RefusedBundle>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct RefusedBundle {
    pub file: String,
    pub code: crate::error::ErrorCode,
}

/// After a restore: a replica takes a new device id (its changes so far keep theirs). A seed
/// being joined is not one: it takes the id made for it.
pub(crate) fn restored(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute(
        "UPDATE sync_self SET device = ?1, counter = 0
         WHERE only = 1 AND enabled = 1 AND seed_device IS NULL",
        [new_device()?],
    )?;
    Ok(())
}

/// What a seed's copy of `sync_self` holds when a laptop joins from it.
struct Seed {
    origin: String,
    origin_name: String,
    holds: String,
    origin_secret: zeroize::Zeroizing<Vec<u8>>,
    mine: Option<String>,
    my_name: Option<String>,
    my_secret: zeroize::Zeroizing<Vec<u8>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KdfChoice, KdfParams};

    #[test]
    fn a_bundle_from_a_newer_app_is_refused_whole() {
        let tmp = tempfile::tempdir().expect("tmp");
        let fast = KdfChoice::Fixed(KdfParams::MINIMUM);
        let mut a = Vault::create(&tmp.path().join("a"), "correct horse battery", fast, "AR")
            .expect("create");
        let seed = tmp.path().join("seed");
        a.replica_seed(&seed, "b").expect("seed");
        let mut b =
            Vault::join_replica(&seed, &tmp.path().join("b"), "correct horse battery", "AR")
                .expect("join");
        a.create_client(&crate::clients::ClientInput {
            given_names: "Nora".into(),
            family_names: "Ruiz".into(),
            ..Default::default()
        })
        .expect("client");
        let (bytes, _) = a.sync_bundle().expect("bundle");
        let key = keys::current(&a.conn).expect("key");
        let (mut contents, blobs) = bundle::read(&bytes)
            .and_then(|s| s.open(&key))
            .expect("open");
        contents.schema = crate::db::latest_schema_version() + 1;
        let newer = bundle::seal(&key, &contents, &blobs, Vec::new()).expect("seal");
        let before = b.sync_digest().expect("digest");
        assert!(matches!(
            b.sync_import_bytes(&newer),
            Err(Error::SchemaTooNew { .. })
        ));
        assert_eq!(b.sync_digest().expect("digest"), before);
        // The same changes from an app of this version go in.
        assert_eq!(b.sync_import_bytes(&bytes).expect("import").applied, 1);
    }
}
