//! Damage anywhere in the file: a flipped byte in any page, a truncated file, a header from
//! somewhere else. Unlocking either refuses with "damaged" or opens and the full check finds
//! the damage; never a panic, never "wrong passphrase"; a damaged vault takes no writes and
//! its file is left exactly as it was found.

mod support;

use std::fs;
use std::path::Path;

use amparo_core::clients::ClientInput;
use amparo_core::{Error, KdfChoice, KdfParams, Vault};

use support::PASS;
const PAGE: usize = 4096;

fn client(n: u32) -> ClientInput {
    ClientInput {
        given_names: format!("Marisela{n}"),
        family_names: "Quintanilla".into(),
        notes: "nota de seguimiento en el albergue ".repeat(20),
        ..Default::default()
    }
}

/// A closed vault of a few hundred pages.
fn filled_vault(dir: &Path) -> Vec<u8> {
    let mut v =
        Vault::create(dir, PASS, KdfChoice::Fixed(KdfParams::MINIMUM), "Ana").expect("create");
    for n in 0..150 {
        v.create_client(&client(n)).expect("client");
    }
    v.lock().expect("lock");
    fs::read(dir.join("vault.db")).expect("read")
}

enum Found {
    AtUnlock,
    ByTheCheck,
}

/// Unlocks the damaged vault and says where the damage was caught; panics on any other
/// outcome (a wrong-passphrase error, a clean check, a write that went through).
fn catch(dir: &Path, what: &str) -> Found {
    let db = dir.join("vault.db");
    let before = fs::read(&db).expect("read");
    let found = match Vault::unlock(dir, PASS, "t") {
        Err(Error::VaultDamaged) => Found::AtUnlock,
        Err(other) => panic!("{what}: unlock said {other:?}, not damaged"),
        Ok(mut v) => {
            let report = v.full_check().expect("the check itself runs");
            assert!(report.damaged(), "{what}: the check missed it: {report:?}");
            assert!(
                matches!(v.create_client(&client(999)), Err(Error::VaultDamaged)),
                "{what}: a write went through"
            );
            v.lock().expect("lock");
            Found::ByTheCheck
        }
    };
    assert!(
        fs::read(&db).expect("read") == before,
        "{what}: the file was changed"
    );
    found
}

#[test]
fn a_flipped_byte_in_any_page_is_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let good = filled_vault(tmp.path());
    let pages = good.len() / PAGE;
    assert!(pages > 60, "{pages} pages");
    let (mut at_unlock, mut by_check) = (0, 0);
    for page in 0..pages {
        // A byte in the page's body (page 0's first 16 bytes are the salt).
        let at = page * PAGE + 100 + (page * 37) % 3000;
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        fs::write(tmp.path().join("vault.db"), &bad).expect("write");
        match catch(tmp.path(), &format!("page {page}")) {
            Found::AtUnlock => at_unlock += 1,
            Found::ByTheCheck => by_check += 1,
        }
    }
    eprintln!("{pages} pages: {at_unlock} caught at unlock, {by_check} by the full check");
    // Most pages are not read at unlock: the full check is what finds them.
    assert!(by_check > pages / 2);

    // The undamaged file put back checks clean, but the header remembers the damage: no
    // writes until someone accepts it, by name, in the history.
    fs::write(tmp.path().join("vault.db"), &good).expect("write");
    let mut v = Vault::unlock(tmp.path(), PASS, "t").expect("unlock");
    assert!(v.full_check().expect("check").holds());
    assert!(matches!(
        v.create_client(&client(1000)),
        Err(Error::VaultDamaged)
    ));
    v.accept_closed_writes("the clinic's copy of the file was put back")
        .expect("accept");
    v.create_client(&client(1000)).expect("write");
}

#[test]
fn a_truncated_file_is_damaged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let good = filled_vault(tmp.path());
    for len in [
        0,
        100,
        PAGE - 1,
        PAGE,
        good.len() / 2,
        good.len() / 2 + 517,
        good.len() - PAGE,
        good.len() - 1,
    ] {
        fs::write(tmp.path().join("vault.db"), &good[..len]).expect("write");
        catch(tmp.path(), &format!("truncated to {len}"));
    }
}

#[test]
fn a_header_from_elsewhere_is_told_apart_from_a_wrong_passphrase() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    filled_vault(&a);
    support::vault_in(&b, "Eva").lock().expect("lock");
    let own = fs::read(a.join("vault.json")).expect("read");
    // Another vault's header, same passphrase: it unwraps a key, but not this file's key.
    fs::copy(b.join("vault.json"), a.join("vault.json")).expect("copy");
    assert!(matches!(catch(&a, "foreign header"), Found::AtUnlock));
    // The header cut short, or random bytes: the header is named as damaged.
    for bad in [&own[..own.len() / 2], &[0x9c; 300][..]] {
        fs::write(a.join("vault.json"), bad).expect("write");
        assert!(matches!(
            Vault::unlock(&a, PASS, "t"),
            Err(Error::HeaderDamaged(_))
        ));
    }
    // The right header with the wrong passphrase is a wrong passphrase.
    fs::write(a.join("vault.json"), &own).expect("write");
    assert!(matches!(
        Vault::unlock(&a, "not the passphrase", "t"),
        Err(Error::WrongPassphrase)
    ));
    Vault::unlock(&a, PASS, "t").expect("own header opens");
}
