//! Complaint packets to DHS oversight (OIG, CRCL): from chosen records to the document's
//! data, with each person's consent respected, and a disclosure log of every packet saved.
//!
//! The flow: [`Vault::packet_plan`] says who would appear and how (the consent gate, in
//! `plan.rs`); [`Vault::packet_document`] gathers what the PDF shows, scrubbed for the chosen
//! profile (`document.rs`); the `amparo-pdf` crate typesets it into a [`BuiltPacket`] in
//! memory; [`Vault::record_packet`] logs it when the user saves it somewhere (`log.rs`). This
//! crate never typesets: it knows nothing of PDF.

mod document;
mod incident;
pub mod labels;
mod log;
mod plan;
pub mod scrub;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::attachments::AttachmentMeta;
use crate::codes::{Relationship, code_enum};
use crate::error::{Error, FieldCode, Result};
use crate::records::{PersonRef, new_id};
use crate::vault::Vault;
pub use document::{
    Component, DocIncident, DocPerson, Event, ExhibitBytes, ExhibitFile, ExhibitKind, Org,
    PacketContent, Summary,
};
use labels::DocLang;
pub use scrub::ScrubMark;

code_enum! {
    /// Which DHS oversight office the packet is addressed to.
    pub enum Recipient { Oig = "oig", Crcl = "crcl", Both = "both" }
}

code_enum! {
    /// How much of who people are the packet discloses.
    pub enum Profile {
        Identified = "identified", Confidential = "confidential", Pseudonymised = "pseudonymised",
    }
}

code_enum! {
    /// How one person appears in a packet.
    pub enum Treatment { Identified = "identified", Pseudonymised = "pseudonymised", Omitted = "omitted" }
}

code_enum! {
    /// How precisely a packet prints the facts of someone it does not identify: `coarse`
    /// (the default) prints dates as month and year and ages as bands, and leaves out ports
    /// and the exact return date, which DHS could match to one A-number; `exact` prints them.
    pub enum FactPrecision { Coarse = "coarse", Exact = "exact" }
}

// The enum comes from `code_enum!`, which takes no `#[default]` on a variant.
#[allow(clippy::derivable_impls)]
impl Default for FactPrecision {
    fn default() -> Self {
        FactPrecision::Coarse
    }
}

code_enum! {
    /// What the cover letter asks for.
    pub enum RequestedAction {
        Investigation = "investigation", RemovalFromMpp = "removal_from_mpp",
        ProtectionFromReturn = "protection_from_return",
    }
}

/// One client's part of a packet: which of their records go in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct PacketSelection {
    pub client_id: String,
    pub incident_ids: Vec<String>,
    pub hearing_ids: Vec<String>,
    pub screening_ids: Vec<String>,
    /// Attachments of the client or of the chosen incidents, appended as exhibits.
    pub exhibit_ids: Vec<String>,
}

/// The user's decision for one person (only needed to depart from the default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct PersonChoice {
    pub person: PersonRef,
    pub treatment: Treatment,
    /// Required to identify someone whose recorded consent does not cover DHS oversight.
    pub override_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct PacketRequest {
    pub recipient: Recipient,
    pub profile: Profile,
    /// English for the offices; Spanish for the client's own copy.
    pub lang: DocLang,
    pub requests: Vec<RequestedAction>,
    pub clients: Vec<PacketSelection>,
    pub choices: Vec<PersonChoice>,
    /// For everyone not identified; coarse unless asked otherwise.
    #[serde(default)]
    pub facts: FactPrecision,
    /// Words that are names and ordinary words at once ("Dolores", "Rosa"), standing alone,
    /// which the user confirmed are names here: the keys of the builder's flagged
    /// [`ScrubMark`]s. Others are printed as written.
    #[serde(default)]
    pub confirmed: Vec<String>,
}

/// One person as the packet would show them, for the builder's consent step.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct PlanPerson {
    pub person: PersonRef,
    pub client_id: String,
    /// The real name, shown only to the user building the packet.
    pub name: String,
    pub relationship: Option<Relationship>,
    /// Recorded consent covers sharing with DHS oversight.
    pub consent: bool,
    pub treatment: Treatment,
    /// Identified without consent: the written reason recorded with the packet.
    pub override_reason: Option<String>,
    /// The pseudonym this person gets if not identified.
    pub pseudonym: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct PacketPlan {
    pub people: Vec<PlanPerson>,
    /// People whose consent does not cover DHS oversight.
    pub lacking_consent: u32,
    /// Attachments that may go in as exhibits (client's and the chosen incidents').
    pub available_exhibits: Vec<AttachmentMeta>,
}

/// A packet built in memory: the PDF and what it was built from. Made by the pdf crate from a
/// [`PacketDocument`] ([`BuiltPacket::from_pdf`]); logged by [`Vault::record_packet`].
#[derive(Debug, Clone)]
pub struct BuiltPacket {
    pub id: String,
    pub created_at: String,
    pub request: PacketRequest,
    pub people: Vec<PlanPerson>,
    pub pdf: Vec<u8>,
    pub sha256: String,
    pub pages: u32,
    pub pdf_a: bool,
    /// What the scrubber replaced, and the words it asks the user about.
    pub marks: Vec<ScrubMark>,
}

