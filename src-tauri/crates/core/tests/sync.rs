//! Several laptops, one record: replicas made from a seed, bundles exchanged by file, edits to
//! different fields merged, the same field changed on two laptops kept for review and settled
//! by a change that travels, and bundles that are damaged, cut short or foreign refused whole.

mod support;

use std::path::{Path, PathBuf};

use amparo_core::clients::{ClientFilter, ClientInput, FamilyMemberInput};
use amparo_core::codes::Relationship;
use amparo_core::search::HitKind;
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
    let status = b.sync_status().expect("status");
    assert_eq!(status.device, made.device);
    let origin = a.sync_status().expect("status").device;
    assert_eq!(
        status
            .peers
            .iter()
            .map(|p| p.device.as_str())
            .collect::<Vec<_>>(),
        [origin.as_str()],
        "the joined laptop knows the one its seed came from"
    );
    (a, b)
}

/// Two laptops whose rounds go through the folder `name` in `tmp` (a shared drive, a stick).
fn two_laptops_sharing(tmp: &Path, name: &str) -> (Vault, Vault, PathBuf) {
    let (mut a, mut b) = two_laptops(tmp);
    let folder = tmp.join(name);
    std::fs::create_dir(&folder).expect("folder");
    for v in [&mut a, &mut b] {
        v.set_sync_folder(Some(&folder)).expect("folder");
    }
    (a, b, folder)
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

/// A name settled in review is a name the list and the search find, on the laptop that
/// settled it as on the one it reached.
#[test]
fn a_name_settled_in_review_is_found_by_the_list_on_both_laptops() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let id = a.create_client(&client("Carmen")).expect("client").id;
    exchange(&mut a, &mut b, tmp.path());
    edit(&mut a, &id, |c| c.family_names = "Quintero".into());
    edit(&mut b, &id, |c| c.family_names = "Zamora".into());
    exchange(&mut a, &mut b, tmp.path());
    let clash = b.sync_clashes().expect("b").remove(0);
    b.sync_resolve(&clash.id, &Take::Remote).expect("resolve");
    exchange(&mut a, &mut b, tmp.path());
    let filter = |text: &str| ClientFilter {
        text: text.into(),
        ..ClientFilter::default()
    };
    for v in [&a, &b] {
        let found = v.list_clients(&filter("quintero"), 0, 10).expect("list");
        assert_eq!(found.total, 1, "the kept name is found");
        assert_eq!(
            v.list_clients(&filter("zamora"), 0, 10)
                .expect("list")
                .total,
            0
        );
    }
}

/// What the search box finds among the records another laptop made, changed and deleted: the
/// import indexes them once at its end, and a record deleted there leaves no word behind.
#[test]
fn the_search_finds_what_an_import_made_and_forgets_what_it_deleted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let found = |v: &Vault, words: &str| -> Vec<(HitKind, String)> {
        let results = v.search(words).expect("search");
        let mut hits: Vec<(HitKind, String)> = results
            .groups
            .into_iter()
            .flat_map(|g| g.hits)
            .map(|h| (h.kind, h.record_id))
            .collect();
        hits.sort_by(|x, y| x.1.cmp(&y.1));
        hits
    };
    let mut input = client("Xochitl");
    input.notes = "albergue Casa del Migrante".into();
    input.family = vec![FamilyMemberInput {
        given_names: "Itzel".into(),
        family_names: "Pérez".into(),
        relationship: Relationship::Child,
        ..FamilyMemberInput::default()
    }];
    let made = a.create_client(&input).expect("client");
    let gone = a.create_client(&client("Yaretzi")).expect("client").id;
    send(&a, &mut b, tmp.path());
    assert_eq!(found(&b, "xochitl"), [(HitKind::Client, made.id.clone())]);
    assert_eq!(found(&b, "itzel").len(), 1, "the family member too");
    assert_eq!(found(&b, "yaretzi"), [(HitKind::Client, gone.clone())]);

    edit(&mut a, &made.id, |c| {
        c.given_names = "Citlali".into();
        c.notes = "albergue Juventud 2000".into();
    });
    a.delete_client(&gone).expect("delete");
    send(&a, &mut b, tmp.path());
    assert_eq!(found(&b, "citlali"), [(HitKind::Client, made.id.clone())]);
    assert!(found(&b, "xochitl").is_empty(), "the old name is forgotten");
    assert!(found(&b, "migrante").is_empty(), "and the old notes");
    assert_eq!(found(&b, "juventud"), [(HitKind::Client, made.id.clone())]);
    assert!(
        found(&b, "yaretzi").is_empty(),
        "a deleted client is not found"
    );
    // What the import indexed is what the laptop's own writes would have: the same hits.
    for words in ["citlali", "itzel", "juventud", "perez"] {
        assert_eq!(found(&a, words), found(&b, words), "{words}");
    }
    assert!(
        b.full_check().expect("check").holds(),
        "the full check passes"
    );
}

