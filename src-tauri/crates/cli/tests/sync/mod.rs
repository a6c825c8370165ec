//! Two laptops through the CLI: a seed carried to the second, bundles by USB stick and through
//! a shared folder, a clash listed and settled by the spellings scripts use.

use super::{PASS, amparo, json};

fn digest(dir: &std::path::Path) -> String {
    json(&amparo(dir, &["sync", "status"], None, PASS))["digest"]
        .as_str()
        .expect("digest")
        .to_owned()
}

#[test]
fn two_laptops_by_usb_stick_and_by_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let file = |n: &str| tmp.path().join(n).to_string_lossy().into_owned();
    json(&amparo(&a, &["create", "--fast-kdf"], None, PASS));
    let id = json(&amparo(
        &a,
        &["clients", "add"],
        Some(r#"{"given_names":"Ana","family_names":"Pérez"}"#),
        PASS,
    ))["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let seed = json(&amparo(
        &a,
        &["replica", "new", "--out", &file("seed"), "--name", "Port"],
        None,
        PASS,
    ));
    let joined = json(&amparo(
        &b,
        &["replica", "join", "--from", &file("seed")],
        None,
        PASS,
    ));
    assert_eq!(joined["device"], seed["device"]);
    assert_eq!(
        json(&amparo(&b, &["clients", "get", &id], None, PASS))["given_names"],
        "Ana"
    );

    // The same field changed on both laptops: kept for review on both.
    json(&amparo(
        &a,
        &["clients", "edit", &id],
        Some(r#"{"city":"Tijuana"}"#),
        PASS,
    ));
    json(&amparo(
        &b,
        &["clients", "edit", &id],
        Some(r#"{"city":"Reynosa"}"#),
        PASS,
    ));
    json(&amparo(
        &a,
        &["sync", "export", "--out", &file("a.amparo-sync")],
        None,
        PASS,
    ));
    json(&amparo(
        &b,
        &["sync", "export", "--out", &file("b.amparo-sync")],
        None,
        PASS,
    ));
    let got = json(&amparo(
        &a,
        &["sync", "import", &file("b.amparo-sync")],
        None,
        PASS,
    ));
    assert_eq!(got[0]["report"]["applied"], 1);
    json(&amparo(
        &b,
        &["sync", "import", &file("a.amparo-sync")],
        None,
        PASS,
    ));
    let clashes = json(&amparo(&a, &["sync", "conflicts"], None, PASS));
    assert_eq!(clashes.as_array().map(Vec::len), Some(1));
    assert_eq!(clashes[0]["field"], "city");
    assert_eq!(
        json(&amparo(&b, &["sync", "conflicts"], None, PASS))[0]["id"],
        clashes[0]["id"]
    );

    // Settled on the second laptop with the first one's value; it travels back.
    let clash = clashes[0]["id"].as_str().expect("id");
    json(&amparo(
        &b,
        &["sync", "resolve", clash, "--take", "remote"],
        None,
        PASS,
    ));
    json(&amparo(
        &b,
        &["sync", "export", "--out", &file("b.amparo-sync")],
        None,
        PASS,
    ));
    json(&amparo(
        &a,
        &["sync", "import", &file("b.amparo-sync")],
        None,
        PASS,
    ));
    for dir in [&a, &b] {
        assert_eq!(
            json(&amparo(dir, &["sync", "conflicts"], None, PASS)),
            serde_json::json!([])
        );
        assert_eq!(
            json(&amparo(dir, &["clients", "get", &id], None, PASS))["city"],
            "Tijuana"
        );
    }
    assert_eq!(digest(&a), digest(&b));

    // A damaged file is refused by name; the good one beside it still goes in.
    std::fs::write(
        tmp.path().join("junk.amparo-sync"),
        b"AMPARO-SYNC-1\nnot a bundle",
    )
    .expect("junk");
    json(&amparo(
        &a,
        &["clients", "edit", &id],
        Some(r#"{"notes":"at the port"}"#),
        PASS,
    ));
    json(&amparo(
        &a,
        &["sync", "export", "--out", &file("a.amparo-sync")],
        None,
        PASS,
    ));
    let mixed = amparo(
        &b,
        &[
            "sync",
            "import",
            &file("junk.amparo-sync"),
            &file("a.amparo-sync"),
        ],
        None,
        PASS,
    );
    assert!(!mixed.status.success());
    let reports: serde_json::Value = serde_json::from_slice(&mixed.stdout).expect("json");
    assert_eq!(reports[0]["error"], "bundle_invalid");
    assert_eq!(reports[1]["report"]["applied"], 1);

    // Through a shared folder: each round reads the others' bundles and writes its own.
    let folder = tmp.path().join("shared");
    std::fs::create_dir(&folder).expect("folder");
    for dir in [&a, &b] {
        json(&amparo(
            dir,
            &["sync", "folder", &folder.to_string_lossy()],
            None,
            PASS,
        ));
    }
    json(&amparo(
        &b,
        &["clients", "edit", &id],
        Some(r#"{"phone":"+52 664 000 0000"}"#),
        PASS,
    ));
    json(&amparo(&b, &["sync", "round"], None, PASS));
    let round = json(&amparo(&a, &["sync", "round"], None, PASS));
    assert_eq!(round["applied"], 1);
    json(&amparo(&b, &["sync", "round"], None, PASS));
    assert_eq!(digest(&a), digest(&b));
    let status = json(&amparo(&b, &["sync", "status"], None, PASS));
    let peers = status["status"]["peers"].as_array().expect("peers");
    assert!(peers.iter().any(|p| p["device"]
        == json(&amparo(&a, &["sync", "status"], None, PASS))["status"]["device"]
        && !p["seen_at"].is_null()));

    // A lost laptop removed: the status no longer lists it, and it reads nothing written after.
    let c = tmp.path().join("c");
    let lost = json(&amparo(
        &a,
        &["replica", "new", "--out", &file("seed-c"), "--name", "Lost"],
        None,
        PASS,
    ));
    json(&amparo(
        &c,
        &["replica", "join", "--from", &file("seed-c")],
        None,
        PASS,
    ));
    let device = lost["device"].as_str().expect("device");
    let status = json(&amparo(&a, &["replica", "remove", device], None, PASS));
    assert!(
        status["peers"]
            .as_array()
            .expect("peers")
            .iter()
            .all(|p| p["device"] != device)
    );
    json(&amparo(
        &a,
        &["sync", "export", "--out", &file("after.amparo-sync")],
        None,
        PASS,
    ));
    let refused = amparo(
        &c,
        &["sync", "import", &file("after.amparo-sync")],
        None,
        PASS,
    );
    assert!(!refused.status.success());
    let reports: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("json");
    assert_eq!(reports[0]["error"], "bundle_foreign");
}
