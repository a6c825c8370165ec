//! `amparo screenings add | list | edit | delete`: fear screenings.

use amparo_core::screenings::ScreeningInput;
use amparo_core::{Error, json};
use clap::Subcommand;

use super::Ctx;
use crate::io::{print_json, read_json_stdin, read_stdin};

#[derive(Subcommand)]
pub enum ScreeningsCmd {
    /// Add one fear screening from a JSON ScreeningInput on stdin; prints the saved screening
    Add,
    /// A client's fear screenings as JSON
    List {
        #[arg(long)]
        client: String,
    },
    /// Change a screening: a JSON object of the ScreeningInput fields to change on stdin
    Edit { id: String },
    /// Delete a screening (kept in the history)
    Delete { id: String },
}

pub fn run(ctx: &Ctx, cmd: ScreeningsCmd) -> Result<(), Error> {
    match cmd {
        ScreeningsCmd::Add => {
            let input: ScreeningInput = read_json_stdin()?;
            ctx.with_vault(|v| print_json(&v.add_screening(&input)?))
        }
        ScreeningsCmd::List { client } => {
            ctx.with_vault(|v| print_json(&v.screenings_for_client(&client)?))
        }
        ScreeningsCmd::Edit { id } => {
            let changes = read_stdin()?;
            ctx.with_vault(|v| {
                let input = json::patch(&v.screening(&id)?.input, &changes)?;
                print_json(&v.save_screening(Some(&id), &input)?)
            })
        }
        ScreeningsCmd::Delete { id } => ctx.with_vault(|v| {
            v.delete_screening(&id)?;
            print_json(&serde_json::json!({ "deleted": id }))
        }),
    }
}
