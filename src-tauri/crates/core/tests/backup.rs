//! Encrypted backups: made while another connection keeps writing, restored into a new vault
//! that verifies, compared record by record; bad backups leave nothing behind.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use amparo_core::backup::{restore, restore_replacing};
use amparo_core::clients::{ClientFilter, ClientInput, FamilyMemberInput};
use amparo_core::{Error, Vault};
use support::PASS;

fn all_client_ids(v: &Vault) -> Vec<String> {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let page = v
            .list_clients(&ClientFilter::default(), offset, 500)
            .expect("page");
        if page.rows.is_empty() {
            break;
        }
        offset += page.rows.len() as u32;
        ids.extend(page.rows.into_iter().map(|r| r.id));
    }
    ids
}

fn client(n: u32) -> ClientInput {
    ClientInput {
        given_names: format!("Marisela{n}"),
        family_names: "Quintanilla".into(),
        a_number: Some(format!("2{n:08}")),
        notes: format!("nota {n}"),
        family: vec![FamilyMemberInput {
            given_names: format!("Dilcia{n}"),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A vault with one client and a backup of it, side by side in a temporary folder.
fn vault_with_backup() -> (tempfile::TempDir, PathBuf, Vault, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    let mut v = support::vault_in(&dir, "Ana");
    v.create_client(&client(1)).expect("client");
    let file = tmp.path().join("b.backup");
    v.backup_to(&file).expect("backup");
    (tmp, dir, v, file)
}

#[test]
fn a_backup_taken_during_writes_restores_to_a_verified_equal_vault() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    let mut v = support::vault_in(&dir, "Ana");
    for n in 0..50 {
        v.create_client(&client(n)).expect("client");
    }
    // Opened as the app opens it (existing files only), not as created.
    v.lock().expect("lock");
    let mut v = Vault::unlock(&dir, PASS, "Ana").expect("unlock");
    // Another connection keeps writing while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU32::new(0));
    let writer = {
        let (dir, stop, written) = (dir.clone(), stop.clone(), written.clone());
        std::thread::spawn(move || {
            let mut w = Vault::unlock(&dir, PASS, "Writer").expect("second connection");
            let mut n = 1000;
            while !stop.load(Ordering::Relaxed) {
                w.create_client(&client(n)).expect("write during backup");
                written.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
            w.lock().expect("lock");
        })
    };
    while written.load(Ordering::Relaxed) < 5 {
        std::thread::yield_now();
    }
    let file = tmp.path().join("amparo.backup");
    let info = v.backup_to(&file).expect("backup");
    let during = written.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer");
    assert!(info.size_bytes > 0.0);
    assert!(!tmp.path().join("amparo.backup.partial").exists());
    assert!(v.last_backup_at().expect("last").is_some());

    // The file is ciphertext: no name, A-number or note in it.
    let bytes = std::fs::read(&file).expect("read");
    for plain in [
        "Marisela",
        "Quintanilla",
        "200000007",
        "nota 7",
        "SQLite format 3",
    ] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain.as_bytes()),
            "{plain:?} in the backup"
        );
    }

    let restored_dir = tmp.path().join("restored");
    let (r, report) = restore(&file, &restored_dir, PASS, "Ana").expect("restore");
    assert!(report.integrity_ok);
    assert!(report.audit_entries >= 50);
    let restored = all_client_ids(&r);
    assert!(restored.len() >= 50 && restored.len() <= 50 + during as usize + 1);
    // Every record in the backup equals the original.
    for id in &restored {
        let a = serde_json::to_value(v.client(id).expect("original")).expect("json");
        let b = serde_json::to_value(r.client(id).expect("restored")).expect("json");
        assert_eq!(a, b, "client {id}");
        assert_eq!(
            serde_json::to_value(v.history("client", id).expect("h")).expect("json"),
            serde_json::to_value(r.history("client", id).expect("h")).expect("json"),
        );
    }
    assert_eq!(r.settings().expect("s"), v.settings().expect("s"));
    // The restored vault is a vault like any other: it takes writes and verifies.
    let mut r = r;
    r.create_client(&client(9999)).expect("write after restore");
    let chain = r.verify_audit_chain().expect("chain");
    assert!(chain.holds(), "{chain:?}");
}

#[test]
fn bad_backups_and_wrong_passphrases_leave_nothing_behind() {
    let (tmp, dir, v, file) = vault_with_backup();

    let target = tmp.path().join("new");
    assert!(matches!(
        restore(&file, &target, "not the passphrase", "x"),
        Err(Error::WrongPassphrase)
    ));
    assert!(!target.exists(), "nothing left after a wrong passphrase");

    let bytes = std::fs::read(&file).expect("read");
    let cut = tmp.path().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    assert!(matches!(
        restore(&cut, &target, PASS, "x"),
        Err(Error::BackupInvalid)
    ));
    assert!(!target.exists(), "nothing left after a truncated backup");

    let junk = tmp.path().join("junk.backup");
    std::fs::write(&junk, b"this is not a backup at all").expect("write");
    assert!(matches!(
        restore(&junk, &target, PASS, "x"),
        Err(Error::BackupInvalid)
    ));
    // A backup is never restored over an existing vault.
    assert!(matches!(
        restore(&file, &dir, PASS, "x"),
        Err(Error::VaultExists)
    ));
    let history = v.history("backup", "vault").expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "export");
}

#[test]
fn replacing_a_vault_moves_it_aside_and_puts_it_back_if_the_backup_fails() {
    let (tmp, dir, mut v, file) = vault_with_backup();
    v.create_client(&client(2)).expect("after the backup");
    v.lock().expect("lock");

    assert!(matches!(
        restore_replacing(&file, &dir, PASS, "x", false),
        Err(Error::VaultExists)
    ));
    let junk = tmp.path().join("junk.backup");
    std::fs::write(&junk, b"not a backup").expect("write");
    assert!(matches!(
        restore_replacing(&junk, &dir, PASS, "x", true),
        Err(Error::BackupInvalid)
    ));
    let back = Vault::unlock(&dir, PASS, "x").expect("the old vault is back in place");
    assert_eq!(all_client_ids(&back).len(), 2);
    back.lock().expect("lock");

    let (r, _, aside) = restore_replacing(&file, &dir, PASS, "x", true).expect("restore");
    assert_eq!(all_client_ids(&r).len(), 1, "the backup's state");
    let aside = aside.expect("moved aside");
    assert!(
        aside.join("vault.db").exists(),
        "the replaced vault is kept"
    );
}

/// A backup stopped by a lock (here: the stop comes before it starts) says `stopped` and leaves
/// no file, whole or partial, behind; once the lock lowered the flag, the next one is whole.
#[test]
fn a_backup_stopped_by_a_lock_leaves_no_file() {
    use amparo_core::error::ErrorCode;

    let (tmp, mut v) = support::vault();
    v.create_client(&client(1)).expect("client");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("out");
    let path = out.join("backup.amparo");
    v.stopper().stop();
    let stopped = v.backup_to(&path).map(drop).map_err(|e| e.kind());
    assert_eq!(stopped, Err(ErrorCode::Stopped));
    assert_eq!(
        std::fs::read_dir(&out).expect("out").count(),
        0,
        "a file was left"
    );
    let dir = v.dir().to_owned();
    v.lock().expect("lock");
    let mut v = Vault::unlock(&dir, PASS, "tester").expect("unlock");
    v.backup_to(&path).expect("the next backup");
    let restored = restore(&path, &tmp.path().join("restored"), PASS, "tester").expect("restore");
    assert!(restored.1.integrity_ok);
}
