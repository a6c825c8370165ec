//! `amparo replica new | join | remove` and `amparo sync export | import | status | conflicts |
//! resolve | folder | round`: several laptops keeping one clinic record without a server.
//! Every command prints JSON.

use std::path::PathBuf;

use amparo_core::sync::Take;
use amparo_core::{Error, Vault};
use clap::Subcommand;

use super::Ctx;
use crate::io::{passphrase, print_json};

#[derive(Subcommand)]
pub enum ReplicaCmd {
    /// "Add a laptop" (coordinators): write a seed for a new laptop, encrypted like a backup
    /// and carrying its own device id; this vault records its changes from now on
    New {
        #[arg(long)]
        out: PathBuf,
        /// The new laptop's name, as the others will show it ("Shelter", "Port")
        #[arg(long, default_value = "")]
        name: String,
    },
    /// "Join a clinic vault": take up a seed in --vault (which must hold no vault yet); the
    /// passphrase (AMPARO_PASSPHRASE) is yours, as on the laptop the seed came from
    Join {
        #[arg(long)]
        from: PathBuf,
    },
    /// "Remove a laptop" (coordinators), lost or retired: nothing more is taken from it, and
    /// a new sync key, sealed to the other laptops only, makes what follows unreadable to it
    Remove { device: String },
}

#[derive(Subcommand)]
pub enum SyncCmd {
    /// Write this laptop's bundle: every change the other laptops may lack, encrypted
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// Read bundles (any number, any order, again and again): each is applied whole or not at
    /// all; a damaged or foreign one is refused with its error and the others still go in
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// This laptop, the others it has heard of and when, and how many records need review
    Status,
    /// The records waiting for review: the same field changed on two laptops, or a record
    /// deleted on one and edited on another, with every version (who, when, which laptop)
    Conflicts,
    /// Settle a conflict with this laptop's version, the other's, or a value of your own; the
    /// settling travels to the other laptops like any change
    Resolve {
        id: String,
        /// local, remote, or the value to keep
        #[arg(long)]
        take: String,
    },
    /// Set the sync folder (a folder Syncthing or a USB stick keeps), or --off
    Folder {
        path: Option<PathBuf>,
        #[arg(long, conflicts_with = "path")]
        off: bool,
    },
    /// One round with the sync folder: read the others' bundles there, write this laptop's
    Round,
    /// Name this laptop (shown to the others)
    Name { name: String },
}

pub fn replica(ctx: &Ctx, cmd: ReplicaCmd) -> Result<(), Error> {
    match cmd {
        ReplicaCmd::New { out, name } => {
            ctx.with_vault(|v| print_json(&v.replica_seed(&out, &name)?))
        }
        ReplicaCmd::Join { from } => {
            let p = passphrase("AMPARO_PASSPHRASE", "Your passphrase: ")?;
            let v = Vault::join_replica(&from, &ctx.dir, &p, &ctx.actor)?;
            let status = v.sync_status();
            v.lock()?;
            print_json(&status?)
        }
        ReplicaCmd::Remove { device } => ctx.with_vault(|v| {
            v.remove_replica(&device)?;
            print_json(&v.sync_status()?)
        }),
    }
}

pub fn run(ctx: &Ctx, cmd: SyncCmd) -> Result<(), Error> {
    match cmd {
        SyncCmd::Export { out } => ctx.with_vault(|v| print_json(&v.sync_export(&out)?)),
        SyncCmd::Import { files } => ctx.with_vault(|v| {
            let mut reports = Vec::new();
            let mut failed = None;
            for f in &files {
                match v.sync_import(f) {
                    Ok(r) => reports.push(serde_json::json!({ "file": f, "report": r })),
                    Err(e) => {
                        reports.push(serde_json::json!({ "file": f, "error": e.code() }));
                        failed.get_or_insert(e);
                    }
                }
            }
            print_json(&reports)?;
            failed.map_or(Ok(()), Err)
        }),
        SyncCmd::Status => ctx.with_vault(|v| {
            let status = v.sync_status()?;
            let digest = v.sync_digest()?;
            print_json(&serde_json::json!({ "status": status, "digest": digest }))
        }),
        SyncCmd::Conflicts => ctx.with_vault(|v| print_json(&v.sync_clashes()?)),
        SyncCmd::Resolve { id, take } => {
            let take = match take.as_str() {
                "local" => Take::Local,
                "remote" => Take::Remote,
                _ => Take::Value(take),
            };
            ctx.with_vault(|v| print_json(&v.sync_resolve(&id, &take)?))
        }
        SyncCmd::Folder { path, off } => ctx.with_vault(|v| {
            v.set_sync_folder(if off { None } else { path.as_deref() })?;
            print_json(&v.sync_status()?)
        }),
        SyncCmd::Round => ctx.with_vault(|v| print_json(&v.sync_folder_round()?)),
        SyncCmd::Name { name } => ctx.with_vault(|v| {
            v.set_device_name(&name)?;
            print_json(&v.sync_status()?)
        }),
    }
}