/// Two laptops with one sync folder: each round brings in what the other wrote, and a bundle
/// unchanged since it was last read whole is not read again.
#[test]
fn rounds_with_a_sync_folder_read_only_the_bundles_that_changed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b, _) = two_laptops_sharing(tmp.path(), "shared");
    let id = a.create_client(&client("Dora")).expect("client").id;
    a.sync_folder_round().expect("a");
    let first = b.sync_folder_round().expect("b");
    assert_eq!((first.applied, first.unchanged), (1, 0), "{first:?}");
    assert_eq!(b.client(&id).expect("on b").given_names, "Dora");
    let again = b.sync_folder_round().expect("b again");
    assert_eq!((again.applied, again.unchanged), (0, 1), "{again:?}");
    edit(&mut a, &id, |c| c.city = "Matamoros".into());
    a.sync_folder_round().expect("a");
    let changed = b.sync_folder_round().expect("b");
    assert_eq!((changed.applied, changed.unchanged), (1, 0), "{changed:?}");
    assert_eq!(b.client(&id).expect("on b").city, "Matamoros");
    assert_eq!(a.sync_digest().expect("a"), {
        a.sync_folder_round().expect("a");
        b.sync_digest().expect("b")
    });
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
    // Never written into a vault's own folder.
    let inside = tmp.path().join("a").join("x.amparo-sync");
    assert!(matches!(a.sync_export(&inside), Err(Error::Validation(_))));
    assert!(!inside.exists());
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

#[test]
fn a_member_added_or_reset_on_one_laptop_unlocks_the_others() {
    use amparo_core::codes::Role;
    use amparo_core::members::MemberInput;
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let member = MemberInput {
        handle: "LS".into(),
        name: "Lucía".into(),
        role: Role::Volunteer,
    };
    a.add_member(&member, "given for once 123").expect("add");
    send(&a, &mut b, tmp.path());
    b.lock().expect("lock");
    let b_dir = tmp.path().join("b");
    let ls = Vault::unlock(&b_dir, "given for once 123", "LS").expect("the new member on b");
    assert!(ls.must_change_passphrase());
    ls.lock().expect("lock");
    // Choosing their own turns this laptop's database key, not the clinic's sync key.
    let fast = amparo_core::KdfChoice::Fixed(amparo_core::KdfParams::MINIMUM);
    Vault::change_passphrase(
        &b_dir,
        "LS",
        "given for once 123",
        "Lucía's own passphrase",
        fast,
    )
    .expect("own");
    let mut ls = Vault::unlock(&b_dir, "Lucía's own passphrase", "LS").expect("own");
    let gloria = ls
        .create_client(&client("Gloria"))
        .expect("LS writes on b")
        .id;
    ls.lock().expect("lock");

    // Forgotten: a coordinator resets it on the first laptop; the second takes the new slot,
    // and what LS signed there before still verifies.
    a.reset_member_passphrase("LS", "reset for once 456")
        .expect("reset");
    let mut b = Vault::unlock(&b_dir, PASS, "AR").expect("b");
    send(&a, &mut b, tmp.path());
    assert!(b.verify_audit_chain().expect("chain").holds());
    b.lock().expect("lock");
    assert!(Vault::unlock(&b_dir, "Lucía's own passphrase", "LS").is_err());
    let ls = Vault::unlock(&b_dir, "reset for once 456", "LS").expect("the reset passphrase on b");
    ls.lock().expect("lock");
    // What LS wrote on b reached a, signed and verifying there too.
    let b = Vault::unlock(&b_dir, PASS, "AR").expect("b");
    assert_eq!(send(&b, &mut a, tmp.path()).applied, 1);
    assert!(a.verify_audit_chain().expect("chain").holds());
    // Its history on a names LS as the one who made it, though AR brought it in and signed.
    let made = a.history("client", &gloria).expect("history");
    assert_eq!(made[0].actor_name.as_deref(), Some("Lucía"), "{made:?}");
    assert_eq!(made[0].signed_by.as_deref(), Some("AR"));
    b.lock().expect("lock");
}

