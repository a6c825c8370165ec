//! `amparo`: the headless command on Amparo's core, for scripting, demos and benchmarks.
//! JSON in (stdin), JSON out (stdout) and nothing else unless asked; errors as JSON on stderr
//! with a non-zero exit. One module per noun under `cmd/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cmd;
mod io;

use std::path::PathBuf;
use std::process::ExitCode;

use amparo_core::{Error, ErrorReport};
use amparo_tools::bench::Runs;
use clap::{Parser, Subcommand};
use cmd::attachments::AttachmentsCmd;
use cmd::clients::ClientsCmd;
use cmd::hearings::HearingsCmd;
use cmd::incidents::IncidentsCmd;
use cmd::members::MembersCmd;
use cmd::packets::PacketCmd;
use cmd::screenings::ScreeningsCmd;
use cmd::settings::SettingsCmd;
use cmd::sync::{ReplicaCmd, SyncCmd};
use cmd::{Ctx, tools};

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
    /// Who you are: your handle in the clinic's team (a vault of one takes any name, recorded
    /// in the history) [env: AMPARO_MEMBER]
    #[arg(
        long = "member",
        visible_alias = "actor",
        env = "AMPARO_MEMBER",
        global = true,
        default_value = "amparo-cli"
    )]
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
    /// Open a vault that a check closed to writes (damaged or changed outside the app) again;
    /// the decision and its reason are written into the history first. Restoring a backup is
    /// the other way out.
    #[command(visible_alias = "accept")]
    AcceptDamage {
        /// Why it is safe to go on (recorded in the history)
        #[arg(long)]
        reason: String,
    },
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
    /// Change the passphrase (new one from AMPARO_NEW_PASSPHRASE or a prompt); the vault gets
    /// a new key and is re-encrypted under it
    Passwd,
    /// Give the vault a new key under the same passphrase, re-encrypting it: copies of the old
    /// key file (vault.json) no longer open it
    RotateKey,
    /// Add, get, list, edit and delete clients
    #[command(subcommand)]
    Clients(ClientsCmd),
    /// Add, list, edit, delete and export hearings
    #[command(subcommand)]
    Hearings(HearingsCmd),
    /// Add, list, edit and delete incidents
    #[command(subcommand)]
    Incidents(IncidentsCmd),
    /// Add, list, edit and delete fear screenings
    #[command(subcommand)]
    Screenings(ScreeningsCmd),
    /// A client's timeline as JSON: return, hearings, screenings and incidents by date
    Timeline {
        #[arg(long)]
        client: String,
    },
    /// List the files attached to an incident or a client
    #[command(subcommand)]
    Attachments(AttachmentsCmd),
    /// The clinic's team: list, add, change a role, remove (coordinators)
    #[command(subcommand)]
    Members(MembersCmd),
    /// Unlock with the clinic's recovery code (AMPARO_RECOVERY_CODE or a prompt), when no
    /// coordinator can: prints the members; with --reset, gives that member a passphrase for
    /// once (AMPARO_NEW_PASSPHRASE) to change at their next unlock
    Recovery {
        /// The member whose passphrase to reset
        #[arg(long)]
        reset: Option<String>,
    },
    /// Laptops of one clinic: write a seed for a new one, or join from a seed
    #[command(subcommand)]
    Replica(ReplicaCmd),
    /// Keep this laptop in step with the others: bundles by file or through a sync folder,
    /// the review queue
    #[command(subcommand)]
    Sync(SyncCmd),
    /// Read and change the vault's settings (the organisation printed on packets…)
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Build complaint packets, read the disclosure log, record their follow-up
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
    /// The benchmark on this (synthetic!) vault and an unencrypted copy of it: unlock
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

fn run(cli: Cli) -> Result<(), Error> {
    let ctx = Ctx {
        dir: cli.vault.unwrap_or_else(amparo_core::default_vault_dir),
        actor: cli.actor,
    };
    match cli.command {
        Command::Create { fast_kdf } => cmd::vault::create(&ctx, fast_kdf),
        Command::Check => cmd::vault::check(&ctx),
        Command::AcceptDamage { reason } => cmd::vault::accept_damage(&ctx, &reason),
        Command::Backup { out } => cmd::vault::backup(&ctx, &out),
        Command::Restore { from } => cmd::vault::restore(&ctx, &from),
        Command::Passwd => cmd::vault::passwd(&ctx),
        Command::RotateKey => cmd::vault::rotate_key(&ctx),
        Command::Clients(c) => cmd::clients::run(&ctx, c),
        Command::Hearings(c) => cmd::hearings::run(&ctx, c),
        Command::Incidents(c) => cmd::incidents::run(&ctx, c),
        Command::Packet(c) => cmd::packets::run(&ctx, c),
        Command::Members(c) => cmd::members::run(&ctx, c),
        Command::Recovery { reset } => cmd::members::recovery(&ctx, reset),
        Command::Screenings(c) => cmd::screenings::run(&ctx, c),
        Command::Timeline { client } => cmd::timeline::timeline(&ctx, &client),
        Command::Attachments(c) => cmd::attachments::run(&ctx, c),
        Command::Settings(c) => cmd::settings::run(&ctx, c),
        Command::Replica(c) => cmd::sync::replica(&ctx, c),
        Command::Sync(c) => cmd::sync::run(&ctx, c),
        Command::Attach {
            incident,
            client,
            file,
        } => cmd::attachments::attach(&ctx, incident, client, &file),
        Command::Search { query, repeat } => cmd::search::search(&ctx, &query, repeat),
        Command::StressWrite { count } => tools::stress_write(&ctx, count),
        Command::Bench {
            plain_copy,
            runs,
            unlock_runs,
            packet_runs,
        } => tools::bench(
            &ctx,
            &plain_copy,
            Runs {
                unlock: unlock_runs,
                queries: runs,
                packet: packet_runs,
            },
        ),
        Command::BenchSearch {
            plain_copy,
            runs,
            queries,
        } => tools::bench_search(&ctx, &plain_copy, runs, queries),
        Command::Seed {
            clients,
            seed,
            notes,
            large_clinic,
        } => tools::seed(&ctx, clients, seed, notes, large_clinic),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of stdout has gone (`| head -1`): nothing more to say.
        Err(e) if io::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let report = ErrorReport::from(&e);
            eprintln!("amparo: {e}");
            eprintln!("{}", serde_json::to_string(&report).unwrap_or_default());
            ExitCode::FAILURE
        }
    }
}
