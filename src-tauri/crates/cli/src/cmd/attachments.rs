//! `amparo attach`: evidence on an incident or a client.

use std::path::Path;

use amparo_core::Error;
use amparo_core::codes::AttachmentOwner;
use amparo_core::error::FieldCode;

use super::Ctx;
use crate::io::print_json;

pub fn attach(
    ctx: &Ctx,
    incident: Option<String>,
    client: Option<String>,
    file: &Path,
) -> Result<(), Error> {
    let (kind, owner) = match (incident, client) {
        (Some(i), _) => (AttachmentOwner::Incident, i),
        (None, Some(c)) => (AttachmentOwner::Client, c),
        (None, None) => return Err(Error::validation("owner", FieldCode::Required)),
    };
    let bytes = std::fs::read(file)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ctx.with_vault(|v| print_json(&v.attach(kind, &owner, &name, &bytes)?))
}
