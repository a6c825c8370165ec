//! `amparo clients add | get | list | edit | delete`.

use amparo_core::Error;
use amparo_core::caseload::Scope;
use amparo_core::clients::{ClientFilter, ClientInput};
use clap::Subcommand;

use super::Ctx;
use amparo_core::json;

use crate::io::{print_json, read_json_stdin, read_stdin, repeat};

#[derive(Subcommand)]
pub enum ClientsCmd {
    /// Add one client from a JSON ClientInput on stdin; prints the saved client
    Add,
    /// One client, as JSON
    Get { id: String },
    /// Change a client: a JSON object of the ClientInput fields to change on stdin (the others
    /// keep their values; `family` and `consent` are replaced whole); prints the client
    Edit { id: String },
    /// Delete a client (kept in the history, gone from every list and view)
    Delete { id: String },
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
        /// Only the clients assigned to you ("My clients")
        #[arg(long)]
        mine: bool,
    },
    /// Assign a client to exactly these members (repeat --to; none to unassign everyone);
    /// prints who the client is assigned to. Coordinators and attorneys.
    Assign {
        id: String,
        /// A member's handle
        #[arg(long = "to")]
        to: Vec<String>,
    },
}

pub fn run(ctx: &Ctx, cmd: ClientsCmd) -> Result<(), Error> {
    match cmd {
        ClientsCmd::Add => {
            let input: ClientInput = read_json_stdin()?;
            ctx.with_vault(|v| print_json(&v.create_client(&input)?))
        }
        ClientsCmd::Get { id } => ctx.with_vault(|v| print_json(&v.client(&id)?)),
        ClientsCmd::Edit { id } => {
            let changes = read_stdin()?;
            ctx.with_vault(|v| {
                let input = json::patch(&v.client(&id)?.to_input(), &changes)?;
                print_json(&v.update_client(&id, &input)?)
            })
        }
        ClientsCmd::Assign { id, to } => {
            ctx.with_vault(|v| print_json(&v.set_assignees(&id, &to)?))
        }
        ClientsCmd::Delete { id } => ctx.with_vault(|v| {
            v.delete_client(&id)?;
            print_json(&serde_json::json!({ "deleted": id }))
        }),
        ClientsCmd::List {
            filter,
            nationality,
            offset,
            limit,
            repeat: n,
            mine,
        } => {
            let filter = ClientFilter {
                text: filter,
                nationality,
                scope: scope(mine),
            };
            ctx.with_vault(|v| {
                let page = repeat("list", n, || v.list_clients(&filter, offset, limit))?;
                print_json(&page)
            })
        }
    }
}

/// `--mine`: the acting member's caseload, else everyone's.
pub(crate) fn scope(mine: bool) -> Scope {
    if mine { Scope::Mine } else { Scope::All }
}
