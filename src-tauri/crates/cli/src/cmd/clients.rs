//! `amparo clients add | get | list`.

use amparo_core::Error;
use amparo_core::clients::{ClientFilter, ClientInput};
use clap::Subcommand;

use super::Ctx;
use crate::io::{print_json, read_json_stdin, repeat};

#[derive(Subcommand)]
pub enum ClientsCmd {
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

pub fn run(ctx: &Ctx, cmd: ClientsCmd) -> Result<(), Error> {
    match cmd {
        ClientsCmd::Add => {
            let input: ClientInput = read_json_stdin()?;
            ctx.with_vault(|v| print_json(&v.create_client(&input)?))
        }
        ClientsCmd::Get { id } => ctx.with_vault(|v| print_json(&v.client(&id)?)),
        ClientsCmd::List {
            filter,
            nationality,
            offset,
            limit,
            repeat: n,
        } => {
            let filter = ClientFilter {
                text: filter,
                nationality,
            };
            ctx.with_vault(|v| {
                let page = repeat("list", n, || v.list_clients(&filter, offset, limit))?;
                print_json(&page)
            })
        }
    }
}
