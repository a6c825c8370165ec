//! Developer tools on synthetic vaults: `amparo seed`, `amparo bench`, `amparo bench-search`,
//! and the crash test's writer (`amparo stress-write`).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use amparo_core::clients::ClientInput;
use amparo_core::{Error, Vault};
use amparo_tools::bench::{self, Row, Runs};
use amparo_tools::demo::{self, Shape};

use super::Ctx;
use crate::io::{passphrase, print_json};

pub fn seed(ctx: &Ctx, clients: u32, seed: u64, notes: u32, large: bool) -> Result<(), Error> {
    ctx.with_vault(|v| {
        let started = Instant::now();
        let step = (clients / 20).max(1);
        let shape = if large {
            Shape::LARGE_CLINIC
        } else {
            Shape::DEMO
        };
        let counts = demo::seed_shaped(v, clients, seed, shape, |done| {
            if done % step == 0 || done == clients {
                eprintln!("seeding: {done}/{clients}");
            }
        })?;
        // Notes go to existing clients, so they come after the clients.
        if notes > 0 {
            let step = (notes / 20).max(1);
            let added = demo::seed_notes(v, notes, seed, |done| {
                if done % step < 2_000 || done == notes {
                    eprintln!("notes: {done}/{notes}");
                }
            })?;
            eprintln!("notes: {added} in {:.1} s", started.elapsed().as_secs_f64());
        }
        print_json(&serde_json::json!({
            "counts": counts,
            "seconds": started.elapsed().as_secs_f64(),
        }))
    })
}

/// The benchmark: the suite on the vault and its plain copy, the unlock halves, the full
/// check; a table on stderr and JSON on stdout.
pub fn bench(ctx: &Ctx, plain_copy: &Path, runs: Runs) -> Result<(), Error> {
    let p = passphrase("AMPARO_PASSPHRASE", "Vault passphrase: ")?;
    let mut v = Vault::unlock(&ctx.dir, &p, &ctx.actor)?;
    let started = Instant::now();
    v.export_plain_copy_for_bench(plain_copy)?;
    eprintln!(
        "plain copy written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let counts = bench::record_counts(&v)?;
    let checked = Instant::now();
    let check = v.full_check()?;
    let check_time = checked.elapsed();
    let mut rows = bench::suite(&mut v, plain_copy, runs)?;
    rows.push(Row::once(
        "full check after unlock (pages, structure, chain, records; background)",
        check_time,
    ));
    v.lock()?;
    rows.splice(
        0..0,
        bench::time_unlock(
            &ctx.dir,
            &ctx.actor,
            &p,
            plain_copy,
            runs.unlock,
            runs.queries,
        )?,
    );
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
    let vault_bytes = size(&ctx.dir.join("vault.db"));
    let plain_bytes = size(plain_copy);
    let peak = bench::peak_rss_mib();
    print_table(&rows);
    eprintln!(
        "records: {counts:?}; vault.db {vault_bytes} bytes, plain copy {plain_bytes} bytes; peak RSS of this process {peak:?} MiB; check holds: {}",
        check.holds()
    );
    print_json(&serde_json::json!({
        "rows": rows,
        "counts": counts,
        "vault_bytes": vault_bytes,
        "plain_bytes": plain_bytes,
        "peak_rss_mib": peak,
        "check_holds": check.holds(),
    }))
}

/// The Markdown table docs/benchmarks.md quotes.
fn print_table(rows: &[Row]) {
    eprintln!("| Operation | Encrypted median / p95 | Plain median / p95 | Ratio |");
    eprintln!("|---|---|---|---|");
    for r in rows {
        let plain = r.plain.as_ref().map_or("—".to_owned(), |t| {
            format!("{:.1} / {:.1} ms", t.median_ms, t.p95_ms)
        });
        eprintln!(
            "| {} | {:.1} / {:.1} ms | {plain} | {} |",
            r.what,
            r.encrypted.median_ms,
            r.encrypted.p95_ms,
            r.ratio.map_or("—".to_owned(), |x| format!("{x:.2}"))
        );
    }
}

const SEARCH_QUERIES: [&str; 8] = [
    "bodega",
    "juarez",
    "camioneta",
    "secuestro",
    "hernandez lopez",
    "A-201-234-567",
    "albergue miedo",
    "retén",
];

/// The search box alone, query by query, on the vault and its plain copy.
pub fn bench_search(
    ctx: &Ctx,
    plain_copy: &Path,
    runs: usize,
    queries: Vec<String>,
) -> Result<(), Error> {
    ctx.with_vault(|v| {
        v.export_plain_copy_for_bench(plain_copy)?;
        let plain = bench::open_plain(plain_copy)?;
        let queries = if queries.is_empty() {
            SEARCH_QUERIES.map(str::to_owned).to_vec()
        } else {
            queries
        };
        let mut rows = Vec::new();
        for q in &queries {
            let (enc, pl) = bench::compare(v.connection_for_tools(), &plain, runs, |c| {
                amparo_core::search::search_on(c, q)
            })?;
            let ratio = if pl.median_ms > 0.0 {
                enc.median_ms / pl.median_ms
            } else {
                0.0
            };
            eprintln!(
                "{q:>18}: encrypted median {:7.2} ms p95 {:7.2} ms | plain median {:7.2} ms p95 {:7.2} ms | ratio {:.2}",
                enc.median_ms, enc.p95_ms, pl.median_ms, pl.p95_ms, ratio
            );
            rows.push(serde_json::json!({ "query": q, "encrypted": enc, "plain": pl, "ratio": ratio }));
        }
        print_json(&rows)
    })
}

/// The crash test's writer: adds and edits clients in a loop, printing each write once
/// committed, until killed.
pub fn stress_write(ctx: &Ctx, count: u32) -> Result<(), Error> {
    ctx.with_vault(|v| {
        let mut out = std::io::stdout().lock();
        let mut ids: Vec<String> = Vec::new();
        for i in 0..count {
            let input = ClientInput {
                given_names: "Stress".into(),
                family_names: format!("Writer {i}"),
                notes: format!("n{i}"),
                ..ClientInput::default()
            };
            if i % 3 == 2 && !ids.is_empty() {
                let id = ids[(i as usize * 7) % ids.len()].clone();
                v.update_client(&id, &input)?;
                writeln!(out, "U {id} {i}")?;
            } else {
                let id = v.create_client(&input)?.id;
                writeln!(out, "C {id} {i}")?;
                ids.push(id);
            }
            out.flush()?;
        }
        Ok(())
    })
}
