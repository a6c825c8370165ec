//! Measuring, not guessing: timings of the interactive queries on the encrypted vault and on
//! an unencrypted copy of the same data, in the same run. For synthetic (seeded) vaults only:
//! the copy is plaintext by design, written only where the caller says.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;

use amparo_core::caseload::Scope;
use amparo_core::clients::{ClientFilter, ClientInput, ConsentInput, FamilyMemberInput};
use amparo_core::codes::{ConsentMethod, Relationship, Sex};
use amparo_core::error::{Error, Result};
use amparo_core::packet::{PacketRequest, PacketSelection, Profile, Recipient, RequestedAction};
use amparo_core::vault::Vault;
use amparo_core::vault::header::OnDisk;

#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub runs: usize,
}

pub fn summarize(mut samples: Vec<Duration>) -> Timing {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Timing {
        median_ms: at(0.5),
        p95_ms: at(0.95),
        runs: samples.len(),
    }
}

/// Opens the plain copy with the same page cache as the vault.
pub fn open_plain(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "cache_size", -amparo_core::db::PAGE_CACHE_KIB)?;
    Ok(conn)
}

/// Runs `f` `runs` times on each connection, alternating, after one warm-up run on each.
pub fn compare<T>(
    encrypted: &Connection,
    plain: &Connection,
    runs: usize,
    f: impl Fn(&Connection) -> Result<T>,
) -> Result<(Timing, Timing)> {
    f(encrypted)?;
    f(plain)?;
    let (mut e, mut p) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let t = Instant::now();
        f(encrypted)?;
        e.push(t.elapsed());
        let t = Instant::now();
        f(plain)?;
        p.push(t.elapsed());
    }
    Ok((summarize(e), summarize(p)))
}

/// One line of the report: an operation timed on the vault and on its plain copy.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub what: String,
    pub encrypted: Timing,
    pub plain: Option<Timing>,
    /// Encrypted median over plain median.
    pub ratio: Option<f64>,
}

impl Row {
    fn new(what: impl Into<String>, encrypted: Timing, plain: Option<Timing>) -> Row {
        let ratio = plain
            .as_ref()
            .filter(|p| p.median_ms > 0.0)
            .map(|p| encrypted.median_ms / p.median_ms);
        Row {
            what: what.into(),
            encrypted,
            plain,
            ratio,
        }
    }
}

impl Row {
    /// Something measured once (too slow to repeat), on the vault only.
    pub fn once(what: impl Into<String>, took: Duration) -> Row {
        Row::new(what, summarize(vec![took]), None)
    }
}

/// How many rows each kind of record has (deleted ones included), for the report.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub clients: i64,
    pub family_members: i64,
    pub hearings: i64,
    pub incidents: i64,
    pub screenings: i64,
    pub notes_and_narratives: i64,
    pub audit_entries: i64,
}

/// How many rows each kind of record has.
pub fn record_counts(v: &Vault) -> Result<Counts> {
    {
        let n = |table: &str| -> Result<i64> {
            Ok(v.connection_for_tools().query_row(
                &format!("SELECT count(*) FROM {table}"),
                [],
                |r| r.get(0),
            )?)
        };
        let screenings = n("screenings")?;
        let incidents = n("incidents")?;
        let notes: i64 = v.connection_for_tools().query_row(
            "SELECT (SELECT count(*) FROM screenings WHERE notes <> '')
                  + (SELECT count(*) FROM incidents WHERE narrative <> '')",
            [],
            |r| r.get(0),
        )?;
        Ok(Counts {
            clients: n("clients")?,
            family_members: n("family_members")?,
            hearings: n("hearings")?,
            incidents,
            screenings,
            notes_and_narratives: notes,
            audit_entries: n("audit_log")?,
        })
    }
}

/// How many runs of each kind the suite makes.
#[derive(Debug, Clone, Copy)]
pub struct Runs {
    pub unlock: usize,
    pub queries: usize,
    pub packet: usize,
}

