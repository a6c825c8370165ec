//! What the record kinds share: who a record concerns, and the checks that it belongs to the
//! client it is filed under. The kinds themselves live in hearings.rs, screenings.rs,
//! incidents.rs and attachments.rs; each write is one transaction with its audit entry.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::vault::Vault;

/// A random one-time token (128 random bits, hex), for handles the UI holds in place of a
/// value (a path chosen in a dialog).
pub fn fresh_token() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // UUIDv7 still carries 74 random bits.
        return new_id();
    }
    hex::encode(b)
}

pub(crate) fn new_id() -> String {
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

pub(crate) fn read_people(
    vault: &Vault,
    table: &str,
    key: &str,
    id: &str,
) -> Result<Vec<PersonRef>> {
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
pub(crate) fn write_people(
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
            rusqlite::params![id, c, f],
        )?;
    }
    Ok(())
}

pub(crate) fn check_client(vault: &Vault, client_id: &str) -> Result<()> {
    vault
        .conn
        .query_row(
            "SELECT 1 FROM clients WHERE id = ?1 AND deleted_at IS NULL",
            [client_id],
            |_| Ok(()),
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    vault.may_read(client_id)
}

/// People must be the client or members of the client's own family unit. `field` is the
/// input's own name for the list (`people` on a hearing, `victims` on an incident).
pub(crate) fn check_people(
    vault: &Vault,
    client_id: &str,
    field: &str,
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
            e.push(FieldError::new(
                format!("{field}.{i}"),
                FieldCode::UnknownPerson,
            ));
        }
    }
    Ok(())
}

impl Vault {
    /// Marks a record deleted (kept for the audit trail, gone from every list and view), with
    /// its audit entry, in one transaction.
    pub(crate) fn soft_delete(&mut self, table: &str, kind: &str, id: &str) -> Result<()> {
        let now = crate::dates::now_rfc3339();
        self.write(|tx| {
            let n = tx.execute(
                &format!("UPDATE {table} SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL"),
                rusqlite::params![id, now],
            )?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            tx.record("delete", kind, id, &[]);
            Ok(())
        })?;
        Ok(())
    }
}
