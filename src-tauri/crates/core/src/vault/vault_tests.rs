//! Vault tests against real SQLCipher files in temp dirs.

use std::fs;
use std::path::Path;

use super::header::{Header, WriteStep};
use super::*;
use crate::clients::ClientInput;

const PASS: &str = "correct horse battery";
const MARKER: &str = "ZQXJ-MARKER-7731-ÑANDÚ";

fn fast() -> KdfChoice {
    KdfChoice::Fixed(KdfParams::MINIMUM)
}

fn new_vault(dir: &Path) -> Vault {
    Vault::create(dir, PASS, fast(), "tester").expect("create")
}

fn client_named(name: &str) -> ClientInput {
    ClientInput {
        given_names: name.to_owned(),
        family_names: "Pérez".to_owned(),
        ..ClientInput::default()
    }
}

/// Every byte of every file under `dir`.
fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push((p.display().to_string(), fs::read(&p).expect("read")));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn vault_file_is_encrypted_and_marker_never_reaches_disk() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    let mut v = new_vault(&dir);
    let c = v.create_client(&client_named(MARKER)).expect("client");
    let check = |label: &str| {
        let files = all_files(&dir);
        assert!(
            files.len() >= 2,
            "{label}: {files:?}",
            files = files.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for (name, bytes) in &files {
            assert!(
                !contains(bytes, MARKER.as_bytes()),
                "{label}: marker found in {name}"
            );
            assert!(
                !contains(bytes, "ZQXJ-MARKER".as_bytes()),
                "{label}: marker prefix in {name}"
            );
            assert!(
                !bytes.starts_with(b"SQLite format 3"),
                "{label}: {name} is plain SQLite"
            );
        }
        let db = fs::read(dir.join("vault.db")).expect("db");
        assert!(db.len() > 1024);
    };
    check("while open");
    v.lock().expect("lock");
    check("after lock");
    let v = Vault::unlock(&dir, PASS, "tester").expect("unlock");
    assert_eq!(v.client(&c.id).expect("read").given_names, MARKER);
}

#[test]
fn header_holds_no_case_data() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    v.create_client(&client_named(MARKER)).expect("client");
    let header: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("vault.json")).expect("read"))
            .expect("json");
    let keys: Vec<&String> = header.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "aead",
            "format",
            "members",
            "state",
            "state_nonce",
            "version"
        ]
    );
    // Of each member, only the handle they chose is readable; no name, no role.
    let member: Vec<&String> = header["members"][0]
        .as_object()
        .expect("member")
        .keys()
        .collect();
    assert_eq!(
        member,
        [
            "handle",
            "kdf",
            "key_box",
            "must_change",
            "nonce",
            "public",
            "salt",
            "secret",
            "signing_public"
        ]
    );
    assert_eq!(header["members"][0]["handle"], "tester");
    let raw = fs::read_to_string(tmp.path().join("vault.json")).expect("raw");
    assert!(!raw.contains(MARKER));
}

#[test]
fn wrong_passphrase_is_a_typed_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    new_vault(tmp.path()).lock().expect("lock");
    let err = Vault::unlock(tmp.path(), "not the passphrase", "t").expect_err("must fail");
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
    assert_eq!(err.code(), "wrong_passphrase");
}

#[test]
fn missing_vault_and_existing_vault_are_typed_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert!(matches!(
        Vault::unlock(tmp.path(), PASS, "t"),
        Err(Error::VaultNotFound)
    ));
    new_vault(tmp.path()).lock().expect("lock");
    assert!(matches!(
        Vault::create(tmp.path(), PASS, fast(), "t"),
        Err(Error::VaultExists)
    ));
}

