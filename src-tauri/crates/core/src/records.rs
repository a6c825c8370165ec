//! Hearings, fear screenings, incidents and attachments: the schema and core operations that
//! later screens build on. Each write is one transaction with its audit entry.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::codes::{
    Act, AttachmentOwner, Court, FearExpressedTo, HearingOutcome, HearingType, HearingVenue,
    IncidentSource, InterviewConduct, InterviewMode, MissedReason, Perpetrator, PlaceKind, Port,
    ScreeningOutcome,
};
use crate::dates::{PartialDate, now_rfc3339, optional_past_date};
use crate::error::{Error, FieldError, Result};
use crate::validate;
use crate::vault::Vault;
use crate::zoned::{local_to_utc, parse_utc, parse_zone, utc_string, utc_to_local};

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A person a record concerns: the client or one of their family members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum PersonRef {
    Client(String),
    FamilyMember(String),
}

impl PersonRef {
    fn columns(&self) -> (Option<&str>, Option<&str>) {
        match self {
            PersonRef::Client(id) => (Some(id), None),
            PersonRef::FamilyMember(id) => (None, Some(id)),
        }
    }
}

fn read_people(vault: &Vault, table: &str, key: &str, id: &str) -> Result<Vec<PersonRef>> {
    let mut stmt = vault.conn.prepare(&format!(
        "SELECT client_id, family_member_id FROM {table} WHERE {key} = ?1 ORDER BY rowid"
    ))?;
    let rows = stmt.query_map([id], |r| {
        let c: Option<String> = r.get(0)?;
        let f: Option<String> = r.get(1)?;
        Ok(match (c, f) {
            (Some(c), _) => PersonRef::Client(c),
            (None, Some(f)) => PersonRef::FamilyMember(f),
            (None, None) => PersonRef::Client(String::new()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Links a record to the people it concerns; no one named means the client alone.
fn write_people(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    key: &str,
    id: &str,
    client_id: &str,
    people: &[PersonRef],
) -> Result<()> {
    let client_only = [PersonRef::Client(client_id.to_owned())];
    let people = if people.is_empty() {
        &client_only[..]
    } else {
        people
    };
    for p in people {
        let (c, f) = p.columns();
        tx.execute(
            &format!("INSERT INTO {table} ({key}, client_id, family_member_id) VALUES (?1,?2,?3)"),
            params![id, c, f],
        )?;
    }
    Ok(())
}

fn check_client(vault: &Vault, client_id: &str) -> Result<()> {
    vault
        .conn
        .query_row(
            "SELECT 1 FROM clients WHERE id = ?1 AND deleted_at IS NULL",
            [client_id],
            |_| Ok(()),
        )
        .optional()?
        .ok_or(Error::NotFound)
}

/// People must be the client or members of the client's own family unit.
fn check_people(
    vault: &Vault,
    client_id: &str,
    people: &[PersonRef],
    e: &mut Vec<FieldError>,
) -> Result<()> {
    for (i, p) in people.iter().enumerate() {
        let ok = match p {
            PersonRef::Client(id) => id == client_id,
            PersonRef::FamilyMember(id) => vault
                .conn
                .query_row(
                    "SELECT 1 FROM family_members WHERE id = ?1 AND client_id = ?2",
                    [id, client_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some(),
        };
        if !ok {
            e.push(FieldError::new(format!("people.{i}"), "unknown_person"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hearings

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct HearingInput {
    pub client_id: String,
    /// Who the hearing concerns; empty means the client alone.
    pub people: Vec<PersonRef>,
    pub court: Court,
    /// Required only for `Court::Other`; otherwise the court's own zone is used.
    pub court_zone: Option<String>,
    pub venue: HearingVenue,
    pub hearing_type: HearingType,
    /// Wall-clock time in the court's zone, "YYYY-MM-DDTHH:MM".
    pub scheduled_local: String,
    pub port: Option<Port>,
    /// Wall-clock report time in the port's zone.
    pub report_local: Option<String>,
    pub judge: String,
    pub interpreter_language: Option<String>,
    pub attendees: String,
    pub outcome: HearingOutcome,
    pub next_date: Option<String>,
    pub missed_reason: Option<MissedReason>,
    pub missed_account: String,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Hearing {
    pub id: String,
    pub client_id: String,
    pub people: Vec<PersonRef>,
    pub court: Court,
    pub court_zone: String,
    pub venue: HearingVenue,
    pub hearing_type: HearingType,
    pub scheduled_at_utc: String,
    /// The same instant on the court's clock, with the zone's abbreviation.
    pub scheduled_local: String,
    pub scheduled_zone_abbrev: String,
    pub port: Option<Port>,
    pub report_at_utc: Option<String>,
    pub report_zone: Option<String>,
    pub judge: String,
    pub interpreter_language: Option<String>,
    pub attendees: String,
    pub outcome: HearingOutcome,
    pub next_date: Option<String>,
    pub missed_reason: Option<MissedReason>,
    pub missed_account: String,
    pub notes: String,
}

impl Vault {
    pub fn add_hearing(&mut self, input: &HearingInput) -> Result<Hearing> {
        check_client(self, &input.client_id)?;
        let mut e = Vec::new();
        let zone_name = match input.court.zone() {
            Some(z) => z.to_owned(),
            None => input.court_zone.clone().unwrap_or_default(),
        };
        let zone = parse_zone("court_zone", &zone_name, &mut e);
        let scheduled =
            zone.and_then(|z| local_to_utc("scheduled_local", &input.scheduled_local, z, &mut e));
        let report_zone = input
            .port
            .and_then(Port::zone)
            .map(str::to_owned)
            .or_else(|| input.report_local.as_ref().map(|_| zone_name.clone()));
        let report = match (&input.report_local, &report_zone) {
            (Some(l), Some(z)) if !l.trim().is_empty() => parse_zone("report_local", z, &mut e)
                .and_then(|tz| local_to_utc("report_local", l, tz, &mut e)),
            _ => None,
        };
        let judge = validate::short("judge", &input.judge, &mut e);
        let attendees = validate::short("attendees", &input.attendees, &mut e);
        let next_date = optional_past_date("next_date", input.next_date.as_deref(), false, &mut e);
        let missed_account = validate::long("missed_account", &input.missed_account, &mut e);
        let notes = validate::long("notes", &input.notes, &mut e);
        check_people(self, &input.client_id, &input.people, &mut e)?;
        validate::finish(e)?;
        let (Some(scheduled), Some(_)) = (scheduled, zone) else {
            return Err(Error::validation("scheduled_local", "datetime_format"));
        };
        let id = new_id();
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO hearings (id, client_id, court, court_zone, venue, hearing_type,
               scheduled_at, port, report_at, report_zone, judge, interpreter_language, attendees,
               outcome, next_date, missed_reason, missed_account, notes, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?19)",
            params![
                id,
                input.client_id,
                input.court,
                zone_name,
                input.venue,
                input.hearing_type,
                utc_string(&scheduled),
                input.port,
                report.as_ref().map(utc_string),
                report.as_ref().and(report_zone.as_ref()),
                judge,
                input.interpreter_language,
                attendees,
                input.outcome,
                next_date,
                input.missed_reason,
                missed_account,
                notes,
                now
            ],
        )?;
        write_people(
            &tx,
            "hearing_people",
            "hearing_id",
            &id,
            &input.client_id,
            &input.people,
        )?;
        audit::append(
            &tx,
            &self.audit_key,
            &self.actor,
            "create",
            "hearing",
            &id,
            &[],
        )?;
        tx.commit()?;
        self.hearing(&id)
    }

    pub fn hearing(&self, id: &str) -> Result<Hearing> {
        let mut h = self
            .conn
            .query_row(
                "SELECT id, client_id, court, court_zone, venue, hearing_type, scheduled_at, port,
                   report_at, report_zone, judge, interpreter_language, attendees, outcome,
                   next_date, missed_reason, missed_account, notes
                 FROM hearings WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                |r| {
                    let zone: String = r.get(3)?;
                    let at: String = r.get(6)?;
                    let (local, abbrev) = match (parse_utc(&at), zone.parse::<chrono_tz::Tz>()) {
                        (Some(t), Ok(z)) => utc_to_local(&t, z),
                        _ => (String::new(), String::new()),
                    };
                    Ok(Hearing {
                        id: r.get(0)?,
                        client_id: r.get(1)?,
                        people: Vec::new(),
                        court: r.get(2)?,
                        court_zone: zone,
                        venue: r.get(4)?,
                        hearing_type: r.get(5)?,
                        scheduled_at_utc: at,
                        scheduled_local: local,
                        scheduled_zone_abbrev: abbrev,
                        port: r.get(7)?,
                        report_at_utc: r.get(8)?,
                        report_zone: r.get(9)?,
                        judge: r.get(10)?,
                        interpreter_language: r.get(11)?,
                        attendees: r.get(12)?,
                        outcome: r.get(13)?,
                        next_date: r.get(14)?,
                        missed_reason: r.get(15)?,
                        missed_account: r.get(16)?,
                        notes: r.get(17)?,
                    })
                },
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        h.people = read_people(self, "hearing_people", "hearing_id", id)?;
        Ok(h)
    }

    pub fn hearings_for_client(&self, client_id: &str) -> Result<Vec<Hearing>> {
        let ids = self.ids_for_client("hearings", "scheduled_at", client_id)?;
        ids.iter().map(|id| self.hearing(id)).collect()
    }

    fn ids_for_client(&self, table: &str, order: &str, client_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id FROM {table} WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY {order}, id"
        ))?;
        let rows = stmt.query_map([client_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

// ---------------------------------------------------------------------------------------------
// Fear screenings (non-refoulement interviews)

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ScreeningInput {
    pub client_id: String,
    /// Partial date: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    pub screened_on: String,
    pub fear_expressed_to: FearExpressedTo,
    pub interview_held: bool,
    pub interview_mode: Option<InterviewMode>,
    pub location: String,
    pub duration_minutes: Option<u32>,
    pub counsel_allowed: Option<bool>,
    pub conduct: Option<InterviewConduct>,
    pub outcome: ScreeningOutcome,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Screening {
    pub id: String,
    #[serde(flatten)]
    pub input: ScreeningInput,
}

impl Vault {
    pub fn add_screening(&mut self, input: &ScreeningInput) -> Result<Screening> {
        check_client(self, &input.client_id)?;
        let mut e = Vec::new();
        let screened_on = optional_past_date("screened_on", Some(&input.screened_on), true, &mut e);
        if input.screened_on.trim().is_empty() {
            e.push(FieldError::new("screened_on", "required"));
        }
        if input.duration_minutes.is_some_and(|m| m > 24 * 60) {
            e.push(FieldError::new("duration_minutes", "out_of_range"));
        }
        let location = validate::short("location", &input.location, &mut e);
        let notes = validate::long("notes", &input.notes, &mut e);
        validate::finish(e)?;
        let id = new_id();
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO screenings (id, client_id, screened_on, fear_expressed_to, interview_held,
               interview_mode, location, duration_minutes, counsel_allowed, conduct, outcome, notes,
               created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)",
            params![
                id,
                input.client_id,
                screened_on,
                input.fear_expressed_to,
                input.interview_held,
                input.interview_mode,
                location,
                input.duration_minutes,
                input.counsel_allowed,
                input.conduct,
                input.outcome,
                notes,
                now
            ],
        )?;
        audit::append(
            &tx,
            &self.audit_key,
            &self.actor,
            "create",
            "screening",
            &id,
            &[],
        )?;
        tx.commit()?;
        self.screening(&id)
    }

    pub fn screening(&self, id: &str) -> Result<Screening> {
        self.conn
            .query_row(
                "SELECT id, client_id, screened_on, fear_expressed_to, interview_held,
                   interview_mode, location, duration_minutes, counsel_allowed, conduct, outcome,
                   notes FROM screenings WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                |r| {
                    Ok(Screening {
                        id: r.get(0)?,
                        input: ScreeningInput {
                            client_id: r.get(1)?,
                            screened_on: r.get(2)?,
                            fear_expressed_to: r.get(3)?,
                            interview_held: r.get(4)?,
                            interview_mode: r.get(5)?,
                            location: r.get(6)?,
                            duration_minutes: r.get(7)?,
                            counsel_allowed: r.get(8)?,
                            conduct: r.get(9)?,
                            outcome: r.get(10)?,
                            notes: r.get(11)?,
                        },
                    })
                },
            )
            .optional()?
            .ok_or(Error::NotFound)
    }

    pub fn screenings_for_client(&self, client_id: &str) -> Result<Vec<Screening>> {
        let ids = self.ids_for_client("screenings", "screened_on", client_id)?;
        ids.iter().map(|id| self.screening(id)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Incidents

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct IncidentInput {
    pub client_id: String,
    /// Partial date; with `date_end` it is a range.
    pub date_start: String,
    pub date_end: Option<String>,
    /// Mexican state, INEGI abbreviation (BC, CHIH, TAMPS, COAH, SON…).
    pub state: Option<String>,
    pub city: String,
    pub place_kind: Option<PlaceKind>,
    pub acts: Vec<Act>,
    pub perpetrators: Vec<Perpetrator>,
    /// The people harmed; empty means the client alone.
    pub victims: Vec<PersonRef>,
    pub ransom_demanded_minor: Option<i32>,
    pub ransom_paid_minor: Option<i32>,
    pub ransom_currency: Option<String>,
    pub reported_to_authorities: Option<bool>,
    pub report_number: String,
    pub authority_response: String,
    pub injuries: String,
    pub medical_care: String,
    pub on_way_to_hearing: bool,
    pub missed_hearing_id: Option<String>,
    pub narrative: String,
    pub source: IncidentSource,
    pub taken_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Incident {
    pub id: String,
    pub date_precision: String,
    #[serde(flatten)]
    pub input: IncidentInput,
}

pub const MEXICAN_STATES: &[&str] = &[
    "AGS", "BC", "BCS", "CAMP", "CHIS", "CHIH", "CDMX", "COAH", "COL", "DGO", "GTO", "GRO", "HGO",
    "JAL", "MEX", "MICH", "MOR", "NAY", "NL", "OAX", "PUE", "QRO", "QROO", "SLP", "SIN", "SON",
    "TAB", "TAMPS", "TLAX", "VER", "YUC", "ZAC",
];

impl Vault {
    pub fn add_incident(&mut self, input: &IncidentInput) -> Result<Incident> {
        check_client(self, &input.client_id)?;
        let mut e = Vec::new();
        let start = optional_past_date("date_start", Some(&input.date_start), true, &mut e);
        if input.date_start.trim().is_empty() {
            e.push(FieldError::new("date_start", "required"));
        }
        let end = optional_past_date("date_end", input.date_end.as_deref(), true, &mut e);
        if let (Some(s), Some(en)) = (&start, &end)
            && PartialDate::parse(en).map(|d| d.first_day())
                < PartialDate::parse(s).map(|d| d.first_day())
        {
            e.push(FieldError::new("date_end", "before_start"));
        }
        let state = validate::code_in("state", input.state.as_deref(), MEXICAN_STATES, &mut e);
        if input.acts.is_empty() {
            e.push(FieldError::new("acts", "required"));
        }
        for (field, v) in [
            ("ransom_demanded_minor", input.ransom_demanded_minor),
            ("ransom_paid_minor", input.ransom_paid_minor),
        ] {
            if v.is_some_and(|v| v < 0) {
                e.push(FieldError::new(field, "out_of_range"));
            }
        }
        let currency = input
            .ransom_currency
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if currency.is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase())) {
            e.push(FieldError::new("ransom_currency", "unknown_code"));
        }
        let city = validate::short("city", &input.city, &mut e);
        let report_number = validate::short("report_number", &input.report_number, &mut e);
        let authority_response =
            validate::long("authority_response", &input.authority_response, &mut e);
        let injuries = validate::long("injuries", &input.injuries, &mut e);
        let medical_care = validate::long("medical_care", &input.medical_care, &mut e);
        let narrative = validate::long("narrative", &input.narrative, &mut e);
        let taken_by = validate::short("taken_by", &input.taken_by, &mut e);
        check_people(self, &input.client_id, &input.victims, &mut e)?;
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
                e.push(FieldError::new("missed_hearing_id", "unknown_hearing"));
            }
        }
        validate::finish(e)?;
        let id = new_id();
        let now = now_rfc3339();
        let json = |v: &dyn erased::Json| v.json();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO incidents (id, client_id, date_start, date_end, state, city, place_kind,
               acts, perpetrators, ransom_demanded_minor, ransom_paid_minor, ransom_currency,
               reported_to_authorities, report_number, authority_response, injuries, medical_care,
               on_way_to_hearing, missed_hearing_id, narrative, source, taken_by, created_at,
               updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?23)",
            params![
                id, input.client_id, start, end, state, city, input.place_kind,
                json(&input.acts), json(&input.perpetrators), input.ransom_demanded_minor,
                input.ransom_paid_minor, currency, input.reported_to_authorities, report_number,
                authority_response, injuries, medical_care, input.on_way_to_hearing,
                input.missed_hearing_id, narrative, input.source, taken_by, now
            ],
        )?;
        write_people(
            &tx,
            "incident_victims",
            "incident_id",
            &id,
            &input.client_id,
            &input.victims,
        )?;
        audit::append(
            &tx,
            &self.audit_key,
            &self.actor,
            "create",
            "incident",
            &id,
            &[],
        )?;
        tx.commit()?;
        self.incident(&id)
    }

    pub fn incident(&self, id: &str) -> Result<Incident> {
        let mut inc = self
            .conn
            .query_row(
                "SELECT id, client_id, date_start, date_end, state, city, place_kind, acts,
                   perpetrators, ransom_demanded_minor, ransom_paid_minor, ransom_currency,
                   reported_to_authorities, report_number, authority_response, injuries,
                   medical_care, on_way_to_hearing, missed_hearing_id, narrative, source, taken_by
                 FROM incidents WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                |r| {
                    let start: String = r.get(2)?;
                    let end: Option<String> = r.get(3)?;
                    let precision = if end.is_some() {
                        "range"
                    } else {
                        PartialDate::parse(&start).map_or("day", |d| d.precision())
                    };
                    Ok(Incident {
                        id: r.get(0)?,
                        date_precision: precision.to_owned(),
                        input: IncidentInput {
                            client_id: r.get(1)?,
                            date_start: start,
                            date_end: end,
                            state: r.get(4)?,
                            city: r.get(5)?,
                            place_kind: r.get(6)?,
                            acts: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                            perpetrators: serde_json::from_str(&r.get::<_, String>(8)?)
                                .unwrap_or_default(),
                            victims: Vec::new(),
                            ransom_demanded_minor: r.get(9)?,
                            ransom_paid_minor: r.get(10)?,
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
                },
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        inc.input.victims = read_people(self, "incident_victims", "incident_id", id)?;
        Ok(inc)
    }

    pub fn incidents_for_client(&self, client_id: &str) -> Result<Vec<Incident>> {
        let ids = self.ids_for_client("incidents", "date_start", client_id)?;
        ids.iter().map(|id| self.incident(id)).collect()
    }
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

// ---------------------------------------------------------------------------------------------
// Attachments: bytes inside the encrypted database, never a loose file.

/// Default upper bound for one attachment (50 MB).
pub const MAX_ATTACHMENT_BYTES: usize = 50 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct AttachmentMeta {
    pub id: String,
    pub owner_kind: AttachmentOwner,
    pub owner_id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u32,
    pub sha256: String,
    pub added_by: String,
    pub added_at: String,
}

/// Keeps only the last path component and drops control characters, so a stored name can
/// never steer a later "save a copy" outside the folder the user chose.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let trimmed = cleaned.trim().trim_start_matches('.').to_owned();
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed
    }
}

impl Vault {
    pub fn add_attachment(
        &mut self,
        owner_kind: AttachmentOwner,
        owner_id: &str,
        file_name: &str,
        media_type: &str,
        bytes: &[u8],
        max_bytes: usize,
    ) -> Result<AttachmentMeta> {
        if bytes.is_empty() {
            return Err(Error::validation("file", "file_empty"));
        }
        if bytes.len() > max_bytes {
            return Err(Error::validation("file", "file_too_large"));
        }
        let table = match owner_kind {
            AttachmentOwner::Client => "clients",
            AttachmentOwner::Incident => "incidents",
        };
        self.conn
            .query_row(
                &format!("SELECT 1 FROM {table} WHERE id = ?1 AND deleted_at IS NULL"),
                [owner_id],
                |_| Ok(()),
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        let id = new_id();
        let sha = hex::encode(Sha256::digest(bytes));
        let name = clean_file_name(file_name);
        let media = media_type
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect::<String>();
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO attachments (id, owner_kind, owner_id, file_name, media_type, size_bytes,
               sha256, content, added_by, added_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                id,
                owner_kind,
                owner_id,
                name,
                media,
                bytes.len() as i64,
                sha,
                bytes,
                self.actor,
                now
            ],
        )?;
        audit::append(
            &tx,
            &self.audit_key,
            &self.actor,
            "create",
            "attachment",
            &id,
            &[],
        )?;
        tx.commit()?;
        self.attachments_for(owner_kind, owner_id)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(Error::NotFound)
    }

    pub fn attachments_for(
        &self,
        owner_kind: AttachmentOwner,
        owner_id: &str,
    ) -> Result<Vec<AttachmentMeta>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, owner_kind, owner_id, file_name, media_type, size_bytes, sha256, added_by,
               added_at FROM attachments WHERE owner_kind = ?1 AND owner_id = ?2
               AND deleted_at IS NULL ORDER BY added_at, id",
        )?;
        let rows = stmt.query_map(params![owner_kind, owner_id], |r| {
            Ok(AttachmentMeta {
                id: r.get(0)?,
                owner_kind: r.get(1)?,
                owner_id: r.get(2)?,
                file_name: r.get(3)?,
                media_type: r.get(4)?,
                size_bytes: r.get(5)?,
                sha256: r.get(6)?,
                added_by: r.get(7)?,
                added_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored bytes, for an in-memory preview or a copy the user asked for.
    pub fn attachment_bytes(&self, id: &str) -> Result<Vec<u8>> {
        self.conn
            .query_row(
                "SELECT content FROM attachments WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound)
    }
}
