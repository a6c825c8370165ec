//! The consent gate: who would appear in a packet and how, decided by the core from each
//! person's recorded consent and the user's choices, whatever the UI sends.

use std::collections::HashSet;

use crate::attachments::AttachmentMeta;
use crate::clients::ClientDetail;
use crate::codes::{AttachmentOwner, Relationship, Sex};
use crate::dates::PartialDate;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::hearings::Hearing;
use crate::incidents::Incident;
use crate::screenings::Screening;
use crate::vault::Vault;

use super::scrub::Pseudonyms;
use super::{
    PacketPlan, PacketRequest, PacketSelection, PersonChoice, PlanPerson, Profile, Treatment,
    person_key,
};
use crate::records::PersonRef;

const MAX_REASON: usize = 2000;
const MIN_REASON: usize = 10;

/// Everything one client contributes, loaded once.
pub(super) struct Loaded {
    pub(super) client: ClientDetail,
    pub(super) incidents: Vec<Incident>,
    pub(super) hearings: Vec<Hearing>,
    pub(super) screenings: Vec<Screening>,
    pub(super) exhibits: Vec<AttachmentMeta>,
}

impl Vault {
    pub(super) fn load_selection(&self, sel: &PacketSelection) -> Result<Loaded> {
        let client = self.client(&sel.client_id)?;
        let pick = |ids: &[String], kind: &str| -> Result<()> {
            let mut seen = HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    return Err(Error::validation(kind, FieldCode::Duplicate));
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

    pub(super) fn plan_for(&self, req: &PacketRequest, loaded: &[Loaded]) -> Result<PacketPlan> {
        let mut errors = Vec::new();
        let mut people = Vec::new();
        let mut sexes = Vec::new();
        let mut available_exhibits = Vec::new();
        for l in loaded {
            let c = &l.client;
            for cand in candidates(l) {
                let choice = req.choices.iter().find(|ch| ch.person == cand.person);
                let (treatment, override_reason) = decide(req.profile, &cand, choice, &mut errors);
                sexes.push(cand.sex);
                people.push(PlanPerson {
                    person: cand.person,
                    client_id: c.id.clone(),
                    name: cand.name,
                    relationship: cand.relationship,
                    consent: cand.consent,
                    treatment,
                    override_reason,
                    pseudonym: String::new(),
                });
            }
            available_exhibits.extend(self.available_exhibits(
                &c.id,
                &l.incidents.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
            )?);
        }
        // The people who will print under a pseudonym choose first: whom else the packet
        // shows by name never changes what a new pseudonym is.
        let real_names: Vec<String> = loaded.iter().flat_map(real_names).collect();
        let mut pseudonyms = Pseudonyms::new(&self.audit_key, &real_names, self.held_pseudonyms()?);
        for first in [true, false] {
            for (p, sex) in people.iter_mut().zip(&sexes) {
                if (p.treatment == Treatment::Pseudonymised) == first {
                    p.pseudonym = pseudonyms.for_person(person_key(&p.person), *sex);
                }
            }
        }
        crate::validate::finish(errors)?;
        let lacking_consent = people.iter().filter(|p| !p.consent).count() as u32;
        Ok(PacketPlan {
            people,
            lacking_consent,
            available_exhibits,
        })
    }
}

impl Vault {
    /// The pseudonyms this vault keeps, by person id (without the asterisk).
    fn held_pseudonyms(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id, pseudonym FROM pseudonyms")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Every name a client's part of the packet could leak (the pseudonyms avoid them all).
fn real_names(l: &Loaded) -> Vec<String> {
    let c = &l.client;
    std::iter::once(format!(
        "{} {} {}",
        c.given_names, c.family_names, c.aliases
    ))
    .chain(
        c.family
            .iter()
            .map(|f| format!("{} {} {}", f.given_names, f.family_names, f.aliases)),
    )
    .collect()
}

/// Someone the packet may name: the client, and the family members its records concern.
struct Candidate {
    person: PersonRef,
    name: String,
    relationship: Option<Relationship>,
    consent: bool,
    sex: Option<Sex>,
}

fn candidates(l: &Loaded) -> Vec<Candidate> {
    let c = &l.client;
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
    let mut out = vec![Candidate {
        person: PersonRef::Client(c.id.clone()),
        name: format!("{} {}", c.given_names, c.family_names)
            .trim()
            .to_owned(),
        relationship: None,
        consent: c.consent.share_with_oversight,
        sex: c.sex,
    }];
    // In the family's order.
    for f in c.family.iter().filter(|f| involved.contains(f.id.as_str())) {
        out.push(Candidate {
            person: PersonRef::FamilyMember(f.id.clone()),
            name: format!("{} {}", f.given_names, f.family_names)
                .trim()
                .to_owned(),
            relationship: Some(f.relationship),
            consent: f.consent_share_with_oversight,
            sex: f.sex,
        });
    }
    out
}

/// How one person appears, and the reason kept when they are identified without consent.
fn decide(
    profile: Profile,
    cand: &Candidate,
    choice: Option<&PersonChoice>,
    errors: &mut Vec<FieldError>,
) -> (Treatment, Option<String>) {
    let reason = choice
        .map(|ch| ch.override_reason.trim().to_owned())
        .filter(|r| !r.is_empty());
    let is_client = matches!(cand.person, PersonRef::Client(_));
    let field = format!("choice.{}", person_key(&cand.person));
    let consent = cand.consent;
    let treatment = match (profile, choice.map(|ch| ch.treatment)) {
        (_, Some(Treatment::Omitted)) if is_client => {
            errors.push(FieldError::new(field, FieldCode::ClientCannotBeOmitted));
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
                    errors.push(FieldError::new(field, FieldCode::TooLong));
                }
                Treatment::Identified
            }
            _ => {
                errors.push(FieldError::new(field, FieldCode::OverrideReasonRequired));
                Treatment::Pseudonymised
            }
        },
        // Default: identify only those whose consent covers it.
        (_, None) if consent => Treatment::Identified,
        (_, None) => Treatment::Pseudonymised,
    };
    let override_reason = (treatment == Treatment::Identified && !consent)
        .then_some(reason)
        .flatten();
    (treatment, override_reason)
}