#[test]
fn a_removed_laptop_reads_nothing_written_after_its_removal() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let seed = tmp.path().join("seed-c");
    let c_device = a.replica_seed(&seed, "Lost").expect("seed").device;
    let mut c = Vault::join_replica(&seed, &tmp.path().join("c"), PASS, "AR").expect("join");
    let before = a.create_client(&client("Hilda")).expect("client").id;
    send(&a, &mut c, tmp.path());
    assert!(c.client(&before).is_ok(), "c read what was written before");

    a.remove_replica(&c_device).expect("remove");
    let after = a.create_client(&client("Irene")).expect("client").id;
    let bundle = tmp.path().join("after.amparo-sync");
    a.sync_export(&bundle).expect("export");
    assert!(matches!(c.sync_import(&bundle), Err(Error::BundleForeign)));
    assert!(c.client(&after).is_err());
    // The laptop kept takes the new key from the same bundle, and writes under it.
    assert_eq!(b.sync_import(&bundle).expect("b").applied, 2);
    assert!(b.client(&after).is_ok());
    b.create_client(&client("Julia")).expect("client");
    let from_b = tmp.path().join("b.amparo-sync");
    b.sync_export(&from_b).expect("export");
    assert!(matches!(c.sync_import(&from_b), Err(Error::BundleForeign)));
    assert_eq!(a.sync_import(&from_b).expect("a").applied, 1);
    // And nothing more is taken from the removed one.
    c.create_client(&client("Karla")).expect("client");
    let from_c = tmp.path().join("c.amparo-sync");
    c.sync_export(&from_c).expect("export");
    assert!(matches!(a.sync_import(&from_c), Err(Error::BundleForeign)));
}

/// Two laptops that each edited every client offline (a different field on each) converge
/// after one exchange each way: nothing asked, nothing lost. `AMPARO_SYNC_CLIENTS` sets how
/// many clients (100 here; the benchmark uses 500).
#[test]
fn every_client_edited_on_both_laptops_converges_in_one_exchange() {
    let n: usize = std::env::var("AMPARO_SYNC_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let tmp = tempfile::tempdir().expect("tmp");
    let mut a = vault_in(&tmp.path().join("a"), "AR");
    let ids: Vec<String> = (0..n)
        .map(|i| {
            a.create_client(&client(&format!("Cliente {i}")))
                .expect("client")
                .id
        })
        .collect();
    let seed = tmp.path().join("seed");
    a.replica_seed(&seed, "b").expect("seed");
    let mut b = Vault::join_replica(&seed, &tmp.path().join("b"), PASS, "AR").expect("join");
    for id in &ids {
        edit(&mut a, id, |c| c.city = "Tijuana".into());
        edit(&mut b, id, |c| c.notes = "seen at the shelter".into());
    }
    let started = std::time::Instant::now();
    let path = tmp.path().join("a.amparo-sync");
    let sent = a.sync_export(&path).expect("export");
    let to_b = b.sync_import(&path).expect("import");
    let path = tmp.path().join("b.amparo-sync");
    let back = b.sync_export(&path).expect("export");
    let to_a = a.sync_import(&path).expect("import");
    eprintln!(
        "{n} clients each way: {:.1} s, {:.0} bytes per change",
        started.elapsed().as_secs_f64(),
        (sent.size_bytes + back.size_bytes) / f64::from(sent.changes + back.changes)
    );
    assert_eq!(
        (to_b.applied as usize, to_a.applied as usize),
        (n, n),
        "no change lost"
    );
    assert_eq!((to_a.to_review, to_b.to_review), (0, 0), "nothing asked");
    assert_eq!(a.sync_digest().expect("a"), b.sync_digest().expect("b"));
    for v in [&a, &b] {
        for id in &ids {
            let c = v.client(id).expect("client");
            assert_eq!(
                (c.city.as_str(), c.notes.as_str()),
                ("Tijuana", "seen at the shelter")
            );
        }
    }
}

#[test]
fn a_laptop_restored_from_a_backup_goes_on_as_a_new_one() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b) = two_laptops(tmp.path());
    let backup = tmp.path().join("b.backup");
    b.backup_to(&backup).expect("backup");
    let old = b.create_client(&client("Luz")).expect("client").id;
    send(&b, &mut a, tmp.path());
    b.lock().expect("lock");
    // The laptop is lost and its backup restored: its next change must not take a number
    // the first laptop already holds.
    let (mut restored, _) =
        amparo_core::backup::restore(&backup, &tmp.path().join("b2"), PASS, "AR").expect("restore");
    let new = restored.create_client(&client("Marta")).expect("client").id;
    assert_eq!(send(&restored, &mut a, tmp.path()).applied, 1);
    assert!(a.client(&new).is_ok());
    send(&a, &mut restored, tmp.path());
    assert!(
        restored.client(&old).is_ok(),
        "what it wrote before the loss comes back"
    );
    assert_eq!(
        a.sync_digest().expect("a"),
        restored.sync_digest().expect("b")
    );
}

