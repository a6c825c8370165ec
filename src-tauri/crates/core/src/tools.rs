//! What the seeding and benchmark tools (the `amparo-tools` crate) need from inside the vault,
//! compiled only with the `tools` feature: the app never enables it, so the shipped binary
//! holds no function that writes a plaintext copy of a vault.
//!
//! A plain copy is refused unless the vault was filled by the seeder, which marks it
//! synthetic: real case data is never written unencrypted, even by a developer's mistake.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use zeroize::Zeroizing;

use crate::db;
use crate::error::{Error, Result};
use crate::vault::Vault;

/// The settings key the seeder sets: this vault holds synthetic data only.
const SYNTHETIC_KEY: &str = "synthetic_vault";

impl Vault {
    /// Marks the vault as holding synthetic data (the seeder calls this before it writes).
    /// Refused on a vault that already holds clients not made by the seeder.
    pub fn mark_synthetic(&mut self) -> Result<()> {
        if self.is_synthetic()? {
            return Ok(());
        }
        let clients: i64 = self
            .conn
            .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?;
        if clients > 0 {
            return Err(Error::NotSynthetic);
        }
        self.write(|w| {
            w.execute(
                "INSERT INTO settings (key, value) VALUES (?1, 'true')",
                [SYNTHETIC_KEY],
            )?;
            w.record("update", "settings", SYNTHETIC_KEY, &[]);
            Ok(())
        })
    }

    /// Whether the seeder made this vault.
    pub fn is_synthetic(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [SYNTHETIC_KEY],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .is_some_and(|v| v == "true"))
    }

    /// Writes an unencrypted copy of the whole vault to `path` with `sqlcipher_export`, for
    /// the benchmark's "same code on plain SQLite" column. Refused unless the vault is
    /// synthetic, and if `path` exists.
    pub fn export_plain_copy_for_bench(&self, path: &Path) -> Result<()> {
        if !self.is_synthetic()? {
            return Err(Error::NotSynthetic);
        }
        if path.exists() {
            return Err(Error::Io(std::io::Error::other(
                "the plain copy already exists",
            )));
        }
        let p = path
            .to_str()
            .ok_or(Error::Io(std::io::Error::other("path")))?;
        // The vault's connection may not create files, so ATTACH cannot either: make the empty
        // database first.
        Connection::open(path)?.execute_batch("PRAGMA user_version = 0")?;
        self.conn
            .execute("ATTACH DATABASE ?1 AS plain KEY ''", [p])?;
        self.conn
            .query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))?;
        self.conn.execute_batch("DETACH DATABASE plain")?;
        // sqlcipher_export copies the data, not the schema version: without it the copy
        // would look like a new database to the migrations.
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Connection::open(path)?.pragma_update(None, "user_version", version)?;
        Ok(())
    }

    /// A `Vault` over a plain copy, so the same code runs on both in a benchmark. Zero keys
    /// and a signing key made up for the run: its audit entries mean nothing, but each is
    /// signed as an unlocked member's is, so the two columns differ by the encryption alone.
    pub fn over_plain_for_bench(path: &Path) -> Result<Vault> {
        let mut conn = Connection::open(path)?;
        db::prepare(&mut conn)?;
        let mut v = Vault::from_parts(
            path.parent().unwrap_or(path),
            conn,
            Zeroizing::new([0; 32]),
            "bench",
        );
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut seed[..]).map_err(|_| Error::Crypto("rng"))?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        v.signer = Some(crate::audit::EntrySigner::new("bench", &key));
        Ok(v)
    }

    /// Read-only queries the benchmark makes to pick its inputs and count records.
    pub fn connection_for_tools(&self) -> &Connection {
        &self.conn
    }

    /// For bulk seeding only: skip the per-commit fsync. Turned back off when done.
    pub fn bulk_mode(&mut self, on: bool) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", if on { "OFF" } else { "FULL" })?;
        Ok(())
    }

    /// Adds fear-screening notes in one change (each audited), for the search benchmark's
    /// million-note vault: `(client id, day, notes)`.
    pub fn add_screening_notes(&mut self, notes: &[(String, String, String)]) -> Result<()> {
        let now = crate::dates::now_rfc3339();
        self.write(|w| {
            for (client, day, text) in notes {
                let id = crate::records::new_id();
                w.execute(
                    "INSERT INTO screenings (id, client_id, screened_on, fear_expressed_to,
                       interview_held, outcome, notes, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'cbp_officer', 0, 'returned_to_mexico', ?4, ?5, ?5)",
                    rusqlite::params![id, client, day, text, now],
                )?;
                w.record("create", "screening", &id, &[]);
            }
            Ok(())
        })
    }

    /// Unlocks with a data key already unwrapped: the second half of unlocking, timed apart
    /// from the KDF. Read only: a vault opened this way has no member's signing key, so a
    /// write through it would put an unsigned entry into the history, which the next full
    /// check would rightly find and no acceptance could vouch for. SQLite refuses every write
    /// on its connection instead (`query_only`), including raw SQL through
    /// [`Vault::connection_for_tools`].
    pub fn open_with_key_for_bench(
        dir: &Path,
        key: crate::vault::header::DataKey,
    ) -> Result<Vault> {
        let mut v = Vault::open_with_key(dir, key, "bench")?;
        v.conn.pragma_update(None, "query_only", true)?;
        // Reads see the whole synthetic vault, as its coordinator's would.
        v.role = crate::codes::Role::Coordinator;
        Ok(v)
    }
}
