//! What each role may change, checked on every write as it passes through the one write path
//! (`store`): a change its author's role does not allow is refused with `forbidden` and the
//! transaction is rolled back, whatever the screen offered. Roles are the app's rule: every
//! member's slot opens the same data key (see docs/SECURITY.md).
//!
//! - *coordinator*: everything, and alone: members, key rotation on demand, restore,
//!   accepting a closed vault.
//! - *attorney*: every record, packets and their follow-up, exports, settings.
//! - *volunteer*: intakes, hearings, fear screenings, incidents and evidence, and removing
//!   those (not clients); no packets, no exports, no settings.
//! - *interpreter*: notes on clients, nothing else.

use crate::codes::Role;

/// Whether `role` may record `action` on `kind` (with `fields` changed, for an update).
pub fn may(role: Role, action: &str, kind: &str, fields: &[String]) -> bool {
    const RECORDS: [&str; 5] = ["client", "hearing", "screening", "incident", "attachment"];
    match role {
        Role::Coordinator => true,
        Role::Attorney => match (action, kind) {
            (_, "member") => false,
            ("update", "settings") => true,
            ("create" | "update" | "delete", k) => RECORDS.contains(&k) || k == "packet",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every change the core records, by action and kind.
    const CHANGES: [(&str, &str); 19] = [
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
            CHANGES[..14].to_vec(),
            "attorneys: every record, packets, exports, settings; not the vault or members"
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
        assert!(may(
            Role::Interpreter,
            "update",
            "client",
            &["notes".to_owned()]
        ));
    }
}