mod three_laptops {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Step {
        Create(usize),
        Edit {
            on: usize,
            client: usize,
            field: usize,
            value: usize,
        },
        Delete {
            on: usize,
            client: usize,
        },
        Resolve {
            on: usize,
            pick: usize,
            local: bool,
        },
        Send {
            from: usize,
            to: usize,
        },
        Replay {
            bundle: usize,
            to: usize,
        },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            1 => (0..3usize).prop_map(Step::Create),
            6 => (0..3usize, 0..8usize, 0..4usize, 0..3usize)
                .prop_map(|(on, client, field, value)| Step::Edit { on, client, field, value }),
            1 => (0..3usize, 0..8usize).prop_map(|(on, client)| Step::Delete { on, client }),
            1 => (0..3usize, 0..4usize, any::<bool>())
                .prop_map(|(on, pick, local)| Step::Resolve { on, pick, local }),
            4 => (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Send { from, to }),
            1 => (0..32usize, 0..3usize).prop_map(|(bundle, to)| Step::Replay { bundle, to }),
        ]
    }

    fn set(input: &mut ClientInput, field: usize, value: usize) {
        match field {
            0 => input.city = ["Tijuana", "Mexicali", "Reynosa"][value].into(),
            1 => input.notes = ["bed needed", "seen at the port", "moved"][value].into(),
            2 => input.a_number = Some(["123456789", "987654321", "111222333"][value].into()),
            _ => input.given_names = ["Ana", "Bea", "Cruz"][value].into(),
        }
    }

    /// What a laptop's queue says, without the parts that are this laptop's own view.
    /// A clash's id with each version's value, laptop and time.
    type Queue = Vec<(String, Vec<(String, String, String)>)>;

    fn queue(v: &Vault) -> Queue {
        let mut q: Vec<_> = v
            .sync_clashes()
            .expect("clashes")
            .into_iter()
            .map(|c| {
                let mut vs: Vec<_> = c
                    .versions
                    .into_iter()
                    .map(|v| (v.value, v.device, v.at))
                    .collect();
                vs.sort();
                (c.id, vs)
            })
            .collect();
        q.sort();
        q
    }

    /// Three laptops of one clinic, made once: the first, and two joined from its seeds.
    /// Four clients on all three.
    fn template() -> &'static (tempfile::TempDir, Vec<String>) {
        static MADE: std::sync::OnceLock<(tempfile::TempDir, Vec<String>)> =
            std::sync::OnceLock::new();
        MADE.get_or_init(|| {
            let tmp = tempfile::tempdir().expect("tmp");
            let dir = tmp.path();
            let mut a = vault_in(&dir.join("a"), "AR");
            let clients = ["Ana", "Bea", "Cruz", "Dora"]
                .map(|n| a.create_client(&client(n)).expect("client").id)
                .to_vec();
            a.replica_seed(&dir.join("seed-b"), "b").expect("seed");
            a.replica_seed(&dir.join("seed-c"), "c").expect("seed");
            for name in ["b", "c"] {
                let seed = dir.join(format!("seed-{name}"));
                Vault::join_replica(&seed, &dir.join(name), PASS, "AR")
                    .expect("join")
                    .lock()
                    .expect("lock");
            }
            a.lock().expect("lock");
            (tmp, clients)
        })
    }

    fn run(steps: &[Step]) -> Result<(), TestCaseError> {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        let mut laptops = ["a", "b", "c"].map(|name| {
            let there = dir.join(name);
            std::fs::create_dir(&there).expect("dir");
            for file in std::fs::read_dir(template().0.path().join(name)).expect("template") {
                let file = file.expect("file").path();
                std::fs::copy(&file, there.join(file.file_name().expect("name"))).expect("copy");
            }
            Vault::unlock(&there, PASS, "AR").expect("unlock")
        });
        let mut clients: Vec<String> = template().1.clone();
        let mut bundles: Vec<PathBuf> = Vec::new();
        for s in steps {
            match s.clone() {
                Step::Create(on) => {
                    let made = laptops[on].create_client(&client("Nueva")).expect("create");
                    clients.push(made.id);
                }
                Step::Edit {
                    on,
                    client,
                    field,
                    value,
                } => {
                    let Some(id) = clients.get(client) else {
                        continue;
                    };
                    let Ok(now) = laptops[on].client(id) else {
                        continue;
                    };
                    let mut input = now.to_input();
                    set(&mut input, field, value);
                    let _ = laptops[on].update_client(id, &input);
                }
                Step::Delete { on, client } => {
                    if let Some(id) = clients.get(client) {
                        let _ = laptops[on].delete_client(id);
                    }
                }
                Step::Resolve { on, pick, local } => {
                    let queue = laptops[on].sync_clashes().expect("clashes");
                    if let Some(c) = queue.get(pick % queue.len().max(1)) {
                        let take = if local { Take::Local } else { Take::Remote };
                        laptops[on].sync_resolve(&c.id, &take).expect("resolve");
                    }
                }
                Step::Send { from, to } => {
                    let path = dir.join(format!("bundle-{}", bundles.len()));
                    laptops[from].sync_export(&path).expect("export");
                    if from != to {
                        laptops[to].sync_import(&path).expect("import");
                    }
                    bundles.push(path);
                }
                Step::Replay { bundle, to } => {
                    if let Some(path) = bundles.get(bundle) {
                        laptops[to].sync_import(path).expect("replay");
                    }
                }
            }
        }
        // Every laptop hears from every other, a few times over.
        for _ in 0..3 {
            for from in 0..3 {
                for to in 0..3 {
                    if from != to {
                        let path = dir.join("final");
                        laptops[from].sync_export(&path).expect("export");
                        laptops[to].sync_import(&path).expect("import");
                    }
                }
            }
        }
        let made: f64 = laptops
            .iter()
            .map(|v| v.sync_status().expect("s").made_here)
            .sum();
        let digest = laptops[0].sync_digest().expect("digest");
        let queue0 = queue(&laptops[0]);
        for v in &laptops {
            let status = v.sync_status().expect("status");
            prop_assert_eq!(status.held, made, "every change held everywhere");
            prop_assert_eq!(v.sync_digest().expect("digest"), digest.clone());
            prop_assert_eq!(queue(v), queue0.clone());
            prop_assert!(v.verify_audit_chain().expect("chain").holds());
        }
        for id in &clients {
            let seen: Vec<_> = laptops
                .iter()
                .map(|v| v.client(id).ok().map(|c| c.to_input()))
                .collect();
            let same = seen
                .windows(2)
                .all(|w| format!("{:?}", w[0]) == format!("{:?}", w[1]));
            prop_assert!(same, "client {} differs between laptops", id);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 64, ..ProptestConfig::default() })]

        #[test]
        fn three_laptops_end_with_the_same_records_whatever_the_order(steps in prop::collection::vec(step(), 1..40)) {
            run(&steps)?;
        }
    }
}

