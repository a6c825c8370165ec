//! Key rotation: an old header no longer opens the database, the history verifies across the
//! rotation, and a rotation killed after any step leaves a vault that opens.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

use super::rotate::{DB_REKEY_FILE, HEADER_REKEY_FILE, RotateStep};
use super::stop::StopHandle;
use super::*;
use crate::clients::ClientInput;

const PASS: &str = "correct horse battery";
const NEW: &str = "a brand new passphrase";

fn fast() -> KdfChoice {
    KdfChoice::Fixed(KdfParams::MINIMUM)
}

/// A locked vault with two clients; returns the first one's id.
fn vault_with_clients(dir: &Path) -> String {
    let mut v = Vault::create(dir, PASS, fast(), "tester").expect("create");
    let mut first = None;
    for name in ["Ana", "Eva"] {
        let id = v
            .create_client(&ClientInput {
                given_names: name.to_owned(),
                family_names: "Pérez".to_owned(),
                ..ClientInput::default()
            })
            .expect("client")
            .id;
        first.get_or_insert(id);
    }
    v.lock().expect("lock");
    first.expect("id")
}

#[test]
fn an_old_header_and_its_passphrase_no_longer_open_the_database() {
    let tmp = tempfile::tempdir().expect("tmp");
    let id = vault_with_clients(tmp.path());
    let old_header = fs::read(tmp.path().join(HEADER_FILE)).expect("kept by the attacker");
    let entries_before = {
        let v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
        v.audit_head().expect("head").expect("some").seq
    };
    let reached = AtomicU8::new(0);
    Vault::rotate_key(tmp.path(), "tester", PASS, NEW, fast(), &|p| {
        reached.fetch_max(p, Ordering::SeqCst);
    })
    .expect("rotate");
    assert_eq!(
        reached.load(Ordering::SeqCst),
        100,
        "progress reaches the end"
    );
    assert!(!tmp.path().join(DB_REKEY_FILE).exists());
    assert!(!tmp.path().join(HEADER_REKEY_FILE).exists());

    // The old key, unwrapped from the old header with the old passphrase, opens nothing.
    let old_copy = tempfile::tempdir().expect("copy");
    fs::write(old_copy.path().join(HEADER_FILE), &old_header).expect("copy");
    let old_key = super::test_open(old_copy.path(), PASS).data_key;
    assert!(matches!(
        crate::db::open_keyed(tmp.path(), &old_key, false),
        Err(Error::VaultDamaged)
    ));
    let new_header = fs::read(tmp.path().join(HEADER_FILE)).expect("new");
    fs::write(tmp.path().join(HEADER_FILE), &old_header).expect("put the old header back");
    assert!(Vault::unlock(tmp.path(), PASS, "t").is_err());
    fs::write(tmp.path().join(HEADER_FILE), new_header).expect("put the new one back");

    // The new passphrase opens it, with every record, and the history verifies across the
    // rotation: the old entries under the old audit key, the rest under the new one.
    let mut v = Vault::unlock(tmp.path(), NEW, "t").expect("new passphrase");
    assert_eq!(v.client(&id).expect("kept").given_names, "Ana");
    let report = v.full_check().expect("check");
    assert!(report.holds(), "{report:?}");
    let chain = report.chain.expect("chain");
    assert_eq!(chain.entries, entries_before + 1);
    assert_eq!(
        v.history("vault", "key").expect("history")[0].action,
        "rotate"
    );
    v.create_client(&ClientInput {
        given_names: "Rosa".into(),
        family_names: "Lima".into(),
        ..ClientInput::default()
    })
    .expect("writes after the rotation");
    assert!(v.full_check().expect("check").holds());
}

#[test]
fn rotating_with_the_same_passphrase_still_changes_the_key() {
    let tmp = tempfile::tempdir().expect("tmp");
    vault_with_clients(tmp.path());
    let before = super::test_open(tmp.path(), PASS).data_key;
    Vault::rotate_key(tmp.path(), "tester", PASS, PASS, fast(), &|_| {}).expect("rotate");
    let after = super::test_open(tmp.path(), PASS).data_key;
    assert_ne!(*before, *after);
    assert!(
        Vault::unlock(tmp.path(), PASS, "t")
            .expect("same passphrase")
            .full_check()
            .expect("c")
            .holds()
    );
}

#[test]
fn a_vault_open_elsewhere_is_not_rotated() {
    let tmp = tempfile::tempdir().expect("tmp");
    vault_with_clients(tmp.path());
    let open = Vault::unlock(tmp.path(), PASS, "app").expect("open in another window");
    assert!(matches!(
        Vault::rotate_key(tmp.path(), "tester", PASS, NEW, fast(), &|_| {}),
        Err(Error::VaultInUse)
    ));
    open.lock().expect("lock");
    Vault::unlock(tmp.path(), PASS, "t").expect("untouched");
}

/// Unlocks with whichever passphrase opens; asserts the records and history are whole.
fn opens_whole(dir: &Path, pass: &str, id: &str) -> bool {
    match Vault::unlock(dir, pass, "t") {
        Ok(v) => {
            assert_eq!(v.client(id).expect("kept").given_names, "Ana");
            assert!(v.full_check().expect("check").holds());
            assert!(!dir.join(DB_REKEY_FILE).exists() && !dir.join(HEADER_REKEY_FILE).exists());
            v.lock().expect("lock");
            true
        }
        Err(Error::WrongPassphrase) => false,
        Err(e) => panic!("{pass}: {e:?}"),
    }
}