/// The summary of a built packet the UI shows beside the preview.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct BuiltPacketInfo {
    pub id: String,
    pub sha256: String,
    pub pages: u32,
    pub pdf_a: bool,
    pub size_bytes: u32,
    pub lang: DocLang,
    /// Each replacement in the free text, highlighted in the builder; flagged words first.
    pub marks: Vec<ScrubMark>,
}

impl Drop for BuiltPacket {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.pdf.zeroize();
    }
}

impl BuiltPacket {
    /// The packet as rendered from `doc`: its PDF, page count and archival conformance.
    pub fn from_pdf(doc: &PacketDocument, pdf: Vec<u8>, pages: usize, pdf_a: bool) -> BuiltPacket {
        BuiltPacket {
            id: doc.id.clone(),
            created_at: doc
                .created
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            request: doc.request.clone(),
            people: doc.people.clone(),
            sha256: hex::encode(Sha256::digest(&pdf)),
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
            pdf_a,
            pdf,
            marks: doc.marks.clone(),
        }
    }

    pub fn info(&self) -> BuiltPacketInfo {
        BuiltPacketInfo {
            id: self.id.clone(),
            sha256: self.sha256.clone(),
            pages: self.pages,
            pdf_a: self.pdf_a,
            size_bytes: u32::try_from(self.pdf.len()).unwrap_or(u32::MAX),
            lang: self.request.lang,
            marks: self.marks.clone(),
        }
    }
}

/// One line of the disclosure log.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct PacketRecord {
    pub id: String,
    pub created_at: String,
    pub created_by: String,
    pub recipient: Recipient,
    pub profile: Profile,
    pub lang: DocLang,
    pub request: PacketRequest,
    pub pdf_sha256: String,
    pub pages: u32,
    pub pdf_a: bool,
    pub sent_on: Option<String>,
    pub complaint_number: String,
    pub responses: String,
}

/// What happened after sending: the office's complaint number and its responses.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct PacketFollowUp {
    /// "YYYY-MM-DD" when the packet was sent; `None` while not sent.
    pub sent_on: Option<String>,
    pub complaint_number: String,
    pub responses: String,
}

/// Everything a packet's PDF shows, already consent-gated and scrubbed for its profile, with
/// the exhibits' bytes as stored. The pdf crate turns it into a [`BuiltPacket`].
pub struct PacketDocument {
    pub id: String,
    pub created: DateTime<Utc>,
    /// The request as applied: every person's treatment and override reason written out.
    pub request: PacketRequest,
    pub people: Vec<PlanPerson>,
    /// What the template reads as its data.
    pub content: PacketContent,
    /// The exhibits' files by the names `content.exhibits` gives them (photos not yet
    /// re-encoded, PDFs not yet counted: that is the typesetter's work). Wiped on drop.
    pub files: Vec<ExhibitBytes>,
    /// Every replacement the scrubber made or offers, for the builder to show.
    pub marks: Vec<ScrubMark>,
}

impl Drop for PacketDocument {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for (_, bytes) in &mut self.files {
            bytes.zeroize();
        }
    }
}

impl std::fmt::Debug for PacketDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacketDocument")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Gathers a packet's document: nothing is written and nothing is logged until
    /// [`Vault::record_packet`].
    pub fn packet_document(
        &self,
        req: &PacketRequest,
        now: DateTime<Utc>,
    ) -> Result<PacketDocument> {
        self.packet_document_as(req, now, &new_id())
    }

    /// [`Vault::packet_document`] under a given packet id: the same records, id, time and audit
    /// head give the same document (and so the same PDF, byte for byte).
    pub fn packet_document_as(
        &self,
        req: &PacketRequest,
        now: DateTime<Utc>,
        id: &str,
    ) -> Result<PacketDocument> {
        if req.clients.is_empty() {
            return Err(Error::validation("clients", FieldCode::Required));
        }
        if req.requests.is_empty() {
            return Err(Error::validation("requests", FieldCode::Required));
        }
        let mut seen = HashSet::new();
        if !req.clients.iter().all(|c| seen.insert(&c.client_id)) {
            return Err(Error::validation("clients", FieldCode::Duplicate));
        }
        let loaded = req
            .clients
            .iter()
            .map(|s| self.load_selection(s))
            .collect::<Result<Vec<_>>>()?;
        let plan = self.plan_for(req, &loaded)?;
        let (content, files, marks) = self.compose(req, &plan, &loaded, id, now)?;
        let mut request = req.clone();
        // Record what was decided, with the reasons, as it was applied.
        request.choices = plan
            .people
            .iter()
            .map(|p| PersonChoice {
                person: p.person.clone(),
                treatment: p.treatment,
                override_reason: p.override_reason.clone().unwrap_or_default(),
            })
            .collect();
        Ok(PacketDocument {
            id: id.to_owned(),
            created: now,
            request,
            people: plan.people,
            content,
            files,
            marks,
        })
    }
}

fn person_key(p: &PersonRef) -> &str {
    match p {
        PersonRef::Client(id) | PersonRef::FamilyMember(id) => id,
    }
}
