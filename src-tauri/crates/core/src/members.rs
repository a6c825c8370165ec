//! The clinic's members as the database knows them: who each handle is, their role, the key
//! their history entries are verified with. The header holds their slots (`vault::slots`);
//! this holds everything else about them, encrypted.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::codes::Role;
use crate::dates::now_rfc3339;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::vault::{Vault, slots};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Member {
    pub handle: String,
    pub name: String,
    pub role: Role,
    pub added_at: String,
    pub removed_at: Option<String>,
}

/// A new member as the coordinator enters them.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// What they will type to say who they are (initials are suggested: anyone holding the
    /// laptop can read it).
    pub handle: String,
    #[serde(default)]
    pub name: String,
    pub role: Role,
}

/// A member's row and its history entry, in the write under way.
fn enrol(
    w: &mut crate::store::Write<'_>,
    handle: &str,
    name: &str,
    role: Role,
    signing_public: &str,
) -> Result<()> {
    w.execute(
        "INSERT INTO members (handle, name, role, signing_public, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![handle, name, role, signing_public, now_rfc3339()],
    )?;
    w.record("create", "member", handle, &[]);
    Ok(())
}

impl Vault {
    /// Adds a member with a one-time passphrase they must change at their first unlock: a slot
    /// in the header (their keys made here, the data key sealed to them) and their row, in one
    /// step with its history entry. Coordinators only.
    pub fn add_member(&mut self, input: &MemberInput, one_time: &str) -> Result<Member> {
        if self.role != Role::Coordinator {
            return Err(Error::Forbidden);
        }
        let mut e = Vec::new();
        if !slots::valid_handle(&input.handle) || slots::is_recovery(&input.handle) {
            e.push(FieldError::new("handle", FieldCode::UnknownCode));
        }
        let name = crate::validate::short("name", &input.name, &mut e);
        crate::validate::finish(e)?;
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM members WHERE handle = ?1)",
            [&input.handle],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::validation("handle", FieldCode::Duplicate));
        }
        let (slot, keys) = self.slot_for_once(&input.handle, one_time)?;
        let dir = self.dir().to_owned();
        let handle = input.handle.clone();
        self.write(|w| {
            enrol(w, &handle, &name, input.role, &keys.signing_public_hex())?;
            // The slot last, before the commit: a header that cannot take it leaves no row.
            crate::vault::add_slot(&dir, slot)
        })?;
        self.member(&input.handle)
    }

    /// Makes the vault's recovery code: a coordinator's slot of its own, opened by 140 random
    /// bits typed as seven groups of four (`slots::new_recovery_code`), so a clinic whose only
    /// coordinator forgets their passphrase is not locked out. Shown once, to be printed and
    /// kept in a safe place. Coordinators only; a vault has one (`create` makes it).
    pub fn make_recovery_code(&mut self) -> Result<Zeroizing<String>> {
        if self.role != Role::Coordinator {
            return Err(Error::Forbidden);
        }
        if crate::vault::has_recovery_slot(self.dir())? {
            return Err(Error::validation("handle", FieldCode::Duplicate));
        }
        let (code, slot, keys) = self.new_recovery_slot()?;
        let dir = self.dir().to_owned();
        self.write(|w| {
            enrol(
                w,
                slots::RECOVERY_HANDLE,
                "",
                Role::Coordinator,
                &keys.signing_public_hex(),
            )?;
            crate::vault::add_slot(&dir, slot)
        })?;
        Ok(code)
    }

    /// A new recovery code in place of the old one (lost, or seen by someone who should not
    /// have seen it): new keys under a new code, so the old code opens nothing from now on,
    /// here and on the clinic's other laptops once they sync (the member row's new key carries
    /// the slot there, as a passphrase reset does). A copy of the old `vault.json` with the old
    /// code still opens what was written before; turning the vault's key after closes that
    /// too. Shown once. Coordinators only, and not in a session opened with the code itself
    /// (its key would sign entries after it was retired). A vault with no code gets its first.
    pub fn replace_recovery_code(&mut self) -> Result<Zeroizing<String>> {
        if self.role != Role::Coordinator || self.me().is_some_and(slots::is_recovery) {
            return Err(Error::Forbidden);
        }
        if !crate::vault::has_recovery_slot(self.dir())? {
            return self.make_recovery_code();
        }
        let (code, slot, keys) = self.new_recovery_slot()?;
        let dir = self.dir().to_owned();
        self.write(|w| {
            new_signing_key(w, slots::RECOVERY_HANDLE, &keys.signing_public_hex())?;
            w.record("update", "member", slots::RECOVERY_HANDLE, &["passphrase"]);
            crate::vault::replace_slot(&dir, slot)
        })?;
        Ok(code)
    }

    /// A new recovery code and the slot it opens, with that slot's keys.
    fn new_recovery_slot(&self) -> Result<(Zeroizing<String>, slots::Slot, slots::MemberKeys)> {
        let code = slots::new_recovery_code()?;
        let typed = slots::normalize_recovery_code(code.as_bytes());
        // 140 random bits need no stretching: the least cost the header accepts, so that
        // making and using the code is quick.
        let kdf = crate::vault::KdfParams::MINIMUM;
        let (slot, keys) =
            slots::Slot::new(slots::RECOVERY_HANDLE, &typed, kdf, false, &self.data_key)?;
        Ok((code, slot, keys))
    }

    /// Whether the vault has a recovery code (one made before teams has none until a
    /// coordinator makes it).
    pub fn has_recovery_code(&self) -> Result<bool> {
        crate::vault::has_recovery_slot(self.dir())
    }

    /// The recovery code made with this vault, once: the app shows it to be printed.
    pub fn take_recovery_code(&mut self) -> Option<Zeroizing<String>> {
        self.recovery.take()
    }

    /// Gives a member who forgot their passphrase one for once, which they change at their
    /// next unlock. They get new keys (their old secrets were under the passphrase they
    /// forgot); the signing key they had before stays on their row for the entries it signed,
    /// and signs nothing after. Coordinators only; one's own passphrase is changed, not reset.
    pub fn reset_member_passphrase(&mut self, handle: &str, one_time: &str) -> Result<Member> {
        if self.role != Role::Coordinator {
            return Err(Error::Forbidden);
        }
        let member = self.member(handle)?;
        if slots::is_recovery(&member.handle) {
            return Err(Error::validation("handle", FieldCode::RecoverySlot));
        }
        if self
            .signer
            .as_ref()
            .is_some_and(|s| s.handle.to_lowercase() == member.handle.to_lowercase())
        {
            return Err(Error::validation("handle", FieldCode::CannotRemoveSelf));
        }
        let (slot, keys) = self.slot_for_once(&member.handle, one_time)?;
        let dir = self.dir().to_owned();
        self.write(|w| {
            new_signing_key(w, &member.handle, &keys.signing_public_hex())?;
            w.record("update", "member", &member.handle, &["passphrase"]);
            crate::vault::replace_slot(&dir, slot)
        })?;
        self.member(handle)
    }

    /// A slot with new keys for `handle` under a passphrase given for once (changed at their
    /// next unlock), at the cost the clinic's first coordinator was given, for every member
    /// alike.
    fn slot_for_once(
        &self,
        handle: &str,
        one_time: &str,
    ) -> Result<(slots::Slot, slots::MemberKeys)> {
        crate::vault::check_passphrase_strength(one_time)?;
        let kdf = crate::vault::team_kdf(self.dir())?;
        slots::Slot::new(handle, one_time.as_bytes(), kdf, true, &self.data_key)
    }

    /// Changes a member's role; the last coordinator stays one. Coordinators only.
    pub fn set_member_role(&mut self, handle: &str, role: Role) -> Result<Member> {
        if self.role != Role::Coordinator {
            return Err(Error::Forbidden);
        }
        let now = self.member(handle)?;
        if slots::is_recovery(&now.handle) {
            return Err(Error::validation("handle", FieldCode::RecoverySlot));
        }
        if now.role == Role::Coordinator && role != Role::Coordinator && self.coordinators()? <= 1 {
            return Err(Error::validation("role", FieldCode::LastCoordinator));
        }
        self.write(|w| {
            w.execute(
                "UPDATE members SET role = ?2 WHERE handle = ?1",
                rusqlite::params![handle, role],
            )?;
            w.record("update", "member", &now.handle, &["role"]);
            Ok(())
        })?;
        self.member(handle)
    }

    /// Marks `gone` removed, as `by` (the rotation that takes their slot does the rest).
    pub(crate) fn remove_member_row(&mut self, by: &str, gone: &str) -> Result<()> {
        if self.role != Role::Coordinator {
            return Err(Error::Forbidden);
        }
        let member = self.member(gone)?;
        if slots::is_recovery(&member.handle) {
            return Err(Error::validation("handle", FieldCode::RecoverySlot));
        }
        if member.handle.to_lowercase() == by.trim().to_lowercase() {
            return Err(Error::validation("handle", FieldCode::CannotRemoveSelf));
        }
        if member.role == Role::Coordinator && self.coordinators()? <= 1 {
            return Err(Error::validation("handle", FieldCode::LastCoordinator));
        }
        self.write(|w| {
            w.execute(
                "UPDATE members SET removed_at = ?2 WHERE handle = ?1",
                rusqlite::params![member.handle, now_rfc3339()],
            )?;
            w.record("delete", "member", &member.handle, &[]);
            Ok(())
        })
    }

    pub fn member(&self, handle: &str) -> Result<Member> {
        self.members()?
            .into_iter()
            .find(|m| {
                m.handle.to_lowercase() == handle.trim().to_lowercase() && m.removed_at.is_none()
            })
            .ok_or(Error::NotFound)
    }

    fn coordinators(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM members
             WHERE role = 'coordinator' AND removed_at IS NULL AND handle <> 'recovery'",
            [],
            |r| r.get(0),
        )?)
    }

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

    /// The role the members table gives `handle`: its own row, or in a header of one over a
    /// database that knows its one member by another handle (an older header put back over
    /// it), that member's. `None` when the database has no members yet; refused for a handle
    /// a team does not know.
    pub(crate) fn known_role(&self, handle: &str, alone: bool) -> Result<Option<Role>> {
        let role = role_in(&self.conn, handle)?;
        if role.is_some() {
            return Ok(role);
        }
        let present: Vec<Role> = self
            .conn
            .prepare("SELECT role FROM members WHERE removed_at IS NULL AND handle <> 'recovery'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match (alone, present.as_slice()) {
            (true, []) => Ok(None),
            (true, [role]) => Ok(Some(*role)),
            _ => Err(crate::Error::Forbidden),
        }
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
        if let Some(role) = self.known_role(handle, alone)? {
            return Ok(role);
        }
        // A vault closed to writes opens to be read: its one member is its coordinator, written
        // down once it takes writes again.
        if self.gate.writes() != crate::vault::seal::Writes::Open {
            return Ok(Role::Coordinator);
        }
        let name = self.actor.clone();
        self.role = Role::Coordinator;
        self.write(|w| {
            enrol(w, handle, &name, Role::Coordinator, signing_public)?;
            Ok(())
        })?;
        Ok(Role::Coordinator)
    }

    /// The acting member's role.
    pub fn role(&self) -> Role {
        self.role
    }
}

