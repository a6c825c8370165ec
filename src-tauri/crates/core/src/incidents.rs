//! Incident reports: what happened, where, when (with its precision), by whom, to whom.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::codes::{Act, IncidentSource, Perpetrator, PlaceKind};
use crate::dates::{PartialDate, now_rfc3339, optional_past_date};
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::records::{PersonRef, check_client, check_people, new_id, read_people, write_people};
use crate::validate;
use crate::vault::Vault;

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    pub client_id: String,
    /// Partial date; with `date_end` it is a range. Empty when `date_unknown`.
    #[serde(default)]
    pub date_start: String,
    #[serde(default)]
    pub date_end: Option<String>,
    /// No one knows when it happened: the date stays empty rather than invented, and
    /// `date_after` / `date_before` say what bounds it, when something does.
    #[serde(default)]
    pub date_unknown: bool,
    /// It happened on or after this partial date (only with `date_unknown`).
    #[serde(default)]
    pub date_after: Option<String>,
    /// It happened on or before this partial date (only with `date_unknown`).
    #[serde(default)]
    pub date_before: Option<String>,
    /// Mexican state, INEGI abbreviation (BC, CHIH, TAMPS, COAH, SON…).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub place_kind: Option<PlaceKind>,
    #[serde(default)]
    pub acts: Vec<Act>,
    #[serde(default)]
    pub perpetrators: Vec<Perpetrator>,
    /// What marked them, in the words given: a uniform, a vehicle, how many ("men in federal
    /// police uniforms, a white pickup, four of them").
    #[serde(default)]
    pub perpetrator_detail: String,
    /// How long the person was held, in days, when they were.
    #[serde(default)]
    pub held_days: Option<u32>,
    /// The people harmed among the client and family; empty, with no `other_victims`, means
    /// the client alone.
    #[serde(default)]
    pub victims: Vec<PersonRef>,
    /// People harmed who are neither the client nor family (a companion killed beside them).
    #[serde(default)]
    pub other_victims: Vec<OtherVictim>,
    #[serde(default)]
    pub ransom_demanded_minor: Option<i32>,
    #[serde(default)]
    pub ransom_paid_minor: Option<i32>,
    /// Whether a ransom was paid, when it is known, with or without the amount (an amount
    /// paid means yes).
    #[serde(default)]
    pub ransom_paid: Option<bool>,
    /// Who paid it or was called for it ("her brother in Houston").
    #[serde(default)]
    pub ransom_paid_by: String,
    #[serde(default)]
    pub ransom_currency: Option<String>,
    #[serde(default)]
    pub reported_to_authorities: Option<bool>,
    #[serde(default)]
    pub report_number: String,
    #[serde(default)]
    pub authority_response: String,
    #[serde(default)]
    pub injuries: String,
    #[serde(default)]
    pub medical_care: String,
    #[serde(default)]
    pub on_way_to_hearing: bool,
    #[serde(default)]
    pub missed_hearing_id: Option<String>,
    pub narrative: String,
    pub source: IncidentSource,
    #[serde(default)]
    pub taken_by: String,
}

/// Someone harmed who is not in the record as the client or family. Packets describe them by
/// relation and age; a name given stays in the vault (no consent of theirs is recorded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct OtherVictim {
    #[serde(default)]
    pub name: String,
    /// Their age in years at the time, as told.
    #[serde(default)]
    pub age_years: Option<u32>,
    /// Who they were to the client, in the words given ("travel companion").
    #[serde(default)]
    pub relation: String,
}

impl IncidentInput {
    /// The first and last dates the incident can fall on, as recorded: its date (or range),
    /// or, when the date is unknown, its two bounds when both are known.
    pub fn span(&self) -> Option<(PartialDate, PartialDate)> {
        let parse = |d: Option<&str>| d.and_then(PartialDate::parse);
        if self.date_unknown {
            return parse(self.date_after.as_deref()).zip(parse(self.date_before.as_deref()));
        }
        let start = PartialDate::parse(&self.date_start)?;
        Some((start, parse(self.date_end.as_deref()).unwrap_or(start)))
    }

