//! The seeder is deterministic and marks what it fills as synthetic; the benchmark's plain copy
//! is refused on any vault that holds real records.

use amparo_core::clients::{ClientFilter, ClientInput};
use amparo_core::{Error, KdfChoice, KdfParams, Vault};

fn vault(dir: &std::path::Path) -> Vault {
    Vault::create(
        dir,
        "correct horse battery",
        KdfChoice::Fixed(KdfParams::MINIMUM),
        "tester",
    )
    .expect("create")
}

#[test]
fn the_same_seed_gives_the_same_people() {
    let (t1, t2) = (
        tempfile::tempdir().expect("t"),
        tempfile::tempdir().expect("t"),
    );
    let (mut a, mut b) = (vault(t1.path()), vault(t2.path()));
    amparo_tools::demo::seed(&mut a, 30, 42, |_| {}).expect("a");
    amparo_tools::demo::seed(&mut b, 30, 42, |_| {}).expect("b");
    let names = |v: &Vault| -> Vec<(String, String, Option<String>)> {
        v.list_clients(&ClientFilter::default(), 0, 100)
            .expect("list")
            .rows
            .into_iter()
            .map(|r| (r.given_names, r.family_names, r.a_number))
            .collect()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(names(&a).len(), 30);
    assert!(a.is_synthetic().expect("marker"));
    let chain = a.verify_audit_chain().expect("chain");
    assert!(
        chain.holds(),
        "seeding goes through the write path: {chain:?}"
    );
}

#[test]
fn a_vault_with_real_records_never_gets_a_plain_copy() {
    let tmp = tempfile::tempdir().expect("t");
    let mut v = vault(&tmp.path().join("v"));
    v.create_client(&ClientInput {
        given_names: "Real".into(),
        family_names: "Person".into(),
        ..ClientInput::default()
    })
    .expect("client");
    let plain = tmp.path().join("plain.db");
    assert!(matches!(
        v.export_plain_copy_for_bench(&plain),
        Err(Error::NotSynthetic)
    ));
    assert!(!plain.exists(), "nothing written");
    // Nor can the seeder be pointed at it to make it look synthetic.
    assert!(matches!(
        amparo_tools::demo::seed(&mut v, 3, 1, |_| {}),
        Err(Error::NotSynthetic)
    ));
    assert!(!v.is_synthetic().expect("marker"));
}

#[test]
fn the_benchmarks_open_with_a_bare_key_writes_nothing() {
    let tmp = tempfile::tempdir().expect("t");
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    amparo_tools::demo::seed(&mut v, 3, 1, |_| {}).expect("seed");
    let entries = v.verify_audit_chain().expect("chain").entries;
    v.lock().expect("lock");
    let key = amparo_core::vault::header::OnDisk::read(&dir)
        .expect("header")
        .open("tester", b"correct horse battery")
        .expect("open")
        .data_key;
    let mut bare = Vault::open_with_key_for_bench(&dir, key).expect("bare open");
    // It reads, as the benchmark's open of the vault needs.
    let rows = bare
        .list_clients(&ClientFilter::default(), 0, 10)
        .expect("list")
        .rows;
    assert_eq!(rows.len(), 3);
    // It has no member's signing key, so nothing may go into the history through it: neither
    // a record through the write path nor raw SQL.
    assert!(
        bare.create_client(&ClientInput {
            given_names: "Unsigned".into(),
            family_names: "Entry".into(),
            ..ClientInput::default()
        })
        .is_err()
    );
    assert!(
        bare.connection_for_tools()
            .execute("DELETE FROM audit_log", [])
            .is_err()
    );
    bare.lock().expect("lock");
    let v = Vault::unlock(&dir, "correct horse battery", "tester").expect("unlock");
    let chain = v.verify_audit_chain().expect("chain");
    assert!(chain.holds(), "{chain:?}");
    assert_eq!(chain.entries, entries, "no entry added");
    assert_eq!(
        v.list_clients(&ClientFilter::default(), 0, 10)
            .expect("list")
            .rows
            .len(),
        3
    );
}

/// The benchmark compares the vault with its plain copy to price the encryption alone: the
/// copy's writes sign their history entries as an unlocked member's do.
#[test]
fn the_plain_copy_signs_its_entries_like_the_vault() {
    let tmp = tempfile::tempdir().expect("t");
    let mut v = vault(&tmp.path().join("v"));
    amparo_tools::demo::seed(&mut v, 3, 1, |_| {}).expect("seed");
    let plain = tmp.path().join("plain.db");
    v.export_plain_copy_for_bench(&plain).expect("copy");
    let mut p = Vault::over_plain_for_bench(&plain).expect("plain");
    p.create_client(&ClientInput {
        given_names: "Bench".into(),
        family_names: "Intake".into(),
        ..ClientInput::default()
    })
    .expect("client");
    drop(p);
    let (signer, signature): (Option<String>, Option<i64>) = rusqlite::Connection::open(&plain)
        .expect("open")
        .query_row(
            "SELECT signer, length(signature) FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("entry");
    assert_eq!(signer.as_deref(), Some("bench"));
    assert_eq!(signature, Some(64), "an Ed25519 signature");
}
