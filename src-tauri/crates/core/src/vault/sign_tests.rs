//! The signed history: every entry a member's session writes carries their signature; an
//! entry written with the data key alone (a colleague who extracted it, a script) fails the
//! check, whether it names another member or no one, and so does an entry relabelled.

use super::*;
use crate::clients::ClientInput;
use crate::codes::Role;
use crate::members::MemberInput;

const COORD: &str = "coordinator passphrase";
const VOL: &str = "volunteer passphrase";

fn fast() -> KdfChoice {
    KdfChoice::Fixed(KdfParams::MINIMUM)
}

fn client(name: &str) -> ClientInput {
    ClientInput {
        given_names: name.to_owned(),
        family_names: "Pérez".to_owned(),
        ..ClientInput::default()
    }
}

/// A team of two (AR coordinator, LS volunteer with their own passphrase), a client each.
fn team(dir: &Path) {
    let mut v = Vault::create(dir, COORD, fast(), "AR").expect("create");
    let member = MemberInput {
        handle: "LS".into(),
        name: "Luisa Sánchez".into(),
        role: Role::Volunteer,
    };
    v.add_member(&member, "given for once 123").expect("add");
    v.create_client(&client("Ana")).expect("client");
    v.lock().expect("lock");
    Vault::change_passphrase(dir, "LS", "given for once 123", VOL, fast()).expect("own");
    let mut ls = Vault::unlock(dir, VOL, "LS").expect("unlock");
    ls.create_client(&client("Eva")).expect("client");
    ls.lock().expect("lock");
}

#[test]
fn every_entry_is_signed_by_the_member_whose_session_wrote_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    team(tmp.path());
    let v = Vault::unlock(tmp.path(), COORD, "AR").expect("unlock");
    let unsigned: u32 = v
        .conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE signature IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(unsigned, 0, "every entry signed");
    let signers: Vec<String> = v
        .conn
        .prepare("SELECT DISTINCT signer FROM audit_log ORDER BY signer")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("signers");
    assert_eq!(signers, ["AR", "LS"]);
    let report = v.full_check().expect("check");
    assert!(report.holds(), "{report:?}");
}

#[test]
fn an_entry_forged_with_the_data_key_fails_the_check() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    team(dir);
    let entries_before = {
        let v = Vault::unlock(dir, VOL, "LS").expect("unlock");
        v.verify_audit_chain().expect("chain").entries
    };
    // LS holds the data key (every slot opens it) and writes with it alone, in AR's name: the
    // chain's MAC is right (the audit key comes from the data key), the signature cannot be.
    let key = OnDisk::read(dir)
        .expect("header")
        .open("LS", VOL.as_bytes())
        .expect("open")
        .data_key;
    {
        let mut forger = Vault::open_with_key(dir, key.clone(), "AR").expect("open by key");
        forger.role = Role::Coordinator;
        forger.create_client(&client("Mallory")).expect("written");
        forger.lock().expect("lock");
    }
    let v = Vault::unlock(dir, COORD, "AR").expect("unlock");
    let report = v.verify_audit_chain().expect("chain");
    assert_eq!(report.first_bad_seq, Some(entries_before + 1), "{report:?}");
    assert!(
        report.bad_signature,
        "the chain holds, the signature does not"
    );
    v.lock().expect("lock");

    // Relabelled: an entry LS signed, said to be AR's (the signer is outside the MAC; the
    // signature covers it).
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    team(dir);
    let v = Vault::unlock(dir, COORD, "AR").expect("unlock");
    let seq: u32 = v
        .conn
        .query_row(
            "SELECT max(seq) FROM audit_log WHERE signer = 'LS'",
            [],
            |r| r.get(0),
        )
        .expect("LS's last entry");
    v.conn
        .execute("UPDATE audit_log SET signer = 'AR' WHERE seq = ?1", [seq])
        .expect("relabel");
    let report = v.verify_audit_chain().expect("chain");
    assert_eq!(
        (report.first_bad_seq, report.bad_signature),
        (Some(seq), true)
    );
}

#[test]
fn history_written_before_signing_still_verifies_and_signing_takes_over() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut v = Vault::create(dir, COORD, fast(), "AR").expect("create");
    v.create_client(&client("Ana")).expect("client");
    // As a release before signing left it: no signatures.
    v.conn
        .execute("UPDATE audit_log SET signer = NULL, signature = NULL", [])
        .expect("unsign");
    assert!(v.verify_audit_chain().expect("chain").holds());
    v.create_client(&client("Eva")).expect("client");
    assert!(v.verify_audit_chain().expect("chain").holds());
    // Once signing began, an unsigned entry after it is refused.
    let last: u32 = v
        .conn
        .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
        .expect("seq");
    v.create_client(&client("Flor")).expect("client");
    v.conn
        .execute(
            "UPDATE audit_log SET signer = NULL, signature = NULL WHERE seq > ?1",
            [last],
        )
        .expect("strip the newest");
    let report = v.verify_audit_chain().expect("chain");
    assert_eq!(report.first_bad_seq, Some(last + 1));
}

#[test]
fn a_reset_passphrase_retires_the_old_signing_key_for_what_comes_after() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    team(dir);
    // What LS's old passphrase opens, kept by someone who learned it.
    let old = OnDisk::read(dir)
        .expect("header")
        .open("LS", VOL.as_bytes())
        .expect("open");
    let old_signing = old.keys.as_ref().expect("keys").signing.clone();

    let mut v = Vault::unlock(dir, COORD, "AR").expect("unlock");
    let reset = v
        .reset_member_passphrase("ls", "another one for once")
        .expect("reset");
    assert_eq!(reset.handle, "LS");
    assert!(matches!(
        v.reset_member_passphrase("AR", "another one for once"),
        Err(Error::Validation(_))
    ));
    v.lock().expect("lock");
    // The old passphrase opens nothing; the new one once, to choose another.
    assert!(matches!(
        Vault::unlock(dir, VOL, "LS"),
        Err(Error::WrongPassphrase)
    ));
    let once = Vault::unlock(dir, "another one for once", "LS").expect("once");
    assert!(once.must_change_passphrase());
    once.lock().expect("lock");
    Vault::change_passphrase(
        dir,
        "LS",
        "another one for once",
        "luisa again 2026",
        fast(),
    )
    .expect("own");
    let mut ls = Vault::unlock(dir, "luisa again 2026", "LS").expect("unlock");
    ls.create_client(&client("Flor")).expect("client");
    // LS's entries before the reset (old key) and after (new key) both verify.
    let report = ls.full_check().expect("check");
    assert!(report.holds(), "{report:?}");
    let entries = ls.verify_audit_chain().expect("chain").entries;
    ls.lock().expect("lock");

    // The retired key signs nothing after the reset, even with the data key in hand.
    let key = OnDisk::read(dir)
        .expect("header")
        .open("AR", COORD.as_bytes())
        .expect("open")
        .data_key;
    {
        let mut forger = Vault::open_with_key(dir, key, "LS").expect("open by key");
        forger.role = Role::Volunteer;
        forger.signer = Some(crate::audit::EntrySigner::new("LS", &old_signing));
        forger.create_client(&client("Mallory")).expect("written");
        forger.lock().expect("lock");
    }
    let v = Vault::unlock(dir, COORD, "AR").expect("unlock");
    let report = v.verify_audit_chain().expect("chain");
    assert_eq!(
        (report.first_bad_seq, report.bad_signature),
        (Some(entries + 1), true)
    );
}