/// Locking sends the session's changes to the sync folder and reads nothing from it (the
/// other laptops' bundles wait for the next round, so a lock never waits on them); when the
/// folder is gone, the vault locks all the same, the report says why, and the changes leave
/// with the next round.
#[test]
fn locking_sends_the_sessions_changes_or_says_why_not() {
    use amparo_core::error::ErrorCode;
    use amparo_core::session::Session;

    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut b, folder) = two_laptops_sharing(tmp.path(), "stick");
    // B's bundle is in the folder before A locks; A's lock does not take it in.
    let carla = b.create_client(&client("Carla")).expect("client").id;
    b.sync_folder_round().expect("b writes its bundle");
    let dora = a.create_client(&client("Dora")).expect("client").id;
    let mut session = Session::default();
    session.open(a).expect("hold a");
    let sent = session.lock_after_sending().expect("lock a");
    assert!(sent.send_failed.is_none(), "{sent:?}");
    assert!(sent.sent.expect("a bundle written") >= 1, "{sent:?}");
    assert!(matches!(session.vault(), Err(Error::Locked)));
    let mut a = Vault::unlock(&tmp.path().join("a"), PASS, "AR").expect("unlock a");
    assert!(
        matches!(a.client(&carla), Err(Error::NotFound)),
        "the lock read B's bundle"
    );
    assert_eq!(a.sync_folder_round().expect("a's next round").applied, 1);
    assert_eq!(a.client(&carla).expect("on a").given_names, "Carla");
    b.sync_folder_round().expect("b");
    assert_eq!(b.client(&dora).expect("on b").given_names, "Dora");

    // The stick is taken out before b locks.
    let elena = b.create_client(&client("Elena")).expect("client").id;
    std::fs::remove_dir_all(&folder).expect("pull the stick");
    session.open(b).expect("hold b");
    let failed = session.lock_after_sending().expect("lock b");
    assert!(failed.sent.is_none(), "{failed:?}");
    assert_eq!(failed.send_failed, Some(ErrorCode::Io), "{failed:?}");
    assert!(matches!(session.vault(), Err(Error::Locked)));

    // Back in: the next session's round takes Elena to the folder, and a brings her in.
    std::fs::create_dir(&folder).expect("stick back");
    let mut b = Vault::unlock(&tmp.path().join("b"), PASS, "AR").expect("unlock b");
    assert!(b.sync_folder_round().expect("b").written >= 1);
    a.sync_folder_round().expect("a");
    assert_eq!(a.client(&elena).expect("on a").given_names, "Elena");

    // No folder set: locking sends nothing and reports nothing.
    a.set_sync_folder(None).expect("no folder");
    session.open(a).expect("hold a");
    let none = session.lock_after_sending().expect("lock a");
    assert!(
        none.sent.is_none() && none.send_failed.is_none(),
        "{none:?}"
    );
}

