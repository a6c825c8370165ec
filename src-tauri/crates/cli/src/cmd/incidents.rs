//! `amparo incidents add | list | edit | delete`.

use amparo_core::incidents::IncidentInput;
use amparo_core::{Error, json};
use clap::Subcommand;

use super::Ctx;
use crate::io::{print_json, read_json_stdin, read_stdin};

#[derive(Subcommand)]
pub enum IncidentsCmd {
    /// Add one incident from a JSON IncidentInput on stdin; prints the saved incident
    Add,
    /// A client's incidents as JSON
    List {
        #[arg(long)]
        client: String,
    },
    /// Change an incident: a JSON object of the IncidentInput fields to change on stdin;
    /// prints the incident
    Edit { id: String },
    /// Delete an incident (kept in the history)
    Delete { id: String },
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
        IncidentsCmd::Edit { id } => {
            let changes = read_stdin()?;
            ctx.with_vault(|v| {
                let input = json::patch(&v.incident(&id)?.input, &changes)?;
                print_json(&v.save_incident(Some(&id), &input)?)
            })
        }
        IncidentsCmd::Delete { id } => ctx.with_vault(|v| {
            v.delete_incident(&id)?;
            print_json(&serde_json::json!({ "deleted": id }))
        }),
    }
}
