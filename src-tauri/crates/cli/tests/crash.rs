//! Crash safety: a writer process is killed with SIGKILL at random moments; after every kill
//! the vault opens, both integrity checks pass, and every write the writer reported as
//! committed is there. `AMPARO_CRASH_KILLS` sets how many kills (200 in CI; 5,000 for a
//! release check).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PASS: &str = "correct horse battery";

fn amparo(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_amparo"));
    c.arg("--vault").arg(dir).env("AMPARO_PASSPHRASE", PASS);
    c
}

/// A small xorshift generator: reproducible from the printed seed when a run fails.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_writers_never_lose_a_reported_write_or_corrupt_the_vault() {
    let kills: usize = std::env::var("AMPARO_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed = std::env::var("AMPARO_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    eprintln!("crash test: {kills} kills, seed {seed}");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    assert!(
        amparo(&dir)
            .args(["create", "--fast-kdf"])
            .output()
            .expect("create")
            .status
            .success()
    );

    // id → the newest write number the writer reported for it.
    let mut committed: HashMap<String, u64> = HashMap::new();
    let started = Instant::now();
    for k in 0..kills {
        let mut child = amparo(&dir)
            .args(["stress-write"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("writer");
        let stdout = child.stdout.take().expect("stdout");
        // Read reports on a thread while the main thread picks the moment to kill.
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => lines.push(l),
                    Err(_) => break,
                }
            }
            lines
        });
        // Unlocking takes a few hundred ms; kill anywhere from before the first write to
        // well into the loop.
        std::thread::sleep(Duration::from_millis(150 + rng.next() % 450));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        for line in reader.join().expect("reader") {
            let mut parts = line.split(' ');
            let (Some(_kind), Some(id), Some(n)) = (parts.next(), parts.next(), parts.next())
            else {
                continue; // a line torn by the kill was never complete: it reports nothing
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            let e = committed.entry(id.to_owned()).or_insert(0);
            *e = (*e).max(n);
        }

        // After each kill: the vault opens and verifies, and nothing reported is missing.
        let check = amparo(&dir).args(["check"]).output().expect("check");
        assert!(
            check.status.success(),
            "kill {k} (seed {seed}): check failed: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
        assert_eq!(report["integrity_ok"], true, "kill {k} (seed {seed})");
        assert!(
            report["audit_first_bad_seq"].is_null(),
            "kill {k} (seed {seed})"
        );
        // Each record and the digest its audit entry carries were committed together.
        assert_eq!(report["audit_altered_records"], 0, "kill {k} (seed {seed})");
        let clients = report["clients"].as_u64().unwrap_or(0) as usize;
        assert!(
            clients >= committed.len(),
            "kill {k} (seed {seed}): {clients} clients < {} reported",
            committed.len()
        );
    }
    // Every reported client is there, and a sample holds a write at least as new as the last
    // one reported for it.
    let mut present = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let out = amparo(&dir)
            .args([
                "clients",
                "list",
                "--limit",
                "500",
                "--offset",
                &offset.to_string(),
            ])
            .output()
            .expect("list");
        let page: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let rows = page["rows"].as_array().cloned().unwrap_or_default();
        if rows.is_empty() {
            break;
        }
        offset += rows.len();
        present.extend(
            rows.iter()
                .filter_map(|r| r["id"].as_str().map(str::to_owned)),
        );
    }
    for id in committed.keys() {
        assert!(
            present.contains(id),
            "reported client {id} is missing (seed {seed})"
        );
    }
    for (id, n) in committed.iter().take(25) {
        let out = amparo(&dir)
            .args(["clients", "get", id])
            .output()
            .expect("get");
        let c: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let stored: u64 = c["notes"]
            .as_str()
            .and_then(|s| s.trim_start_matches('n').parse().ok())
            .unwrap_or(0);
        assert!(
            stored >= *n,
            "client {id}: stored write {stored} is older than reported {n} (seed {seed})"
        );
    }
    assert!(
        !committed.is_empty(),
        "the writer never got to write: kill later"
    );
    eprintln!(
        "crash test: {kills} kills, {} clients reported, {:.0} s",
        committed.len(),
        started.elapsed().as_secs_f64()
    );
}

fn digest(dir: &std::path::Path) -> String {
    let out = amparo(dir)
        .args(["sync", "status"])
        .output()
        .expect("status");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["digest"].as_str().expect("digest").to_owned()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).expect("dir");
    for f in std::fs::read_dir(from).expect("read") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
    }
}

/// A laptop killed while it imports a bundle is left as it was or fully updated, never in
/// between, and always verifies. `AMPARO_SYNC_KILLS` sets how many kills (30 by default).
#[test]
fn a_laptop_killed_while_importing_is_as_before_or_fully_updated() {
    let kills: usize = std::env::var("AMPARO_SYNC_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let mut rng = Rng(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64)
        | 1);
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b, pristine) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("p"),
    );
    let seed = tmp.path().join("seed");
    let bundle = tmp.path().join("a.amparo-sync");
    let ok = |c: &mut Command| {
        let out = c.output().expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(amparo(&a).args(["create", "--fast-kdf"]));
    ok(amparo(&a).arg("replica").arg("new").arg("--out").arg(&seed));
    ok(amparo(&b)
        .arg("replica")
        .arg("join")
        .arg("--from")
        .arg(&seed));
    ok(amparo(&a).args(["stress-write", "--count", "600"]));
    ok(amparo(&a)
        .arg("sync")
        .arg("export")
        .arg("--out")
        .arg(&bundle));
    copy_dir(&b, &pristine);
    let before = digest(&b);
    let started = Instant::now();
    ok(amparo(&b).arg("sync").arg("import").arg(&bundle));
    let took = started.elapsed().as_millis() as u64;
    let after = digest(&b);
    assert_ne!(before, after);

    let (mut as_before, mut updated) = (0, 0);
    for k in 0..kills {
        copy_dir(&pristine, &b);
        let mut child = amparo(&b)
            .arg("sync")
            .arg("import")
            .arg(&bundle)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("import");
        std::thread::sleep(Duration::from_millis(rng.next() % (took + 50)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let check = amparo(&b).args(["check"]).output().expect("check");
        assert!(
            check.status.success(),
            "kill {k}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
        assert_eq!(report["integrity_ok"], true, "kill {k}");
        assert_eq!(report["audit_altered_records"], 0, "kill {k}");
        let now = digest(&b);
        assert!(
            now == before || now == after,
            "kill {k}: the replica is half updated"
        );
        if now == before {
            as_before += 1;
        } else {
            updated += 1;
        }
    }
    eprintln!(
        "sync crash test: {kills} kills, import {took} ms, {as_before} as before, {updated} updated"
    );
    assert!(
        as_before > 0,
        "no kill landed before the import committed: kill earlier"
    );
}
