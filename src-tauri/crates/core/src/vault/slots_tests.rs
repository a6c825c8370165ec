use super::*;
use crate::vault::header::new_data_key;

const K: KdfParams = KdfParams::MINIMUM;

fn team(handle: &str, pass: &str) -> (TeamHeader, DataKey) {
    let key = new_data_key().expect("key");
    let (slot, _) = Slot::new(handle, pass.as_bytes(), K, false, &key).expect("slot");
    let h = TeamHeader::first(slot, &key, &SealedState::default()).expect("header");
    (h, key)
}

#[test]
fn a_member_unlocks_by_handle_whatever_its_case_and_nothing_else_does() {
    let (mut h, key) = team("LS", "correct horse battery");
    // A vault of one asks no handle: its slot opens, and the name given is what is recorded.
    let alone = h
        .unlock("Lucía", b"correct horse battery")
        .expect("one member");
    assert_eq!(
        (alone.handle.as_str(), alone.actor.as_str()),
        ("LS", "Lucía")
    );
    let (slot, _) = Slot::new("AR", b"another passphrase", K, false, &key).expect("slot");
    h.add(slot).expect("add");
    let u = h.unlock("ls", b"correct horse battery").expect("unlock");
    assert_eq!(*u.data_key, *key);
    assert_eq!((u.handle.as_str(), u.actor.as_str()), ("LS", "LS"));
    assert_eq!(u.state, SealedState::default());
    assert!(matches!(
        h.unlock("LS", b"wrong horse battery"),
        Err(Error::WrongPassphrase)
    ));
    // Someone not in the header gets the same answer as a wrong passphrase.
    assert!(matches!(
        h.unlock("MR", b"correct horse battery"),
        Err(Error::WrongPassphrase)
    ));
}

#[test]
fn each_member_opens_the_same_data_key_with_their_own_passphrase() {
    let (mut h, key) = team("AR", "coordinator passphrase");
    for i in 0..15 {
        let (slot, _) = Slot::new(
            &format!("V{i}"),
            format!("volunteer {i} pass").as_bytes(),
            K,
            true,
            &key,
        )
        .expect("slot");
        h.add(slot).expect("add");
    }
    assert_eq!(h.members.len(), 16);
    let u = h.unlock("V14", b"volunteer 14 pass").expect("unlock");
    assert_eq!(*u.data_key, *key);
    assert!(
        u.must_change,
        "a passphrase given by a coordinator is to be changed"
    );
    assert!(matches!(
        h.unlock("V14", b"volunteer 13 pass"),
        Err(Error::WrongPassphrase)
    ));
    // Handles are unique whatever their case.
    let (dup, _) = Slot::new("ar", b"another passphrase", K, false, &key).expect("slot");
    assert!(matches!(h.add(dup), Err(Error::Validation(_))));
}

#[test]
fn a_removed_member_and_an_old_header_copy_open_only_the_old_key() {
    let (mut h, old_key) = team("AR", "coordinator passphrase");
    let (slot, _) = Slot::new("LS", b"student passphrase", K, false, &old_key).expect("slot");
    h.add(slot).expect("add");
    let copy = h.clone();
    h.remove("ls").expect("remove");
    let new_key = new_data_key().expect("key");
    h.rewrap_all(&new_key).expect("rewrap");
    h.seal_state(&new_key, &SealedState::default())
        .expect("seal");
    assert_eq!(
        *h.unlock("AR", b"coordinator passphrase")
            .expect("stays")
            .data_key,
        *new_key
    );
    assert!(h.unlock("LS", b"student passphrase").is_err());
    let from_copy = copy.unlock("LS", b"student passphrase").expect("old copy");
    assert_eq!(*from_copy.data_key, *old_key);
    assert_ne!(*from_copy.data_key, *new_key);
}

#[test]
fn changing_ones_passphrase_keeps_ones_keys_and_no_one_elses_slot_changes() {
    let (mut h, key) = team("AR", "coordinator passphrase");
    let (slot, _) = Slot::new("LS", b"given by coordinator", K, true, &key).expect("slot");
    h.add(slot).expect("add");
    let before_ar = h.slot("AR").expect("AR").clone();
    let u = h.unlock("LS", b"given by coordinator").expect("unlock");
    let signing = u.keys.signing_public_hex();
    h.slot_mut("LS")
        .expect("LS")
        .change_passphrase(&u.keys, b"my own passphrase", K)
        .expect("change");
    assert!(h.unlock("LS", b"given by coordinator").is_err());
    let again = h
        .unlock("LS", b"my own passphrase")
        .expect("new passphrase");
    assert!(!again.must_change);
    assert_eq!(again.keys.signing_public_hex(), signing);
    assert_eq!(*again.data_key, *key);
    assert_eq!(h.slot("AR"), Some(&before_ar));
}

#[test]
fn edits_to_a_slot_or_the_state_break_the_unlock() {
    let (h, key) = team("AR", "coordinator passphrase");
    let mut cleared = h.clone();
    cleared.members[0].must_change = true;
    assert!(matches!(
        cleared.unlock("AR", b"coordinator passphrase"),
        Err(Error::WrongPassphrase)
    ));
    let mut renamed = h.clone();
    renamed.members[0].handle = "XX".into();
    assert!(renamed.unlock("XX", b"coordinator passphrase").is_err());
    // A box from another slot, moved in, does not open with this member's key.
    let (other, _) = Slot::new("LS", b"student passphrase", K, false, &key).expect("slot");
    let mut moved = h.clone();
    moved.members[0].key_box = other.key_box;
    assert!(matches!(
        moved.unlock("AR", b"coordinator passphrase"),
        Err(Error::HeaderDamaged("key_box"))
    ));
    let mut state = h.clone();
    state.state.replace_range(
        0..2,
        if state.state.starts_with("00") {
            "11"
        } else {
            "00"
        },
    );
    assert!(matches!(
        state.unlock("AR", b"coordinator passphrase"),
        Err(Error::HeaderDamaged("state"))
    ));
}

#[test]
fn the_state_is_sealed_by_whoever_holds_the_data_key() {
    let (mut h, key) = team("AR", "coordinator passphrase");
    let st = SealedState {
        audit_entries: 7,
        audit_head: Some("not-hex-head-marker".into()),
        ..SealedState::default()
    };
    h.seal_state(&key, &st).expect("seal");
    assert_eq!(h.open_state(&key).expect("open"), st);
    let json = serde_json::to_string(&h).expect("json");
    assert!(
        !json.contains("not-hex-head-marker"),
        "the state is not readable without the key"
    );
    let back: TeamHeader = serde_json::from_str(&json).expect("read back");
    assert_eq!(
        back.unlock("AR", b"coordinator passphrase")
            .expect("unlock")
            .state,
        st
    );
}

#[test]
fn handles_are_short_plain_and_single_line() {
    for ok in ["LS", "Ana R.", "vol-3", "María_J"] {
        assert!(valid_handle(ok), "{ok}");
    }
    for bad in ["", " LS", "LS ", "a\nb", "x".repeat(25).as_str(), "<b>"] {
        assert!(!valid_handle(bad), "{bad:?}");
    }
}
