//! An incident's part of the packet: its facts (when, where, what, by whom, who was harmed,
//! ransom, report to the authorities, injuries, its place in the MPP story), its narrative and
//! its exhibits, in the packet's language and scrubbed like the rest.

use crate::clients::ClientDetail;
use crate::codes::{AttachmentOwner, Perpetrator};
use crate::dates::PartialDate;
use crate::error::Result;
use crate::incidents::{Incident, IncidentInput, OtherVictim};
use crate::records::PersonRef;

use chrono::NaiveDate;

use super::document::{Composer, Dated};
use super::labels::{DocLang, age_band, code, t, tn};
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
        let when = self.when(i);
        let mut facts = vec![(self.t("packet.f_date"), when.clone())];
        if let Some(place) = self.place(inc) {
            facts.push((self.t("packet.f_place"), place));
        }
        facts.push((self.t("packet.f_acts"), acts.join(", ")));
        let detail = self.s(&i.perpetrator_detail);
        match (perps.is_empty(), detail.is_empty()) {
            (true, true) => {}
            (false, true) => facts.push((self.t("packet.f_perpetrators"), perps.join(", "))),
            (true, false) => facts.push((self.t("packet.f_perpetrators"), detail)),
            (false, false) => facts.push((
                self.t("packet.f_perpetrators"),
                format!("{} — {detail}", perps.join(", ")),
            )),
        }
        if let Some(days) = i.held_days {
            facts.push((
                self.t("packet.f_held"),
                tn(lang, "packet.n_days", i64::from(days), &[]),
            ));
        }
        facts.push((self.t("packet.f_harmed"), self.harmed(&l.client, inc)));
        if inc.children_harmed > 0 {
            facts.push((self.t("packet.f_children"), inc.children_harmed.to_string()));
            self.count_children(&l.client, inc);
        }
        if let Some((label, mut ransom)) = ransom(lang, inc) {
            let by = self.s(&i.ransom_paid_by);
            if !by.is_empty() {
                ransom.push_str(&format!("; {}", t(lang, "packet.paid_by", &[("who", &by)])));
            }
            facts.push((self.t(label), ransom));
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
            date: when.clone(),
            text: t(
                lang,
                "packet.ev_incident",
                &[("acts", &acts.join(", ")), ("ref", reference)],
            ),
        };
        let doc = DocIncident {
            title: format!("{when} · {}", acts.join(", ")),
            facts,
            narrative: self.s(&i.narrative),
        };
        Ok((doc, (i.earliest_day().unwrap_or(NaiveDate::MAX), event)))
    }

    /// The incident's date as recorded: a day, month or year, a range, or "unknown" with
    /// whatever bounds it ("unknown, after March 2019").
    fn when(&self, i: &IncidentInput) -> String {
        if !i.date_unknown {
            return match &i.date_end {
                Some(e) => format!("{} – {}", self.day(&i.date_start), self.day(e)),
                None => self.day(&i.date_start),
            };
        }
        let after = i.date_after.as_deref().map(|d| self.day(d));
        let before = i.date_before.as_deref().map(|d| self.day(d));
        match (after, before) {
            (Some(a), Some(b)) => t(
                self.lang,
                "packet.date_unknown_between",
                &[("after", &a), ("before", &b)],
            ),
            (Some(a), None) => t(self.lang, "packet.date_unknown_after", &[("after", &a)]),
            (None, Some(b)) => t(self.lang, "packet.date_unknown_before", &[("before", &b)]),
            (None, None) => self.t("packet.date_unknown"),
        }
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

    /// Who was harmed, each with their age at the time when a date of birth was recorded
    /// (not today's age: the narrative speaks of the child as they were); then anyone harmed
    /// outside the record, by relation and age, never by name. The client when no one is
    /// recorded.
    fn harmed(&self, c: &ClientDetail, inc: &Incident) -> String {
        let client = [PersonRef::Client(c.id.clone())];
        let others = &inc.input.other_victims;
        let victims = if inc.input.victims.is_empty() && others.is_empty() {
            &client[..]
        } else {
            &inc.input.victims[..]
        };
        let mut shown: Vec<String> = victims
            .iter()
            .map(|v| match self.names.by_id.get(person_key(v)) {
                Some((Treatment::Omitted, _)) | None => self.t("packet.name_withheld"),
                _ => {
                    let name = self.names.shown(person_key(v), self.lang);
                    match self.age_then(c, v, &inc.input) {
                        Some(age) => format!("{name} ({age})"),
                        None => name,
                    }
                }
            })
            .collect();
        shown.extend(others.iter().map(|o| self.other_victim(o)));
        shown.join(", ")
    }

    /// "Travel companion (30 years at the time)": who they were and their age as told.
    fn other_victim(&self, o: &OtherVictim) -> String {
        let who = if o.relation.trim().is_empty() {
            self.t("packet.another_person")
        } else {
            self.s(&o.relation)
        };
        match o.age_years {
            Some(a) => {
                let then = t(
                    self.lang,
                    "packet.age_at_incident",
                    &[("age", &self.age(a))],
                );
                format!("{who} ({then})")
            }
            None => who,
        }
    }

    /// "3 years at the time", "2 to 3 years at the time", or the band when coarse.
    fn age_then(&self, c: &ClientDetail, who: &PersonRef, i: &IncidentInput) -> Option<String> {
        let birth = match who {
            PersonRef::Client(_) => c.date_of_birth.as_deref(),
            PersonRef::FamilyMember(id) => c
                .family
                .iter()
                .find(|f| &f.id == id)
                .and_then(|f| f.date_of_birth.as_deref()),
        }
        .and_then(PartialDate::parse)?;
        let (youngest, oldest) = age_at(&birth, i)?;
        let lang = self.lang;
        let age = if self.coarse {
            let (a, b) = (age_band(lang, youngest), age_band(lang, oldest));
            if a == b { a } else { format!("{a} – {b}") }
        } else if youngest == oldest {
            tn(lang, "packet.age_years", i64::from(oldest), &[])
        } else {
            t(
                lang,
                "packet.age_range",
                &[("from", &youngest.to_string()), ("to", &oldest.to_string())],
            )
        };
        Some(t(lang, "packet.age_at_incident", &[("age", &age)]))
    }

    fn count_children(&mut self, c: &ClientDetail, inc: &Incident) {
        let start = inc.input.span().map(|(s, _)| s.first_day());
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
        let returned = l.client.returned_on.as_deref().and_then(PartialDate::parse);
        if let Some((from, to)) = returned.and_then(|r| days_after(&r, i)) {
            mpp.push(if from == to {
                tn(lang, "packet.days_since_return", from, &[])
            } else {
                t(
                    lang,
                    "packet.days_since_return_range",
                    &[("from", &from.to_string()), ("to", &to.to_string())],
                )
            });
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
                &[("ref", reference), ("date", &self.when(&inc.input))],
            );
            let n = self.exhibit(meta, description)?;
            out.push(format!("{} {n}", self.t("packet.exhibit")));
        }
        Ok(out)
    }
}