/// Unlocking: the KDF (reading the header and unwrapping the data key) `runs` times, each
/// followed at once by opening the database with that key (key check, schema check,
/// migrations) as an unlock does, with the caches the KDF's memory left cold; then the open
/// alone `open_runs` times, alternating with the plain copy's open in the same conditions,
/// after one of each to warm up. That last pair is the encrypted/plain comparison; the open
/// after the KDF has no plain counterpart (the plain copy has no KDF).
pub fn time_unlock(
    dir: &Path,
    handle: &str,
    passphrase: &str,
    plain: &Path,
    runs: usize,
    open_runs: usize,
) -> Result<Vec<Row>> {
    let (mut kdf, mut after_kdf) = (Vec::new(), Vec::new());
    let mut unlock_once = || -> Result<amparo_core::vault::header::DataKey> {
        let t = Instant::now();
        let data_key = OnDisk::read(dir)?
            .open(handle, passphrase.as_bytes())?
            .data_key;
        kdf.push(t.elapsed());
        let t = Instant::now();
        Vault::open_with_key_for_bench(dir, data_key.clone())?.lock()?;
        after_kdf.push(t.elapsed());
        Ok(data_key)
    };
    let mut key = unlock_once()?;
    for _ in 1..runs {
        key = unlock_once()?;
    }
    let (mut open, mut plain_open) = (Vec::new(), Vec::new());
    for i in 0..=open_runs.max(1) {
        let t = Instant::now();
        let v = Vault::open_with_key_for_bench(dir, key.clone())?;
        let e = t.elapsed();
        v.lock()?;
        let t = Instant::now();
        let p = Vault::over_plain_for_bench(plain)?;
        let pe = t.elapsed();
        p.lock()?;
        if i > 0 {
            open.push(e);
            plain_open.push(pe);
        }
    }
    Ok(vec![
        Row::new(
            "unlock: KDF (argon2id) + unwrap the data key",
            summarize(kdf),
            None,
        ),
        Row::new(
            "unlock: open the database right after the KDF (as an unlock does)",
            summarize(after_kdf),
            None,
        ),
        Row::new(
            "open the database with the key (vs the plain copy, alternating)",
            summarize(open),
            Some(summarize(plain_open)),
        ),
    ])
}

/// Runs `f(vault, i)` `runs` times on each, alternating, after one warm-up run on each.
fn compare_vaults<T>(
    enc: &mut Vault,
    plain: &mut Vault,
    runs: usize,
    mut f: impl FnMut(&mut Vault, usize) -> Result<T>,
) -> Result<(Timing, Timing)> {
    f(enc, 0)?;
    f(plain, 0)?;
    let (mut e, mut p) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for i in 1..=runs {
        let t = Instant::now();
        f(enc, i)?;
        e.push(t.elapsed());
        let t = Instant::now();
        f(plain, i)?;
        p.push(t.elapsed());
    }
    Ok((summarize(e), summarize(p)))
}

/// An intake as a volunteer would save it: a mother, two children, consent.
fn intake(i: usize) -> ClientInput {
    ClientInput {
        given_names: format!("Bench{i}"),
        family_names: "Hernández López".into(),
        date_of_birth: Some("1990-04-12".into()),
        sex: Some(Sex::Female),
        nationality: Some("HN".into()),
        languages: vec!["es".into()],
        a_number: Some(format!("{}", 230_000_000 + i)),
        city: "Tijuana".into(),
        phone: "+52 664 555 0101".into(),
        notes: "Llegó al albergue con sus dos hijos; refiere amenazas en la central camionera."
            .into(),
        family: (0..2)
            .map(|k| FamilyMemberInput {
                given_names: format!("Hijo{k}"),
                family_names: "Hernández".into(),
                relationship: Relationship::Child,
                date_of_birth: Some(format!("201{k}-06-01")),
                ..FamilyMemberInput::default()
            })
            .collect(),
        consent: ConsentInput {
            representation: true,
            share_with_oversight: true,
            publish_deidentified: false,
            method: ConsentMethod::Verbal,
        },
        ..ClientInput::default()
    }
}

