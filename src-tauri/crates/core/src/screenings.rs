//! Fear screenings (non-refoulement interviews): who heard the fear, and how it was handled.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::codes::{FearExpressedTo, InterviewConduct, InterviewMode, ScreeningOutcome};
use crate::dates::{now_rfc3339, optional_past_date};
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::records::{check_client, new_id};
use crate::validate;
use crate::vault::Vault;

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    pub client_id: String,
    /// Partial date: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    pub screened_on: String,
    pub fear_expressed_to: FearExpressedTo,
    pub interview_held: bool,
    #[serde(default)]
    pub interview_mode: Option<InterviewMode>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    #[serde(default)]
    pub counsel_allowed: Option<bool>,
    #[serde(default)]
    pub conduct: Option<InterviewConduct>,
    pub outcome: ScreeningOutcome,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Screening {
    pub id: String,
    #[serde(flatten)]
    pub input: ScreeningInput,
}

impl Vault {
    /// Adds a screening, or replaces one when `id` is given; one transaction with its audit
    /// entry either way.
    pub fn save_screening(
        &mut self,
        id: Option<&str>,
        input: &ScreeningInput,
    ) -> Result<Screening> {
        check_client(self, &input.client_id)?;
        if let Some(id) = id
            && self.screening(id)?.input.client_id != input.client_id
        {
            return Err(Error::validation("client_id", FieldCode::CannotMove));
        }
        let mut e = Vec::new();
        let screened_on = optional_past_date("screened_on", Some(&input.screened_on), true, &mut e);
        if input.screened_on.trim().is_empty() {
            e.push(FieldError::new("screened_on", FieldCode::Required));
        }
        if input.duration_minutes.is_some_and(|m| m > 24 * 60) {
            e.push(FieldError::new("duration_minutes", FieldCode::OutOfRange));
        }
        if !input.interview_held
            && (input.duration_minutes.is_some() || input.interview_mode.is_some())
        {
            e.push(FieldError::new(
                "interview_held",
                FieldCode::DetailsWithoutInterview,
            ));
        }
        let location = validate::short("location", &input.location, &mut e);
        let notes = validate::long("notes", &input.notes, &mut e);
        validate::finish(e)?;
        let (id, action) = match id {
            Some(id) => (id.to_owned(), "update"),
            None => (new_id(), "create"),
        };
        let now = now_rfc3339();
        self.write(|tx| {
            tx.execute(
            "INSERT INTO screenings (id, client_id, screened_on, fear_expressed_to, interview_held,
               interview_mode, location, duration_minutes, counsel_allowed, conduct, outcome, notes,
               created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)
             ON CONFLICT(id) DO UPDATE SET screened_on=excluded.screened_on,
               fear_expressed_to=excluded.fear_expressed_to, interview_held=excluded.interview_held,
               interview_mode=excluded.interview_mode, location=excluded.location,
               duration_minutes=excluded.duration_minutes, counsel_allowed=excluded.counsel_allowed,
               conduct=excluded.conduct, outcome=excluded.outcome, notes=excluded.notes,
               updated_at=excluded.updated_at",
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
            tx.record(action, "screening", &id, &[]);
            Ok(())
        })?;
        self.screening(&id)
    }

    pub fn delete_screening(&mut self, id: &str) -> Result<()> {
        self.soft_delete("screenings", "screening", id)
    }

    pub fn add_screening(&mut self, input: &ScreeningInput) -> Result<Screening> {
        self.save_screening(None, input)
    }

    pub fn screening(&self, id: &str) -> Result<Screening> {
        self.may_read_record("screening", id)?;
        self.conn
            .query_row(BY_ID_SQL, [id], screening_from_row)
            .optional()?
            .ok_or(Error::NotFound)
    }

    /// A client's screenings by date, in one query through the client's index: the client's
    /// access is checked once, and no screening is looked up again by its id (on a large
    /// clinic, some twenty per client, each of those lookups a page of the id index).
    pub fn screenings_for_client(&self, client_id: &str) -> Result<Vec<Screening>> {
        check_client(self, client_id)?;
        let mut stmt = self.conn.prepare_cached(FOR_CLIENT_SQL)?;
        let rows = stmt.query_map([client_id], screening_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The columns a [`Screening`] is read from, in `screening_from_row`'s order.
macro_rules! columns {
    () => {
        "id, client_id, screened_on, fear_expressed_to, interview_held, interview_mode, \
         location, duration_minutes, counsel_allowed, conduct, outcome, notes"
    };
}

const BY_ID_SQL: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM screenings WHERE id = ?1 AND deleted_at IS NULL"
);

/// A client's screenings by date (`?1`: the client).
pub(crate) const FOR_CLIENT_SQL: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM screenings WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY screened_on, id"
);

fn screening_from_row(r: &rusqlite::Row) -> rusqlite::Result<Screening> {
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
}
