//! Hearings: court, zone, port and report time, outcome, why a hearing was missed.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::codes::{Court, HearingOutcome, HearingType, HearingVenue, MissedReason, Port};
use crate::dates::{now_rfc3339, optional_past_date};
use crate::error::{Error, Result};
use crate::records::{PersonRef, check_client, check_people, new_id, read_people, write_people};
use crate::validate;
use crate::vault::Vault;
use crate::zoned::{local_to_utc, parse_utc, parse_zone, utc_string, utc_to_local};

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

    pub(crate) fn ids_for_client(
        &self,
        table: &str,
        order: &str,
        client_id: &str,
    ) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id FROM {table} WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY {order}, id"
        ))?;
        let rows = stmt.query_map([client_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
