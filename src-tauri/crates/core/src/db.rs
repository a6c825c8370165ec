//! Opening the SQLCipher database with a raw key, and ordered schema migrations.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::vault::header::DataKey;

pub const DB_FILE: &str = "vault.db";

/// Ordered migrations; a new schema version is a new entry at the end, never an edit.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_client_list_index.sql"),
    include_str!("../migrations/0003_hearing_followup_index.sql"),
    include_str!("../migrations/0004_search.sql"),
    include_str!("../migrations/0005_packets.sql"),
    include_str!("../migrations/0006_search_vocab.sql"),
    include_str!("../migrations/0007_audit_state.sql"),
    include_str!("../migrations/0008_home_orders_index.sql"),
    include_str!("../migrations/0009_pseudonyms.sql"),
    include_str!("../migrations/0010_audit_epochs.sql"),
    include_str!("../migrations/0011_family_aliases.sql"),
    include_str!("../migrations/0012_drafts.sql"),
    include_str!("../migrations/0013_search_codes.sql"),
    include_str!("../migrations/0014_incident_facts.sql"),
    include_str!("../migrations/0015_people_facts.sql"),
    include_str!("../migrations/0016_risk_detail.sql"),
    include_str!("../migrations/0017_unknown_dates_other_victims.sql"),
    include_str!("../migrations/0018_members.sql"),
    include_str!("../migrations/0019_signed_history.sql"),
    include_str!("../migrations/0020_retired_keys.sql"),
    include_str!("../migrations/0021_assignments.sql"),
    include_str!("../migrations/0022_sync.sql"),
    include_str!("../migrations/0023_search_pause.sql"),
    include_str!("../migrations/0024_hearing_people_covering.sql"),
    include_str!("../migrations/0025_people_lines.sql"),
    include_str!("../migrations/0026_attachments_listed.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Applies only the first `version` migrations: how tests build a vault as an older release
/// left it.
#[cfg(test)]
pub(crate) fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    Migrations::new(MIGRATIONS[..version].iter().map(|sql| M::up(sql)).collect())
        .to_latest(conn)
        .map_err(|e| Error::Migration(e.to_string()))
}

/// The schema version this build writes and understands.
pub fn latest_schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Keys one throwaway in-memory database before any real one, once per process, so that
/// SQLCipher's crypto provider is set up by a single thread. (Seen once in a CI-like run:
/// creating a vault in the first instants of a test process, with other threads doing the
/// same, failed with "An error occurred with PRAGMA key"; the cause was not confirmed.)
fn warm_up_sqlcipher() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(c) = Connection::open_in_memory() {
            // A raw all-zero key: no KDF, no secret, nothing stored.
            let _ = c.execute_batch(
                "PRAGMA key = \"x'0000000000000000000000000000000000000000000000000000000000000000'\";
                 SELECT count(*) FROM sqlite_master;",
            );
        }
    });
}

/// Opens (or creates, when `create` is set) the database, applies the raw key and checks it.
/// Does not migrate or write anything: `prepare` does that after the version check.
pub fn open_keyed(dir: &Path, key: &DataKey, create: bool) -> Result<Connection> {
    open_keyed_file(&dir.join(DB_FILE), key, create)
}

/// [`open_keyed`] on a database file by its path (a rotation's re-keyed copy).
pub(crate) fn open_keyed_file(path: &Path, key: &DataKey, create: bool) -> Result<Connection> {
    warm_up_sqlcipher();
    // A vault's database is never shorter than one page: an empty or cut-short file would
    // otherwise be taken for a new database and migrated (written to) on unlock.
    if !create && std::fs::metadata(path).map_or(true, |m| m.len() < 4096) {
        return Err(Error::VaultDamaged);
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    // Room for every statement a write and its history entry run (a change applied from
    // another laptop runs some thirty): with rusqlite's default of 16 they were prepared again
    // and again, each preparation dozens of allocations that SQLCipher locks and wipes.
    conn.set_prepared_statement_cache_capacity(128);
    // Wipe SQLCipher's freed memory; set before the key so it covers key material too. It is
    // built without its per-allocation locks (.cargo/config.toml says why); should they come
    // back, an ordinary user's would fail past a few MiB (RLIMIT_MEMLOCK), each with a warning
    // on stderr, so only its errors (a page that fails its check) are said.
    conn.execute_batch("PRAGMA cipher_memory_security = ON; PRAGMA cipher_log_level = ERROR;")?;
    // Built in one exactly sized, zeroized buffer: no intermediate copy of the key is left
    // behind in freed memory.
    let mut hex_key = Zeroizing::new([0u8; 64]);
    hex::encode_to_slice(&key[..], &mut hex_key[..]).map_err(|_| Error::Crypto("hex"))?;
    let hex_str = std::str::from_utf8(hex_key.as_ref()).map_err(|_| Error::Crypto("hex"))?;
    let mut pragma = Zeroizing::new(String::with_capacity(hex_str.len() + 20));
    pragma.push_str("PRAGMA key = \"x'");
    pragma.push_str(hex_str);
    pragma.push_str("'\";");
    conn.execute_batch(&pragma)?;
    drop(pragma);
    // The first read proves the key: the data key was already authenticated by the header, so
    // a failure here means the database file itself is damaged or is not ours.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            Error::VaultDamaged
        }
        other => Error::Storage(other),
    })?;
    Ok(conn)
}