#[test]
fn a_database_whose_key_file_is_missing_is_never_deleted_by_creating_a_vault() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    v.create_client(&client_named(MARKER)).expect("client");
    v.lock().expect("lock");
    let header = fs::read(tmp.path().join(HEADER_FILE)).expect("header");
    fs::remove_file(tmp.path().join(HEADER_FILE)).expect("lose the key file");
    let db = fs::read(tmp.path().join(db::DB_FILE)).expect("db");

    assert!(matches!(
        Vault::create(tmp.path(), PASS, fast(), "t"),
        Err(Error::OrphanDatabase)
    ));
    assert_eq!(fs::read(tmp.path().join(db::DB_FILE)).expect("db"), db);
    assert_eq!(
        Error::OrphanDatabase.kind(),
        crate::error::ErrorCode::OrphanDatabase
    );
    // The key file found again, the vault opens with everything in it.
    fs::write(tmp.path().join(HEADER_FILE), header).expect("put it back");
    let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    let page = v
        .list_clients(&crate::clients::ClientFilter::default(), 0, 10)
        .expect("list");
    assert_eq!(page.rows[0].given_names, MARKER);
}

#[test]
fn short_passphrase_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert!(matches!(
        Vault::create(tmp.path(), "short", fast(), "t"),
        Err(Error::WeakPassphrase { min: 10 })
    ));
    assert!(!exists(tmp.path()));
}

#[test]
fn change_passphrase_old_fails_new_works() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    let id = v.create_client(&client_named("Ana")).expect("client").id;
    v.lock().expect("lock");
    let new = "a brand new passphrase";
    assert!(matches!(
        Vault::change_passphrase(tmp.path(), "tester", "wrong old passphrase", new, fast()),
        Err(Error::WrongPassphrase)
    ));
    Vault::change_passphrase(tmp.path(), "tester", PASS, new, fast()).expect("change");
    assert!(matches!(
        Vault::unlock(tmp.path(), PASS, "t"),
        Err(Error::WrongPassphrase)
    ));
    let v = Vault::unlock(tmp.path(), new, "t").expect("new works");
    assert_eq!(v.client(&id).expect("data kept").given_names, "Ana");
}

#[test]
fn a_header_write_cut_short_leaves_the_old_header() {
    // Crash after the new header is written but before the rename: the old one still opens.
    let tmp = tempfile::tempdir().expect("tmp");
    let v = new_vault(tmp.path());
    let key = v.data_key.clone();
    v.lock().expect("lock");
    let other = Header::seal(
        b"a brand new passphrase",
        KdfParams::MINIMUM,
        &key,
        &SealedState::default(),
    )
    .expect("seal");
    let err = other.write_steps(tmp.path(), HEADER_FILE, Some(WriteStep::TempWritten));
    assert!(err.is_err());
    assert!(tmp.path().join(header::HEADER_NEW_FILE).exists());
    Vault::unlock(tmp.path(), PASS, "t")
        .expect("old passphrase still opens")
        .lock()
        .expect("lock");
    assert!(
        !tmp.path().join(header::HEADER_NEW_FILE).exists(),
        "stale header cleaned"
    );
    // Crash after the rename but before the directory sync: the new one opens.
    other
        .write_steps(tmp.path(), HEADER_FILE, Some(WriteStep::Renamed))
        .expect_err("crash");
    Vault::unlock(tmp.path(), "a brand new passphrase", "t").expect("new passphrase opens");

    // A torn temp file (power cut mid-write) never replaced the header.
    let tmp = tempfile::tempdir().expect("tmp");
    new_vault(tmp.path()).lock().expect("lock");
    fs::write(
        tmp.path().join(header::HEADER_NEW_FILE),
        b"{\"format\":\"amparo-va",
    )
    .expect("torn");
    Vault::unlock(tmp.path(), PASS, "t").expect("old passphrase opens");
}

#[test]
fn newer_schema_is_refused_and_file_left_unchanged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v = new_vault(tmp.path());
    v.conn
        .pragma_update(None, "user_version", 99)
        .expect("bump");
    v.lock().expect("lock");
    let db = tmp.path().join("vault.db");
    let before = fs::read(&db).expect("read");
    let err = Vault::unlock(tmp.path(), PASS, "t").expect_err("refused");
    match err {
        Error::SchemaTooNew { found, supported } => {
            assert_eq!(found, 99);
            assert_eq!(supported, crate::db::latest_schema_version());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        before,
        fs::read(&db).expect("read"),
        "vault must not be touched"
    );
}

