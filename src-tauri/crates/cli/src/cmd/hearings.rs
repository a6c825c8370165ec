//! `amparo hearings add | list | edit | delete | upcoming | ics`.

use std::path::PathBuf;

use amparo_core::Error;
use amparo_core::error::FieldCode;
use amparo_core::hearings::HearingInput;
use amparo_core::ics::{IcsLang, IcsOptions};
use clap::Subcommand;

use super::Ctx;
use amparo_core::json;

use crate::io::{print_json, read_json_stdin, read_stdin, repeat};

#[derive(Subcommand)]
pub enum HearingsCmd {
    /// Add one hearing from a JSON HearingInput on stdin; prints the saved hearing
    Add,
    /// A client's hearings as JSON
    List {
        #[arg(long)]
        client: String,
    },
    /// Change a hearing (its outcome, a new date…): a JSON object of the HearingInput fields
    /// to change on stdin; prints the hearing
    Edit { id: String },
    /// Delete a hearing (kept in the history)
    Delete { id: String },
    /// The home screen as JSON: coming days by port, hearings needing an outcome, in-absentia orders
    Upcoming {
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// Run the query this many times and print each duration to stderr (for measuring)
        #[arg(long, default_value_t = 1)]
        repeat: u32,
        /// Only the hearings of clients assigned to you ("My hearings")
        #[arg(long)]
        mine: bool,
    },
    /// Write upcoming hearings to an iCalendar file
    Ics {
        #[arg(long, default_value_t = 14)]
        days: u32,
        /// Where to write the file
        #[arg(long)]
        out: PathBuf,
        /// Full names instead of initials and the last three digits of the A-number
        #[arg(long)]
        names: bool,
        /// Language of the event texts (en or es)
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

pub fn run(ctx: &Ctx, cmd: HearingsCmd) -> Result<(), Error> {
    match cmd {
        HearingsCmd::Add => {
            let input: HearingInput = read_json_stdin()?;
            ctx.with_vault(|v| print_json(&v.add_hearing(&input)?))
        }
        HearingsCmd::Edit { id } => {
            let changes = read_stdin()?;
            ctx.with_vault(|v| {
                let input = json::patch(&v.hearing(&id)?.to_input(), &changes)?;
                print_json(&v.update_hearing(&id, &input)?)
            })
        }
        HearingsCmd::Delete { id } => ctx.with_vault(|v| {
            v.delete_hearing(&id)?;
            print_json(&serde_json::json!({ "deleted": id }))
        }),
        HearingsCmd::List { client } => {
            ctx.with_vault(|v| print_json(&v.hearings_for_client(&client)?))
        }
        HearingsCmd::Upcoming {
            days,
            repeat: n,
            mine,
        } => ctx.with_vault(|v| {
            let scope = super::clients::scope(mine);
            let up = repeat("upcoming", n, || {
                v.upcoming(days, chrono::Utc::now(), scope)
            })?;
            print_json(&up)
        }),
        HearingsCmd::Ics {
            days,
            out,
            names,
            lang,
        } => {
            let lang = match lang.as_str() {
                "es" => IcsLang::Es,
                "en" => IcsLang::En,
                _ => return Err(Error::validation("lang", FieldCode::UnknownCode)),
            };
            let opts = IcsOptions {
                days,
                include_names: names,
                lang,
                scope: amparo_core::caseload::Scope::All,
            };
            ctx.with_vault(|v| {
                let (ics, bytes) = v.save_ics(&opts, chrono::Utc::now(), &out)?;
                print_json(
                    &serde_json::json!({ "events": ics.events, "bytes": bytes, "path": out }),
                )
            })
        }
    }
}
