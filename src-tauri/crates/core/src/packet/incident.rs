//! An incident's part of the packet: its facts (when, where, what, by whom, who was harmed,
//! ransom, report to the authorities, injuries, its place in the MPP story), its narrative and
//! its exhibits, in the packet's language and scrubbed like the rest.

use crate::clients::ClientDetail;
use crate::codes::{AttachmentOwner, Perpetrator};
use crate::dates::PartialDate;
use crate::error::Result;
use crate::incidents::Incident;
use crate::records::PersonRef;

use super::document::{Composer, Dated, sort_day};
use super::labels::{DocLang, code, t};
use super::plan::Loaded;
use super::{DocIncident, Event, Treatment, person_key};

impl Composer<'_> {
    /// One incident's facts, narrative and exhibits, and its line in the MPP history.
    pub(super) fn incident(
        &mut self,
        l: &Loaded,
        inc: &Incident,
        reference: &str,
    ) -> Result<(DocIncident, Dated)> {
        let lang = self.lang;
        let i = &inc.input;
        self.tally.incidents += 1;
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
        if i.perpetrators.contains(&Perpetrator::UsOfficials) {
            self.tally.cbp = true;
        }
        self.tally.acts.extend(acts.iter().cloned());
        self.tally.perpetrators.extend(perps.iter().cloned());
        let when = match &i.date_end {
            Some(e) => format!("{} – {}", self.day(&i.date_start), self.day(e)),
            None => self.day(&i.date_start),
        };
        let mut facts = vec![(self.t("packet.f_date"), when)];
        if let Some(place) = self.place(inc) {
            facts.push((self.t("packet.f_place"), place));
        }
        facts.push((self.t("packet.f_acts"), acts.join(", ")));
        if !perps.is_empty() {
            facts.push((self.t("packet.f_perpetrators"), perps.join(", ")));
        }
        facts.push((self.t("packet.f_harmed"), self.harmed(&l.client.id, inc)));
        if inc.children_harmed > 0 {
            facts.push((self.t("packet.f_children"), inc.children_harmed.to_string()));
            self.count_children(&l.client, inc);
        }
        if let Some(ransom) = ransom(lang, inc) {
            facts.push((self.t("packet.f_ransom"), ransom));
        }
        facts.push((self.t("packet.f_reported"), self.reported(inc)));
        if !i.injuries.trim().is_empty() {
            facts.push((self.t("packet.f_injuries"), self.s(&i.injuries)));
        }
        if !i.medical_care.trim().is_empty() {
            facts.push((self.t("packet.f_medical"), self.s(&i.medical_care)));
        }
        if let Some(mpp) = self.mpp_facts(l, inc) {
            facts.push((self.t("packet.f_mpp"), mpp));
        }
        let source = code(lang, "enum.incident_source", i.source.code());
        facts.push((self.t("packet.f_source"), source));
        let exhibits = self.incident_exhibits(l, inc, reference)?;
        if !exhibits.is_empty() {
            facts.push((self.t("packet.f_exhibits"), exhibits.join(", ")));
        }
        let event = Event {
            date: self.day(&i.date_start),
            text: t(
                lang,
                "packet.ev_incident",
                &[("acts", &acts.join(", ")), ("ref", reference)],
            ),
        };
        let doc = DocIncident {
            title: format!("{} · {}", self.day(&i.date_start), acts.join(", ")),
            facts,
            narrative: self.s(&i.narrative),
        };
        Ok((doc, (sort_day(&i.date_start), event)))
    }

    /// "City, State — kind of place", as much of it as was recorded.
    fn place(&self, inc: &Incident) -> Option<String> {
        let i = &inc.input;
        let mut parts = Vec::new();
        if !i.city.trim().is_empty() {
            parts.push(self.s(&i.city));
        }
        if let Some(st) = &i.state {
            parts.push(code(self.lang, "mx_state", st));
        }
        let mut place = parts.join(", ");
        if let Some(k) = i.place_kind {
            if !place.is_empty() {
                place.push_str(" — ");
            }
            place.push_str(&code(self.lang, "enum.place_kind", k.code()));
        }
        (!place.is_empty()).then_some(place)
    }

    /// Who was harmed: the client when no one is recorded.
    fn harmed(&self, client_id: &str, inc: &Incident) -> String {
        let victims: Vec<String> = if inc.input.victims.is_empty() {
            vec![self.names.shown(client_id, self.lang)]
        } else {
            inc.input
                .victims
                .iter()
                .map(|v| match self.names.by_id.get(person_key(v)) {
                    Some((Treatment::Omitted, _)) | None => self.t("packet.name_withheld"),
                    _ => self.names.shown(person_key(v), self.lang),
                })
                .collect()
        };
        victims.join(", ")
    }

    fn count_children(&mut self, c: &ClientDetail, inc: &Incident) {
        let start = PartialDate::parse(&inc.input.date_start).map(|d| d.first_day());
        let children = &mut self.tally.children;
        for v in &inc.input.victims {
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
        // Children the per-person walk could not place (e.g. the client): the record's own
        // count is the floor.
        for k in children.len()..inc.children_harmed as usize {
            children.insert(format!("{}#{k}", inc.id));
        }
    }

    fn reported(&self, inc: &Incident) -> String {
        let i = &inc.input;
        match i.reported_to_authorities {
            Some(true) => {
                let mut v = self.t("packet.yes");
                if !i.report_number.trim().is_empty() {
                    let label = self.t("packet.f_report_number");
                    v.push_str(&format!(" ({label} {})", self.s(&i.report_number)));
                }
                if !i.authority_response.trim().is_empty() {
                    v.push_str(&format!(". {}", self.s(&i.authority_response)));
                }
                v
            }
            Some(false) => self.t("packet.no"),
            None => self.t("packet.unknown"),
        }
    }

    /// The incident's place in the MPP story: days since the return, a hearing missed.
    fn mpp_facts(&self, l: &Loaded, inc: &Incident) -> Option<String> {
        let lang = self.lang;
        let i = &inc.input;
        let mut mpp = Vec::new();
        if let Some(d) = inc.days_since_return {
            mpp.push(t(
                lang,
                "packet.days_since_return",
                &[("n", &d.to_string())],
            ));
        }
        if i.on_way_to_hearing {
            mpp.push(self.t("packet.on_way_to_hearing"));
        }
        if let Some(hid) = &i.missed_hearing_id {
            match l.hearings.iter().find(|h| &h.id == hid) {
                Some(h) => mpp.push(t(
                    lang,
                    "packet.caused_missed",
                    &[("date", &self.day(&h.at_court.local[..10]))],
                )),
                None => mpp.push(self.t("packet.caused_missed_undated")),
            }
        }
        (!mpp.is_empty()).then(|| mpp.join("; "))
    }

    /// The incident's chosen exhibits, numbered in the packet's order; their labels.
    fn incident_exhibits(
        &mut self,
        l: &Loaded,
        inc: &Incident,
        reference: &str,
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for meta in l
            .exhibits
            .iter()
            .filter(|m| m.owner_kind == AttachmentOwner::Incident && m.owner_id == inc.id)
        {
            let description = t(
                self.lang,
                "packet.exhibit_for_incident",
                &[
                    ("ref", reference),
                    ("date", &self.day(&inc.input.date_start)),
                ],
            );
            let n = self.exhibit(meta, description)?;
            out.push(format!("{} {n}", self.t("packet.exhibit")));
        }
        Ok(out)
    }
}

/// "3000.00 USD; paid 1500.00 USD", when a ransom was demanded.
fn ransom(lang: DocLang, inc: &Incident) -> Option<String> {
    let i = &inc.input;
    let cur = i.ransom_currency.clone().unwrap_or_default();
    let money = |m: i32| {
        format!("{:.2} {cur}", f64::from(m) / 100.0)
            .trim()
            .to_owned()
    };
    let mut v = money(i.ransom_demanded_minor?);
    if let Some(p) = i.ransom_paid_minor {
        v.push_str(&format!("; {} {}", t(lang, "packet.paid", &[]), money(p)));
    }
    Some(v)
}