    /// The earliest day it can have happened, for ordering: its date, else its lower bound,
    /// else its upper bound.
    pub fn earliest_day(&self) -> Option<chrono::NaiveDate> {
        [
            Some(self.date_start.as_str()),
            self.date_after.as_deref(),
            self.date_before.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(PartialDate::parse)
        .map(|d| d.first_day())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Incident {
    pub id: String,
    /// `day`, `month`, `year`, `range`, or `unknown`.
    pub date_precision: String,
    /// Days between the client's return to Mexico and the (earliest possible) incident date.
    pub days_since_return: Option<i32>,
    /// Victims under 18 on the incident date.
    pub children_harmed: u32,
    #[serde(flatten)]
    pub input: IncidentInput,
}

/// The incident's dates, checked together: a date, or "unknown" with optional bounds, never
/// both; each well formed and past; an end or upper bound not before its start. Returns
/// (start, end, after, before) as stored (the start is empty when unknown).
fn check_dates(
    input: &IncidentInput,
    e: &mut Vec<FieldError>,
) -> (String, Option<String>, Option<String>, Option<String>) {
    let given = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    let (first, last) = if input.date_unknown {
        for (field, v) in [
            ("date_start", Some(input.date_start.as_str())),
            ("date_end", input.date_end.as_deref()),
        ] {
            if given(v) {
                e.push(FieldError::new(field, FieldCode::DateGivenButUnknown));
            }
        }
        ("date_after", "date_before")
    } else {
        for (field, v) in [
            ("date_after", input.date_after.as_deref()),
            ("date_before", input.date_before.as_deref()),
        ] {
            if given(v) {
                e.push(FieldError::new(field, FieldCode::BoundsWithKnownDate));
            }
        }
        if input.date_start.trim().is_empty() {
            e.push(FieldError::new("date_start", FieldCode::Required));
        }
        ("date_start", "date_end")
    };
    let value = |field: &str| match field {
        "date_start" => Some(input.date_start.as_str()),
        "date_end" => input.date_end.as_deref(),
        "date_after" => input.date_after.as_deref(),
        _ => input.date_before.as_deref(),
    };
    let from = optional_past_date(first, value(first), true, e);
    let to = optional_past_date(last, value(last), true, e);
    if let (Some(a), Some(b)) = (&from, &to)
        && PartialDate::parse(b).map(|d| d.last_day())
            < PartialDate::parse(a).map(|d| d.first_day())
    {
        e.push(FieldError::new(last, FieldCode::BeforeStart));
    }
    if input.date_unknown {
        (String::new(), None, from, to)
    } else {
        (from.unwrap_or_default(), to, None, None)
    }
}

/// People harmed outside the record: each with a name or a relation, short texts, an age a
/// person can have. Returns the list as stored (JSON).
fn check_others(others: &[OtherVictim], e: &mut Vec<FieldError>) -> String {
    let mut kept = Vec::with_capacity(others.len());
    for (i, o) in others.iter().enumerate() {
        let name = validate::short(&format!("other_victims.{i}.name"), &o.name, e);
        let relation = validate::short(&format!("other_victims.{i}.relation"), &o.relation, e);
        if name.is_empty() && relation.is_empty() {
            e.push(FieldError::new(
                format!("other_victims.{i}.relation"),
                FieldCode::Required,
            ));
        }
        if o.age_years.is_some_and(|a| a > 120) {
            e.push(FieldError::new(
                format!("other_victims.{i}.age_years"),
                FieldCode::OutOfRange,
            ));
        }
        kept.push(OtherVictim {
            name,
            age_years: o.age_years,
            relation,
        });
    }
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".to_owned())
}

/// The ransom's amounts, currency and whether it was paid, checked together: an amount paid
/// beside "not paid" is a contradiction. Returns the currency and the paid flag as stored.
fn check_ransom(input: &IncidentInput, e: &mut Vec<FieldError>) -> (Option<String>, Option<bool>) {
    for (field, v) in [
        ("ransom_demanded_minor", input.ransom_demanded_minor),
        ("ransom_paid_minor", input.ransom_paid_minor),
    ] {
        if v.is_some_and(|v| v < 0) {
            e.push(FieldError::new(field, FieldCode::OutOfRange));
        }
    }
    let currency = input
        .ransom_currency
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if currency.is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase())) {
        e.push(FieldError::new("ransom_currency", FieldCode::UnknownCode));
    }
    if input.ransom_paid == Some(false) && input.ransom_paid_minor.is_some() {
        e.push(FieldError::new(
            "ransom_paid",
            FieldCode::PaidAmountButNotPaid,
        ));
    }
    let paid = input.ransom_paid.or(input.ransom_paid_minor.map(|_| true));
    (currency.map(str::to_owned), paid)
}

pub const MEXICAN_STATES: &[&str] = &[
    "AGS", "BC", "BCS", "CAMP", "CHIS", "CHIH", "CDMX", "COAH", "COL", "DGO", "GTO", "GRO", "HGO",
    "JAL", "MEX", "MICH", "MOR", "NAY", "NL", "OAX", "PUE", "QRO", "QROO", "SLP", "SIN", "SON",
    "TAB", "TAMPS", "TLAX", "VER", "YUC", "ZAC",
];

impl Vault {
    pub fn add_incident(&mut self, input: &IncidentInput) -> Result<Incident> {
        self.save_incident(None, input)
    }

