//! The caseload: which members each client is assigned to. "My clients" and "My hearings"
//! show the acting member's; an interpreter reads only the clients assigned to them. Every
//! read of a client's records asks [`Vault::may_read`] (through `client`, `check_client` and
//! [`Vault::may_read_record`]), and every list is narrowed by [`Vault::caseload`], so the
//! rule holds whatever a screen asks for.
//!
//! The set of a client's assignees is one record of its own kind, `assignment`, whose id is the
//! client's: the history says who assigned whom, and the clients' own digests did not change.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::codes::Role;
use crate::dates::now_rfc3339;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::vault::{Vault, slots};

/// Whose clients a list shows: everyone's, or the acting member's caseload. An interpreter's
/// lists are always their caseload, whatever is asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[default]
    All,
    Mine,
}

/// A member a client is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Assignee {
    pub handle: String,
    pub name: String,
    pub role: Role,
    pub assigned_at: String,
    /// Removed from the team since: still shown, so that a coordinator can see whose cases
    /// need someone new, and unticked to end the assignment; never assigned again.
    pub removed: bool,
}

/// The clause that narrows hearings (`h`) or clients (`c`) to a member's caseload, with the
/// number of its one parameter (the member's handle).
pub(crate) fn in_caseload(column: &str, param: usize) -> String {
    format!("{column} IN (SELECT client_id FROM assignments WHERE handle = ?{param})")
}

impl Vault {
    /// The handle this session acts as (`None` only for the benchmark's plain copies).
    pub fn me(&self) -> Option<&str> {
        self.signer.as_ref().map(|s| s.handle.as_str())
    }

    /// Whether this session reads every client (all roles but the interpreter).
    fn reads_all(&self) -> bool {
        self.role != Role::Interpreter
    }

    /// The member whose caseload a list in `scope` is narrowed to, if any: theirs when they
    /// asked for it, and always an interpreter's.
    pub(crate) fn caseload(&self, scope: Scope) -> Option<String> {
        (scope == Scope::Mine || !self.reads_all()).then(|| self.me().unwrap_or("").to_owned())
    }

    /// Refuses to read a client outside an interpreter's caseload (`forbidden`).
    pub(crate) fn may_read(&self, client_id: &str) -> Result<()> {
        if self.reads_all() {
            return Ok(());
        }
        let assigned: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM assignments WHERE client_id = ?1 AND handle = ?2)",
            rusqlite::params![client_id, self.me().unwrap_or("")],
            |r| r.get(0),
        )?;
        if assigned {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// [`Vault::may_read`] for a record of any kind, through the client it belongs to.
    pub(crate) fn may_read_record(&self, kind: &str, id: &str) -> Result<()> {
        if self.reads_all() {
            return Ok(());
        }
        match self.client_of(kind, id)? {
            Some(client) => self.may_read(&client),
            None => Err(Error::Forbidden),
        }
    }

    /// The client a record belongs to (`None` for kinds that belong to no client).
    fn client_of(&self, kind: &str, id: &str) -> Result<Option<String>> {
        let sql = match kind {
            "client" | "assignment" => return Ok(Some(id.to_owned())),
            "hearing" => "SELECT client_id FROM hearings WHERE id = ?1",
            "incident" => "SELECT client_id FROM incidents WHERE id = ?1",
            "screening" => "SELECT client_id FROM screenings WHERE id = ?1",
            "packet" => "SELECT client_id FROM packets WHERE id = ?1",
            "attachment" => {
                let owner: Option<(String, String)> = self
                    .conn
                    .query_row(
                        "SELECT owner_kind, owner_id FROM attachments WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                return match owner {
                    Some((kind, owner)) => self.client_of(&kind, &owner),
                    None => Err(Error::NotFound),
                };
            }
            _ => return Ok(None),
        };
        self.conn
            .query_row(sql, [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotFound)
            .map(Some)
    }

    /// The members a client is assigned to, in the order they were assigned.
    pub fn assignees(&self, client_id: &str) -> Result<Vec<Assignee>> {
        crate::records::check_client(self, client_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.handle, coalesce(m.name, ''), coalesce(m.role, 'volunteer'), a.assigned_at,
                    m.handle IS NULL OR m.removed_at IS NOT NULL
             FROM assignments a LEFT JOIN members m ON m.handle = a.handle
             WHERE a.client_id = ?1 ORDER BY a.assigned_at, a.handle",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok(Assignee {
                handle: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                assigned_at: r.get(3)?,
                removed: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Assigns a client to exactly these members (present members of the team; the recovery
    /// code is no one's caseload), in one step with its history entry. Those already assigned
    /// keep the date they were; one removed from the team since may stay until unticked, but
    /// no one removed is assigned anew. Coordinators and attorneys.
    pub fn set_assignees(&mut self, client_id: &str, handles: &[String]) -> Result<Vec<Assignee>> {
        crate::records::check_client(self, client_id)?;
        let before = self.assignees(client_id)?;
        let mut wanted: Vec<String> = Vec::new();
        let mut errors = Vec::new();
        for (i, h) in handles.iter().enumerate() {
            let kept = before
                .iter()
                .find(|a| a.handle.eq_ignore_ascii_case(h.trim()));
            let handle = match self.member(h) {
                Ok(m) if !slots::is_recovery(&m.handle) => Some(m.handle),
                _ => kept.map(|a| a.handle.clone()),
            };
            match handle {
                Some(handle) => {
                    if !wanted.iter().any(|w| w.eq_ignore_ascii_case(&handle)) {
                        wanted.push(handle);
                    }
                }
                None => errors.push(FieldError::new(
                    format!("handles.{i}"),
                    FieldCode::UnknownMember,
                )),
            }
        }
        crate::validate::finish(errors)?;
        let same = before.len() == wanted.len()
            && before
                .iter()
                .all(|a| wanted.iter().any(|w| w.eq_ignore_ascii_case(&a.handle)));
        if same {
            return Ok(before);
        }
        let now = now_rfc3339();
        self.write(|w| {
            w.execute("DELETE FROM assignments WHERE client_id = ?1", [client_id])?;
            for handle in &wanted {
                let since = before
                    .iter()
                    .find(|a| a.handle.eq_ignore_ascii_case(handle))
                    .map_or(now.as_str(), |a| a.assigned_at.as_str());
                w.execute(
                    "INSERT INTO assignments (client_id, handle, assigned_at) VALUES (?1, ?2, ?3)",
                    rusqlite::params![client_id, handle, since],
                )?;
            }
            w.record("update", "assignment", client_id, &["handles"]);
            Ok(())
        })?;
        self.assignees(client_id)
    }
}
