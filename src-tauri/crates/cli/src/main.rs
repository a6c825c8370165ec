//! `amparo`: the headless command on Amparo's core, for scripting, demos and benchmarks.
//! JSON in (stdin), JSON out (stdout); errors as JSON on stderr with a non-zero exit.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use amparo_core::clients::{ClientFilter, ClientInput};
use amparo_core::codes::AttachmentOwner;
use amparo_core::hearings::HearingInput;
use amparo_core::ics::{IcsLang, IcsOptions, write_export};
use amparo_core::incidents::IncidentInput;
use amparo_core::packet::PacketRequest;
use amparo_core::{Error, ErrorReport, KdfChoice, KdfParams, Vault};
use clap::{Parser, Subcommand};
use zeroize::Zeroizing;

#[derive(Parser)]
#[command(
    name = "amparo",
    version,
    about = "Amparo's encrypted case vault, without the window"
)]
struct Cli {
    /// Vault directory [default: $AMPARO_VAULT_DIR, else the per-user data directory]
    #[arg(long, global = true)]
    vault: Option<PathBuf>,
    /// Name recorded in the audit trail for changes made by this command
    #[arg(long, global = true, default_value = "amparo-cli")]
    actor: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault (passphrase from AMPARO_PASSPHRASE or a prompt)
    Create {
        /// Use the minimum KDF cost (m=64 MiB, t=3) instead of calibrating: for tests only
        #[arg(long)]
        fast_kdf: bool,
    },
    /// Check that the vault unlocks, its audit chain verifies (naming the first bad entry) and
    /// its pages are intact; exits non-zero if not
    #[command(visible_alias = "verify")]
    Check,
    /// Write an encrypted backup of the vault (a consistent copy, the vault may stay in use)
    Backup {
        /// Where to write the backup file
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into a new vault at --vault (which must not exist), then verify it
    Restore {
        /// The backup file
        #[arg(long)]
        from: PathBuf,
    },
    /// Change the passphrase (new one from AMPARO_NEW_PASSPHRASE or a prompt)
    Passwd,
    /// Add and list clients
    #[command(subcommand)]
    Clients(ClientsCmd),
    /// Add, list and export hearings
    #[command(subcommand)]
    Hearings(HearingsCmd),
    /// Add and list incidents
    #[command(subcommand)]
    Incidents(IncidentsCmd),
    /// Build complaint packets and read the disclosure log
    #[command(subcommand)]
    Packet(PacketCmd),
    /// Attach a file (evidence) to an incident or a client; prints the stored attachment
    Attach {
        /// The incident's id
        #[arg(long, conflicts_with = "client")]
        incident: Option<String>,
        /// The client's id
        #[arg(long)]
        client: Option<String>,
        file: PathBuf,
    },
    /// Search every record kind (accent- and case-insensitive; A-numbers in any spelling)
    Search {
        query: String,
        /// Run the query this many times and print each duration to stderr (for measuring)
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// Crash-test writer: adds and edits clients in a loop, printing each write once committed
    #[command(hide = true)]
    StressWrite {
        #[arg(long, default_value_t = 1_000_000)]
        count: u32,
    },
    /// Issue 6's benchmark on this (synthetic!) vault and an unencrypted copy of it: unlock
    /// (KDF and open), save an intake, upcoming hearings, a filtered client-list page, search,
    /// a timeline, a 20-incident packet, the full check; sizes and peak memory. Adds the timed
    /// intakes to both. Prints a table to stderr and JSON to stdout.
    Bench {
        /// Where to write the unencrypted copy (must not exist; plaintext: synthetic data only)
        #[arg(long)]
        plain_copy: PathBuf,
        #[arg(long, default_value_t = 30)]
        runs: usize,
        #[arg(long, default_value_t = 5)]
        unlock_runs: usize,
        #[arg(long, default_value_t = 5)]
        packet_runs: usize,
    },
    /// Time the search box on this (synthetic!) vault and on an unencrypted copy of it
    BenchSearch {
        /// Where to write the unencrypted copy (must not exist; plaintext: synthetic data only)
        #[arg(long)]
        plain_copy: PathBuf,
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Queries to time (repeatable); a mix of rare and common words by default
        #[arg(long = "query")]
        queries: Vec<String>,
    },
    /// Fill the vault with realistic synthetic clients, families, hearings and incidents
    Seed {
        #[arg(long, default_value_t = 200)]
        clients: u32,
        /// The same seed always gives the same data
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also add this many fear-screening notes spread over the clients (for search benchmarks)
        #[arg(long, default_value_t = 0)]
        notes: u32,
        /// About 3 hearings and 2 incidents per client instead of 2 and 1 (the benchmark vault)
        #[arg(long)]
        large_clinic: bool,
    },
}

#[derive(Subcommand)]
enum HearingsCmd {
    /// Add one hearing from a JSON HearingInput on stdin; prints the saved hearing
    Add,
    /// A client's hearings as JSON
    List {
        #[arg(long)]
        client: String,
    },
    /// The home screen as JSON: coming days by port, hearings needing an outcome, in-absentia orders
    Upcoming {
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// Run the query this many times and print each duration to stderr (for measuring)
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// Write upcoming hearings to an iCalendar file
    Ics {
        #[arg(long, default_value_t = 14)]
        days: u32,
        /// Where to write the file
        #[arg(long)]
        out: PathBuf,
        /// Full names instead of initials and the last three digits of the A-number
        #[arg(long)]
        names: bool,
        /// Language of the event texts (en or es)
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum PacketCmd {
    /// Build a packet from a JSON PacketRequest on stdin (clients and record ids, recipient,
    /// profile, language, choices) and write the PDF; the packet is logged as saved
    Build {
        /// Where to write the PDF (plaintext: keep it safe)
        #[arg(long)]
        out: PathBuf,
        /// Build this many times and print each duration to stderr (for measuring); the last
        /// build is written and logged
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// The disclosure log for a client, as JSON
    List {
        #[arg(long)]
        client: String,
    },
}

#[derive(Subcommand)]
enum IncidentsCmd {
    /// Add one incident from a JSON IncidentInput on stdin; prints the saved incident
    Add,
    /// A client's incidents as JSON
    List {
        #[arg(long)]
        client: String,
    },
}

#[derive(Subcommand)]
enum ClientsCmd {
    /// Add one client from a JSON ClientInput on stdin; prints the saved client
    Add,
    /// One client, as JSON
    Get { id: String },
    /// List clients as JSON
    List {
        /// Words to match in names, aliases and A-number (accent-insensitive)
        #[arg(long, default_value = "")]
        filter: String,
        /// ISO country code of nationality (HN, GT, CU…)
        #[arg(long)]
        nationality: Option<String>,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Run the query this many times and print each duration to stderr (for measuring)
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
}

fn passphrase(var: &str, prompt: &str) -> Result<Zeroizing<String>, Error> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("amparo: set {var} or run in a terminal to be asked");
        return Err(Error::WrongPassphrase);
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(Error::Io)
}

fn read_json_stdin<T: serde::de::DeserializeOwned>() -> Result<T, Error> {
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw)?;
    serde_json::from_str(&raw).map_err(|_| Error::validation("json", "json_malformed"))
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Error> {
    let s = serde_json::to_string_pretty(v).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    println!("{s}");
    Ok(())
}

fn run(cli: Cli) -> Result<(), Error> {
    let dir = cli.vault.unwrap_or_else(amparo_core::default_vault_dir);
    let unlock = || -> Result<Vault, Error> {
        let p = passphrase("AMPARO_PASSPHRASE", "Vault passphrase: ")?;
        Vault::unlock(&dir, &p, &cli.actor)
    };
    match cli.command {
        Command::Create { fast_kdf } => {
            let p = passphrase("AMPARO_PASSPHRASE", "New vault passphrase: ")?;
            let kdf = if fast_kdf {
                KdfChoice::Fixed(KdfParams::MINIMUM)
            } else {
                KdfChoice::Calibrate
            };
            let v = Vault::create(&dir, &p, kdf, &cli.actor)?;
            print_json(&serde_json::json!({ "created": v.dir() }))?;
            v.lock()?;
        }
        Command::Check => {
            let started = Instant::now();
            let v = unlock()?;
            let unlock_ms = started.elapsed().as_millis();
            let checked = Instant::now();
            let report = v.full_check()?;
            let check_ms = checked.elapsed().as_millis();
            let clients = if report.damaged() {
                None
            } else {
                Some(v.list_clients(&ClientFilter::default(), 0, 1)?.total)
            };
            let chain = report.chain.as_ref();
            print_json(&serde_json::json!({
                "unlocked": true,
                "unlock_ms": unlock_ms,
                "check_ms": check_ms,
                "clients": clients,
                "pages_ok": report.pages_ok,
                "structure_ok": report.structure_ok,
                "integrity_ok": report.pages_ok && report.structure_ok,
                "audit_entries": chain.map(|c| c.entries),
                "audit_first_bad_seq": chain.and_then(|c| c.first_bad_seq),
                "audit_altered_records": chain.map(|c| c.altered_records),
                "audit_first_altered": chain.and_then(|c| c.first_altered.clone()),
            }))?;
            v.lock()?;
            if report.damaged() {
                return Err(Error::VaultDamaged);
            }
            if !report.holds() {
                return Err(Error::VaultTampered);
            }
        }
        Command::Backup { out } => {
            let mut v = unlock()?;
            print_json(&v.backup_to(&out)?)?;
            v.lock()?;
        }
        Command::Restore { from } => {
            let p = passphrase("AMPARO_PASSPHRASE", "Passphrase of the backup: ")?;
            let (v, report) = amparo_core::backup::restore(&from, &dir, &p, &cli.actor)?;
            print_json(&report)?;
            v.lock()?;
        }
        Command::Passwd => {
            let old = passphrase("AMPARO_PASSPHRASE", "Current passphrase: ")?;
            let new = passphrase("AMPARO_NEW_PASSPHRASE", "New passphrase: ")?;
            Vault::change_passphrase(&dir, &old, &new, KdfChoice::Calibrate)?;
            print_json(&serde_json::json!({ "changed": true }))?;
        }
        Command::Clients(ClientsCmd::Get { id }) => {
            let v = unlock()?;
            print_json(&v.client(&id)?)?;
            v.lock()?;
        }
        Command::Clients(ClientsCmd::Add) => {
            let input: ClientInput = read_json_stdin()?;
            let mut v = unlock()?;
            print_json(&v.create_client(&input)?)?;
            v.lock()?;
        }
        Command::Clients(ClientsCmd::List {
            filter,
            nationality,
            offset,
            limit,
            repeat,
        }) => {
            let v = unlock()?;
            let filter = ClientFilter {
                text: filter,
                nationality,
            };
            let mut page = None;
            for _ in 0..repeat.max(1) {
                let started = Instant::now();
                page = Some(v.list_clients(&filter, offset, limit)?);
                // Timing for the docs' figures; on stderr so stdout stays pure JSON.
                eprintln!("list: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
            }
            print_json(&page)?;
            v.lock()?;
        }
        Command::Hearings(HearingsCmd::Add) => {
            let input: HearingInput = read_json_stdin()?;
            let mut v = unlock()?;
            print_json(&v.add_hearing(&input)?)?;
            v.lock()?;
        }
        Command::Hearings(HearingsCmd::List { client }) => {
            let v = unlock()?;
            print_json(&v.hearings_for_client(&client)?)?;
            v.lock()?;
        }
        Command::Hearings(HearingsCmd::Upcoming { days, repeat }) => {
            let v = unlock()?;
            let mut up = None;
            for _ in 0..repeat.max(1) {
                let started = Instant::now();
                up = Some(v.upcoming(days, chrono::Utc::now())?);
                eprintln!(
                    "upcoming: {:.1} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            print_json(&up)?;
            v.lock()?;
        }
        Command::Hearings(HearingsCmd::Ics {
            days,
            out,
            names,
            lang,
        }) => {
            let lang = match lang.as_str() {
                "es" => IcsLang::Es,
                "en" => IcsLang::En,
                _ => return Err(Error::validation("lang", "unknown_code")),
            };
            let mut v = unlock()?;
            let opts = IcsOptions {
                days,
                include_names: names,
                lang,
            };
            let ics = v.export_ics(&opts, chrono::Utc::now())?;
            let bytes = write_export(&out, ics.text.as_bytes())?;
            print_json(&serde_json::json!({ "events": ics.events, "bytes": bytes, "path": out }))?;
            v.lock()?;
        }
        Command::Packet(PacketCmd::Build { out, repeat }) => {
            let request: PacketRequest = read_json_stdin()?;
            let mut v = unlock()?;
            let mut built = None;
            for _ in 0..repeat.max(1) {
                let started = Instant::now();
                built = Some(v.build_packet(&request, chrono::Utc::now())?);
                eprintln!("packet: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
            }
            let built = built.ok_or(Error::NotFound)?;
            write_export(&out, &built.pdf)?;
            let record = v.record_packet(&built)?;
            print_json(&serde_json::json!({
                "id": record.id,
                "path": out,
                "pages": built.pages,
                "pdf_a": built.pdf_a,
                "bytes": built.pdf.len(),
                "sha256": record.pdf_sha256,
            }))?;
            v.lock()?;
        }
        Command::Packet(PacketCmd::List { client }) => {
            let v = unlock()?;
            print_json(&v.packets_for_client(&client)?)?;
            v.lock()?;
        }
        Command::Attach {
            incident,
            client,
            file,
        } => {
            let (kind, owner) = match (incident, client) {
                (Some(i), _) => (AttachmentOwner::Incident, i),
                (None, Some(c)) => (AttachmentOwner::Client, c),
                (None, None) => return Err(Error::validation("owner", "required")),
            };
            let bytes = std::fs::read(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut v = unlock()?;
            print_json(&v.attach(kind, &owner, &name, &bytes)?)?;
            v.lock()?;
        }
        Command::Incidents(IncidentsCmd::Add) => {
            let input: IncidentInput = read_json_stdin()?;
            let mut v = unlock()?;
            print_json(&v.add_incident(&input)?)?;
            v.lock()?;
        }
        Command::Incidents(IncidentsCmd::List { client }) => {
            let v = unlock()?;
            print_json(&v.incidents_for_client(&client)?)?;
            v.lock()?;
        }
        Command::Search { query, repeat } => {
            let v = unlock()?;
            let mut found = None;
            for _ in 0..repeat.max(1) {
                let started = Instant::now();
                found = Some(v.search(&query)?);
                eprintln!("search: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
            }
            print_json(&found)?;
            v.lock()?;
        }
        Command::StressWrite { count } => {
            use std::io::Write;
            let mut v = unlock()?;
            let mut out = std::io::stdout().lock();
            let mut ids: Vec<String> = Vec::new();
            for i in 0..count {
                if i % 3 == 2 && !ids.is_empty() {
                    let id = ids[(i as usize * 7) % ids.len()].clone();
                    let input = ClientInput {
                        given_names: "Stress".into(),
                        family_names: format!("Writer {i}"),
                        notes: format!("n{i}"),
                        ..ClientInput::default()
                    };
                    v.update_client(&id, &input)?;
                    writeln!(out, "U {id} {i}")?;
                } else {
                    let input = ClientInput {
                        given_names: "Stress".into(),
                        family_names: format!("Writer {i}"),
                        notes: format!("n{i}"),
                        ..ClientInput::default()
                    };
                    let id = v.create_client(&input)?.id;
                    writeln!(out, "C {id} {i}")?;
                    ids.push(id);
                }
                out.flush()?;
            }
            v.lock()?;
        }
        Command::Bench {
            plain_copy,
            runs,
            unlock_runs,
            packet_runs,
        } => {
            let p = passphrase("AMPARO_PASSPHRASE", "Vault passphrase: ")?;
            let mut v = Vault::unlock(&dir, &p, &cli.actor)?;
            let started = Instant::now();
            v.export_plain_copy_for_bench(&plain_copy)?;
            eprintln!(
                "plain copy written in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            let counts = v.record_counts()?;
            let checked = Instant::now();
            let check = v.full_check()?;
            let check_time = checked.elapsed();
            let mut rows = amparo_core::bench::suite(
                &mut v,
                &plain_copy,
                amparo_core::bench::Runs {
                    unlock: unlock_runs,
                    queries: runs,
                    packet: packet_runs,
                },
            )?;
            rows.push(amparo_core::bench::Row::once(
                "full check after unlock (pages, structure, chain, records; background)",
                check_time,
            ));
            v.lock()?;
            rows.splice(
                0..0,
                amparo_core::bench::time_unlock(&dir, &p, &plain_copy, unlock_runs)?,
            );
            let size = |path: &std::path::Path| std::fs::metadata(path).map_or(0, |m| m.len());
            let vault_bytes = size(&dir.join("vault.db"));
            let plain_bytes = size(&plain_copy);
            let peak = amparo_core::bench::peak_rss_mib();
            eprintln!("| Operation | Encrypted median / p95 | Plain median / p95 | Ratio |");
            eprintln!("|---|---|---|---|");
            for r in &rows {
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
            }))?;
        }
        Command::BenchSearch {
            plain_copy,
            runs,
            queries,
        } => {
            let v = unlock()?;
            v.export_plain_copy_for_bench(&plain_copy)?;
            let plain = amparo_core::bench::open_plain(&plain_copy)?;
            let queries = if queries.is_empty() {
                [
                    "bodega",
                    "juarez",
                    "camioneta",
                    "secuestro",
                    "hernandez lopez",
                    "A-201-234-567",
                    "albergue miedo",
                    "retén",
                ]
                .map(str::to_owned)
                .to_vec()
            } else {
                queries
            };
            let mut rows = Vec::new();
            for q in &queries {
                let (enc, pl) =
                    amparo_core::bench::compare(v.connection_for_bench(), &plain, runs, |c| {
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
            print_json(&rows)?;
            v.lock()?;
        }
        Command::Seed {
            clients,
            seed,
            notes,
            large_clinic,
        } => {
            let mut v = unlock()?;
            let started = Instant::now();
            let step = (clients / 20).max(1);
            let shape = if large_clinic {
                amparo_core::demo::Shape::LARGE_CLINIC
            } else {
                amparo_core::demo::Shape::DEMO
            };
            let counts = amparo_core::demo::seed_shaped(&mut v, clients, seed, shape, |done| {
                if done % step == 0 || done == clients {
                    eprintln!("seeding: {done}/{clients}");
                }
            })?;
            // Notes go to existing clients, so they come after the clients.
            if notes > 0 {
                let step = (notes / 20).max(1);
                let added = amparo_core::demo::seed_notes(&mut v, notes, seed, |done| {
                    if done % step < 2_000 || done == notes {
                        eprintln!("notes: {done}/{notes}");
                    }
                })?;
                eprintln!("notes: {added} in {:.1} s", started.elapsed().as_secs_f64());
            }
            print_json(&serde_json::json!({
                "counts": counts,
                "seconds": started.elapsed().as_secs_f64(),
            }))?;
            v.lock()?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let report = ErrorReport::from(&e);
            eprintln!("amparo: {e}");
            eprintln!("{}", serde_json::to_string(&report).unwrap_or_default());
            ExitCode::FAILURE
        }
    }
}
