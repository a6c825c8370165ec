//! Hearings: court and its zone, port and report time, outcome, why a hearing was missed, and
//! the deadline to reopen an in-absentia order. Every time is stored as a UTC instant plus the
//! IANA zone it was given in, and shown on the court's clock and on the clinic's.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::anumber;
use crate::codes::{Court, HearingOutcome, HearingType, HearingVenue, MissedReason, Port};
use crate::dates::{PartialDate, now_rfc3339, optional_past_date, today};
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::records::{PersonRef, check_client, check_people, new_id, write_people};
use crate::validate;
use crate::vault::Vault;
use crate::zoned::{local_to_utc, parse_utc, parse_zone, utc_string, utc_to_local};

/// Days after an in-absentia order within which a motion to reopen for exceptional
/// circumstances must be filed (INA § 240(b)(5)(C)(i)). Lack of notice has no deadline.
pub const REOPEN_DAYS: u64 = 180;

/// The last day to file a motion to reopen for exceptional circumstances. Deliberately the raw
/// 180th day: if it falls on a weekend or holiday, filing earlier is never wrong.
pub fn reopen_deadline(order_date: NaiveDate) -> NaiveDate {
    order_date + Days::new(REOPEN_DAYS)
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct HearingInput {
    pub client_id: String,
    /// Who the hearing concerns; empty means the client alone.
    #[serde(default)]
    pub people: Vec<PersonRef>,
    pub court: Court,
    /// Required only for `Court::Other`; otherwise the court's own zone is used.
    #[serde(default)]
    pub court_zone: Option<String>,
    pub venue: HearingVenue,
    pub hearing_type: HearingType,
    /// Wall-clock time in the court's zone, "YYYY-MM-DDTHH:MM".
    pub scheduled_local: String,
    #[serde(default)]
    pub port: Option<Port>,
    /// Wall-clock report time in the port's zone (the court's for `Port::Other`).
    #[serde(default)]
    pub report_local: Option<String>,
    #[serde(default)]
    pub judge: String,
    #[serde(default)]
    pub interpreter_language: Option<String>,
    #[serde(default)]
    pub attendees: String,
    pub outcome: HearingOutcome,
    #[serde(default)]
    pub next_date: Option<String>,
    #[serde(default)]
    pub missed_reason: Option<MissedReason>,
    #[serde(default)]
    pub missed_account: String,
    #[serde(default)]
    pub notes: String,
}

impl Hearing {
    /// The record as an input again, times on the court's and the port's clocks as the notice
    /// gives them: what an edit starts from (`amparo hearings edit`).
    pub fn to_input(&self) -> HearingInput {
        HearingInput {
            client_id: self.client_id.clone(),
            people: self.people.clone(),
            court: self.court,
            court_zone: (self.court == Court::Other).then(|| self.court_zone.clone()),
            venue: self.venue,
            hearing_type: self.hearing_type,
            scheduled_local: self.at_court.local.clone(),
            port: self.port,
            report_local: self.report_at_port.as_ref().map(|z| z.local.clone()),
            judge: self.judge.clone(),
            interpreter_language: self.interpreter_language.clone(),
            attendees: self.attendees.clone(),
            outcome: self.outcome,
            next_date: self.next_date.clone(),
            missed_reason: self.missed_reason,
            missed_account: self.missed_account.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// One instant on one clock: "2026-11-24T08:00" in America/Chicago, shown "CST".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ZonedTime {
    pub local: String,
    pub zone: String,
    pub abbrev: String,
}

fn zoned(utc: &DateTime<Utc>, zone: Tz) -> ZonedTime {
    let (local, abbrev) = utc_to_local(utc, zone);
    ZonedTime {
        local,
        zone: zone.name().to_owned(),
        abbrev,
    }
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
    pub at_court: ZonedTime,
    pub at_clinic: ZonedTime,
    pub port: Option<Port>,
    pub report_at_port: Option<ZonedTime>,
    pub report_at_clinic: Option<ZonedTime>,
    pub judge: String,
    pub interpreter_language: Option<String>,
    pub attendees: String,
    pub outcome: HearingOutcome,
    pub next_date: Option<String>,
    pub missed_reason: Option<MissedReason>,
    pub missed_account: String,
    pub notes: String,
    /// Set when the outcome is removal in absentia: the order date (the hearing's day at the
    /// court) plus 180 days.
    pub reopen_deadline: Option<String>,
    /// Incidents recorded as having made the person miss this hearing (the core of a motion
    /// to reopen).
    pub linked_incidents: Vec<LinkedIncident>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct LinkedIncident {
    pub id: String,
    pub date_start: String,
    pub acts: Vec<crate::codes::Act>,
    pub city: String,
}

/// A person named on a hearing line, with what a volunteer at the port needs.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct PersonLine {
    pub person: PersonRef,
    pub name: String,
    pub a_number: Option<String>,
    pub age: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct HearingLine {
    pub hearing: Hearing,
    pub people: Vec<PersonLine>,
}

/// The most hearing lines one list or one client carries.
pub const MAX_LINES: usize = 2_000;

struct Clean {
    zone_name: String,
    scheduled: DateTime<Utc>,
    report: Option<(DateTime<Utc>, String)>,
    judge: String,
    attendees: String,
    next_date: Option<String>,
    missed_account: String,
    notes: String,
}

fn validate_input(vault: &Vault, input: &HearingInput) -> Result<Clean> {
    check_client(vault, &input.client_id)?;
    let mut e: Vec<FieldError> = Vec::new();
    let zone_name = match input.court.zone() {
        Some(z) => z.to_owned(),
        None => input.court_zone.clone().unwrap_or_default(),
    };
    let zone = parse_zone("court_zone", &zone_name, &mut e);
    let scheduled =
        zone.and_then(|z| local_to_utc("scheduled_local", &input.scheduled_local, z, &mut e));
    let report = match input.report_local.as_deref().map(str::trim) {
        Some(l) if !l.is_empty() => {
            let port_zone = input.port.and_then(Port::zone).map(str::to_owned);
            let rz = port_zone.unwrap_or_else(|| zone_name.clone());
            parse_zone("report_local", &rz, &mut e)
                .and_then(|tz| local_to_utc("report_local", l, tz, &mut e))
                .map(|t| (t, rz))
        }
        _ => None,
    };
    if let (Some(s), Some((r, _))) = (scheduled, &report)
        && (*r > s || s - *r > chrono::Duration::hours(24))
    {
        e.push(FieldError::new(
            "report_local",
            FieldCode::ReportNotBeforeHearing,
        ));
    }
    let judge = validate::short("judge", &input.judge, &mut e);
    let attendees = validate::short("attendees", &input.attendees, &mut e);
    let next_date = optional_past_date("next_date", input.next_date.as_deref(), false, &mut e);
    let missed_account = validate::long("missed_account", &input.missed_account, &mut e);
    let notes = validate::long("notes", &input.notes, &mut e);
    if input.missed_reason.is_some()
        && !matches!(
            input.outcome,
            HearingOutcome::RemovedInAbsentia | HearingOutcome::Continued | HearingOutcome::Other
        )
    {
        e.push(FieldError::new(
            "missed_reason",
            FieldCode::MissedWithOutcome,
        ));
    }
    check_people(vault, &input.client_id, "people", &input.people, &mut e)?;
    validate::finish(e)?;
    let scheduled =
        scheduled.ok_or_else(|| Error::validation("scheduled_local", FieldCode::DatetimeFormat))?;
    Ok(Clean {
        zone_name,
        scheduled,
        report,
        judge,
        attendees,
        next_date,
        missed_account,
        notes,
    })
}

const COLUMNS: &str = "h.id, h.client_id, h.court, h.court_zone, h.venue, h.hearing_type,
    h.scheduled_at, h.port, h.report_at, h.report_zone, h.judge, h.interpreter_language,
    h.attendees, h.outcome, h.next_date, h.missed_reason, h.missed_account, h.notes";

fn hearing_from_row(r: &rusqlite::Row<'_>, clinic: Tz) -> rusqlite::Result<Hearing> {
    let zone_name: String = r.get(3)?;
    let court_tz: Tz = zone_name.parse().unwrap_or(chrono_tz::UTC);
    let at: String = r.get(6)?;
    let at_utc = parse_utc(&at).unwrap_or_default();
    let report: Option<DateTime<Utc>> = r.get::<_, Option<String>>(8)?.and_then(|s| parse_utc(&s));
    let report_tz: Option<Tz> = r.get::<_, Option<String>>(9)?.and_then(|z| z.parse().ok());
    let outcome: HearingOutcome = r.get(13)?;
    let at_court = zoned(&at_utc, court_tz);
    let reopen = (outcome == HearingOutcome::RemovedInAbsentia)
        .then(|| PartialDate::parse(&at_court.local[..10]).map(|d| reopen_deadline(d.first_day())))
        .flatten()
        .map(|d| d.format("%Y-%m-%d").to_string());
    Ok(Hearing {
        id: r.get(0)?,
        client_id: r.get(1)?,
        people: Vec::new(),
        court: r.get(2)?,
        court_zone: zone_name,
        venue: r.get(4)?,
        hearing_type: r.get(5)?,
        scheduled_at_utc: at,
        at_clinic: zoned(&at_utc, clinic),
        at_court,
        port: r.get(7)?,
        report_at_port: report.zip(report_tz).map(|(t, z)| zoned(&t, z)),
        report_at_clinic: report.map(|t| zoned(&t, clinic)),
        judge: r.get(10)?,
        interpreter_language: r.get(11)?,
        attendees: r.get(12)?,
        outcome,
        next_date: r.get(14)?,
        missed_reason: r.get(15)?,
        missed_account: r.get(16)?,
        notes: r.get(17)?,
        reopen_deadline: reopen,
        linked_incidents: Vec::new(),
    })
}

/// One person of a hearing's line from the people query's columns 1–5 (client id, family
/// member id, name, A-number, birth date), their age on `today`.
fn person_line(r: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<PersonLine> {
    let person = match (
        r.get::<_, Option<String>>(1)?,
        r.get::<_, Option<String>>(2)?,
    ) {
        (Some(c), _) => PersonRef::Client(c),
        (None, Some(f)) => PersonRef::FamilyMember(f),
        (None, None) => PersonRef::Client(String::new()),
    };
    let name = r.get_ref(3)?.as_str_or_null()?.unwrap_or_default();
    Ok(PersonLine {
        person,
        name: name.trim().to_owned(),
        a_number: r.get_ref(4)?.as_str_or_null()?.map(anumber::display),
        age: r
            .get_ref(5)?
            .as_str_or_null()?
            .and_then(PartialDate::parse)
            .and_then(|d| d.age_on(today)),
    })
}

impl Vault {
    pub(crate) fn clinic_tz(&self) -> Result<Tz> {
        Ok(self
            .settings()?
            .clinic_zone
            .parse()
            .unwrap_or(chrono_tz::America::Tijuana))
    }

    pub fn add_hearing(&mut self, input: &HearingInput) -> Result<Hearing> {
        let c = validate_input(self, input)?;
        let id = new_id();
        self.write_hearing(&id, input, &c, "create", &[])
    }

    /// One statement for new and edited hearings, with the people and the audit entry, in one
    /// transaction.
    fn write_hearing(
        &mut self,
        id: &str,
        input: &HearingInput,
        c: &Clean,
        action: &str,
        changed: &[&str],
    ) -> Result<Hearing> {
        let now = now_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO hearings (id, client_id, court, court_zone, venue, hearing_type,
               scheduled_at, port, report_at, report_zone, judge, interpreter_language, attendees,
               outcome, next_date, missed_reason, missed_account, notes, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?19)
             ON CONFLICT(id) DO UPDATE SET court=excluded.court, court_zone=excluded.court_zone,
               venue=excluded.venue, hearing_type=excluded.hearing_type,
               scheduled_at=excluded.scheduled_at, port=excluded.port, report_at=excluded.report_at,
               report_zone=excluded.report_zone, judge=excluded.judge,
               interpreter_language=excluded.interpreter_language, attendees=excluded.attendees,
               outcome=excluded.outcome, next_date=excluded.next_date,
               missed_reason=excluded.missed_reason, missed_account=excluded.missed_account,
               notes=excluded.notes, updated_at=excluded.updated_at",
                params![
                    id,
                    input.client_id,
                    input.court,
                    c.zone_name,
                    input.venue,
                    input.hearing_type,
                    utc_string(&c.scheduled),
                    input.port,
                    c.report.as_ref().map(|r| utc_string(&r.0)),
                    c.report.as_ref().map(|r| r.1.clone()),
                    c.judge,
                    input.interpreter_language,
                    c.attendees,
                    input.outcome,
                    c.next_date,
                    input.missed_reason,
                    c.missed_account,
                    c.notes,
                    now
                ],
            )?;
            tx.execute("DELETE FROM hearing_people WHERE hearing_id = ?1", [id])?;
            write_people(
                tx,
                "hearing_people",
                "hearing_id",
                id,
                &input.client_id,
                &input.people,
            )?;
            tx.record(action, "hearing", id, changed);
            Ok(())
        })?;
        self.hearing(id)
    }

    /// Replaces a hearing's details (the client it belongs to cannot change).
    pub fn update_hearing(&mut self, id: &str, input: &HearingInput) -> Result<Hearing> {
        let before = self.hearing(id)?;
        if before.client_id != input.client_id {
            return Err(Error::validation("client_id", FieldCode::CannotMove));
        }
        let c = validate_input(self, input)?;
        let mut changed: Vec<&str> = Vec::new();
        let utc = utc_string(&c.scheduled);
        for (name, differs) in [
            ("court", before.court != input.court),
            ("scheduled", before.scheduled_at_utc != utc),
            ("port", before.port != input.port),
            ("hearing_type", before.hearing_type != input.hearing_type),
            ("venue", before.venue != input.venue),
            ("judge", before.judge != c.judge),
            ("outcome", before.outcome != input.outcome),
            ("missed_reason", before.missed_reason != input.missed_reason),
            ("missed_account", before.missed_account != c.missed_account),
            ("next_date", before.next_date != c.next_date),
            ("notes", before.notes != c.notes),
            (
                "people",
                !input.people.is_empty() && before.people != input.people,
            ),
        ] {
            if differs {
                changed.push(name);
            }
        }
        self.write_hearing(id, input, &c, "update", &changed)
    }

    pub fn delete_hearing(&mut self, id: &str) -> Result<()> {
        self.soft_delete("hearings", "hearing", id)
    }

    pub fn hearing(&self, id: &str) -> Result<Hearing> {
        self.may_read_record("hearing", id)?;
        let mut lines = self.hearing_lines("h.id = ?1", &[&id], "", 1)?;
        let mut h = lines.pop().map(|l| l.hearing).ok_or(Error::NotFound)?;
        h.linked_incidents = self.incidents_missing(id)?;
        Ok(h)
    }

    pub fn hearings_for_client(&self, client_id: &str) -> Result<Vec<Hearing>> {
        check_client(self, client_id)?;
        let mut hearings: Vec<Hearing> = self
            .hearing_lines(
                "h.client_id = ?1",
                &[&client_id],
                "ORDER BY h.scheduled_at, h.id",
                MAX_LINES,
            )?
            .into_iter()
            .map(|l| l.hearing)
            .collect();
        for h in &mut hearings {
            h.linked_incidents = self.incidents_missing(&h.id)?;
        }
        Ok(hearings)
    }

    fn incidents_missing(&self, hearing_id: &str) -> Result<Vec<LinkedIncident>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date_start, acts, city FROM incidents
             WHERE missed_hearing_id = ?1 AND deleted_at IS NULL ORDER BY date_start, id",
        )?;
        let rows = stmt.query_map([hearing_id], |r| {
            Ok(LinkedIncident {
                id: r.get(0)?,
                date_start: r.get(1)?,
                acts: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
                city: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Hearings matching `where_` with the people they concern, in two queries whatever the
    /// number of lines (no query per row).
    pub(crate) fn hearing_lines(
        &self,
        where_: &str,
        args: &[&dyn rusqlite::ToSql],
        order: &str,
        limit: usize,
    ) -> Result<Vec<HearingLine>> {
        self.hearing_lines_from(where_, args, order, limit, 0)
    }

    /// [`Vault::hearing_lines`] from the `offset`-th match on (for paged lists).
    pub(crate) fn hearing_lines_from(
        &self,
        where_: &str,
        args: &[&dyn rusqlite::ToSql],
        order: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<HearingLine>> {
        let clinic = self.clinic_tz()?;
        let sql = format!(
            "SELECT {COLUMNS} FROM hearings h WHERE h.deleted_at IS NULL AND {where_} {order} LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let hearings: Vec<Hearing> = stmt
            .query_map(args, |r| hearing_from_row(r, clinic))?
            .collect::<rusqlite::Result<_>>()?;
        if hearings.is_empty() {
            return Ok(Vec::new());
        }
        // The people on these hearings, with names and A-numbers, in one query over the ids
        // just read (passed as one JSON array: the selection is not run again). CROSS JOIN
        // makes SQLite start from the ids rather than scan every link; each row says which
        // hearing it belongs to by its place in the array, and each hearing's people are put
        // in the order they were given here, not by SQLite (a sort that cost the printed week
        // a quarter of its time). Names come from indexes that hold them (migration 0025).
        let ids =
            serde_json::to_string(&hearings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>())
                .map_err(|_| Error::Crypto("encode"))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT sel.key, hp.client_id, hp.family_member_id,
               coalesce(c.given_names || ' ' || c.family_names, f.given_names || ' ' || f.family_names),
               coalesce(c.a_number, f.a_number), coalesce(c.date_of_birth, f.date_of_birth), hp.rowid
             FROM json_each(?1) sel
             CROSS JOIN hearing_people hp ON hp.hearing_id = sel.value
             LEFT JOIN clients c INDEXED BY clients_lines ON c.id = hp.client_id
             LEFT JOIN family_members f INDEXED BY family_members_lines ON f.id = hp.family_member_id",
        )?;
        let mut people: Vec<Vec<(i64, PersonLine)>> = hearings.iter().map(|_| Vec::new()).collect();
        let now = today();
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            let line = person_line(r, now)?;
            let at = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
            if let Some(list) = people.get_mut(at) {
                list.push((r.get(6)?, line));
            }
        }
        Ok(hearings
            .into_iter()
            .zip(people)
            .map(|(mut h, mut people)| {
                people.sort_unstable_by_key(|(given_at, _)| *given_at);
                let people: Vec<PersonLine> = people.into_iter().map(|(_, p)| p).collect();
                h.people = people.iter().map(|p| p.person.clone()).collect();
                HearingLine { hearing: h, people }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn reopen_deadline_is_180_calendar_days_including_leap_days() {
        assert_eq!(reopen_deadline(d("2019-01-15")), d("2019-07-14"));
        // 2020 is a leap year: February 29 counts as one of the 180 days.
        assert_eq!(reopen_deadline(d("2020-01-15")), d("2020-07-13"));
        // Across a year end and into a leap February.
        assert_eq!(reopen_deadline(d("2023-09-01")), d("2024-02-28"));
        assert_eq!(reopen_deadline(d("2023-09-02")), d("2024-02-29"));
        assert_eq!(reopen_deadline(d("2023-09-03")), d("2024-03-01"));
        // Not a leap year (1900-style century rule does not bite until 2100).
        assert_eq!(reopen_deadline(d("2022-09-02")), d("2023-03-01"));
    }
}