#[test]
fn damaged_header_and_damaged_database_are_told_apart() {
    let tmp = tempfile::tempdir().expect("tmp");
    new_vault(tmp.path()).lock().expect("lock");
    let header_path = tmp.path().join("vault.json");
    let good = fs::read(&header_path).expect("read");
    fs::write(&header_path, b"not json at all").expect("write");
    assert!(matches!(
        Vault::unlock(tmp.path(), PASS, "t"),
        Err(Error::HeaderDamaged(_))
    ));
    fs::write(&header_path, &good).expect("restore");

    // Overwrite the first database page: key is right, file is not.
    let db = tmp.path().join("vault.db");
    let mut bytes = fs::read(&db).expect("read");
    for b in bytes.iter_mut().take(4096) {
        *b = 0x5a;
    }
    fs::write(&db, &bytes).expect("write");
    let err = Vault::unlock(tmp.path(), PASS, "t").expect_err("damaged");
    assert!(matches!(err, Error::VaultDamaged), "{err:?}");
}

#[test]
fn writes_append_a_verifiable_audit_chain() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    let c = v.create_client(&client_named("Ana")).expect("client");
    let mut edit = client_named("Ana María");
    edit.notes = "seen at the shelter".into();
    v.update_client(&c.id, &edit).expect("update");
    let report = v.verify_audit_chain().expect("verify");
    // The first coordinator's enrolment, the recovery code's, the client, its edit.
    assert_eq!(report.entries, 4);
    assert_eq!(report.first_bad_seq, None);
    let history = v.history("client", &c.id).expect("history");
    assert_eq!(history[0].action, "update");
    assert_eq!(history[0].changed_fields, ["given_names", "notes"]);
    assert_eq!(history[0].actor, "tester");
    assert_eq!(history[1].action, "create");

    v.conn
        .execute(
            "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1",
            [],
        )
        .expect("tamper");
    assert_eq!(
        v.verify_audit_chain().expect("verify").first_bad_seq,
        Some(1)
    );
    // Once the chain is found broken the vault takes no more writes (reads still work, so
    // the record can be looked at and a backup restored).
    assert!(matches!(
        v.create_client(&client_named("Eva")),
        Err(Error::VaultTampered)
    ));
    assert_eq!(Error::VaultTampered.code(), "vault_tampered");
    assert_eq!(v.client(&c.id).expect("read").given_names, "Ana María");
    assert_eq!(v.verify_audit_chain().expect("verify").entries, 1);
}

