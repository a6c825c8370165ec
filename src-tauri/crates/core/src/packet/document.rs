//! The packet's document as data: every line the PDF prints, in the packet's language, with
//! the people named as the consent plan says and their names, A-numbers and phone numbers taken
//! out of the free text wherever they are not identified. The template reads this as JSON.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::attachments::AttachmentMeta;
use crate::clients::ClientDetail;
use crate::codes::{AttachmentOwner, FearExpressedTo, HearingOutcome, HearingVenue, code_enum};
use crate::dates::PartialDate;
use crate::error::Result;
use crate::hearings::Hearing;
use crate::records::PersonRef;
use crate::screenings::Screening;
use crate::settings::VaultSettings;
use crate::vault::Vault;

use super::labels::{self, DocLang, age_band, code, date, month_year, t, tn};
use super::plan::Loaded;
use super::scrub::{Hidden, ScrubLabels, ScrubMark, Scrubber};
use super::{PacketPlan, PacketRequest, Profile, Recipient, Treatment, person_key};

/// What the packet template reads (`/data.json`). Field names are the template's.
#[derive(Debug, Clone, Serialize)]
pub struct PacketContent {
    pub lang: DocLang,
    /// The template's fixed words in the packet's language (sorted: same data, same bytes).
    pub labels: BTreeMap<String, String>,
    pub title: String,
    pub packet_id: String,
    pub audit_head: String,
    pub date: String,
    pub confidential: bool,
    pub org: Org,
    pub addressees: Vec<String>,
    pub re: String,
    pub letter: Vec<String>,
    pub requests: Vec<String>,
    pub letter_closing: Vec<String>,
    pub summary: Summary,
    pub components: Vec<Component>,
    pub persons: Vec<DocPerson>,
    pub exhibits: Vec<ExhibitFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Org {
    pub name: String,
    pub address: String,
    pub signer: String,
}

/// Label and count pairs, most frequent first.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub counts: Vec<(String, String)>,
    pub acts: Vec<(String, String)>,
    pub perpetrators: Vec<(String, String)>,
    pub screenings: Vec<(String, String)>,
}

/// A DHS component the packet concerns, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub name: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocPerson {
    pub name: String,
    pub details: Vec<(String, String)>,
    pub family: Vec<String>,
    pub timeline: Vec<Event>,
    pub incidents: Vec<DocIncident>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub date: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocIncident {
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub narrative: String,
}