/// A lock stops a round under way: the bundle being applied is rolled back whole (its error
/// says `stopped`), the lock goes on, and the next round applies all of it.
#[test]
fn a_round_stopped_by_a_lock_keeps_nothing_of_the_bundle_and_the_next_one_takes_it_all() {
    use amparo_core::error::ErrorCode;
    use amparo_core::session::Session;

    let tmp = tempfile::tempdir().expect("tmp");
    let (a, mut b, _) = two_laptops_sharing(tmp.path(), "stick");
    let ids: Vec<String> = (0..20)
        .map(|i| {
            b.create_client(&client(&format!("Ana {i}")))
                .expect("client")
                .id
        })
        .collect();
    b.sync_folder_round().expect("b writes its bundle");

    let mut session = Session::default();
    let stop = session.stop_handle();
    session.open(a).expect("hold a");
    // The lock's stop comes while the round runs (here: just before it starts).
    stop.stop();
    let stopped = session.vault().expect("open").sync_folder_round();
    assert_eq!(
        stopped.map(drop).map_err(|e| e.kind()),
        Err(ErrorCode::Stopped)
    );
    session.lock_after_sending().expect("the lock goes on");
    assert!(matches!(session.vault(), Err(Error::Locked)));

    let mut a = Vault::unlock(&tmp.path().join("a"), PASS, "AR").expect("unlock a");
    for id in &ids {
        assert!(
            matches!(a.client(id), Err(Error::NotFound)),
            "half a bundle kept"
        );
    }
    assert_eq!(a.sync_folder_round().expect("next round").applied, 20);
    assert_eq!(a.client(&ids[19]).expect("on a").given_names, "Ana 19");
    // A stop with no vault open, or after the lock, reaches nothing.
    stop.stop();
}

/// A recovery code replaced on one laptop opens nothing on the other once it has synced, and
/// the new code opens both.
#[test]
fn a_replaced_recovery_code_travels() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut a = vault_in(&dir.join("a"), "AR");
    let old = a.take_recovery_code().expect("made with the vault");
    let seed = dir.join("seed.amparo");
    a.replica_seed(&seed, "Shelter").expect("seed");
    let mut b = Vault::join_replica(&seed, &dir.join("b"), PASS, "AR").expect("join");
    let new = a.replace_recovery_code().expect("replaced on A");
    exchange(&mut a, &mut b, dir);
    a.lock().expect("lock a");
    b.lock().expect("lock b");
    for laptop in ["a", "b"] {
        assert!(
            matches!(
                Vault::unlock(&dir.join(laptop), &old, "recovery"),
                Err(Error::WrongPassphrase)
            ),
            "the old code still opens {laptop}"
        );
        Vault::unlock(&dir.join(laptop), &new, "recovery")
            .unwrap_or_else(|e| panic!("the new code on {laptop}: {e:?}"))
            .lock()
            .expect("lock");
    }
}
