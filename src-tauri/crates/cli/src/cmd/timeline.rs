//! `amparo timeline --client ID`: a client's return, hearings, screenings and incidents by
//! date, as the client's page shows them.

use amparo_core::Error;

use super::Ctx;
use crate::io::print_json;

pub fn timeline(ctx: &Ctx, client: &str) -> Result<(), Error> {
    ctx.with_vault(|v| print_json(&v.timeline(client)?))
}