#[test]
fn a_rotation_killed_after_any_step_opens_with_the_old_or_the_new_passphrase() {
    // (step, which passphrase is tried first, which ones open)
    let cases = [
        (RotateStep::Exported, PASS, [true, false]),
        (RotateStep::Exported, NEW, [true, false]),
        // The copy and its header are whole: the new passphrase finishes the rotation; the old
        // one, tried first, discards it (the database is still the old one).
        (RotateStep::HeaderWritten, NEW, [false, true]),
        (RotateStep::HeaderWritten, PASS, [true, false]),
        (RotateStep::DatabaseSwapped, PASS, [false, true]),
        (RotateStep::DatabaseSwapped, NEW, [false, true]),
    ];
    for (step, first, [old_opens, new_opens]) in cases {
        let tmp = tempfile::tempdir().expect("tmp");
        let id = vault_with_clients(tmp.path());
        let turn = super::rotate::Turn {
            handle: "tester",
            old: PASS,
            new: NEW,
            kdf: fast(),
            removing: None,
            stop: None,
        };
        let killed = Vault::rotate_steps(tmp.path(), &turn, &|_| {}, Some(step));
        assert!(killed.is_err());
        let second = if first == PASS { NEW } else { PASS };
        let a = opens_whole(tmp.path(), first, &id);
        let b = opens_whole(tmp.path(), second, &id);
        let (old, new) = if first == PASS { (a, b) } else { (b, a) };
        assert!(old || new, "{step:?}: neither passphrase opens");
        assert_eq!(
            [old, new],
            [old_opens, new_opens],
            "{step:?}, {first} first"
        );
    }
}

#[test]
fn the_app_carries_on_under_the_new_key_without_unlocking_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let id = vault_with_clients(tmp.path());
    Vault::check_passphrase(tmp.path(), "tester", PASS).expect("right");
    assert!(matches!(
        Vault::check_passphrase(tmp.path(), "tester", "not it at all"),
        Err(Error::WrongPassphrase)
    ));
    let mut v = Vault::rotate_and_open(tmp.path(), PASS, NEW, fast(), "Ana", &|_| {}, None)
        .expect("rotated");
    assert_eq!(v.client(&id).expect("kept").given_names, "Ana");
    v.create_client(&ClientInput {
        given_names: "Rosa".into(),
        family_names: "Lima".into(),
        ..ClientInput::default()
    })
    .expect("writes");
    v.lock().expect("lock");
    let v = Vault::unlock(tmp.path(), NEW, "t").expect("unlock");
    assert_eq!(
        v.writes(),
        seal::Writes::Open,
        "the seal follows the new key"
    );
    assert!(v.full_check().expect("check").holds());
}

#[test]
fn a_rotation_stopped_by_a_lock_keeps_the_old_key_and_leaves_no_copy() {
    use crate::codes::AttachmentOwner;
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    let tmp = tempfile::tempdir().expect("tmp");
    let id = vault_with_clients(tmp.path());
    {
        // Scans enough for the copy to take a while.
        let mut v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
        let scan = vec![0x5a_u8; 2 << 20];
        for i in 0..10 {
            v.attach(
                AttachmentOwner::Client,
                &id,
                &format!("scan-{i}.jpg"),
                &scan,
            )
            .expect("attach");
        }
        v.lock().expect("lock");
    }
    let stop = StopHandle::default();
    let ended = AtomicBool::new(false);
    // The lock, said again every 2 ms until the rotation lets go, as the app says it.
    let turned = std::thread::scope(|s| {
        s.spawn(|| {
            while !ended.load(Ordering::SeqCst) {
                stop.stop();
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let turned =
            Vault::rotate_and_open(tmp.path(), PASS, NEW, fast(), "t", &|_| {}, Some(&stop));
        ended.store(true, Ordering::SeqCst);
        turned.map(drop)
    });
    assert!(matches!(turned, Err(Error::Stopped)), "{turned:?}");
    assert!(
        !tmp.path().join(DB_REKEY_FILE).exists(),
        "the copy is removed"
    );
    assert!(!tmp.path().join(HEADER_REKEY_FILE).exists());
    assert!(matches!(
        Vault::unlock(tmp.path(), NEW, "t"),
        Err(Error::WrongPassphrase)
    ));
    let v = Vault::unlock(tmp.path(), PASS, "t").expect("the old passphrase opens it");
    assert_eq!(v.client(&id).expect("kept").given_names, "Ana");
    let files = v
        .attachments_for(AttachmentOwner::Client, &id)
        .expect("files");
    assert_eq!(files.len(), 10);
    v.lock().expect("lock");

    // The same handle, not stopped, lets the next rotation through.
    let v = Vault::rotate_and_open(tmp.path(), PASS, NEW, fast(), "t", &|_| {}, Some(&stop))
        .expect("rotated");
    v.lock().expect("lock");
    Vault::unlock(tmp.path(), NEW, "t").expect("the new passphrase opens it");
}