#[test]
fn records_edited_behind_the_apps_back_are_found_and_block_writes() {
    use crate::codes::{Court, HearingOutcome, HearingType, HearingVenue, Port};
    use crate::hearings::HearingInput;
    use crate::records::PersonRef;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    let mut input = client_named("Ana");
    input.family.push(crate::clients::FamilyMemberInput {
        given_names: "Luis".into(),
        family_names: "Pérez".into(),
        relationship: crate::codes::Relationship::Child,
        ..Default::default()
    });
    let c = v.create_client(&input).expect("client");
    let child = c.family[0].id.clone();
    let h = v
        .add_hearing(&HearingInput {
            client_id: c.id.clone(),
            people: vec![
                PersonRef::Client(c.id.clone()),
                PersonRef::FamilyMember(child),
            ],
            court: Court::SanDiego,
            court_zone: None,
            venue: HearingVenue::InPerson,
            hearing_type: HearingType::MasterCalendar,
            scheduled_local: "2026-12-01T08:00".into(),
            port: Some(Port::SanYsidro),
            report_local: None,
            judge: String::new(),
            interpreter_language: None,
            attendees: String::new(),
            outcome: HearingOutcome::Scheduled,
            next_date: None,
            missed_reason: None,
            missed_account: String::new(),
            notes: String::new(),
        })
        .expect("hearing");
    // Ordinary changes, including one whose cascade removes a hearing's link row, and a soft
    // delete, all keep the records as the chain describes them.
    let mut without_child = client_named("Ana");
    without_child.notes = "moved to another shelter".into();
    v.update_client(&c.id, &without_child).expect("update");
    let other = v.create_client(&client_named("Eva")).expect("client");
    v.delete_client(&other.id).expect("delete");
    let r = v.verify_audit_chain().expect("verify");
    assert!(r.holds(), "{r:?}");
    assert_eq!(r.altered_records, 0);

    // Now someone with the key changes the hearing's outcome in the SQLCipher shell.
    v.conn
        .execute(
            "UPDATE hearings SET outcome = 'terminated' WHERE id = ?1",
            [&h.id],
        )
        .expect("tamper");
    let hearing_seq = v.history("hearing", &h.id).expect("history")[0].seq;
    let r = v.verify_audit_chain().expect("verify");
    assert_eq!(r.first_bad_seq, None, "the chain itself is intact");
    assert_eq!(r.altered_records, 1);
    assert_eq!(
        r.first_altered,
        Some(crate::audit::AlteredRecord {
            entity_kind: "hearing".into(),
            seq: hearing_seq
        })
    );
    assert!(!r.holds());
    assert!(matches!(
        v.create_client(&client_named("Rosa")),
        Err(Error::VaultTampered)
    ));

    // Put back as it was, the record matches again (the digest is of content, not of
    // having been touched). The vault stays closed to writes across unlocks: the header
    // remembers.
    drop(v);
    let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    assert_eq!(v.writes(), seal::Writes::Tampered);
    v.conn
        .execute(
            "UPDATE hearings SET outcome = ?2 WHERE id = ?1",
            [
                &h.id,
                &serde_json::to_value(h.outcome)
                    .expect("code")
                    .as_str()
                    .expect("str")
                    .to_owned(),
            ],
        )
        .expect("put back");
    assert!(v.verify_audit_chain().expect("verify").holds());
    // A client removed outright (its hearing goes with it by cascade) is found too.
    v.conn
        .execute("DELETE FROM clients WHERE id = ?1", [&c.id])
        .expect("tamper");
    let r = v.verify_audit_chain().expect("verify");
    assert_eq!(r.altered_records, 2, "{r:?}");
    // The first is the one whose vouching entry is oldest: the hearing (#2; the client's
    // newest entry is its update, #3).
    assert_eq!(r.first_altered.expect("first").entity_kind, "hearing");
}

#[test]
fn integrity_checks_pass_on_a_fresh_vault() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    v.create_client(&client_named("Ana")).expect("client");
    assert!(v.full_check().expect("check").holds());
}

#[test]
fn an_older_vault_is_migrated_on_unlock_and_keeps_its_data() {
    // A vault exactly as schema version 1 left it, with one client written by that schema.
    let tmp = tempfile::tempdir().expect("tmp");
    let key = header::new_data_key().expect("key");
    let mut conn = crate::db::open_keyed(tmp.path(), &key, true).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    crate::db::migrate_to(&mut conn, 1).expect("v1");
    conn.execute(
        "INSERT INTO clients (id, given_names, family_names, a_number, search_text, sort_key,
           created_at, updated_at)
         VALUES ('0190a000-0000-7000-8000-000000000001', 'Ana', 'Núñez', '123456789',
           'ana nunez 123456789', 'nunez ana', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
        [],
    )
    .expect("old row");
    conn.close().map_err(|(_, e)| e).expect("close");
    Header::seal(
        PASS.as_bytes(),
        KdfParams::MINIMUM,
        &key,
        &SealedState::default(),
    )
    .expect("seal")
    .write_atomically(tmp.path())
    .expect("header");

    let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock migrates");
    let version: i64 = v
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, crate::db::latest_schema_version());
    let c = v
        .client("0190a000-0000-7000-8000-000000000001")
        .expect("kept");
    assert_eq!(
        (c.given_names.as_str(), c.a_number.as_deref()),
        ("Ana", Some("A-123-456-789"))
    );
    // Rows written before search existed are found by it.
    let found = v.search("nunez").expect("search");
    assert_eq!(found.groups.len(), 1);
    assert_eq!(found.groups[0].hits[0].client_name, "Ana Núñez");
    // Its one passphrase became the first coordinator of a team of one; the history goes on
    // from it (its enrolment, signed). The row above was written without an entry, so the
    // check counts it as unrecorded, and nothing else.
    assert_eq!(v.role(), crate::codes::Role::Coordinator);
    match OnDisk::read(tmp.path()).expect("header") {
        OnDisk::Team(h) => assert_eq!(h.members.len(), 1),
        OnDisk::Single(_) => panic!("the header was not made a team's"),
    }
    let chain = v.verify_audit_chain().expect("chain");
    assert_eq!(
        (chain.entries, chain.first_bad_seq, chain.bad_signature),
        (1, None, false),
        "{chain:?}"
    );
    assert_eq!((chain.altered_records, chain.unrecorded_records), (0, 1));
    v.lock().expect("lock");
    Vault::unlock(tmp.path(), PASS, "anyone")
        .expect("a team of one asks no handle")
        .lock()
        .expect("lock");
}

