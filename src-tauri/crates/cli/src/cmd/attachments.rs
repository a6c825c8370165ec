//! `amparo attach` and `amparo attachments list`: evidence on an incident or a client.

use std::path::Path;

use amparo_core::Error;
use amparo_core::codes::AttachmentOwner;
use amparo_core::error::FieldCode;

use clap::Subcommand;

use super::Ctx;
use crate::io::print_json;

pub fn attach(
    ctx: &Ctx,
    incident: Option<String>,
    client: Option<String>,
    file: &Path,
) -> Result<(), Error> {
    let (kind, owner) = owner(incident, client)?;
    let bytes = std::fs::read(file)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ctx.with_vault(|v| print_json(&v.attach(kind, &owner, &name, &bytes)?))
}

#[derive(Subcommand)]
pub enum AttachmentsCmd {
    /// The files on an incident or a client, as JSON
    List {
        #[arg(long, conflicts_with = "client")]
        incident: Option<String>,
        #[arg(long)]
        client: Option<String>,
    },
}

pub fn run(ctx: &Ctx, cmd: AttachmentsCmd) -> Result<(), Error> {
    match cmd {
        AttachmentsCmd::List { incident, client } => list(ctx, incident, client),
    }
}

/// The files on an incident or a client (names, types, sizes, SHA-256; never the bytes).
fn list(ctx: &Ctx, incident: Option<String>, client: Option<String>) -> Result<(), Error> {
    let (kind, owner) = owner(incident, client)?;
    ctx.with_vault(|v| print_json(&v.attachments_for(kind, &owner)?))
}

fn owner(
    incident: Option<String>,
    client: Option<String>,
) -> Result<(AttachmentOwner, String), Error> {
    match (incident, client) {
        (Some(i), _) => Ok((AttachmentOwner::Incident, i)),
        (None, Some(c)) => Ok((AttachmentOwner::Client, c)),
        (None, None) => Err(Error::validation("owner", FieldCode::Required)),
    }
}