/// The role a member has in the database open on `conn` (`None`: no such member, as in a
/// vault made before teams that no one has unlocked since).
pub(crate) fn role_in(conn: &rusqlite::Connection, handle: &str) -> Result<Option<Role>> {
    Ok(conn
        .query_row(
            "SELECT role FROM members WHERE handle = ?1 AND removed_at IS NULL",
            [handle],
            |r| r.get(0),
        )
        .optional()?)
}

/// Gives a member a new signing key, keeping the old one valid for the entries this laptop's
/// history holds so far (a reset here, or one that arrived from another laptop).
pub(crate) fn new_signing_key(
    conn: &rusqlite::Connection,
    handle: &str,
    public: &str,
) -> Result<()> {
    let (old, retired): (String, String) = conn.query_row(
        "SELECT signing_public, retired_keys FROM members WHERE handle = ?1",
        [handle],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if old == public {
        return Ok(());
    }
    let mut retired: Vec<crate::audit::RetiredKey> =
        serde_json::from_str(&retired).unwrap_or_default();
    let until_seq = conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
        r.get(0)
    })?;
    retired.push(crate::audit::RetiredKey {
        public: old,
        until_seq,
    });
    let retired = serde_json::to_string(&retired).map_err(|_| Error::Crypto("encode"))?;
    conn.execute(
        "UPDATE members SET signing_public = ?2, retired_keys = ?3 WHERE handle = ?1",
        rusqlite::params![handle, public, retired],
    )?;
    Ok(())
}
