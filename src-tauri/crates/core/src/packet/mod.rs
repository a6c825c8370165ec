//! Complaint packets to DHS oversight (OIG, CRCL): from chosen records to a filing-ready PDF,
//! with each person's consent respected, and a disclosure log of every packet saved.
//!
//! The flow: [`Vault::packet_plan`] says who would appear and how (the consent gate);
//! [`Vault::build_packet`] makes the PDF in memory (for the preview); [`Vault::record_packet`]
//! logs it when the user saves it somewhere. Typesetting lives in the `amparo-pdf` crate.

pub mod labels;
pub mod scrub;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Timelike, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::attachments::AttachmentMeta;
use crate::audit;
use crate::clients::ClientDetail;
use crate::codes::{AttachmentOwner, HearingOutcome, Relationship, code_enum};
use crate::dates::PartialDate;
use crate::error::{Error, FieldError, Result};
use crate::hearings::Hearing;
use crate::incidents::Incident;
use crate::records::{PersonRef, new_id};
use crate::screenings::Screening;
use crate::vault::Vault;
use labels::{DocLang, code, date, t};
use scrub::{Hidden, Pseudonyms, Scrubber};

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
    /// What the cover letter asks for.
    pub enum RequestedAction {
        Investigation = "investigation", RemovalFromMpp = "removal_from_mpp",
        ProtectionFromReturn = "protection_from_return",
    }
}

/// One client's part of a packet: which of their records go in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
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
pub struct PersonChoice {
    pub person: PersonRef,
    pub treatment: Treatment,
    /// Required to identify someone whose recorded consent does not cover DHS oversight.
    pub override_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PacketRequest {
    pub recipient: Recipient,
    pub profile: Profile,
    /// English for the offices; Spanish for the client's own copy.
    pub lang: DocLang,
    pub requests: Vec<RequestedAction>,
    pub clients: Vec<PacketSelection>,
    pub choices: Vec<PersonChoice>,
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

/// A packet built in memory: the PDF and what it was built from.
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
}

impl Drop for BuiltPacket {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.pdf.zeroize();
    }
}

