//! `amparo packet build | list | follow-up`: the core gathers the document, the pdf crate
//! typesets it; the disclosure log records what became of it.

use std::path::PathBuf;

use amparo_core::Error;
use amparo_core::packet::{PacketFollowUp, PacketRequest};
use clap::Subcommand;

use super::Ctx;
use crate::io::{print_json, read_json_stdin, repeat};

#[derive(Subcommand)]
pub enum PacketCmd {
    /// Build a packet from a JSON PacketRequest on stdin (clients and record ids, recipient,
    /// profile, language, choices) and write the PDF; the packet is logged as saved
    Build {
        /// Where to write the PDF (plaintext: keep it safe)
        #[arg(long)]
        out: PathBuf,
        /// Build this many times and print each duration to stderr (for measuring); the last
        /// build is written and logged
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// The disclosure log for a client, as JSON
    List {
        #[arg(long)]
        client: String,
    },
    /// Record what became of a saved packet: when it was sent, the office's complaint number,
    /// its responses. What is not given keeps its value; prints the packet's log entry
    FollowUp {
        id: String,
        /// The day it was sent, YYYY-MM-DD
        #[arg(long, conflicts_with = "not_sent")]
        sent_on: Option<String>,
        /// Mark it not sent (clears the date)
        #[arg(long)]
        not_sent: bool,
        #[arg(long)]
        complaint_number: Option<String>,
        #[arg(long)]
        responses: Option<String>,
    },
}

pub fn run(ctx: &Ctx, cmd: PacketCmd) -> Result<(), Error> {
    match cmd {
        PacketCmd::Build { out, repeat: n } => {
            let request: PacketRequest = read_json_stdin()?;
            ctx.with_vault(|v| {
                let built = repeat("packet", n, || {
                    let doc = v.packet_document(&request, chrono::Utc::now())?;
                    Ok(amparo_pdf::build_packet(doc)?)
                })?;
                let record = v.save_packet(&built, &out)?;
                print_json(&serde_json::json!({
                    "id": record.id,
                    "path": out,
                    "pages": built.pages,
                    "pdf_a": built.pdf_a,
                    "bytes": built.pdf.len(),
                    "sha256": record.pdf_sha256,
                }))
            })
        }
        PacketCmd::List { client } => {
            ctx.with_vault(|v| print_json(&v.packets_for_client(&client)?))
        }
        PacketCmd::FollowUp {
            id,
            sent_on,
            not_sent,
            complaint_number,
            responses,
        } => ctx.with_vault(|v| {
            let now = v.packet(&id)?;
            let follow_up = PacketFollowUp {
                sent_on: if not_sent {
                    None
                } else {
                    sent_on.or(now.sent_on)
                },
                complaint_number: complaint_number.unwrap_or(now.complaint_number),
                responses: responses.unwrap_or(now.responses),
            };
            print_json(&v.update_packet_follow_up(&id, &follow_up)?)
        }),
    }
}
