//! The state sealed in the header: closed stays closed for every later process, a history cut
//! short or rolled back is found at unlock, and restores and acceptances are written down.

use std::fs;
use std::path::Path;

use super::seal::Writes;
use super::*;
use crate::clients::ClientInput;

const PASS: &str = "correct horse battery";

fn new_vault(dir: &Path) -> Vault {
    Vault::create(dir, PASS, KdfChoice::Fixed(KdfParams::MINIMUM), "tester").expect("create")
}

fn add_client(v: &mut Vault, name: &str) -> Result<crate::clients::ClientDetail> {
    v.create_client(&ClientInput {
        given_names: name.to_owned(),
        family_names: "Pérez".to_owned(),
        ..ClientInput::default()
    })
}

fn sealed(dir: &Path) -> SealedState {
    super::test_open(dir, PASS).state
}

fn version(dir: &Path) -> u32 {
    match OnDisk::read(dir).expect("header") {
        OnDisk::Single(h) => h.version,
        OnDisk::Team(h) => h.version,
    }
}

#[test]
fn the_header_is_a_team_header_and_seals_where_the_history_ends_at_lock() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    for name in ["Ana", "Eva", "Rosa"] {
        add_client(&mut v, name).expect("client");
    }
    let head = v.audit_head().expect("head").expect("some");
    v.lock().expect("lock");
    assert_eq!(version(tmp.path()), 3);
    let s = sealed(tmp.path());
    assert_eq!(s.writes, Writes::Open);
    assert_eq!(s.audit_entries, head.seq);
    assert_eq!(s.audit_head.as_deref(), Some(head.mac.as_str()));
    assert_eq!(s.last_change_by.as_deref(), Some("tester"));
    // Nothing of it is readable without the passphrase: "tester" shows once, as the handle
    // its slot is found by, not as the author of the last change.
    let raw = fs::read_to_string(tmp.path().join(HEADER_FILE)).expect("raw");
    assert_eq!(raw.matches("tester").count(), 1, "{raw}");
    assert!(!raw.contains(&head.mac), "{raw}");
    // The next unlock shows it: last change #3, when, by whom.
    let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    assert_eq!(v.found_at_unlock().audit_entries, head.seq);
    assert_eq!(v.writes(), Writes::Open);
}

#[test]
fn a_version_1_header_opens_and_becomes_a_team_of_one() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    add_client(&mut v, "Ana").expect("client");
    let key = v.data_key.clone();
    v.lock().expect("lock");
    header::tests::seal_v1(PASS, &key)
        .write_atomically(tmp.path())
        .expect("v1 header");
    assert_eq!(version(tmp.path()), 1);
    let mut v = Vault::unlock(tmp.path(), PASS, "t").expect("v1 opens");
    assert_eq!(version(tmp.path()), 3);
    add_client(&mut v, "Eva").expect("writes");
}

#[test]
fn damage_found_by_one_process_closes_the_vault_for_the_next_until_a_logged_acceptance() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    add_client(&mut v, "Ana").expect("client");
    // The check (here, in the CLI's `verify`, or in the app's background) finds damage.
    v.gate.close(Writes::Damaged);
    drop(v); // killed, not locked: the closing was sealed when it happened
    let mut later = Vault::unlock(tmp.path(), PASS, "next").expect("still opens to read");
    assert_eq!(later.writes(), Writes::Damaged);
    assert_eq!(later.found_at_unlock().writes, Writes::Damaged);
    assert!(matches!(
        add_client(&mut later, "Eva"),
        Err(Error::VaultDamaged)
    ));
    later.lock().expect("lock");
    // Locking does not reopen it either.
    let mut again = Vault::unlock(tmp.path(), PASS, "next").expect("unlock");
    assert!(matches!(
        add_client(&mut again, "Eva"),
        Err(Error::VaultDamaged)
    ));
    // Accepting needs a reason, and is written down by name before writes resume.
    assert!(again.accept_closed_writes("  ").is_err());
    again
        .accept_closed_writes("checked the pages with the clinic's IT volunteer")
        .expect("accept");
    let entry = &again.history("vault", "damaged").expect("history")[0];
    assert_eq!(entry.action, "accept");
    assert_eq!(entry.actor, "next");
    add_client(&mut again, "Eva").expect("writes again");
    again.lock().expect("lock");
    let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    assert_eq!(v.writes(), Writes::Open);
    assert!(v.full_check().expect("check").holds());
}

#[test]
fn a_process_already_open_stops_writing_when_another_closes_the_vault() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut app = new_vault(tmp.path());
    let cli = Vault::unlock(tmp.path(), PASS, "cli").expect("second process");
    add_client(&mut app, "Ana").expect("writes");
    cli.gate.close(Writes::Tampered);
    assert!(matches!(
        add_client(&mut app, "Eva"),
        Err(Error::VaultTampered)
    ));
    // The app locking afterwards does not seal the vault open again.
    app.lock().expect("lock");
    cli.lock().expect("lock");
    assert_eq!(sealed(tmp.path()).writes, Writes::Tampered);
}