impl BuiltPacket {
    pub fn info(&self) -> BuiltPacketInfo {
        BuiltPacketInfo {
            id: self.id.clone(),
            sha256: self.sha256.clone(),
            pages: self.pages,
            pdf_a: self.pdf_a,
            size_bytes: u32::try_from(self.pdf.len()).unwrap_or(u32::MAX),
            lang: self.request.lang,
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

const MAX_REASON: usize = 2000;
const MIN_REASON: usize = 10;

/// Everything one client contributes, loaded once.
struct Loaded {
    client: ClientDetail,
    incidents: Vec<Incident>,
    hearings: Vec<Hearing>,
    screenings: Vec<Screening>,
    exhibits: Vec<AttachmentMeta>,
}

fn person_key(p: &PersonRef) -> &str {
    match p {
        PersonRef::Client(id) | PersonRef::FamilyMember(id) => id,
    }
}

impl Vault {
    fn load_selection(&self, sel: &PacketSelection) -> Result<Loaded> {
        let client = self.client(&sel.client_id)?;
        let pick = |ids: &[String], kind: &str| -> Result<()> {
            let mut seen = HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    return Err(Error::validation(kind, "duplicate"));
                }
            }
            Ok(())
        };
        pick(&sel.incident_ids, "incident_ids")?;
        pick(&sel.hearing_ids, "hearing_ids")?;
        pick(&sel.screening_ids, "screening_ids")?;
        pick(&sel.exhibit_ids, "exhibit_ids")?;
        let mut incidents = Vec::new();
        for id in &sel.incident_ids {
            let i = self.incident(id)?;
            if i.input.client_id != client.id {
                return Err(Error::NotFound);
            }
            incidents.push(i);
        }
        incidents.sort_by_key(|i| PartialDate::parse(&i.input.date_start).map(|d| d.first_day()));
        let mut hearings = Vec::new();
        for id in &sel.hearing_ids {
            let h = self.hearing(id)?;
            if h.client_id != client.id {
                return Err(Error::NotFound);
            }
            hearings.push(h);
        }
        hearings.sort_by(|a, b| a.scheduled_at_utc.cmp(&b.scheduled_at_utc));
        let mut screenings = Vec::new();
        for id in &sel.screening_ids {
            let s = self.screening(id)?;
            if s.input.client_id != client.id {
                return Err(Error::NotFound);
            }
            screenings.push(s);
        }
        let available = self.available_exhibits(&client.id, &sel.incident_ids)?;
        let mut exhibits = Vec::new();
        for id in &sel.exhibit_ids {
            exhibits.push(
                available
                    .iter()
                    .find(|a| &a.id == id)
                    .cloned()
                    .ok_or(Error::NotFound)?,
            );
        }
        Ok(Loaded {
            client,
            incidents,
            hearings,
            screenings,
            exhibits,
        })
    }

    fn available_exhibits(
        &self,
        client_id: &str,
        incident_ids: &[String],
    ) -> Result<Vec<AttachmentMeta>> {
        let mut out = self.attachments_for(AttachmentOwner::Client, client_id)?;
        for id in incident_ids {
            out.extend(self.attachments_for(AttachmentOwner::Incident, id)?);
        }
        Ok(out)
    }

    /// Who would appear in the packet and how: the consent gate. Errors only for records
    /// that do not exist or belong to another client, and for overrides without a reason.
    pub fn packet_plan(&self, req: &PacketRequest) -> Result<PacketPlan> {
        let loaded = req
            .clients
            .iter()
            .map(|s| self.load_selection(s))
            .collect::<Result<Vec<_>>>()?;
        self.plan_for(req, &loaded)
    }

    fn plan_for(&self, req: &PacketRequest, loaded: &[Loaded]) -> Result<PacketPlan> {
        let mut errors = Vec::new();
        let real_names: Vec<String> = loaded
            .iter()
            .flat_map(|l| {
                std::iter::once(format!(
                    "{} {} {}",
                    l.client.given_names, l.client.family_names, l.client.aliases
                ))
                .chain(
                    l.client
                        .family
                        .iter()
                        .map(|f| format!("{} {}", f.given_names, f.family_names)),
                )
            })
            .collect();
        let mut pseudonyms = Pseudonyms::new(&self.audit_key, &real_names);
        let mut people = Vec::new();
        let mut available_exhibits = Vec::new();
        for l in loaded {
            let c = &l.client;
            // The family members these records concern, in the family's order.
            let mut involved: HashSet<&str> = HashSet::new();
            for p in l
                .incidents
                .iter()
                .flat_map(|i| i.input.victims.iter())
                .chain(l.hearings.iter().flat_map(|h| h.people.iter()))
            {
                if let PersonRef::FamilyMember(id) = p {
                    involved.insert(id);
                }
            }
            let mut candidates = vec![(
                PersonRef::Client(c.id.clone()),
                format!("{} {}", c.given_names, c.family_names),
                None,
                c.consent.share_with_oversight,
                c.sex,
            )];
            for f in c.family.iter().filter(|f| involved.contains(f.id.as_str())) {
                candidates.push((
                    PersonRef::FamilyMember(f.id.clone()),
                    format!("{} {}", f.given_names, f.family_names),
                    Some(f.relationship),
                    f.consent_share_with_oversight,
                    f.sex,
                ));
            }
            for (person, name, relationship, consent, sex) in candidates {
                let choice = req.choices.iter().find(|ch| ch.person == person);
                let reason = choice
                    .map(|ch| ch.override_reason.trim().to_owned())
                    .filter(|r| !r.is_empty());
                let is_client = matches!(person, PersonRef::Client(_));
                let field = format!("choice.{}", person_key(&person));
                let treatment = match (req.profile, choice.map(|ch| ch.treatment)) {
                    (_, Some(Treatment::Omitted)) if is_client => {
                        errors.push(FieldError::new(field.clone(), "client_cannot_be_omitted"));
                        Treatment::Pseudonymised
                    }
                    (_, Some(Treatment::Omitted)) => Treatment::Omitted,
                    // A pseudonymised packet identifies no one.
                    (Profile::Pseudonymised, _) => Treatment::Pseudonymised,
                    (_, Some(Treatment::Pseudonymised)) => Treatment::Pseudonymised,
                    (_, Some(Treatment::Identified)) if consent => Treatment::Identified,
                    (_, Some(Treatment::Identified)) => match &reason {
                        Some(r) if r.chars().count() >= MIN_REASON => {
                            if r.chars().count() > MAX_REASON {
                                errors.push(FieldError::new(field.clone(), "too_long"));
                            }
                            Treatment::Identified
                        }
                        _ => {
                            errors.push(FieldError::new(field.clone(), "override_reason_required"));
                            Treatment::Pseudonymised
                        }
                    },
                    // Default: identify only those whose consent covers it.
                    (_, None) if consent => Treatment::Identified,
                    (_, None) => Treatment::Pseudonymised,
                };
                let override_reason = (treatment == Treatment::Identified && !consent)
                    .then(|| reason.clone())
                    .flatten();
                let pseudonym = pseudonyms.for_person(person_key(&person), sex);
                people.push(PlanPerson {
                    person,
                    client_id: c.id.clone(),
                    name,
                    relationship,
                    consent,
                    treatment,
                    override_reason,
                    pseudonym,
                });
            }
            available_exhibits.extend(self.available_exhibits(
                &c.id,
                &l.incidents.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
            )?);
        }
        crate::validate::finish(errors)?;
        let lacking_consent = people.iter().filter(|p| !p.consent).count() as u32;
        Ok(PacketPlan {
            people,
            lacking_consent,
            available_exhibits,
        })
    }

    /// Builds the packet's PDF in memory. Nothing is written and nothing is logged until
    /// [`Vault::record_packet`].
    pub fn build_packet(&self, req: &PacketRequest, now: DateTime<Utc>) -> Result<BuiltPacket> {
        self.build_packet_as(req, now, &new_id())
    }

    /// [`Vault::build_packet`] under a given packet id: the same records, id, time and audit
    /// head give the same PDF, byte for byte.
    pub fn build_packet_as(
        &self,
        req: &PacketRequest,
        now: DateTime<Utc>,
        id: &str,
    ) -> Result<BuiltPacket> {
        if req.clients.is_empty() {
            return Err(Error::validation("clients", "required"));
        }
        if req.requests.is_empty() {
            return Err(Error::validation("requests", "required"));
        }
        let mut seen = HashSet::new();
        if !req.clients.iter().all(|c| seen.insert(&c.client_id)) {
            return Err(Error::validation("clients", "duplicate"));
        }
        let loaded = req
            .clients
            .iter()
            .map(|s| self.load_selection(s))
            .collect::<Result<Vec<_>>>()?;
        let plan = self.plan_for(req, &loaded)?;
        let id = id.to_owned();
        let audit_head: Option<(u32, String)> = self
            .conn
            .query_row(
                "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let settings = self.settings()?;
        let mut files = Vec::new();
        let doc = compose(
            req,
            &plan,
            &loaded,
            &id,
            audit_head,
            &settings,
            now,
            &mut |meta: &AttachmentMeta, n: usize| -> Result<ExhibitFile> {
                let bytes = self.attachment_bytes(&meta.id)?;
                Ok(exhibit_file(meta, n, bytes, &mut files))
            },
        )?;
        let mut doc = doc;
        clean_photos(&mut doc.exhibits, &mut files);
        let data_json = serde_json::to_vec(&doc).map_err(|_| Error::Crypto("encode"))?;
        let out = amparo_pdf::render(amparo_pdf::Input {
            template: amparo_pdf::PACKET_TEMPLATE,
            data_json,
            files,
            ident: id.clone(),
            created: amparo_pdf::Stamp {
                year: now.year(),
                month: now.month() as u8,
                day: now.day() as u8,
                hour: now.hour() as u8,
                minute: now.minute() as u8,
                second: now.second() as u8,
            },
        })?;
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
        Ok(BuiltPacket {
            sha256: hex::encode(Sha256::digest(&out.pdf)),
            id,
            created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            request,
            people: plan.people,
            pages: u32::try_from(out.pages).unwrap_or(u32::MAX),
            pdf_a: out.pdf_a,
            pdf: out.pdf,
        })
    }

    /// Logs a packet the user saved: who, when, to whom, how disclosed, which records, and
    /// the PDF's SHA-256; one audit entry per client it concerns.
    pub fn record_packet(&mut self, p: &BuiltPacket) -> Result<PacketRecord> {
        let request = serde_json::to_string(&p.request).map_err(|_| Error::Crypto("encode"))?;
        let tx = crate::vault::begin_write(&mut self.conn, &self.gate)?;
        tx.execute(
            "INSERT INTO packets (id, created_at, created_by, recipient, profile, lang, request,
               pdf_sha256, pages, pdf_a, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?2)",
            params![
                p.id,
                p.created_at,
                self.actor,
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
        let overridden = p.people.iter().any(|x| x.override_reason.is_some());
        let mut fields = vec![p.request.profile.code(), p.request.recipient.code()];
        if overridden {
            fields.push("consent_override");
        }
        audit::append(
            &tx,
            &self.audit_key,
            &self.actor,
            "export",
            "packet",
            &p.id,
            &fields,
        )?;
        tx.commit()?;
        self.packet(&p.id)
    }

    pub fn packet(&self, id: &str) -> Result<PacketRecord> {
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
            e.push(FieldError::new("sent_on", "invalid_date"));
        }
        if f.complaint_number.chars().count() > 200 {
            e.push(FieldError::new("complaint_number", "too_long"));
        }
        if f.responses.chars().count() > crate::validate::LONG_MAX {
            e.push(FieldError::new("responses", "too_long"));
        }
        crate::validate::finish(e)?;
        let now = crate::dates::now_rfc3339();
        let tx = crate::vault::begin_write(&mut self.conn, &self.gate)?;
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
        audit::append(
            &tx,
            &self.audit_key,
            &self.actor,
            "update",
            "packet",
            id,
            &["sent_on", "complaint_number", "responses"],
        )?;
        tx.commit()?;
        self.packet(id)
    }
}

const PACKET_SELECT: &str = "SELECT id, created_at, created_by, recipient, profile, lang, request,
    pdf_sha256, pages, pdf_a, sent_at, complaint_number, responses FROM packets";

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

impl From<amparo_pdf::Error> for Error {
    fn from(e: amparo_pdf::Error) -> Self {
        Error::Document(e.code())
    }
}

// ------------------------------------------------------------------ the document's data

#[derive(Serialize)]
struct Doc {
    lang: DocLang,
    labels: HashMap<String, String>,
    title: String,
    packet_id: String,
    audit_head: String,
    date: String,
    confidential: bool,
    org: Org,
    addressees: Vec<String>,
    re: String,
    letter: Vec<String>,
    requests: Vec<String>,
    letter_closing: Vec<String>,
    summary: Summary,
    components: Vec<Component>,
    persons: Vec<DocPerson>,
    exhibits: Vec<ExhibitFile>,
}

#[derive(Serialize)]
struct Org {
    name: String,
    address: String,
    signer: String,
}

#[derive(Serialize)]
struct Summary {
    counts: Vec<(String, String)>,
    acts: Vec<(String, String)>,
    perpetrators: Vec<(String, String)>,
    screenings: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Component {
    name: &'static str,
    why: String,
}

#[derive(Serialize)]
struct DocPerson {
    name: String,
    details: Vec<(String, String)>,
    family: Vec<String>,
    timeline: Vec<Event>,
    incidents: Vec<DocIncident>,
}

#[derive(Serialize)]
struct Event {
    date: String,
    text: String,
}

#[derive(Serialize)]
struct DocIncident {
    title: String,
    facts: Vec<(String, String)>,
    narrative: String,
}

#[derive(Serialize, Clone)]
struct ExhibitFile {
    number: usize,
    description: String,
    file_name: String,
    sha256: String,
    /// image | pdf | text | other
    kind: &'static str,
    path: String,
    pages: usize,
}

/// Turns a stored attachment into the file the template reads (photos re-encoded without
/// metadata; PDFs page by page; text verbatim; anything else listed only).
fn exhibit_file(
    meta: &AttachmentMeta,
    n: usize,
    bytes: Vec<u8>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> ExhibitFile {
    let mut x = ExhibitFile {
        number: n,
        description: String::new(),
        file_name: meta.file_name.clone(),
        sha256: meta.sha256.clone(),
        kind: "other",
        path: String::new(),
        pages: 0,
    };
    let media = crate::attachments::sniff_media_type(&bytes);
    if media.starts_with("image/") {
        // Re-encoded later, all photos at once (see `clean_photos`).
        x.kind = "image";
        x.path = format!(
            "exhibit-{n}.{}",
            if media == "image/jpeg" { "jpg" } else { "png" }
        );
        files.push((x.path.clone(), bytes));
    } else if media == "application/pdf" {
        if let Some(pages) = amparo_pdf::pdf_page_count(&bytes).filter(|p| *p > 0) {
            x.kind = "pdf";
            x.pages = pages;
            x.path = format!("exhibit-{n}.pdf");
            files.push((x.path.clone(), bytes));
        }
    } else if std::str::from_utf8(&bytes).is_ok() {
        x.kind = "text";
        x.path = format!("exhibit-{n}.txt");
        files.push((x.path.clone(), bytes));
    }
    x
}

/// Re-encodes every photo exhibit without its metadata, on all cores; a photo that cannot
/// be decoded stays in the index (with its hash) but is not reproduced.
fn clean_photos(exhibits: &mut [ExhibitFile], files: &mut Vec<(String, Vec<u8>)>) {
    let photo_paths: Vec<String> = exhibits
        .iter()
        .filter(|x| x.kind == "image")
        .map(|x| x.path.clone())
        .collect();
    let mut raw = Vec::new();
    for p in &photo_paths {
        if let Some(i) = files.iter().position(|(name, _)| name == p) {
            raw.push(files.swap_remove(i).1);
        }
    }
    let cleaned = amparo_pdf::clean_images(raw);
    for (path, c) in photo_paths.into_iter().zip(cleaned) {
        match c {
            Some((bytes, ext)) => {
                // The extension follows what was written (JPEG stays JPEG, the rest is PNG).
                let new_path = match path.rsplit_once('.') {
                    Some((stem, _)) => format!("{stem}.{ext}"),
                    None => path.clone(),
                };
                if let Some(x) = exhibits.iter_mut().find(|x| x.path == path) {
                    x.path = new_path.clone();
                }
                files.push((new_path, bytes));
            }
            None => {
                if let Some(x) = exhibits.iter_mut().find(|x| x.path == path) {
                    x.kind = "other";
                    x.path.clear();
                }
            }
        }
    }
}

/// How each person is named in this packet.
struct Names {
    by_id: HashMap<String, (Treatment, String)>,
}

impl Names {
    fn shown(&self, id: &str, lang: DocLang) -> String {
        match self.by_id.get(id) {
            Some((Treatment::Identified, real)) => real.clone(),
            Some((Treatment::Pseudonymised, pseudo)) => pseudo.clone(),
            _ => t(lang, "packet.name_withheld", &[]),
        }
    }
    fn identified(&self, id: &str) -> bool {
        matches!(self.by_id.get(id), Some((Treatment::Identified, _)))
    }
}

fn addressee(lang: DocLang, r: Recipient) -> Vec<String> {
    let oig = t(lang, "packet.addressee_oig", &[]);
    let crcl = t(lang, "packet.addressee_crcl", &[]);
    match r {
        Recipient::Oig => vec![oig],
        Recipient::Crcl => vec![crcl],
        Recipient::Both => vec![crcl, oig],
    }
}

fn count_rows<I: IntoIterator<Item = String>>(items: I) -> Vec<(String, String)> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    let mut rows: Vec<(String, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.into_iter().map(|(k, v)| (k, v.to_string())).collect()
}

#[allow(clippy::too_many_arguments)]
fn compose(
    req: &PacketRequest,
    plan: &PacketPlan,
    loaded: &[Loaded],
    id: &str,
    audit_head: Option<(u32, String)>,
    settings: &crate::settings::VaultSettings,
    now: DateTime<Utc>,
    exhibit: &mut dyn FnMut(&AttachmentMeta, usize) -> Result<ExhibitFile>,
) -> Result<Doc> {
    let lang = req.lang;
    let pseudonymised = req.profile == Profile::Pseudonymised;
    let names = Names {
        by_id: plan
            .people
            .iter()
            .map(|p| {
                let shown = match p.treatment {
                    Treatment::Identified => p.name.clone(),
                    _ => p.pseudonym.clone(),
                };
                (person_key(&p.person).to_owned(), (p.treatment, shown))
            })
            .collect(),
    };
    // Everyone not identified has their names taken out of the free text: the people in the
    // packet by pseudonym, and every other family member of these clients as "name withheld".
    let withheld = t(lang, "packet.name_withheld", &[]);
    let mut hidden_people: Vec<(String, [String; 3], String, Vec<String>)> = Vec::new();
    for l in loaded {
        let c = &l.client;
        if !names.identified(&c.id) {
            hidden_people.push((
                c.id.clone(),
                [
                    c.given_names.clone(),
                    c.family_names.clone(),
                    c.aliases.clone(),
                ],
                names.shown(&c.id, lang),
                [c.a_number.clone().unwrap_or_default(), c.phone.clone()].to_vec(),
            ));
        }
        for f in &c.family {
            if !names.identified(&f.id) {
                let shown = if names.by_id.contains_key(&f.id) {
                    names.shown(&f.id, lang)
                } else {
                    withheld.clone()
                };
                hidden_people.push((
                    f.id.clone(),
                    [f.given_names.clone(), f.family_names.clone(), String::new()],
                    shown,
                    vec![f.a_number.clone().unwrap_or_default()],
                ));
            }
        }
    }
    let hidden: Vec<Hidden<'_>> = hidden_people
        .iter()
        .map(|(_, n, rep, nums)| Hidden {
            names: [&n[0], &n[1], &n[2]],
            replacement: rep.clone(),
            numbers: nums.clone(),
        })
        .collect();
    // A word of an identified person's name is printed anyway (a mother named in full shares
    // her surname with the child who is not): replacing it would only garble the text.
    let shown_words: Vec<String> = plan
        .people
        .iter()
        .filter(|p| p.treatment == Treatment::Identified)
        .map(|p| p.name.clone())
        .collect();
    let scrubber = Scrubber::new(
        &hidden,
        &shown_words,
        pseudonymised,
        t(lang, "packet.a_number_removed", &[]),
        t(lang, "packet.phone_removed", &[]),
    );
    let s = |text: &str| scrubber.text(text.trim());
    let yes_no = |b: bool| t(lang, if b { "packet.yes" } else { "packet.no" }, &[]);

    let org_name = if settings.org_name.trim().is_empty() {
        t(lang, "packet.org_unset", &[])
    } else {
        settings.org_name.trim().to_owned()
    };
    let mut persons = Vec::new();
    let mut all_acts = Vec::new();
    let mut all_perps = Vec::new();
    let mut conducts = Vec::new();
    let mut children: HashSet<String> = HashSet::new();
    let mut missed = 0u32;
    let mut incidents_total = 0u32;
    let mut exhibits: Vec<ExhibitFile> = Vec::new();
    let (mut cbp, mut uscis, mut ice) = (false, false, false);
    let mut people_count = 0u32;

    for l in loaded {
        let c = &l.client;
        let cid = c.id.as_str();
        let identified = names.identified(cid);
        people_count += 1;
        let mut details = Vec::new();
        if let Some(n) = &c.nationality {
            details.push((
                t(lang, "packet.d_nationality", &[]),
                code(lang, "country", n),
            ));
        }
        if identified {
            if let Some(a) = &c.a_number {
                details.push((t(lang, "packet.d_a_number", &[]), a.clone()));
            }
            if let Some(d) = &c.date_of_birth {
                details.push((t(lang, "packet.d_dob", &[]), date(lang, d)));
            }
        } else if let Some(age) = c.age {
            details.push((
                t(lang, "packet.d_age", &[]),
                t(lang, "packet.age_years", &[("n", &age.to_string())]),
            ));
        }
        if let Some(sex) = c.sex {
            details.push((
                t(lang, "packet.d_sex", &[]),
                code(lang, "enum.sex", sex.code()),
            ));
        }
        if !c.languages.is_empty() {
            details.push((
                t(lang, "packet.d_languages", &[]),
                c.languages
                    .iter()
                    .map(|x| code(lang, "language", x))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        if !c.city.trim().is_empty() {
            details.push((t(lang, "packet.d_city", &[]), s(&c.city)));
        }
        if !c.vulnerabilities.is_empty() {
            details.push((
                t(lang, "packet.d_vulnerabilities", &[]),
                c.vulnerabilities
                    .iter()
                    .map(|v| code(lang, "enum.vulnerability", v.code()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        details.push((
            t(lang, "packet.d_consent", &[]),
            match plan.people.iter().find(|p| person_key(&p.person) == cid) {
                Some(p) if p.consent => t(lang, "packet.consent_yes", &[]),
                Some(p) if p.override_reason.is_some() => t(lang, "packet.consent_override", &[]),
                _ => t(lang, "packet.consent_no", &[]),
            },
        ));
        let family: Vec<String> = plan
            .people
            .iter()
            .filter(|p| p.client_id == cid && matches!(p.person, PersonRef::FamilyMember(_)))
            .filter(|p| p.treatment != Treatment::Omitted)
            .filter_map(|p| {
                let f = c.family.iter().find(|f| f.id == person_key(&p.person))?;
                let rel = code(lang, "enum.relationship", f.relationship.code());
                let age = f
                    .age
                    .map(|a| t(lang, "packet.age_years", &[("n", &a.to_string())]))
                    .unwrap_or_default();
                let mut line = format!("{rel}: {}", names.shown(&f.id, lang));
                if !age.is_empty() {
                    line.push_str(&format!(", {age}"));
                }
                if names.identified(&f.id) {
                    if let Some(a) = &f.a_number {
                        line.push_str(&format!(", {a}"));
                    }
                    if let Some(d) = &f.date_of_birth {
                        line.push_str(&format!(
                            ", {} {}",
                            t(lang, "packet.d_dob", &[]).to_lowercase(),
                            date(lang, d)
                        ));
                    }
                }
                Some(line)
            })
            .collect();

        // The MPP history, dated.
        let mut timeline: Vec<(chrono::NaiveDate, Event)> = Vec::new();
        if let Some(r) = &c.returned_on {
            cbp = true;
            let text = match c.return_port {
                Some(p) => t(
                    lang,
                    "packet.ev_returned",
                    &[("port", &code(lang, "enum.port", p.code()))],
                ),
                None => t(lang, "packet.ev_returned_noport", &[]),
            };
            timeline.push((
                sort_day(r),
                Event {
                    date: date(lang, r),
                    text,
                },
            ));
        }
        for h in &l.hearings {
            let mut text = t(
                lang,
                "packet.ev_hearing",
                &[
                    (
                        "type",
                        &code(lang, "enum.hearing_type", h.hearing_type.code()),
                    ),
                    ("court", &code(lang, "enum.court", h.court.code())),
                    ("venue", &code(lang, "enum.venue", h.venue.code())),
                    (
                        "time",
                        &format!("{} {}", &h.at_court.local[11..16], h.at_court.abbrev),
                    ),
                    ("outcome", &code(lang, "enum.outcome", h.outcome.code())),
                ],
            );
            if h.venue == crate::codes::HearingVenue::PortTent {
                cbp = true;
            }
            if let (Some(p), Some(at)) = (h.port, &h.report_at_port) {
                sentence(&mut text);
                text.push_str(&t(
                    lang,
                    "packet.ev_report",
                    &[
                        ("port", &code(lang, "enum.port", p.code())),
                        ("time", &format!("{} {}", &at.local[11..16], at.abbrev)),
                    ],
                ));
            }
            if let Some(r) = h.missed_reason {
                missed += 1;
                sentence(&mut text);
                text.push_str(&t(
                    lang,
                    "packet.ev_missed",
                    &[("reason", &code(lang, "enum.missed_reason", r.code()))],
                ));
                if !h.missed_account.trim().is_empty() {
                    text.push(' ');
                    text.push_str(&s(&h.missed_account));
                }
            } else if h.outcome == HearingOutcome::RemovedInAbsentia {
                missed += 1;
            }
            if matches!(
                h.outcome,
                HearingOutcome::RemovedInAbsentia | HearingOutcome::RemovalOrdered
            ) {
                ice = true;
            }
            if let Some(d) = &h.reopen_deadline {
                sentence(&mut text);
                text.push_str(&t(lang, "packet.ev_deadline", &[("date", &date(lang, d))]));
            }
            let day = &h.at_court.local[..10];
            timeline.push((
                sort_day(day),
                Event {
                    date: date(lang, day),
                    text,
                },
            ));
        }
        for sc in &l.screenings {
            let i = &sc.input;
            if i.interview_held
                || i.fear_expressed_to == crate::codes::FearExpressedTo::AsylumOfficer
            {
                uscis = true;
            }
            if i.fear_expressed_to == crate::codes::FearExpressedTo::CbpOfficer {
                cbp = true;
            }
            let conduct = i
                .conduct
                .map(|x| code(lang, "enum.conduct", x.code()))
                .unwrap_or_else(|| t(lang, "packet.unknown", &[]));
            conducts.push(conduct.clone());
            let mut text = t(
                lang,
                "packet.ev_screening",
                &[
                    (
                        "to",
                        &code(lang, "enum.fear_expressed_to", i.fear_expressed_to.code()),
                    ),
                    ("held", &yes_no(i.interview_held)),
                    ("conduct", &conduct),
                    (
                        "outcome",
                        &code(lang, "enum.screening_outcome", i.outcome.code()),
                    ),
                ],
            );
            if let Some(m) = i.duration_minutes {
                text.push_str(&format!(" ({m} min)"));
            }
            if let Some(counsel) = i.counsel_allowed {
                sentence(&mut text);
                text.push_str(&t(
                    lang,
                    "packet.ev_counsel",
                    &[("allowed", &yes_no(counsel))],
                ));
            }
            if !i.notes.trim().is_empty() {
                sentence(&mut text);
                text.push_str(&s(&i.notes));
            }
            timeline.push((
                sort_day(&i.screened_on),
                Event {
                    date: date(lang, &i.screened_on),
                    text,
                },
            ));
        }
        let n_person = persons.len() + 1;
        let mut doc_incidents = Vec::new();
        for (j, inc) in l.incidents.iter().enumerate() {
            incidents_total += 1;
            let i = &inc.input;
            let acts: Vec<String> = i
                .acts
                .iter()
                .map(|a| code(lang, "enum.act", a.code()))
                .collect();
            let perps: Vec<String> = i
                .perpetrators
                .iter()
                .map(|p| code(lang, "enum.perpetrator", p.code()))
                .collect();
            if i.perpetrators
                .contains(&crate::codes::Perpetrator::UsOfficials)
            {
                cbp = true;
            }
            all_acts.extend(acts.iter().cloned());
            all_perps.extend(perps.iter().cloned());
            let when = match &i.date_end {
                Some(e) => format!("{} – {}", date(lang, &i.date_start), date(lang, e)),
                None => date(lang, &i.date_start),
            };
            let reference = format!("{n_person}.{}", j + 1);
            timeline.push((
                sort_day(&i.date_start),
                Event {
                    date: date(lang, &i.date_start),
                    text: t(
                        lang,
                        "packet.ev_incident",
                        &[("acts", &acts.join(", ")), ("ref", &reference)],
                    ),
                },
            ));
            let mut facts = vec![(t(lang, "packet.f_date", &[]), when)];
            let mut place = Vec::new();
            if !i.city.trim().is_empty() {
                place.push(s(&i.city));
            }
            if let Some(st) = &i.state {
                place.push(code(lang, "mx_state", st));
            }
            let mut place = place.join(", ");
            if let Some(k) = i.place_kind {
                if !place.is_empty() {
                    place.push_str(" — ");
                }
                place.push_str(&code(lang, "enum.place_kind", k.code()));
            }
            if !place.is_empty() {
                facts.push((t(lang, "packet.f_place", &[]), place));
            }
            facts.push((t(lang, "packet.f_acts", &[]), acts.join(", ")));
            if !perps.is_empty() {
                facts.push((t(lang, "packet.f_perpetrators", &[]), perps.join(", ")));
            }
            let victims: Vec<String> = if i.victims.is_empty() {
                vec![names.shown(cid, lang)]
            } else {
                i.victims
                    .iter()
                    .map(|v| match names.by_id.get(person_key(v)) {
                        Some((Treatment::Omitted, _)) | None => withheld.clone(),
                        _ => names.shown(person_key(v), lang),
                    })
                    .collect()
            };
            facts.push((t(lang, "packet.f_harmed", &[]), victims.join(", ")));
            if inc.children_harmed > 0 {
                facts.push((
                    t(lang, "packet.f_children", &[]),
                    inc.children_harmed.to_string(),
                ));
                // Count each child once across incidents.
                let start = PartialDate::parse(&i.date_start).map(|d| d.first_day());
                for v in &i.victims {
                    if let PersonRef::FamilyMember(fid) = v
                        && let Some(f) = c.family.iter().find(|f| &f.id == fid)
                        && let (Some(dob), Some(on)) = (
                            f.date_of_birth.as_deref().and_then(PartialDate::parse),
                            start,
                        )
                        && dob.age_on(on).is_some_and(|a| a < 18)
                    {
                        children.insert(fid.clone());
                    }
                }
                if inc.children_harmed as usize > children.len() {
                    // Children the per-person walk could not place (e.g. the client); keep
                    // the record's own count as the floor.
                    for k in children.len()..inc.children_harmed as usize {
                        children.insert(format!("{}#{k}", inc.id));
                    }
                }
            }
            let cur = i.ransom_currency.clone().unwrap_or_default();
            let money = |m: i32| {
                format!("{:.2} {cur}", f64::from(m) / 100.0)
                    .trim()
                    .to_owned()
            };
            if let Some(d) = i.ransom_demanded_minor {
                let mut v = money(d);
                if let Some(p) = i.ransom_paid_minor {
                    v.push_str(&format!("; {} {}", t(lang, "packet.paid", &[]), money(p)));
                }
                facts.push((t(lang, "packet.f_ransom", &[]), v));
            }
            let reported = match i.reported_to_authorities {
                Some(true) => {
                    let mut v = t(lang, "packet.yes", &[]);
                    if !i.report_number.trim().is_empty() {
                        v.push_str(&format!(
                            " ({} {})",
                            t(lang, "packet.f_report_number", &[]),
                            s(&i.report_number)
                        ));
                    }
                    if !i.authority_response.trim().is_empty() {
                        v.push_str(&format!(". {}", s(&i.authority_response)));
                    }
                    v
                }
                Some(false) => t(lang, "packet.no", &[]),
                None => t(lang, "packet.unknown", &[]),
            };
            facts.push((t(lang, "packet.f_reported", &[]), reported));
            if !i.injuries.trim().is_empty() {
                facts.push((t(lang, "packet.f_injuries", &[]), s(&i.injuries)));
            }
            if !i.medical_care.trim().is_empty() {
                facts.push((t(lang, "packet.f_medical", &[]), s(&i.medical_care)));
            }
            let mut mpp = Vec::new();
            if let Some(d) = inc.days_since_return {
                mpp.push(t(
                    lang,
                    "packet.days_since_return",
                    &[("n", &d.to_string())],
                ));
            }
            if i.on_way_to_hearing {
                mpp.push(t(lang, "packet.on_way_to_hearing", &[]));
            }
            if let Some(hid) = &i.missed_hearing_id {
                if let Some(h) = l.hearings.iter().find(|h| &h.id == hid) {
                    mpp.push(t(
                        lang,
                        "packet.caused_missed",
                        &[("date", &date(lang, &h.at_court.local[..10]))],
                    ));
                } else {
                    mpp.push(t(lang, "packet.caused_missed_undated", &[]));
                }
            }
            if !mpp.is_empty() {
                facts.push((t(lang, "packet.f_mpp", &[]), mpp.join("; ")));
            }
            facts.push((
                t(lang, "packet.f_source", &[]),
                code(lang, "enum.incident_source", i.source.code()),
            ));
            let ex: Vec<String> = Vec::new();
            let mut facts_ex = ex;
            for meta in l
                .exhibits
                .iter()
                .filter(|m| m.owner_kind == AttachmentOwner::Incident && m.owner_id == inc.id)
            {
                let n = exhibits.len() + 1;
                let mut x = exhibit(meta, n)?;
                x.description = t(
                    lang,
                    "packet.exhibit_for_incident",
                    &[("ref", &reference), ("date", &date(lang, &i.date_start))],
                );
                x.file_name = exhibit_name(&scrubber, pseudonymised, &x.file_name, n);
                facts_ex.push(format!("{} {n}", t(lang, "packet.exhibit", &[])));
                exhibits.push(x);
            }
            if !facts_ex.is_empty() {
                facts.push((t(lang, "packet.f_exhibits", &[]), facts_ex.join(", ")));
            }
            doc_incidents.push(DocIncident {
                title: format!("{} · {}", date(lang, &i.date_start), acts.join(", ")),
                facts,
                narrative: s(&i.narrative),
            });
        }
        for meta in l
            .exhibits
            .iter()
            .filter(|m| m.owner_kind == AttachmentOwner::Client)
        {
            let n = exhibits.len() + 1;
            let mut x = exhibit(meta, n)?;
            x.description = t(
                lang,
                "packet.exhibit_for_person",
                &[("name", &names.shown(cid, lang))],
            );
            x.file_name = exhibit_name(&scrubber, pseudonymised, &x.file_name, n);
            exhibits.push(x);
        }
        timeline.sort_by_key(|(d, _)| *d);
        persons.push(DocPerson {
            name: names.shown(cid, lang),
            details,
            family,
            timeline: timeline.into_iter().map(|(_, e)| e).collect(),
            incidents: doc_incidents,
        });
        people_count += plan
            .people
            .iter()
            .filter(|p| {
                p.client_id == cid
                    && matches!(p.person, PersonRef::FamilyMember(_))
                    && p.treatment != Treatment::Omitted
            })
            .count() as u32;
    }

    let mut components = Vec::new();
    if cbp {
        components.push(Component {
            name: "CBP",
            why: t(lang, "packet.comp_cbp", &[]),
        });
    }
    if ice {
        components.push(Component {
            name: "ICE",
            why: t(lang, "packet.comp_ice", &[]),
        });
    }
    if uscis {
        components.push(Component {
            name: "USCIS",
            why: t(lang, "packet.comp_uscis", &[]),
        });
    }
    let counts = vec![
        (
            t(lang, "packet.count_people", &[]),
            people_count.to_string(),
        ),
        (
            t(lang, "packet.count_children", &[]),
            children.len().to_string(),
        ),
        (
            t(lang, "packet.count_incidents", &[]),
            incidents_total.to_string(),
        ),
        (t(lang, "packet.count_missed", &[]), missed.to_string()),
        (
            t(lang, "packet.count_screenings", &[]),
            conducts.len().to_string(),
        ),
        (
            t(lang, "packet.count_exhibits", &[]),
            exhibits.len().to_string(),
        ),
    ];
    let office = match req.recipient {
        Recipient::Oig => t(lang, "packet.office_oig", &[]),
        Recipient::Crcl => t(lang, "packet.office_crcl", &[]),
        Recipient::Both => t(lang, "packet.office_both", &[]),
    };
    let mut letter = vec![t(
        lang,
        "packet.letter_intro",
        &[("org", &org_name), ("office", &office)],
    )];
    letter.push(t(
        lang,
        "packet.letter_facts",
        &[
            ("people", &people_count.to_string()),
            ("incidents", &incidents_total.to_string()),
            ("children", &children.len().to_string()),
            ("missed", &missed.to_string()),
        ],
    ));
    if plan
        .people
        .iter()
        .any(|p| p.treatment != Treatment::Identified)
    {
        letter.push(t(lang, "packet.letter_pseudonyms", &[]));
    }
    if req.profile == Profile::Confidential {
        letter.push(t(lang, "packet.letter_confidential", &[]));
    }
    let (head_seq, head_mac) = audit_head.unwrap_or((0, String::new()));
    Ok(Doc {
        lang,
        labels: labels::packet_labels(lang),
        title: t(lang, "packet.title", &[("office", &office), ("id", id)]),
        packet_id: id.to_owned(),
        audit_head: format!("#{head_seq} {}", head_mac.get(..16).unwrap_or("")),
        date: date(lang, &now.format("%Y-%m-%d").to_string()),
        confidential: req.profile == Profile::Confidential,
        org: Org {
            name: org_name.clone(),
            address: settings.org_address.trim().to_owned(),
            signer: settings.org_signer.trim().to_owned(),
        },
        addressees: addressee(lang, req.recipient),
        re: t(
            lang,
            "packet.re_text",
            &[
                ("people", &people_count.to_string()),
                ("incidents", &incidents_total.to_string()),
            ],
        ),
        letter,
        requests: req
            .requests
            .iter()
            .map(|r| t(lang, &format!("packet.request_{}", r.code()), &[]))
            .collect(),
        letter_closing: vec![
            t(lang, "packet.letter_closing", &[("org", &org_name)]),
            t(lang, "packet.letter_reply", &[("id", id)]),
        ],
        summary: Summary {
            counts,
            acts: count_rows(all_acts),
            perpetrators: count_rows(all_perps),
            screenings: count_rows(conducts),
        },
        components,
        persons,
        exhibits,
    })
}

/// A file name as printed: scrubbed of hidden names; in a pseudonymised packet, replaced
/// outright (a camera or a colleague may have put anything in it).
fn exhibit_name(scrubber: &Scrubber, pseudonymised: bool, name: &str, n: usize) -> String {
    if pseudonymised {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| {
                e.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .take(8)
                    .collect::<String>()
            })
            .filter(|e| !e.is_empty())
            .map(|e| format!(".{}", e.to_lowercase()))
            .unwrap_or_default();
        format!("exhibit-{n}{ext}")
    } else {
        scrubber.text(name)
    }
}

fn sort_day(s: &str) -> chrono::NaiveDate {
    PartialDate::parse(s).map_or(chrono::NaiveDate::MAX, |d| d.first_day())
}

/// Ends the text so far as a sentence before the next one.
fn sentence(text: &mut String) {
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    if !text.ends_with(['.', '!', '?', ':']) {
        text.push('.');
    }
    text.push(' ');
}
