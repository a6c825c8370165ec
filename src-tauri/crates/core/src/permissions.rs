//! What each role may change, checked on every write as it passes through the one write path
//! (`store`): a change its author's role does not allow is refused with `forbidden` and the
//! transaction is rolled back, whatever the screen offered. Roles are the app's rule: every
//! member's slot opens the same data key (see docs/SECURITY.md).
//!
//! - *coordinator*: everything, and alone: members, key rotation on demand, restore,
//!   accepting a closed vault.
//! - *attorney*: every record, packets and their follow-up, the caseload, exports, settings.
//! - *volunteer*: intakes, hearings, fear screenings, incidents and evidence, and removing
//!   those (not clients); no packets, no exports, no settings.
//! - *interpreter*: notes on clients, nothing else; and reads only the clients assigned to
//!   them (see `caseload`).

use crate::codes::Role;

/// Whether `role` may record `action` on `kind` (with `fields` changed, for an update).
pub fn may(role: Role, action: &str, kind: &str, fields: &[String]) -> bool {
    const RECORDS: [&str; 5] = ["client", "hearing", "screening", "incident", "attachment"];
    match role {
        Role::Coordinator => true,
        Role::Attorney => match (action, kind) {
            (_, "member") => false,
            ("update", "settings") => true,
            ("create" | "update" | "delete", k) => {
                RECORDS.contains(&k) || k == "packet" || k == "assignment"
            }
            ("export", _) => true,
            _ => false,
        },
        Role::Volunteer => match (action, kind) {
            ("create" | "update", k) => RECORDS.contains(&k),
            ("delete", k) => RECORDS.contains(&k) && k != "client",
            _ => false,
        },
        Role::Interpreter => {
            action == "update" && kind == "client" && fields.iter().all(|f| f == "notes")
        }
    }
}

/// What a role may do, by screen: the UI hides what is false (the core refuses it anyway).
/// Read from `may`, so the screens and the write path cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct Abilities {
    /// New clients, hearings, screenings, incidents and evidence.
    pub add_records: bool,
    /// Changing any field of a record (an interpreter changes only a client's notes).
    pub edit_records: bool,
    pub delete_clients: bool,
    /// Building and saving complaint packets, recording their follow-up.
    pub packets: bool,
    /// Saving anything out of the vault: evidence copies, the hearings list, backups.
    pub exports: bool,
    /// The clinic's settings (organisation, port, zone).
    pub settings: bool,
    /// Assigning clients to members.
    pub assign: bool,
    /// Reading every client (an interpreter reads only those assigned to them).
    pub all_clients: bool,
    /// Writing a client's notes (all an interpreter writes).
    pub client_notes: bool,
    /// Members, turning the key, restoring, accepting a closed vault.
    pub team: bool,
}

impl Abilities {
    pub fn of(role: Role) -> Abilities {
        let can = |action: &str, kind: &str| may(role, action, kind, &["given_names".to_owned()]);
        Abilities {
            add_records: can("create", "client"),
            edit_records: can("update", "client"),
            delete_clients: can("delete", "client"),
            packets: can("export", "packet"),
            exports: can("export", "backup"),
            settings: can("update", "settings"),
            assign: can("update", "assignment"),
            all_clients: role != Role::Interpreter,
            client_notes: may(role, "update", "client", &["notes".to_owned()]),
            team: can("create", "member"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every change the core records, by action and kind.
    const CHANGES: [(&str, &str); 20] = [
        ("create", "client"),
        ("update", "client"),
        ("delete", "client"),
        ("create", "hearing"),
        ("delete", "hearing"),
        ("create", "screening"),
        ("create", "incident"),
        ("create", "attachment"),
        ("export", "attachment"),
        ("export", "packet"),
        ("update", "packet"),
        ("update", "assignment"),
        ("export", "hearings"),
        ("export", "backup"),
        ("update", "settings"),
        ("restore", "vault"),
        ("rotate", "vault"),
        ("accept", "vault"),
        ("create", "member"),
        ("delete", "member"),
    ];

    fn allowed(role: Role) -> Vec<(&'static str, &'static str)> {
        CHANGES
            .iter()
            .copied()
            .filter(|(a, k)| may(role, a, k, &["given_names".to_owned()]))
            .collect()
    }

    #[test]
    fn each_role_may_make_exactly_its_changes() {
        assert_eq!(allowed(Role::Coordinator).len(), CHANGES.len());
        assert_eq!(
            allowed(Role::Attorney),
            CHANGES[..15].to_vec(),
            "attorneys: every record, packets, the caseload, exports, settings; not the vault or \
             members"
        );
        assert_eq!(
            allowed(Role::Volunteer),
            [
                ("create", "client"),
                ("update", "client"),
                ("create", "hearing"),
                ("delete", "hearing"),
                ("create", "screening"),
                ("create", "incident"),
                ("create", "attachment"),
            ]
        );
        assert!(allowed(Role::Interpreter).is_empty());
        let volunteer = Abilities::of(Role::Volunteer);
        assert!(volunteer.add_records && volunteer.edit_records && !volunteer.delete_clients);
        assert!(!volunteer.packets && !volunteer.exports && !volunteer.settings && !volunteer.team);
        assert!(Abilities::of(Role::Attorney).packets && !Abilities::of(Role::Attorney).team);
        assert!(Abilities::of(Role::Attorney).assign && !volunteer.assign);
        assert!(!Abilities::of(Role::Interpreter).edit_records);
        assert!(may(
            Role::Interpreter,
            "update",
            "client",
            &["notes".to_owned()]
        ));
    }
}
