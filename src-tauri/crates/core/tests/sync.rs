//! Several laptops, one record: replicas made from a seed, bundles exchanged by file, edits to
//! different fields merged, the same field changed on two laptops kept for review and settled
//! by a change that travels, and bundles that are damaged, cut short or foreign refused whole.

mod support;

use std::path::{Path, PathBuf};

use amparo_core::clients::ClientInput;
use amparo_core::sync::Take;
use amparo_core::{Error, Vault};
use support::{PASS, vault_in};

fn client(name: &str) -> ClientInput {
    ClientInput {
        given_names: name.into(),
        family_names: "Pérez".into(),
        ..ClientInput::default()
    }
}

fn edit(v: &mut Vault, id: &str, change: impl FnOnce(&mut ClientInput)) {
    let mut input = v.client(id).expect("client").to_input();
    change(&mut input);
    v.update_client(id, &input).expect("update");
}

/// Two laptops: the first one's vault, and a second joined from its seed.
fn two_laptops(tmp: &Path) -> (Vault, Vault) {
    let mut a = vault_in(&tmp.join("a"), "AR");
    let seed = tmp.join("seed.amparo");
    let made = a.replica_seed(&seed, "Shelter").expect("seed");
    assert_ne!(made.device, a.sync_status().expect("status").device);
    let b = Vault::join_replica(&seed, &tmp.join("b"), PASS, "AR").expect("join");
    assert_eq!(b.sync_status().expect("status").device, made.device);
    (a, b)
}

fn send(from: &Vault, to: &mut Vault, dir: &Path) -> amparo_core::sync::ImportReport {
    let path = dir.join(format!(
        "{}.amparo-sync",
        from.sync_status().expect("status").device
    ));
    from.sync_export(&path).expect("export");
    to.sync_import(&path).expect("import")
}

fn exchange(a: &mut Vault, b: &mut Vault, dir: &Path) {
    send(a, b, dir);
    send(b, a, dir);
}

#[test]
fn edits_to_different_fields_merge_and_the_same_field_waits_for_review() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let id = a.create_client(&client("Ana")).expect("client").id;
    let got = send(&a, &mut b, tmp.path());
    assert_eq!((got.applied, got.to_review), (1, 0));
    assert_eq!(b.client(&id).expect("on b").given_names, "Ana");

    // Different fields of one record, offline on each laptop: both kept, nothing asked.
    edit(&mut a, &id, |c| c.city = "Tijuana".into());
    edit(&mut b, &id, |c| c.notes = "Needs a shelter bed".into());
    exchange(&mut a, &mut b, tmp.path());
    for v in [&a, &b] {
        let c = v.client(&id).expect("client");
        assert_eq!(
            (c.city.as_str(), c.notes.as_str()),
            ("Tijuana", "Needs a shelter bed")
        );
        assert!(v.sync_clashes().expect("clashes").is_empty());
    }
    assert_eq!(a.sync_digest().expect("a"), b.sync_digest().expect("b"));

    // The same field on both: both values kept, the record waits for review on both laptops.
    edit(&mut a, &id, |c| c.city = "Mexicali".into());
    edit(&mut b, &id, |c| c.city = "Reynosa".into());
    exchange(&mut a, &mut b, tmp.path());
    let on_a = a.sync_clashes().expect("a");
    let on_b = b.sync_clashes().expect("b");
    assert_eq!(on_a.len(), 1);
    assert_eq!(on_a[0].id, on_b[0].id);
    assert_eq!(
        (on_a[0].kind.as_str(), on_a[0].field.as_str()),
        ("client", "city")
    );
    let mut values: Vec<&str> = on_a[0].versions.iter().map(|v| v.value.as_str()).collect();
    values.sort();
    assert_eq!(values, ["\"Mexicali\"", "\"Reynosa\""]);
    assert_eq!(a.sync_digest().expect("a"), b.sync_digest().expect("b"));
    assert_eq!(
        a.client(&id).expect("a").city,
        b.client(&id).expect("b").city,
        "both laptops show the same version while it waits"
    );

    // Settled on one laptop; the settling travels.
    b.sync_resolve(&on_b[0].id, &Take::Local).expect("resolve");
    assert!(b.sync_clashes().expect("b").is_empty());
    exchange(&mut a, &mut b, tmp.path());
    for v in [&a, &b] {
        assert_eq!(v.client(&id).expect("client").city, "Reynosa");
        assert!(v.sync_clashes().expect("clashes").is_empty());
        assert!(v.verify_audit_chain().expect("chain").holds());
    }
    assert_eq!(a.sync_digest().expect("a"), b.sync_digest().expect("b"));

    // Each laptop's history shows the other's changes, as its maker's.
    let device_a = a.sync_status().expect("status").device;
    let history = b.history("client", &id).expect("history");
    assert!(
        history.iter().any(|e| e.actor == format!("AR@{device_a}")),
        "{history:?}"
    );

    // Importing a bundle again changes nothing.
    let before = b.sync_digest().expect("b");
    let again = send(&a, &mut b, tmp.path());
    assert_eq!(again.applied, 0);
    assert_eq!(b.sync_digest().expect("b"), before);
}

