//! Drafts: what someone is typing into a form, kept inside the vault as they type, so a lock,
//! an auto-lock, a crash or a power cut loses nothing. A draft is the page's own state of the
//! form (JSON the core keeps but does not read), one per person, form and record; it is
//! offered back the next time that person opens the vault, and goes when the form is saved
//! or the person discards it. Drafts are not records: no history entry, no sync.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::dates::now_rfc3339;
use crate::error::{Error, FieldCode, Result};
use crate::vault::Vault;

/// The most a draft may hold: a long intake with every narrative is far below this.
const MAX_BODY: usize = 1024 * 1024;

code_enum! {
    /// The forms that keep drafts.
    pub enum DraftForm {
        Intake = "intake", Hearing = "hearing", Incident = "incident", Screening = "screening",
    }
}

/// Which draft: the form and the record it edits (empty for a new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct DraftKey {
    pub form: DraftForm,
    /// The record being edited; for a new record, the client it is for (or empty: a new intake).
    pub record_id: String,
}

/// A kept draft, as listed at unlock.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Draft {
    pub key: DraftKey,
    /// The page's state of the form, as it sent it.
    pub body: String,
    pub saved_at: String,
}

impl Vault {
    /// Keeps what is typed into a form, replacing this person's earlier draft of it.
    pub fn save_draft(&mut self, key: &DraftKey, body: &str) -> Result<()> {
        if body.len() > MAX_BODY {
            return Err(Error::validation("body", FieldCode::TooLong));
        }
        if serde_json::from_str::<serde_json::Value>(body).is_err() {
            return Err(Error::validation("body", FieldCode::JsonMalformed));
        }
        let now = now_rfc3339();
        self.write(|w| {
            w.execute(
                "INSERT INTO drafts (actor, form, record_id, body, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(actor, form, record_id)
                 DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
                params![w.actor(), key.form, key.record_id, body, now],
            )?;
            Ok(())
        })
    }

    /// This person's draft of a form, if one is kept.
    pub fn draft(&self, key: &DraftKey) -> Result<Option<Draft>> {
        Ok(self
            .conn
            .query_row(
                "SELECT body, saved_at FROM drafts WHERE actor = ?1 AND form = ?2 AND record_id = ?3",
                params![self.actor(), key.form, key.record_id],
                |r| {
                    Ok(Draft {
                        key: key.clone(),
                        body: r.get(0)?,
                        saved_at: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every draft this person left, newest first.
    pub fn drafts(&self) -> Result<Vec<Draft>> {
        let mut stmt = self.conn.prepare(
            "SELECT form, record_id, body, saved_at FROM drafts WHERE actor = ?1
             ORDER BY saved_at DESC",
        )?;
        let rows = stmt.query_map([self.actor()], |r| {
            Ok(Draft {
                key: DraftKey {
                    form: r.get(0)?,
                    record_id: r.get(1)?,
                },
                body: r.get(2)?,
                saved_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets this person's draft of a form (saved, or discarded on purpose).
    pub fn discard_draft(&mut self, key: &DraftKey) -> Result<()> {
        self.write(|w| {
            w.execute(
                "DELETE FROM drafts WHERE actor = ?1 AND form = ?2 AND record_id = ?3",
                params![w.actor(), key.form, key.record_id],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KdfChoice, KdfParams};

    fn key(form: DraftForm, id: &str) -> DraftKey {
        DraftKey {
            form,
            record_id: id.into(),
        }
    }

    #[test]
    fn a_draft_outlives_a_lock_and_belongs_to_whoever_typed_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut v = Vault::create(
            tmp.path(),
            "correct horse battery",
            KdfChoice::Fixed(KdfParams::MINIMUM),
            "Ana",
        )
        .expect("create");
        let intake = key(DraftForm::Intake, "");
        v.save_draft(&intake, r#"{"given_names":"Yes"}"#)
            .expect("save");
        v.save_draft(&intake, r#"{"given_names":"Yesenia"}"#)
            .expect("save again");
        let entries = v.audit_head().expect("head").map_or(0, |h| h.seq);
        v.lock().expect("lock");
        // Someone else opening the vault does not see Ana's draft.
        let v = Vault::unlock(tmp.path(), "correct horse battery", "Beto").expect("unlock");
        assert!(v.drafts().expect("drafts").is_empty());
        drop(v);
        let mut v = Vault::unlock(tmp.path(), "correct horse battery", "Ana").expect("unlock");
        let kept = v.drafts().expect("drafts");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].body, r#"{"given_names":"Yesenia"}"#);
        assert_eq!(v.draft(&intake).expect("draft").expect("kept").key, intake);
        // Drafts are not records: the history did not grow.
        assert_eq!(v.audit_head().expect("head").map_or(0, |h| h.seq), entries);
        v.discard_draft(&intake).expect("discard");
        assert!(v.draft(&intake).expect("draft").is_none());
        assert!(matches!(
            v.save_draft(&intake, "not json"),
            Err(Error::Validation(_))
        ));
    }
}
