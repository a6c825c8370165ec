//! Measuring, not guessing: timings of the interactive queries on the encrypted vault and on
//! an unencrypted copy of the same data, in the same run. For synthetic (seeded) vaults only:
//! the copy is plaintext by design, written only where the caller says.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::vault::Vault;

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

impl Vault {
    /// Writes an unencrypted copy of the whole vault to `path` with `sqlcipher_export`.
    /// Refuses if `path` exists. Benchmarks only; never offered in the app.
    pub fn export_plain_copy_for_bench(&self, path: &Path) -> Result<()> {
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
        Ok(())
    }

    pub fn connection_for_bench(&self) -> &Connection {
        &self.conn
    }
}

/// Opens the plain copy with the same page cache as the vault.
pub fn open_plain(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "cache_size", -64_000)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95() {
        let t = summarize((1..=100).map(Duration::from_millis).collect());
        assert_eq!(
            (t.median_ms.round(), t.p95_ms.round(), t.runs),
            (51.0, 95.0, 100)
        );
    }
}