code_enum! {
    /// How an exhibit is reproduced: photos and PDFs as pages, text verbatim, other files
    /// listed only.
    pub enum ExhibitKind { Image = "image", Pdf = "pdf", Text = "text", Other = "other" }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExhibitFile {
    pub number: usize,
    pub description: String,
    pub file_name: String,
    /// SHA-256 of the file as stored in the vault.
    pub sha256: String,
    pub kind: ExhibitKind,
    /// The name the template reads the file by; empty for files listed only.
    pub path: String,
    /// Pages of a PDF exhibit; counted by the typesetter.
    pub pages: usize,
}

pub(super) type Dated = (NaiveDate, Event);

/// An exhibit's file: the name the template reads it by, and its bytes as stored.
pub type ExhibitBytes = (String, Vec<u8>);

impl Vault {
    /// The document's data and the exhibits' files.
    pub(super) fn compose(
        &self,
        req: &PacketRequest,
        plan: &PacketPlan,
        loaded: &[Loaded],
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(PacketContent, Vec<ExhibitBytes>, Vec<ScrubMark>)> {
        let settings = self.settings()?;
        let head = self.audit_head()?;
        let mut c = Composer::new(self, req, plan, loaded);
        for l in loaded {
            let person = c.person(l)?;
            c.persons.push(person);
        }
        let audit_head = head.map_or_else(
            || "#0 ".to_owned(),
            |h| format!("#{} {}", h.seq, h.mac.get(..16).unwrap_or("")),
        );
        let content = c.finish(id, audit_head, &settings, now);
        let mut marks = c.scrubber.take_marks();
        // The words waiting for the user's word first.
        marks.sort_by_key(|m| m.key.is_none());
        Ok((content, c.files, marks))
    }
}

/// How each person is named in this packet.
pub(super) struct Names {
    pub(super) by_id: HashMap<String, (Treatment, String)>,
}

impl Names {
    fn new(plan: &PacketPlan) -> Names {
        let by_id = plan
            .people
            .iter()
            .map(|p| {
                let shown = match p.treatment {
                    Treatment::Identified => p.name.clone(),
                    _ => p.pseudonym.clone(),
                };
                (person_key(&p.person).to_owned(), (p.treatment, shown))
            })
            .collect();
        Names { by_id }
    }
    pub(super) fn shown(&self, id: &str, lang: DocLang) -> String {
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

/// Everyone not identified has their names taken out of the free text: the people in the
/// packet by pseudonym, and every other family member of these clients as "name withheld".
fn scrubber(req: &PacketRequest, loaded: &[Loaded], names: &Names, plan: &PacketPlan) -> Scrubber {
    let lang = req.lang;
    let withheld = t(lang, "packet.name_withheld", &[]);
    let mut hidden: Vec<([String; 3], String, Vec<String>)> = Vec::new();
    for l in loaded {
        let c = &l.client;
        if !names.identified(&c.id) {
            hidden.push((
                [
                    c.given_names.clone(),
                    c.family_names.clone(),
                    c.aliases.clone(),
                ],
                names.shown(&c.id, lang),
                vec![c.a_number.clone().unwrap_or_default(), c.phone.clone()],
            ));
        }
        for f in c.family.iter().filter(|f| !names.identified(&f.id)) {
            let shown = if names.by_id.contains_key(&f.id) {
                names.shown(&f.id, lang)
            } else {
                withheld.clone()
            };
            hidden.push((
                [
                    f.given_names.clone(),
                    f.family_names.clone(),
                    f.aliases.clone(),
                ],
                shown,
                vec![f.a_number.clone().unwrap_or_default()],
            ));
        }
    }
    let hidden: Vec<Hidden<'_>> = hidden
        .iter()
        .map(|(n, rep, nums)| Hidden {
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
    Scrubber::new(
        &hidden,
        &shown_words,
        req.profile == Profile::Pseudonymised,
        ScrubLabels {
            a_number: t(lang, "packet.a_number_removed", &[]),
            phone: t(lang, "packet.phone_removed", &[]),
            contact: t(lang, "packet.contact_removed", &[]),
        },
        &req.confirmed,
    )
}

/// What the summary and the cover letter count, gathered while the people are composed.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) acts: Vec<String>,
    pub(super) perpetrators: Vec<String>,
    pub(super) conducts: Vec<String>,
    /// Each child once across incidents.
    pub(super) children: HashSet<String>,
    pub(super) missed: u32,
    pub(super) incidents: u32,
    pub(super) people: u32,
    pub(super) cbp: bool,
    pub(super) ice: bool,
    pub(super) uscis: bool,
}

pub(super) struct Composer<'a> {
    pub(super) vault: &'a Vault,
    pub(super) lang: DocLang,
    pub(super) req: &'a PacketRequest,
    pub(super) plan: &'a PacketPlan,
    pub(super) pseudonymised: bool,
    /// The client part being composed is printed coarsely (see [`super::FactPrecision`]).
    pub(super) coarse: bool,
    pub(super) names: Names,
    pub(super) scrubber: Scrubber,
    pub(super) tally: Tally,
    pub(super) persons: Vec<DocPerson>,
    pub(super) exhibits: Vec<ExhibitFile>,
    pub(super) files: Vec<ExhibitBytes>,
}

impl<'a> Composer<'a> {
    fn new(
        vault: &'a Vault,
        req: &'a PacketRequest,
        plan: &'a PacketPlan,
        loaded: &[Loaded],
    ) -> Composer<'a> {
        let names = Names::new(plan);
        let scrubber = scrubber(req, loaded, &names, plan);
        Composer {
            vault,
            lang: req.lang,
            req,
            plan,
            pseudonymised: req.profile == Profile::Pseudonymised,
            coarse: false,
            names,
            scrubber,
            tally: Tally::default(),
            persons: Vec::new(),
            exhibits: Vec::new(),
            files: Vec::new(),
        }
    }

    pub(super) fn t(&self, key: &str) -> String {
        t(self.lang, key, &[])
    }

    /// Free text as printed: trimmed and scrubbed of everyone not identified.
    pub(super) fn s(&self, text: &str) -> String {
        self.scrubber.text(text.trim())
    }

    /// A date as printed in this part: month and year only when coarse.
    pub(super) fn day(&self, s: &str) -> String {
        if self.coarse {
            month_year(self.lang, s)
        } else {
            date(self.lang, s)
        }
    }

    /// An age as printed in this part: a band when coarse.
    pub(super) fn age(&self, years: u32) -> String {
        if self.coarse {
            age_band(self.lang, years)
        } else {
            tn(self.lang, "packet.age_years", i64::from(years), &[])
        }
    }

    fn yes_no(&self, b: bool) -> String {
        self.t(if b { "packet.yes" } else { "packet.no" })
    }

    /// One client's part: who they are, their family, their MPP history and incidents.
    fn person(&mut self, l: &Loaded) -> Result<DocPerson> {
        let c = &l.client;
        self.coarse =
            self.req.facts == super::FactPrecision::Coarse && !self.names.identified(&c.id);
        self.tally.people += 1;
        let mut timeline: Vec<Dated> = Vec::new();
        timeline.extend(self.returned(c));
        for h in &l.hearings {
            timeline.push(self.hearing(h));
        }
        for sc in &l.screenings {
            timeline.push(self.screening(sc));
        }
        let n_person = self.persons.len() + 1;
        let mut incidents = Vec::new();
        for (j, inc) in l.incidents.iter().enumerate() {
            let reference = format!("{n_person}.{}", j + 1);
            let (doc, event) = self.incident(l, inc, &reference)?;
            incidents.push(doc);
            timeline.push(event);
        }
        for meta in l
            .exhibits
            .iter()
            .filter(|m| m.owner_kind == AttachmentOwner::Client)
        {
            let description = t(
                self.lang,
                "packet.exhibit_for_person",
                &[("name", &self.names.shown(&c.id, self.lang))],
            );
            self.exhibit(meta, description)?;
        }
        timeline.sort_by_key(|(d, _)| *d);
        let family = self.family(c);
        self.tally.people += family.len() as u32;
        Ok(DocPerson {
            name: self.names.shown(&c.id, self.lang),
            details: self.details(c),
            family,
            timeline: timeline.into_iter().map(|(_, e)| e).collect(),
            incidents,
        })
    }

    /// The client's facts: identifying ones only when identified, an age otherwise.
    fn details(&self, c: &ClientDetail) -> Vec<(String, String)> {
        let lang = self.lang;
        let mut d = Vec::new();
        if let Some(n) = &c.nationality {
            d.push((self.t("packet.d_nationality"), code(lang, "country", n)));
        }
        if self.names.identified(&c.id) {
            if let Some(a) = &c.a_number {
                d.push((self.t("packet.d_a_number"), a.clone()));
            }
            if let Some(dob) = &c.date_of_birth {
                d.push((self.t("packet.d_dob"), date(lang, dob)));
            }
        } else if let Some(age) = c.age {
            d.push((self.t("packet.d_age"), self.age(age)));
        }
        if let Some(sex) = c.sex {
            d.push((self.t("packet.d_sex"), code(lang, "enum.sex", sex.code())));
        }
        if !c.languages.is_empty() {
            let names: Vec<String> = c
                .languages
                .iter()
                .map(|x| code(lang, "language", x))
                .collect();
            d.push((self.t("packet.d_languages"), names.join(", ")));
        }
        if !c.city.trim().is_empty() {
            d.push((self.t("packet.d_city"), self.s(&c.city)));
        }
        if !c.vulnerabilities.is_empty() {
            let v: Vec<String> = c
                .vulnerabilities
                .iter()
                .map(|v| code(lang, "enum.vulnerability", v.code()))
                .collect();
            d.push((self.t("packet.d_vulnerabilities"), v.join(", ")));
        }
        let why = self.s(&c.risk_detail);
        if !why.is_empty() {
            d.push((self.t("packet.d_risk_detail"), why));
        }
        let consent = match self
            .plan
            .people
            .iter()
            .find(|p| person_key(&p.person) == c.id)
        {
            Some(p) if p.consent => self.t("packet.consent_yes"),
            Some(p) if p.override_reason.is_some() => self.t("packet.consent_override"),
            _ => self.t("packet.consent_no"),
        };
        d.push((self.t("packet.d_consent"), consent));
        d
    }

    /// One line per family member in the packet (those left out are not listed).
    fn family(&self, c: &ClientDetail) -> Vec<String> {
        let lang = self.lang;
        self.plan
            .people
            .iter()
            .filter(|p| p.client_id == c.id && matches!(p.person, PersonRef::FamilyMember(_)))
            .filter(|p| p.treatment != Treatment::Omitted)
            .filter_map(|p| {
                let f = c.family.iter().find(|f| f.id == person_key(&p.person))?;
                let rel = code(lang, "enum.relationship", f.relationship.code());
                let mut line = format!("{rel}: {}", self.names.shown(&f.id, lang));
                if let Some(a) = f.age {
                    line.push_str(", ");
                    if f.dob_estimated && !self.coarse {
                        line.push_str(&t(lang, "packet.about", &[("age", &self.age(a))]));
                    } else {
                        line.push_str(&self.age(a));
                    }
                }
                if let Some(status) = f.status {
                    line.push_str(" — ");
                    line.push_str(&code(lang, "enum.family_status", status.code()));
                    if let Some(on) = &f.status_on {
                        line.push_str(&format!(" ({})", self.day(on)));
                    }
                }
                if self.names.identified(&f.id) {
                    if let Some(a) = &f.a_number {
                        line.push_str(&format!(", {a}"));
                    }
                    if let Some(d) = f.date_of_birth.as_ref().filter(|_| !f.dob_estimated) {
                        let label = self.t("packet.d_dob").to_lowercase();
                        line.push_str(&format!(", {label} {}", date(lang, d)));
                    }
                }
                Some(line)
            })
            .collect()
    }

    fn returned(&mut self, c: &ClientDetail) -> Option<Dated> {
        let r = c.returned_on.as_ref()?;
        self.tally.cbp = true;
        let mut text = match c.return_port.filter(|_| !self.coarse) {
            Some(p) => t(
                self.lang,
                "packet.ev_returned",
                &[("port", &code(self.lang, "enum.port", p.code()))],
            ),
            None => self.t("packet.ev_returned_noport"),
        };
        // Where in Mexico: the city as precise as a port, so left out when coarse.
        let city = self.s(&c.return_city);
        let state = c
            .return_state
            .as_deref()
            .map(|s| code(self.lang, "mx_state", s));
        let place: Vec<String> = [Some(city).filter(|c| !c.is_empty()), state]
            .into_iter()
            .flatten()
            .collect();
        if !place.is_empty() && !self.coarse {
            let into = t(
                self.lang,
                "packet.returned_to",
                &[("place", &place.join(", "))],
            );
            text.push_str(&format!(", {into}"));
        }
        let event = Event {
            date: self.day(r),
            text,
        };
        Some((sort_day(r), event))
    }

    fn hearing(&mut self, h: &Hearing) -> Dated {
        let lang = self.lang;
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
        if h.venue == HearingVenue::PortTent {
            self.tally.cbp = true;
        }
        if let (Some(p), Some(at), false) = (h.port, &h.report_at_port, self.coarse) {
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
            self.tally.missed += 1;
            sentence(&mut text);
            let reason = code(lang, "enum.missed_reason", r.code());
            text.push_str(&t(lang, "packet.ev_missed", &[("reason", &reason)]));
            if !h.missed_account.trim().is_empty() {
                text.push(' ');
                text.push_str(&self.s(&h.missed_account));
            }
        } else if h.outcome == HearingOutcome::RemovedInAbsentia {
            self.tally.missed += 1;
        }
        if matches!(
            h.outcome,
            HearingOutcome::RemovedInAbsentia | HearingOutcome::RemovalOrdered
        ) {
            self.tally.ice = true;
        }
        if let Some(d) = &h.reopen_deadline {
            sentence(&mut text);
            text.push_str(&t(lang, "packet.ev_deadline", &[("date", &self.day(d))]));
        }
        let day = &h.at_court.local[..10];
        let event = Event {
            date: self.day(day),
            text,
        };
        (sort_day(day), event)
    }

    fn screening(&mut self, sc: &Screening) -> Dated {
        let lang = self.lang;
        let i = &sc.input;
        if i.interview_held || i.fear_expressed_to == FearExpressedTo::AsylumOfficer {
            self.tally.uscis = true;
        }
        if i.fear_expressed_to == FearExpressedTo::CbpOfficer {
            self.tally.cbp = true;
        }
        let conduct = i
            .conduct
            .map(|x| code(lang, "enum.conduct", x.code()))
            .unwrap_or_else(|| self.t("packet.unknown"));
        self.tally.conducts.push(conduct.clone());
        let to = code(lang, "enum.fear_expressed_to", i.fear_expressed_to.code());
        let outcome = code(lang, "enum.screening_outcome", i.outcome.code());
        let held = self.yes_no(i.interview_held);
        let mut text = t(
            lang,
            "packet.ev_screening",
            &[
                ("to", &to),
                ("held", &held),
                ("conduct", &conduct),
                ("outcome", &outcome),
            ],
        );
        if let Some(m) = i.duration_minutes {
            text.push_str(&format!(" ({m} min)"));
        }
        if let Some(counsel) = i.counsel_allowed {
            sentence(&mut text);
            let allowed = self.yes_no(counsel);
            text.push_str(&t(lang, "packet.ev_counsel", &[("allowed", &allowed)]));
        }
        if !i.notes.trim().is_empty() {
            sentence(&mut text);
            text.push_str(&self.s(&i.notes));
        }
        let event = Event {
            date: self.day(&i.screened_on),
            text,
        };
        (sort_day(&i.screened_on), event)
    }

    /// Adds a stored attachment as the next exhibit; returns its number.
    pub(super) fn exhibit(&mut self, meta: &AttachmentMeta, description: String) -> Result<usize> {
        let n = self.exhibits.len() + 1;
        let mut bytes = self.vault.attachment_bytes(&meta.id)?;
        let media = crate::attachments::sniff_media_type(&bytes);
        let (kind, ext) = if media == "image/jpeg" {
            (ExhibitKind::Image, "jpg")
        } else if media.starts_with("image/") {
            (ExhibitKind::Image, "png")
        } else if media == "application/pdf" {
            (ExhibitKind::Pdf, "pdf")
        } else if let Ok(text) = std::str::from_utf8(&bytes) {
            // Printed, so scrubbed like every other free text (the hash stays the stored file's).
            let scrubbed = self.scrubber.text(text).into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
            bytes = scrubbed;
            (ExhibitKind::Text, "txt")
        } else {
            (ExhibitKind::Other, "")
        };
        let path = if kind == ExhibitKind::Other {
            String::new()
        } else {
            let path = format!("exhibit-{n}.{ext}");
            self.files.push((path.clone(), bytes));
            path
        };
        self.exhibits.push(ExhibitFile {
            number: n,
            description,
            file_name: self.exhibit_name(&meta.file_name, n),
            sha256: meta.sha256.clone(),
            kind,
            path,
            pages: 0,
        });
        Ok(n)
    }

    /// A file name as printed: scrubbed of hidden names; in a pseudonymised packet, replaced
    /// outright (a camera or a colleague may have put anything in it).
    fn exhibit_name(&self, name: &str, n: usize) -> String {
        if !self.pseudonymised {
            return self.scrubber.text(name);
        }
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
    }

    /// The cover letter, the summary and the components, once every person is composed.
    fn finish(
        &mut self,
        id: &str,
        audit_head: String,
        settings: &VaultSettings,
        now: DateTime<Utc>,
    ) -> PacketContent {
        let lang = self.lang;
        let req = self.req;
        let org_name = match settings.org_name.trim() {
            "" => self.t("packet.org_unset"),
            name => name.to_owned(),
        };
        let office = self.t(match req.recipient {
            Recipient::Oig => "packet.office_oig",
            Recipient::Crcl => "packet.office_crcl",
            Recipient::Both => "packet.office_both",
        });
        let tally = std::mem::take(&mut self.tally);
        PacketContent {
            lang,
            labels: labels::packet_labels(lang).into_iter().collect(),
            title: t(lang, "packet.title", &[("office", &office), ("id", id)]),
            packet_id: id.to_owned(),
            audit_head,
            date: date(lang, &now.format("%Y-%m-%d").to_string()),
            confidential: req.profile == Profile::Confidential,
            org: Org {
                name: org_name.clone(),
                address: settings.org_address.trim().to_owned(),
                signer: settings.org_signer.trim().to_owned(),
            },
            addressees: addressees(lang, req.recipient),
            re: tn(
                lang,
                "packet.re_text",
                i64::from(tally.people),
                &[(
                    "incidents",
                    &tn(lang, "packet.n_incidents", i64::from(tally.incidents), &[]),
                )],
            ),
            letter: self.letter(&tally, &org_name, &office),
            requests: req
                .requests
                .iter()
                .map(|r| t(lang, &format!("packet.request_{}", r.code()), &[]))
                .collect(),
            letter_closing: vec![
                t(lang, "packet.letter_closing", &[("org", &org_name)]),
                t(lang, "packet.letter_reply", &[("id", id)]),
            ],
            summary: self.summary(&tally),
            components: self.components(&tally),
            persons: std::mem::take(&mut self.persons),
            exhibits: std::mem::take(&mut self.exhibits),
        }
    }

    fn letter(&self, tally: &Tally, org: &str, office: &str) -> Vec<String> {
        let lang = self.lang;
        let mut letter = vec![t(
            lang,
            "packet.letter_intro",
            &[("org", org), ("office", office)],
        )];
        letter.push(t(
            lang,
            "packet.letter_facts",
            &[
                ("people", &tally.people.to_string()),
                ("incidents", &tally.incidents.to_string()),
                ("children", &tally.children.len().to_string()),
                ("missed", &tally.missed.to_string()),
            ],
        ));
        if self
            .plan
            .people
            .iter()
            .any(|p| p.treatment != Treatment::Identified)
        {
            letter.push(self.t("packet.letter_pseudonyms"));
        }
        if self.req.profile == Profile::Confidential {
            letter.push(self.t("packet.letter_confidential"));
        }
        letter
    }

    fn summary(&self, tally: &Tally) -> Summary {
        let counts = [
            ("packet.count_people", tally.people as usize),
            ("packet.count_children", tally.children.len()),
            ("packet.count_incidents", tally.incidents as usize),
            ("packet.count_missed", tally.missed as usize),
            ("packet.count_screenings", tally.conducts.len()),
            ("packet.count_exhibits", self.exhibits.len()),
        ];
        Summary {
            counts: counts
                .iter()
                .map(|(k, n)| (self.t(k), n.to_string()))
                .collect(),
            acts: count_rows(&tally.acts),
            perpetrators: count_rows(&tally.perpetrators),
            screenings: count_rows(&tally.conducts),
        }
    }

    fn components(&self, tally: &Tally) -> Vec<Component> {
        [
            (tally.cbp, "CBP", "packet.comp_cbp"),
            (tally.ice, "ICE", "packet.comp_ice"),
            (tally.uscis, "USCIS", "packet.comp_uscis"),
        ]
        .into_iter()
        .filter(|(on, _, _)| *on)
        .map(|(_, name, why)| Component {
            name: name.to_owned(),
            why: self.t(why),
        })
        .collect()
    }
}

fn addressees(lang: DocLang, r: Recipient) -> Vec<String> {
    let oig = t(lang, "packet.addressee_oig", &[]);
    let crcl = t(lang, "packet.addressee_crcl", &[]);
    match r {
        Recipient::Oig => vec![oig],
        Recipient::Crcl => vec![crcl],
        Recipient::Both => vec![crcl, oig],
    }
}

fn count_rows(items: &[String]) -> Vec<(String, String)> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    let mut rows: Vec<(&str, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows.into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_string()))
        .collect()
}

pub(super) fn sort_day(s: &str) -> NaiveDate {
    PartialDate::parse(s).map_or(NaiveDate::MAX, |d| d.first_day())
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
