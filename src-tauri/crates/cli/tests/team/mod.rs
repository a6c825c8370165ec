//! The clinic's team through the command line, as scripts outside the project spell it:
//! `create --member`, `members add --member-handle H --role R`, `members role H R`,
//! `members remove H`, `members reset H`, `members recovery-code --replace`, `recovery` (with
//! `AMPARO_RECOVERY_CODE`), and every command as a member (`--member` or `AMPARO_MEMBER`).

use std::process::{Command, Output, Stdio};

use super::{json, refusal};

const COORD: &str = "coordinator passphrase";

/// The real binary as `member`, with the passphrase and, when given, a new one.
fn as_member(
    dir: &std::path::Path,
    member: &str,
    pass: &str,
    new: Option<&str>,
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_amparo"));
    cmd.arg("--vault")
        .arg(dir)
        .args(args)
        .env("AMPARO_MEMBER", member)
        .env("AMPARO_PASSPHRASE", pass)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(n) = new {
        cmd.env("AMPARO_NEW_PASSPHRASE", n);
    }
    let mut child = cmd.spawn().expect("spawn");
    if let Some(s) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(s.as_bytes())
            .expect("write");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn a_coordinator_adds_a_volunteer_who_is_held_to_the_role_then_removes_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    let ar = |args: &[&str], new: Option<&str>| as_member(&dir, "AR", COORD, new, args, None);
    json(&ar(&["create", "--fast-kdf"], None));
    let added = json(&ar(
        &[
            "members",
            "add",
            "--member-handle",
            "LS",
            "--role",
            "volunteer",
            "--name",
            "Lucía S.",
        ],
        Some("given for once 123"),
    ));
    assert_eq!(
        (added["handle"].as_str(), added["role"].as_str()),
        (Some("LS"), Some("volunteer"))
    );
    let bad_role = ar(&["members", "role", "LS", "boss"], None);
    assert!(!bad_role.status.success());
    let listed = json(&ar(&["members", "list"], None));
    // The two members, and the recovery code's slot.
    assert_eq!(listed.as_array().map(Vec::len), Some(3));

    let client = r#"{"given_names":"Ana","family_names":"Pérez"}"#;
    let once = as_member(
        &dir,
        "LS",
        "given for once 123",
        None,
        &["clients", "add"],
        Some(client),
    );
    assert_eq!(refusal(&once)["code"], "must_change_passphrase");
    json(&as_member(
        &dir,
        "LS",
        "given for once 123",
        Some("my own passphrase"),
        &["passwd"],
        None,
    ));
    let ls = |args: &[&str], stdin: Option<&str>| {
        as_member(&dir, "LS", "my own passphrase", None, args, stdin)
    };
    let ana = json(&ls(&["clients", "add"], Some(client)));
    assert_eq!(ana["given_names"], "Ana");
    for refused in [
        ls(&["settings", "set", "org_name", "Otra"], None),
        ls(
            &["clients", "delete", ana["id"].as_str().expect("id")],
            None,
        ),
        ls(&["members", "role", "LS", "coordinator"], None),
    ] {
        assert_eq!(refusal(&refused)["code"], "forbidden");
    }

    json(&ar(&["members", "remove", "LS"], None));
    assert_eq!(
        refusal(&ls(&["clients", "list"], None))["code"],
        "wrong_passphrase"
    );
    let after = json(&ar(&["members", "list"], None));
    let gone = after
        .as_array()
        .and_then(|a| a.iter().find(|m| m["handle"] == "LS"))
        .expect("LS stays listed");
    assert!(gone["removed_at"].is_string(), "{after}");
    let check = json(&ar(&["check"], None));
    assert_eq!(check["integrity_ok"], true);
}

#[test]
fn the_recovery_code_from_create_lets_a_forgotten_coordinator_back_in() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    let created = json(&as_member(
        &dir,
        "AR",
        COORD,
        None,
        &["create", "--fast-kdf"],
        None,
    ));
    let code = created["recovery_code"]
        .as_str()
        .expect("printed once")
        .to_owned();
    json(&as_member(
        &dir,
        "AR",
        COORD,
        Some("given for once 123"),
        &[
            "members",
            "add",
            "--member-handle",
            "LS",
            "--role",
            "attorney",
        ],
        None,
    ));
    // A coordinator resets a member's passphrase; a member may not.
    let reset = json(&as_member(
        &dir,
        "AR",
        COORD,
        Some("another for once 4"),
        &["members", "reset", "LS"],
        None,
    ));
    assert_eq!(reset["handle"], "LS");
    let by_ls = as_member(
        &dir,
        "LS",
        "another for once 4",
        Some("x for once 12345"),
        &["members", "reset", "AR"],
        None,
    );
    assert_eq!(refusal(&by_ls)["code"], "forbidden");

    // AR forgets their passphrase: the recovery code gives them one for once.
    let recover = |code: &str, reset: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_amparo"));
        cmd.arg("--vault")
            .arg(&dir)
            .arg("recovery")
            .args(reset)
            .env("AMPARO_RECOVERY_CODE", code)
            .env("AMPARO_NEW_PASSPHRASE", "ar for once 2026")
            .stdin(Stdio::null());
        cmd.output().expect("run")
    };
    assert_eq!(
        refusal(&recover("0000-0000-0000-0000-0000-0000-0000", &[]))["code"],
        "wrong_passphrase"
    );
    let members = json(&recover(&code.to_lowercase(), &["--reset", "AR"]));
    assert_eq!(members.as_array().map(Vec::len), Some(3), "{members}");
    assert_eq!(
        refusal(&as_member(
            &dir,
            "AR",
            COORD,
            None,
            &["members", "list"],
            None
        ))["code"],
        "wrong_passphrase"
    );
    let once = as_member(
        &dir,
        "AR",
        "ar for once 2026",
        None,
        &["settings", "set", "org_name", "Otra"],
        None,
    );
    assert_eq!(refusal(&once)["code"], "must_change_passphrase");
    json(&as_member(
        &dir,
        "AR",
        "ar for once 2026",
        Some("ar remembers now"),
        &["passwd"],
        None,
    ));
    let check = json(&as_member(
        &dir,
        "AR",
        "ar remembers now",
        None,
        &["check"],
        None,
    ));
    assert_eq!(
        (
            check["integrity_ok"].as_bool(),
            check["audit_bad_signature"].as_bool()
        ),
        (Some(true), Some(false))
    );

    // The code was used (seen): the coordinator replaces it, and only the new one opens.
    let replaced = json(&as_member(
        &dir,
        "AR",
        "ar remembers now",
        None,
        &["members", "recovery-code", "--replace"],
        None,
    ));
    let new = replaced["recovery_code"].as_str().expect("printed once");
    assert_ne!(new, code);
    assert_eq!(
        refusal(&recover(&code, &[]))["code"],
        "wrong_passphrase",
        "the old code"
    );
    let members = json(&recover(new, &[]));
    assert_eq!(members.as_array().map(Vec::len), Some(3), "{members}");
}