    pub fn delete_incident(&mut self, id: &str) -> Result<()> {
        self.soft_delete("incidents", "incident", id)
    }

    /// Adds an incident, or replaces one when `id` is given; one transaction with its victims
    /// and audit entry.
    pub fn save_incident(&mut self, id: Option<&str>, input: &IncidentInput) -> Result<Incident> {
        check_client(self, &input.client_id)?;
        if let Some(id) = id
            && self.incident(id)?.input.client_id != input.client_id
        {
            return Err(Error::validation("client_id", FieldCode::CannotMove));
        }
        let mut e = Vec::new();
        let (start, end, after, before) = check_dates(input, &mut e);
        let state = validate::code_in("state", input.state.as_deref(), MEXICAN_STATES, &mut e);
        if input.acts.is_empty() {
            e.push(FieldError::new("acts", FieldCode::Required));
        }
        let (currency, paid) = check_ransom(input, &mut e);
        if input.held_days.is_some_and(|d| d > 3650) {
            e.push(FieldError::new("held_days", FieldCode::OutOfRange));
        }
        let paid_by = validate::short("ransom_paid_by", &input.ransom_paid_by, &mut e);
        let perpetrator_detail =
            validate::short("perpetrator_detail", &input.perpetrator_detail, &mut e);
        let city = validate::short("city", &input.city, &mut e);
        let report_number = validate::short("report_number", &input.report_number, &mut e);
        let authority_response =
            validate::long("authority_response", &input.authority_response, &mut e);
        let injuries = validate::long("injuries", &input.injuries, &mut e);
        let medical_care = validate::long("medical_care", &input.medical_care, &mut e);
        let narrative = validate::long("narrative", &input.narrative, &mut e);
        let taken_by = validate::short("taken_by", &input.taken_by, &mut e);
        check_people(self, &input.client_id, "victims", &input.victims, &mut e)?;
        let others = check_others(&input.other_victims, &mut e);
        if let Some(h) = &input.missed_hearing_id {
            let same_client = self
                .conn
                .query_row(
                    "SELECT 1 FROM hearings WHERE id = ?1 AND client_id = ?2 AND deleted_at IS NULL",
                    [h, &input.client_id],
                    |_| Ok(()),
                )
                .optional()?;
            if same_client.is_none() {
                e.push(FieldError::new(
                    "missed_hearing_id",
                    FieldCode::UnknownHearing,
                ));
            }
        }
        validate::finish(e)?;
        let (id, action) = match id {
            Some(id) => (id.to_owned(), "update"),
            None => (new_id(), "create"),
        };
        let now = now_rfc3339();
        let json = |v: &dyn erased::Json| v.json();
        self.write(|tx| {
        tx.execute(
            "INSERT INTO incidents (id, client_id, date_start, date_end, state, city, place_kind,
               acts, perpetrators, ransom_demanded_minor, ransom_paid_minor, ransom_currency,
               reported_to_authorities, report_number, authority_response, injuries, medical_care,
               on_way_to_hearing, missed_hearing_id, narrative, source, taken_by, created_at,
               updated_at, held_days, ransom_paid, ransom_paid_by, perpetrator_detail,
               date_after, date_before, other_victims)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?23,
               ?24,?25,?26,?27,?28,?29,?30)
             ON CONFLICT(id) DO UPDATE SET date_start=excluded.date_start, date_end=excluded.date_end,
               state=excluded.state, city=excluded.city, place_kind=excluded.place_kind,
               acts=excluded.acts, perpetrators=excluded.perpetrators,
               ransom_demanded_minor=excluded.ransom_demanded_minor,
               ransom_paid_minor=excluded.ransom_paid_minor, ransom_currency=excluded.ransom_currency,
               reported_to_authorities=excluded.reported_to_authorities,
               report_number=excluded.report_number, authority_response=excluded.authority_response,
               injuries=excluded.injuries, medical_care=excluded.medical_care,
               on_way_to_hearing=excluded.on_way_to_hearing,
               missed_hearing_id=excluded.missed_hearing_id, narrative=excluded.narrative,
               source=excluded.source, taken_by=excluded.taken_by, updated_at=excluded.updated_at,
               held_days=excluded.held_days, ransom_paid=excluded.ransom_paid,
               ransom_paid_by=excluded.ransom_paid_by,
               perpetrator_detail=excluded.perpetrator_detail,
               date_after=excluded.date_after, date_before=excluded.date_before,
               other_victims=excluded.other_victims",
            params![
                id, input.client_id, start, end, state, city, input.place_kind,
                json(&input.acts), json(&input.perpetrators), input.ransom_demanded_minor,
                input.ransom_paid_minor, currency, input.reported_to_authorities, report_number,
                authority_response, injuries, medical_care, input.on_way_to_hearing,
                input.missed_hearing_id, narrative, input.source, taken_by, now,
                input.held_days, paid, paid_by, perpetrator_detail, after, before, others
            ],
        )?;
        tx.execute("DELETE FROM incident_victims WHERE incident_id = ?1", [&id])?;
        // Only others harmed: no link to the client, whom an empty list would otherwise mean.
        if !input.victims.is_empty() || input.other_victims.is_empty() {
            write_people(
                tx,
                "incident_victims",
                "incident_id",
                &id,
                &input.client_id,
                &input.victims,
            )?;
        }
        tx.record(action, "incident", &id, &[]);
        Ok(())
        })?;
        self.incident(&id)
    }

    pub fn incident(&self, id: &str) -> Result<Incident> {
        self.may_read_record("incident", id)?;
        let inc = self
            .conn
            .prepare_cached(INCIDENT_BY_ID_SQL)?
            .query_row([id], incident_from_row)
            .optional()?
            .ok_or(Error::NotFound)?;
        self.with_people_and_ages(inc)
    }

    /// A client's incidents, by date (an unknown date by its bounds, last when it has none).
    pub fn incidents_for_client(&self, client_id: &str) -> Result<Vec<Incident>> {
        // A client that does not exist is `not_found`, not an empty list.
        check_client(self, client_id)?;
        let found: Vec<Incident> = self
            .conn
            .prepare_cached(INCIDENTS_FOR_CLIENT_SQL)?
            .query_map([client_id], incident_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        found
            .into_iter()
            .map(|inc| self.with_people_and_ages(inc))
            .collect()
    }

    /// Completes an incident read from its row: who was harmed, how many days after the
    /// client's return it began, how many of those harmed were children then.
    fn with_people_and_ages(&self, mut inc: Incident) -> Result<Incident> {
        let id = inc.id.as_str();
        inc.input.victims = read_people(self, "incident_victims", "incident_id", id)?;
        let span = inc.input.span();
        let start = span.map(|(s, _)| s.first_day());
        let returned: Option<String> = self.conn.query_row(
            "SELECT returned_on FROM clients WHERE id = ?1",
            [&inc.input.client_id],
            |r| r.get(0),
        )?;
        inc.days_since_return = match (start, returned.as_deref().and_then(PartialDate::parse)) {
            (Some(s), Some(r)) => i32::try_from((s - r.first_day()).num_days()).ok(),
            _ => None,
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(c.date_of_birth, f.date_of_birth) FROM incident_victims v
             LEFT JOIN clients c ON c.id = v.client_id
             LEFT JOIN family_members f ON f.id = v.family_member_id
             WHERE v.incident_id = ?1",
        )?;
        let births: Vec<Option<String>> = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        inc.children_harmed = births
            .iter()
            .flatten()
            .filter_map(|b| PartialDate::parse(b))
            .filter(|b| start.and_then(|s| b.age_on(s)).is_some_and(|age| age < 18))
            .count() as u32;
        inc.children_harmed += inc
            .input
            .other_victims
            .iter()
            .filter(|o| o.age_years.is_some_and(|a| a < 18))
            .count() as u32;
        Ok(inc)
    }
}

