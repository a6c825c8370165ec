//! `amparo incidents add | list`.

use amparo_core::Error;
use amparo_core::incidents::IncidentInput;
use clap::Subcommand;

use super::Ctx;
use crate::io::{print_json, read_json_stdin};

#[derive(Subcommand)]
pub enum IncidentsCmd {
    /// Add one incident from a JSON IncidentInput on stdin; prints the saved incident
    Add,
    /// A client's incidents as JSON
    List {
        #[arg(long)]
        client: String,
    },
}

pub fn run(ctx: &Ctx, cmd: IncidentsCmd) -> Result<(), Error> {
    match cmd {
        IncidentsCmd::Add => {
            let input: IncidentInput = read_json_stdin()?;
            ctx.with_vault(|v| print_json(&v.add_incident(&input)?))
        }
        IncidentsCmd::List { client } => {
            ctx.with_vault(|v| print_json(&v.incidents_for_client(&client)?))
        }
    }
}