#[test]
fn a_record_deleted_on_one_laptop_and_edited_on_another_waits_for_review() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let id = a.create_client(&client("Berta")).expect("client").id;
    exchange(&mut a, &mut b, tmp.path());
    a.delete_client(&id).expect("delete");
    edit(&mut b, &id, |c| c.notes = "Seen at the port".into());
    exchange(&mut a, &mut b, tmp.path());
    let clashes = a.sync_clashes().expect("clashes");
    assert_eq!(clashes.len(), 1, "{clashes:?}");
    assert_eq!(clashes[0].field, "deleted");
    assert_eq!(
        b.sync_clashes().expect("b"),
        clashes
            .iter()
            .map(|c| {
                let mut c = c.clone();
                for v in &mut c.versions {
                    v.here = !v.here;
                }
                c
            })
            .collect::<Vec<_>>()
    );
    // Kept: the edit wins the review, the record is back on both laptops.
    b.sync_resolve(&clashes[0].id, &Take::Local)
        .expect("resolve");
    exchange(&mut a, &mut b, tmp.path());
    for v in [&a, &b] {
        let c = v.client(&id).expect("kept");
        assert_eq!(c.notes, "Seen at the port");
        assert!(v.sync_clashes().expect("clashes").is_empty());
    }
    assert_eq!(a.sync_digest().expect("a"), b.sync_digest().expect("b"));
}

fn flipped(path: &Path, at: usize) -> PathBuf {
    let mut bytes = std::fs::read(path).expect("read");
    let i = at.min(bytes.len() - 1);
    bytes[i] ^= 0x40;
    let out = path.with_extension("flipped");
    std::fs::write(&out, bytes).expect("write");
    out
}

#[test]
fn damaged_cut_short_and_foreign_bundles_are_refused_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    for name in ["Carla", "Dora", "Elena"] {
        a.create_client(&client(name)).expect("client");
    }
    let bundle = tmp.path().join("a.amparo-sync");
    a.sync_export(&bundle).expect("export");
    let len = std::fs::metadata(&bundle).expect("meta").len() as usize;
    let before = b.sync_digest().expect("b");
    for at in [3, 20, len / 2, len - 1] {
        let bad = flipped(&bundle, at);
        let got = b.sync_import(&bad);
        assert!(
            matches!(got, Err(Error::BundleInvalid | Error::BundleForeign)),
            "byte {at}: {got:?}"
        );
    }
    let bytes = std::fs::read(&bundle).expect("read");
    for cut in [0, 10, len / 3, len - 1] {
        let got = b.sync_import_bytes(&bytes[..cut]);
        assert!(
            matches!(got, Err(Error::BundleInvalid)),
            "cut at {cut}: {got:?}"
        );
    }
    assert_eq!(b.sync_digest().expect("b"), before, "nothing applied");

    // Another clinic's vault, with the same passphrase: its key is not this vault's.
    let mut other = vault_in(&tmp.path().join("other"), "AR");
    other.create_client(&client("Fabiola")).expect("client");
    other
        .replica_seed(&tmp.path().join("other-seed"), "x")
        .expect("seed");
    let foreign = tmp.path().join("other.amparo-sync");
    other.sync_export(&foreign).expect("export");
    assert!(matches!(b.sync_import(&foreign), Err(Error::BundleForeign)));
    assert_eq!(b.sync_digest().expect("b"), before);

    // The whole bundle still goes in afterwards.
    assert_eq!(b.sync_import(&bundle).expect("import").applied, 3);
}
