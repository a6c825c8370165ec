//! The clinic's members as the database knows them: who each handle is, their role, the key
//! their history entries are verified with. The header holds their slots (`vault::slots`);
//! this holds everything else about them, encrypted.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::codes::Role;
use crate::dates::now_rfc3339;
use crate::error::Result;
use crate::vault::Vault;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Member {
    pub handle: String,
    pub name: String,
    pub role: Role,
    pub added_at: String,
    pub removed_at: Option<String>,
}

impl Vault {
    /// The members, present first, each in the order they joined.
    pub fn members(&self) -> Result<Vec<Member>> {
        let mut stmt = self.conn.prepare(
            "SELECT handle, name, role, added_at, removed_at FROM members
             ORDER BY removed_at IS NOT NULL, added_at, handle",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Member {
                handle: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                added_at: r.get(3)?,
                removed_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The role of the member unlocking as `handle`. A vault whose header has one member and
    /// whose database has none yet (made before teams, or just created) makes them its first
    /// coordinator; a handle with a slot but no member row in a team is refused.
    pub(crate) fn take_role(
        &mut self,
        handle: &str,
        alone: bool,
        signing_public: &str,
    ) -> Result<Role> {
        let role: Option<Role> = self
            .conn
            .query_row(
                "SELECT role FROM members WHERE handle = ?1 AND removed_at IS NULL",
                [handle],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(role) = role {
            return Ok(role);
        }
        let present: Vec<Role> = self
            .conn
            .prepare("SELECT role FROM members WHERE removed_at IS NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match (alone, present.as_slice()) {
            (true, []) => {}
            // A header of one over a database that knows its one member by another handle
            // (an older header put back over it): that member.
            (true, [role]) => return Ok(*role),
            _ => return Err(crate::Error::Forbidden),
        }
        // A vault closed to writes opens to be read: its one member is its coordinator, written
        // down once it takes writes again.
        if self.gate.writes() != crate::vault::seal::Writes::Open {
            return Ok(Role::Coordinator);
        }
        let name = self.actor.clone();
        self.role = Role::Coordinator;
        self.write(|w| {
            w.execute(
                "INSERT INTO members (handle, name, role, signing_public, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    handle,
                    name,
                    Role::Coordinator,
                    signing_public,
                    now_rfc3339()
                ],
            )?;
            w.record("create", "member", handle, &[]);
            Ok(())
        })?;
        Ok(Role::Coordinator)
    }

    /// The acting member's role.
    pub fn role(&self) -> Role {
        self.role
    }
}