#[test]
fn wrong_passphrases_given_to_a_passphrase_change_count_toward_the_unlock_delay() {
    let tmp = tempfile::tempdir().expect("tmp");
    new_vault(tmp.path()).lock().expect("lock");
    let mut throttle = UnlockThrottle::default();
    let new = "another long passphrase";
    for _ in 0..3 {
        assert!(matches!(
            throttle.guard(|| Vault::change_passphrase(
                tmp.path(),
                "tester",
                "wrong guess 123",
                new,
                fast()
            )),
            Err(Error::WrongPassphrase)
        ));
    }
    // The delay now holds for every way of trying a passphrase, the right one included, and
    // the attempt is not even made.
    let mut tried = false;
    let refused = throttle.guard(|| {
        tried = true;
        Vault::change_passphrase(tmp.path(), "tester", PASS, new, fast())
    });
    assert!(matches!(refused, Err(Error::TooManyAttempts { .. })));
    assert!(!tried);
    assert!(matches!(
        throttle.unlock(tmp.path(), PASS, "t"),
        Err(Error::TooManyAttempts { .. })
    ));
    Vault::unlock(tmp.path(), PASS, "t").expect("the passphrase is unchanged");
}

fn with_child(alias: &str) -> ClientInput {
    let mut input = client_named("Ana");
    input.family = vec![crate::clients::FamilyMemberInput {
        given_names: "Luz".into(),
        aliases: alias.into(),
        ..Default::default()
    }];
    input
}

#[test]
fn a_family_member_written_before_aliases_existed_is_still_vouched_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    let c = v.create_client(&with_child("")).expect("client");
    let now = crate::audit::record_state(&v.conn, "client", &c.id).expect("state");
    // The same rows as they were before the column was added give the same digest.
    v.conn
        .execute_batch(
            "DROP TRIGGER family_members_search_insert;
             DROP TRIGGER family_members_search_update;
             ALTER TABLE family_members DROP COLUMN aliases;",
        )
        .expect("the schema before the aliases");
    v.conn.flush_prepared_statement_cache();
    let before = crate::audit::record_state(&v.conn, "client", &c.id).expect("state");
    assert_eq!(now, before);
}

#[test]
fn a_family_members_aliases_are_kept_searched_and_vouched_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = new_vault(tmp.path());
    let c = v.create_client(&with_child("Lucecita")).expect("client");
    assert_eq!(
        v.client(&c.id).expect("client").family[0].aliases,
        "Lucecita"
    );
    let hits = v.search("lucecita").expect("search");
    let found: Vec<_> = hits.groups.iter().map(|g| (g.kind, g.hits.len())).collect();
    assert_eq!(
        found,
        [(crate::search::HitKind::FamilyMember, 1)],
        "{hits:?}"
    );
    assert!(v.verify_audit_chain().expect("verify").holds());
    // Changed outside Amparo, the alias is found like any other field.
    v.conn
        .execute("UPDATE family_members SET aliases = 'Lucy'", [])
        .expect("tamper");
    assert_eq!(v.verify_audit_chain().expect("verify").altered_records, 1);
}