/// Up to 20 incidents from the clients who have the most, with their hearings.
fn packet_request(v: &Vault) -> Result<PacketRequest> {
    let conn = v.connection_for_tools();
    let mut stmt = conn.prepare(
        "SELECT client_id, group_concat(id) FROM incidents WHERE deleted_at IS NULL
         GROUP BY client_id HAVING count(*) >= 4 LIMIT 5",
    )?;
    let mut clients = Vec::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (client_id, ids) = row?;
        let hearing_ids = conn
            .prepare_cached(
                "SELECT id FROM hearings WHERE client_id = ?1 AND deleted_at IS NULL
                 ORDER BY scheduled_at",
            )?
            .query_map([&client_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        clients.push(PacketSelection {
            client_id,
            incident_ids: ids.split(',').take(4).map(str::to_owned).collect(),
            hearing_ids,
            screening_ids: vec![],
            exhibit_ids: vec![],
        });
    }
    Ok(PacketRequest {
        recipient: Recipient::Both,
        profile: Profile::Pseudonymised,
        lang: amparo_core::packet::labels::DocLang::En,
        requests: vec![RequestedAction::Investigation],
        clients,
        choices: vec![],
        facts: amparo_core::packet::FactPrecision::default(),
        confirmed: vec![],
    })
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The interactive operations, each on the vault and on the plain copy in the same run:
/// saving an intake, the home screen (and the whole week's list), a page of the client list with a
/// filter, a search, a client's timeline, and a 20-incident packet. Inputs rotate over runs
/// (different filters, queries and clients), so a run is not a cache hit of the one before.
pub fn suite(enc: &mut Vault, plain_path: &Path, runs: Runs) -> Result<Vec<Row>> {
    // The full check has just read the whole vault file, so the system holds it in memory;
    // read the copy once too, or the plain column measures the disk (it came out 2-4x slower
    // than the vault with a small page cache before this).
    std::io::copy(&mut std::fs::File::open(plain_path)?, &mut std::io::sink())?;
    let mut plain = Vault::over_plain_for_bench(plain_path)?;
    let mut rows = Vec::new();
    // Clients for the timeline row, chosen before the intakes below add clients to the vault
    // that the copy does not have.
    let ids: Vec<String> = {
        let mut stmt = enc.connection_for_tools().prepare(
            // Spread over the whole vault: ordered by the random tail of the UUIDv7.
            "SELECT id FROM clients WHERE deleted_at IS NULL ORDER BY substr(id, 25) LIMIT 200",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    if ids.is_empty() {
        return Err(Error::NotFound);
    }
    let now = chrono::Utc::now();

    let (e, p) = compare_vaults(enc, &mut plain, runs.queries, |v, i| {
        v.create_client(&intake(i))
    })?;
    rows.push(Row::new(
        "save an intake (client, 2 children, consent)",
        e,
        Some(p),
    ));

    let (e, p) = compare_vaults(enc, &mut plain, runs.queries, |v, _| {
        v.home(7, now, Scope::All)
    })?;
    rows.push(Row::new(
        "home screen (a page of each list with totals, 7 days)",
        e,
        Some(p),
    ));
    let (e, p) = compare_vaults(enc, &mut plain, runs.queries, |v, _| {
        v.week(7, now, Scope::All)
    })?;
    rows.push(Row::new(
        "every hearing of the week (printed list, calendar)",
        e,
        Some(p),
    ));

    const FILTERS: [&str; 5] = ["hernandez", "maria lopez", "A-2", "reyes", "zzzz"];
    let (e, p) = compare_vaults(enc, &mut plain, runs.queries, |v, i| {
        let filter = ClientFilter {
            text: FILTERS[i % FILTERS.len()].to_owned(),
            ..ClientFilter::default()
        };
        v.list_clients(&filter, 0, 100)
    })?;
    rows.push(Row::new(
        "client list: a page of 100 with a filter",
        e,
        Some(p),
    ));

    const QUERIES: [&str; 5] = [
        "juarez",
        "albergue",
        "secuestro",
        "hernandez lopez",
        "bodega",
    ];
    // One row per query: the target holds for every one, and the common words are the slow ones.
    for query in QUERIES {
        let (e, p) = compare_vaults(enc, &mut plain, runs.queries, |v, _| v.search(query))?;
        rows.push(Row::new(format!("search: {query}"), e, Some(p)));
    }

    let (e, p) = compare_vaults(enc, &mut plain, runs.queries, |v, i| {
        v.timeline(&ids[i % ids.len()])
    })?;
    rows.push(Row::new(
        "a client's timeline (different clients)",
        e,
        Some(p),
    ));

    let request = packet_request(enc)?;
    let incidents: usize = request.clients.iter().map(|c| c.incident_ids.len()).sum();
    let (e, p) = compare_vaults(enc, &mut plain, runs.packet, |v, _| {
        Ok(amparo_pdf::build_packet(v.packet_document(&request, now)?)?)
    })?;
    rows.push(Row::new(
        format!("build a {incidents}-incident packet (PDF)"),
        e,
        Some(p),
    ));
    plain.lock()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_runs_on_a_small_vault_and_its_plain_copy() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("v");
        let pass = "correct horse battery";
        let mut v = Vault::create(
            &dir,
            pass,
            amparo_core::KdfChoice::Fixed(amparo_core::KdfParams::MINIMUM),
            "t",
        )
        .expect("create");
        crate::demo::seed_shaped(&mut v, 300, 3, crate::demo::Shape::LARGE_CLINIC, |_| {})
            .expect("seed");
        let plain = tmp.path().join("plain.db");
        v.export_plain_copy_for_bench(&plain).expect("plain copy");
        let runs = Runs {
            unlock: 1,
            queries: 3,
            packet: 1,
        };
        let rows = suite(&mut v, &plain, runs).expect("suite");
        assert_eq!(rows.len(), 11);
        assert_eq!(
            rows.iter()
                .filter(|r| r.what.starts_with("search: "))
                .count(),
            5
        );
        assert!(
            rows.iter()
                .all(|r| r.encrypted.runs == 3 || r.encrypted.runs == 1)
        );
        assert!(rows.iter().all(|r| r.ratio.is_some_and(|x| x > 0.0)));
        assert!(rows[10].what.contains("20-incident"), "{}", rows[10].what);
        v.lock().expect("lock");
        let unlock =
            time_unlock(&dir, "t", pass, &plain, runs.unlock, runs.queries).expect("unlock");
        assert_eq!(unlock.len(), 3);
        assert_eq!(unlock[2].encrypted.runs, runs.queries);
        assert!(unlock[2].ratio.is_some() && unlock[1].ratio.is_none());
        // The plain copy really is plain: SQLite reads it without a key.
        let c = Connection::open(&plain).expect("open");
        let n: i64 = c
            .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
            .expect("plain read");
        assert!(n >= 300);
    }

    #[test]
    fn median_and_p95() {
        let t = summarize((1..=100).map(Duration::from_millis).collect());
        assert_eq!(
            (t.median_ms.round(), t.p95_ms.round(), t.runs),
            (51.0, 95.0, 100)
        );
    }
}