/// The page cache of the vault's connection, in KiB (see `prepare`).
pub const PAGE_CACHE_KIB: i64 = 16_000;

/// Refuses a newer schema before touching anything, then sets WAL and migrates.
pub fn prepare(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let supported = latest_schema_version();
    if found > supported {
        return Err(Error::SchemaTooNew { found, supported });
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // 16 MiB of decrypted page cache (SQLCipher wipes it on close). The home screen once
    // needed 64 MiB (it read 5,000 orders from the table); now that its lists are read from
    // indexes, 16 MiB measured as fast or faster on the 150,000-hearing vault (home 7–12 ms,
    // search 3–21 ms median) and keeps 48 MiB out of the app. See docs/benchmarks.md.
    conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // rusqlite_migration runs all pending migrations in one transaction.
    migrations()
        .to_latest(conn)
        .map_err(|e| Error::Migration(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_match_the_declared_version() {
        migrations().validate().expect("valid migrations");
        let mut conn = Connection::open_in_memory().expect("open");
        migrations().to_latest(&mut conn).expect("migrate");
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(v, latest_schema_version());
    }

    /// SQLCipher wipes what it frees but does not lock each allocation (two system calls per
    /// allocation, most of an import's time): built with OMIT_MEMLOCK (.cargo/config.toml).
    /// Without the flag, the rows below leave memory locked (as root; as an ordinary user, up
    /// to the limit).
    #[test]
    fn sqlcipher_wipes_its_memory_without_locking_each_allocation() {
        let conn = Connection::open_in_memory().expect("open");
        conn.execute_batch(
            "PRAGMA cipher_memory_security = ON; PRAGMA cipher_log_level = ERROR;
             PRAGMA key = 'test'; CREATE TABLE t (x TEXT);",
        )
        .expect("keyed");
        for i in 0..2_000 {
            conn.execute(
                "INSERT INTO t VALUES (?1)",
                [format!("row {i} {}", "x".repeat(i))],
            )
            .expect("insert");
        }
        let wiping: String = conn
            .query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(wiping, "1", "freed memory is wiped");
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let locked = status
            .lines()
            .find(|l| l.starts_with("VmLck:"))
            .expect("VmLck");
        assert_eq!(locked.split_whitespace().nth(1), Some("0"), "{locked}");
    }

    /// Each connection keeps a page cache of its own: built without
    /// SQLITE_ENABLE_MEMORY_MANAGEMENT (.cargo/config.toml), whose one cache shared by every
    /// connection let the busier one make the other read every page again (the full check
    /// beside the vault's connection: 282 s instead of 76 s).
    #[test]
    fn each_connection_keeps_its_own_page_cache() {
        let conn = Connection::open_in_memory().expect("open");
        let options: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .expect("pragma")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("options");
        assert!(options.iter().any(|o| o == "HAS_CODEC"), "{options:?}");
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
    }

    /// SQLite's plan for `sql` (one parameter) on a freshly migrated schema, a line per step.
    fn plan(sql: &str) -> Vec<String> {
        plan_with(sql, &["x"])
    }

    fn plan_with(sql: &str, params: &[&str]) -> Vec<String> {
        let mut conn = Connection::open_in_memory().expect("open");
        migrations().to_latest(&mut conn).expect("migrate");
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("prepare")
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    #[test]
    fn list_query_uses_the_covering_index() {
        let plan = plan(
            "SELECT id FROM clients c WHERE c.deleted_at IS NULL
             AND c.search_text LIKE '%' || ?1 || '%' ESCAPE '\\' ORDER BY c.sort_key, c.id LIMIT 100",
        );
        assert!(plan.iter().any(|p| p.contains("clients_list")), "{plan:?}");
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }

    /// A client's screenings are read in one pass over the client's index range (the timeline
    /// once looked each one up again by id: two more index descents per screening).
    #[test]
    fn a_clients_screenings_are_read_through_the_client_index() {
        let plan = plan(crate::screenings::FOR_CLIENT_SQL);
        assert!(
            plan.iter().any(
                |p| p.contains("SEARCH screenings USING INDEX screenings_client (client_id=?)")
            ),
            "{plan:?}"
        );
    }

    /// A record's files are listed from an index alone: the table's rows hold each file's
    /// bytes before the columns the list reads, and reading them walked every file's pages.
    #[test]
    fn a_records_files_are_listed_from_the_index_alone() {
        let plan = plan_with(crate::attachments::FOR_OWNER_SQL, &["client", "x"]);
        assert!(
            plan.iter()
                .any(|p| p.contains("SEARCH attachments USING COVERING INDEX attachments_listed")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }

    /// So are a client's incidents.
    #[test]
    fn a_clients_incidents_are_read_through_the_client_index() {
        let plan = plan(crate::incidents::INCIDENTS_FOR_CLIENT_SQL);
        assert!(
            plan.iter()
                .any(|p| p.contains("SEARCH incidents USING INDEX incidents_client (client_id=?)")),
            "{plan:?}"
        );
    }
}
