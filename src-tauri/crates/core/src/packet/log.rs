//! The disclosure log: every packet saved somewhere, with what it disclosed and why, and what
//! happened after it was sent.

use rusqlite::{OptionalExtension, params};

use crate::dates::PartialDate;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::vault::Vault;

use super::{BuiltPacket, PacketFollowUp, PacketRecord, PlanPerson, Treatment};
use crate::records::PersonRef;

impl Vault {
    /// Logs a packet the user saved: who, when, to whom, how disclosed, which records, and
    /// the PDF's SHA-256; one audit entry per client it concerns.
    pub fn record_packet(&mut self, p: &BuiltPacket) -> Result<PacketRecord> {
        self.write(|tx| log_packet(tx, p))?;
        self.packet(&p.id)
    }

    /// Writes the packet's PDF to `path` and logs it, in one transaction committed only once
    /// the file is in place.
    pub fn save_packet(&mut self, p: &BuiltPacket, path: &std::path::Path) -> Result<PacketRecord> {
        self.export_logged(path, &p.pdf, |tx| log_packet(tx, p))?;
        self.packet(&p.id)
    }

    pub fn packet(&self, id: &str) -> Result<PacketRecord> {
        self.may_read_record("packet", id)?;
        self.conn
            .query_row(
                &format!("{PACKET_SELECT} WHERE id = ?1"),
                [id],
                row_to_packet,
            )
            .optional()?
            .ok_or(Error::NotFound)?
    }

    /// The client's packets, newest first.
    pub fn packets_for_client(&self, client_id: &str) -> Result<Vec<PacketRecord>> {
        crate::records::check_client(self, client_id)?;
        let mut stmt = self.conn.prepare(&format!(
            "{PACKET_SELECT} WHERE id IN (SELECT packet_id FROM packet_clients WHERE client_id = ?1)
             ORDER BY created_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map([client_id], row_to_packet)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .collect()
    }

    /// Marks a packet sent (or not), with the office's complaint number and responses.
    pub fn update_packet_follow_up(
        &mut self,
        id: &str,
        f: &PacketFollowUp,
    ) -> Result<PacketRecord> {
        let mut e = Vec::new();
        if let Some(d) = &f.sent_on
            && !matches!(PartialDate::parse(d), Some(PartialDate::Day(_)))
        {
            e.push(FieldError::new("sent_on", FieldCode::DateFormat));
        }
        if f.complaint_number.chars().count() > 200 {
            e.push(FieldError::new("complaint_number", FieldCode::TooLong));
        }
        if f.responses.chars().count() > crate::validate::LONG_MAX {
            e.push(FieldError::new("responses", FieldCode::TooLong));
        }
        crate::validate::finish(e)?;
        let now = crate::dates::now_rfc3339();
        self.write(|tx| {
            let n = tx.execute(
            "UPDATE packets SET sent_at = ?2, complaint_number = ?3, responses = ?4, updated_at = ?5
             WHERE id = ?1",
            params![
                id,
                f.sent_on,
                f.complaint_number.trim(),
                f.responses.trim(),
                now
            ],
        )?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            tx.record(
                "update",
                "packet",
                id,
                &["sent_on", "complaint_number", "responses"],
            );
            Ok(())
        })?;
        self.packet(id)
    }
}

const PACKET_SELECT: &str = "SELECT id, created_at, created_by, recipient, profile, lang, request,
    pdf_sha256, pages, pdf_a, sent_at, complaint_number, responses FROM packets";

/// Keeps the pseudonym of everyone the packet prints under one, from now on theirs in every
/// packet. One given to someone else since the packet was built (another packet saved in
/// between) refuses the save: building again gives a free one.
fn keep_pseudonyms(tx: &rusqlite::Transaction<'_>, people: &[PlanPerson], at: &str) -> Result<()> {
    for p in people
        .iter()
        .filter(|p| p.treatment == Treatment::Pseudonymised)
    {
        let name = p.pseudonym.trim_end_matches('*');
        let id = match &p.person {
            PersonRef::Client(id) | PersonRef::FamilyMember(id) => id,
        };
        let kept: Option<String> = tx
            .query_row(
                "SELECT pseudonym FROM pseudonyms WHERE person_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match kept {
            Some(k) if k == name => {}
            Some(_) => return Err(Error::validation("pseudonym", FieldCode::Duplicate)),
            None => {
                let inserted = tx.execute(
                    "INSERT INTO pseudonyms (person_id, pseudonym, folded, assigned_at)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT(folded) DO NOTHING",
                    params![id, name, crate::text::fold(name), at],
                )?;
                if inserted == 0 {
                    return Err(Error::validation("pseudonym", FieldCode::Duplicate));
                }
            }
        }
    }
    Ok(())
}

fn row_to_packet(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<PacketRecord>> {
    let request: String = r.get(6)?;
    let request = match serde_json::from_str(&request) {
        Ok(q) => q,
        Err(_) => return Ok(Err(Error::VaultDamaged)),
    };
    Ok(Ok(PacketRecord {
        id: r.get(0)?,
        created_at: r.get(1)?,
        created_by: r.get(2)?,
        recipient: r.get(3)?,
        profile: r.get(4)?,
        lang: r.get(5)?,
        request,
        pdf_sha256: r.get(7)?,
        pages: r.get(8)?,
        pdf_a: r.get(9)?,
        sent_on: r.get(10)?,
        complaint_number: r.get(11)?,
        responses: r.get(12)?,
    }))
}

/// The disclosure log's record of a packet and its audit entry.
fn log_packet(tx: &mut crate::store::Write<'_>, p: &BuiltPacket) -> Result<()> {
    let request = serde_json::to_string(&p.request).map_err(|_| Error::Crypto("encode"))?;
    tx.execute(
        "INSERT INTO packets (id, created_at, created_by, recipient, profile, lang, request,
               pdf_sha256, pages, pdf_a, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?2)",
        params![
            p.id,
            p.created_at,
            tx.actor(),
            p.request.recipient,
            p.request.profile,
            p.request.lang,
            request,
            p.sha256,
            p.pages,
            p.pdf_a
        ],
    )?;
    for c in &p.request.clients {
        tx.execute(
            "INSERT INTO packet_clients (packet_id, client_id) VALUES (?1, ?2)",
            params![p.id, c.client_id],
        )?;
    }
    keep_pseudonyms(tx, &p.people, &p.created_at)?;
    let overridden = p.people.iter().any(|x| x.override_reason.is_some());
    let mut fields = vec![p.request.profile.code(), p.request.recipient.code()];
    if overridden {
        fields.push("consent_override");
    }
    tx.record("export", "packet", &p.id, &fields);
    Ok(())
}