#[test]
fn history_entries_deleted_from_the_end_are_found_at_unlock() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    let mut last = None;
    for name in ["Ana", "Eva", "Rosa"] {
        last = Some(add_client(&mut v, name).expect("client"));
    }
    let last = last.expect("client");
    v.lock().expect("lock");
    // Someone with the key removes the newest client and its history entry.
    let key = super::test_open(tmp.path(), PASS).data_key;
    {
        let conn = crate::db::open_keyed(tmp.path(), &key, false).expect("raw");
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             DELETE FROM clients WHERE id = '{}';
             DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);",
            last.id
        ))
        .expect("tamper");
        // The chain that is left verifies on its own: only the seal tells.
        let r = crate::audit::verify_chain(&conn, &audit_key_from(&key).expect("k")).expect("v");
        assert!(r.holds(), "{r:?}");
    }
    let mut v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    assert_eq!(v.writes(), Writes::Tampered);
    assert!(matches!(
        add_client(&mut v, "Eva"),
        Err(Error::VaultTampered)
    ));
}

#[test]
fn a_database_rolled_back_to_an_older_copy_is_found_at_unlock() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    add_client(&mut v, "Ana").expect("client");
    v.lock().expect("lock");
    let older = fs::read(tmp.path().join(crate::db::DB_FILE)).expect("copy");
    let mut v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    add_client(&mut v, "Eva").expect("client");
    v.lock().expect("lock");
    fs::write(tmp.path().join(crate::db::DB_FILE), older).expect("roll back");
    let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    assert_eq!(v.writes(), Writes::Tampered);
}

#[test]
fn a_record_with_no_history_fails_the_full_check() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    add_client(&mut v, "Ana").expect("client");
    assert!(v.full_check().expect("check").holds());
    add_client(&mut v, "Eva").expect("client");
    // Ids sorting before, between and after the recorded ones (the check merges both lists
    // in id order).
    for id in [
        "00000000-0000-7000-8000-000000000000",
        "0190a000-0000-7000-8000-0000000000ff",
        "ffffffff-0000-7000-8000-000000000000",
    ] {
        v.conn
            .execute(
                "INSERT INTO clients (id, given_names, family_names, search_text, sort_key,
                   created_at, updated_at)
                 VALUES (?1, 'X', 'Y', 'x y', 'y x', '2026-01-01T00:00:00Z',
                   '2026-01-01T00:00:00Z')",
                [id],
            )
            .expect("insert behind the app's back");
    }
    let r = v.full_check().expect("check");
    let chain = r.chain.expect("chain");
    assert_eq!(chain.unrecorded_records, 3);
    assert_eq!(chain.first_unrecorded_kind.as_deref(), Some("client"));
    assert!(!chain.holds());
    assert!(matches!(
        add_client(&mut v, "Eva"),
        Err(Error::VaultTampered)
    ));
}

#[test]
fn a_restore_is_written_down_with_both_heads_and_reopens_writes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let live = tmp.path().join("vault");
    let mut v = new_vault(&live);
    add_client(&mut v, "Ana").expect("client");
    let backup = tmp.path().join("b.amparo-backup");
    v.backup_to(&backup).expect("backup");
    add_client(&mut v, "Eva").expect("client");
    let replaced_head = v.audit_head().expect("head").expect("some");
    v.gate.close(Writes::Damaged);
    v.lock().expect("lock");

    let (mut v, _report, aside) =
        crate::backup::restore_replacing(&backup, &live, PASS, "t", true).expect("restore");
    let aside = aside.expect("moved aside");
    assert!(
        aside.join(HEADER_FILE).is_file(),
        "the replaced vault is kept"
    );
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".restoring-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let entry = &v.history("vault", "backup").expect("history")[0];
    assert_eq!(entry.action, "restore");
    let replaced = format!("replaced_head:{}:", replaced_head.seq);
    assert!(
        entry
            .changed_fields
            .iter()
            .any(|f| f.starts_with(&replaced)),
        "{entry:?}"
    );
    assert_eq!(v.writes(), Writes::Open);
    add_client(&mut v, "Rosa").expect("writes after a verified restore");
    v.lock().expect("lock");
    assert_eq!(sealed(&live).writes, Writes::Open);
}

#[test]
fn a_failed_restore_leaves_the_live_folder_as_it_was() {
    let tmp = tempfile::tempdir().expect("tmp");
    let live = tmp.path().join("vault");
    let mut v = new_vault(&live);
    add_client(&mut v, "Ana").expect("client");
    let backup = tmp.path().join("b.amparo-backup");
    v.backup_to(&backup).expect("backup");
    v.lock().expect("lock");
    let mut bytes = fs::read(&backup).expect("read");
    let n = bytes.len();
    bytes[n - 100] ^= 0x55;
    fs::write(&backup, bytes).expect("damage the backup");
    let before = fs::read(live.join(crate::db::DB_FILE)).expect("db");
    assert!(crate::backup::restore_replacing(&backup, &live, PASS, "t", true).is_err());
    assert_eq!(fs::read(live.join(crate::db::DB_FILE)).expect("db"), before);
    let names: Vec<_> = fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains(".restoring-") && !n.contains(".replaced-")),
        "{names:?}"
    );
    Vault::unlock(&live, PASS, "t").expect("the live vault still opens");
}