/// The ransom line and its label: "3000.00 USD; paid 1500.00 USD" when a ransom was demanded,
/// "Ransom paid: 1500.00 USD (the amount demanded was not recorded)" when only the payment
/// was; nothing when neither.
fn ransom(lang: DocLang, inc: &Incident) -> Option<(&'static str, String)> {
    let i = &inc.input;
    let cur = i.ransom_currency.clone().unwrap_or_default();
    let money = |m: i32| {
        format!("{:.2} {cur}", f64::from(m) / 100.0)
            .trim()
            .to_owned()
    };
    let paid = t(lang, "packet.paid", &[]);
    let paid_amount = match (i.ransom_paid_minor, i.ransom_paid) {
        (Some(p), _) => Some(money(p)),
        (None, Some(true)) => Some(t(lang, "packet.amount_unknown", &[])),
        (None, _) => None,
    };
    match (i.ransom_demanded_minor, paid_amount) {
        (Some(d), Some(p)) => Some(("packet.f_ransom", format!("{}; {paid} {p}", money(d)))),
        (Some(d), None) => Some(("packet.f_ransom", money(d))),
        (None, Some(_)) if i.ransom_paid_minor.is_none() => Some((
            "packet.f_ransom_paid",
            t(lang, "packet.paid_no_amounts", &[]),
        )),
        (None, Some(p)) => Some((
            "packet.f_ransom_paid",
            t(lang, "packet.paid_demand_unknown", &[("amount", &p)]),
        )),
        (None, None) => None,
    }
}

/// Days between the return to Mexico and the incident: the fewest and the most the recorded
/// dates allow (equal when both are known to the day; "12 days after" is printed only then).
fn days_after(returned: &PartialDate, i: &IncidentInput) -> Option<(i64, i64)> {
    let (start, end) = i.span()?;
    let fewest = (start.first_day() - returned.last_day()).num_days();
    let most = (end.last_day() - returned.first_day()).num_days();
    (most >= 0).then_some((fewest.max(0), most))
}

/// A person's age at the incident: the youngest and oldest the recorded dates allow.
pub(super) fn age_at(birth: &PartialDate, i: &IncidentInput) -> Option<(u32, u32)> {
    let (start, end) = i.span()?;
    let youngest = start.first_day().years_since(birth.last_day()).unwrap_or(0);
    let oldest = end.last_day().years_since(birth.first_day())?;
    Some((youngest.min(oldest), oldest))
}