/// The columns an [`Incident`] is read from, in `incident_from_row`'s order.
macro_rules! incident_columns {
    () => {
        "id, client_id, date_start, date_end, state, city, place_kind, acts, perpetrators, \
         ransom_demanded_minor, ransom_paid_minor, ransom_currency, reported_to_authorities, \
         report_number, authority_response, injuries, medical_care, on_way_to_hearing, \
         missed_hearing_id, narrative, source, taken_by, held_days, ransom_paid, ransom_paid_by, \
         perpetrator_detail, date_after, date_before, other_victims"
    };
}

const INCIDENT_BY_ID_SQL: &str = concat!(
    "SELECT ",
    incident_columns!(),
    " FROM incidents WHERE id = ?1 AND deleted_at IS NULL"
);

/// A client's incidents (`?1`) by date; an unknown date sorts by its bounds, and last when it
/// has none.
pub(crate) const INCIDENTS_FOR_CLIENT_SQL: &str = concat!(
    "SELECT ",
    incident_columns!(),
    " FROM incidents WHERE client_id = ?1 AND deleted_at IS NULL \
     ORDER BY coalesce(nullif(date_start, ''), date_after, date_before, '9999'), id"
);

/// An incident as its row holds it; the people harmed and the ages come after
/// (`with_people_and_ages`).
fn incident_from_row(r: &rusqlite::Row) -> rusqlite::Result<Incident> {
    let start: String = r.get(2)?;
    let end: Option<String> = r.get(3)?;
    let precision = if start.is_empty() {
        "unknown"
    } else if end.is_some() {
        "range"
    } else {
        PartialDate::parse(&start).map_or("day", |d| d.precision())
    };
    Ok(Incident {
        id: r.get(0)?,
        date_precision: precision.to_owned(),
        days_since_return: None,
        children_harmed: 0,
        input: IncidentInput {
            client_id: r.get(1)?,
            date_unknown: start.is_empty(),
            date_start: start,
            date_end: end,
            date_after: r.get(26)?,
            date_before: r.get(27)?,
            other_victims: serde_json::from_str(&r.get::<_, String>(28)?).unwrap_or_default(),
            state: r.get(4)?,
            city: r.get(5)?,
            place_kind: r.get(6)?,
            acts: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
            perpetrators: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
            victims: Vec::new(),
            ransom_demanded_minor: r.get(9)?,
            ransom_paid_minor: r.get(10)?,
            // Written before the flag existed: an amount paid says yes.
            ransom_paid: r
                .get::<_, Option<bool>>(23)?
                .or(r.get::<_, Option<i32>>(10)?.map(|_| true)),
            ransom_paid_by: r.get(24)?,
            perpetrator_detail: r.get(25)?,
            held_days: r.get(22)?,
            ransom_currency: r.get(11)?,
            reported_to_authorities: r.get(12)?,
            report_number: r.get(13)?,
            authority_response: r.get(14)?,
            injuries: r.get(15)?,
            medical_care: r.get(16)?,
            on_way_to_hearing: r.get(17)?,
            missed_hearing_id: r.get(18)?,
            narrative: r.get(19)?,
            source: r.get(20)?,
            taken_by: r.get(21)?,
        },
    })
}

mod erased {
    /// Lets one closure serialise lists of different code enums to JSON text.
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for Vec<T> {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "[]".to_owned())
        }
    }
}
