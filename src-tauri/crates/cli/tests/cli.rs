//! The real `amparo` binary against real vaults.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod cases;
mod sync;
mod team;

const PASS: &str = "correct horse battery";

fn amparo(dir: &std::path::Path, args: &[&str], stdin: Option<&str>, pass: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_amparo"))
        .arg("--vault")
        .arg(dir)
        .args(args)
        .env("AMPARO_PASSPHRASE", pass)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(s) = stdin {
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

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("json")
}

/// As an ordinary user runs it, who may lock only a little memory (RLIMIT_MEMLOCK, here 64
/// KiB; as root, the right to lock past it is dropped with `setpriv`). SQLCipher's failed
/// locks are not said on stderr one by one (they were: a warning per allocation, millions in
/// a large import).
#[test]
fn an_ordinary_users_run_says_nothing_of_memory_locks() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = Command::new("prlimit");
    cmd.args(["--memlock=65536:65536", "--"]);
    if root {
        cmd.args([
            "setpriv",
            "--bounding-set=-ipc_lock",
            "--inh-caps=-ipc_lock",
            "--",
        ]);
    }
    let out = cmd
        .arg(env!("CARGO_BIN_EXE_amparo"))
        .arg("--vault")
        .arg(&dir)
        .args(["seed", "--clients", "20", "--seed", "3"])
        .env("AMPARO_PASSPHRASE", PASS)
        .output()
        .expect("prlimit and setpriv (util-linux), and amparo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !said.contains("mlock"),
        "{} lines on stderr, the first: {}",
        said.lines().count(),
        said.lines().next().unwrap_or_default()
    );
}

#[test]
fn create_add_list_check_seed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));

    let added = json(&amparo(
        &dir,
        &["clients", "add"],
        Some(
            r#"{"given_names":"José","family_names":"Peña","a_number":"A123456789","nationality":"HN"}"#,
        ),
        PASS,
    ));
    assert_eq!(added["a_number"], "A-123-456-789");

    let listed = json(&amparo(
        &dir,
        &["clients", "list", "--filter", "jose pena"],
        None,
        PASS,
    ));
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["rows"][0]["given_names"], "José");

    // The seeder works on synthetic vaults only: this one holds a real record.
    let refused = amparo(&dir, &["seed", "--clients", "5"], None, PASS);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not_synthetic"));

    let check = json(&amparo(&dir, &["check"], None, PASS));
    assert_eq!(check["clients"], 1);
    assert_eq!(check["integrity_ok"], true);
    assert!(check["audit_first_bad_seq"].is_null());
}

#[test]
fn seed_then_list_quietly_and_stop_when_the_reader_goes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let seeded = json(&amparo(
        &dir,
        &["seed", "--clients", "25", "--seed", "3"],
        None,
        PASS,
    ));
    assert_eq!(seeded["counts"]["clients"], 25);

    // JSON on stdout and nothing else: no timing line unless --repeat asks for it.
    let listed = amparo(&dir, &["clients", "list"], None, PASS);
    assert_eq!(json(&listed)["total"], 25);
    assert!(
        listed.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let timed = amparo(&dir, &["clients", "list", "--repeat", "2"], None, PASS);
    assert_eq!(
        String::from_utf8_lossy(&timed.stderr)
            .matches("list: ")
            .count(),
        2
    );

    // `amparo clients list | head -c 1`: the reader leaves early; no panic, a quiet success.
    let mut child = Command::new(env!("CARGO_BIN_EXE_amparo"))
        .arg("--vault")
        .arg(&dir)
        .args(["clients", "list", "--limit", "25"])
        .env("AMPARO_PASSPHRASE", PASS)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn errors_are_json_with_stable_codes_and_nonzero_exit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));

    let wrong = amparo(&dir, &["check"], None, "not the passphrase");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains(r#""code":"wrong_passphrase""#));

    let bad = amparo(
        &dir,
        &["clients", "add"],
        Some(r#"{"given_names":"Ana","family_names":"Cruz","a_number":"12-34"}"#),
        PASS,
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains(r#""field":"a_number","code":"a_number_format""#),
        "{err}"
    );

    let garbage = amparo(&dir, &["clients", "add"], Some("{not json"), PASS);
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("json_malformed"));

    let listed = json(&amparo(&dir, &["clients", "list"], None, PASS));
    assert_eq!(listed["total"], 0, "failed adds must store nothing");
}

/// The refusal on stderr: its last line, JSON.
fn refusal(o: &Output) -> serde_json::Value {
    assert!(!o.status.success(), "expected a refusal");
    // A sentence for people, then the JSON on the last line.
    let err = String::from_utf8_lossy(&o.stderr);
    serde_json::from_str(err.lines().last().unwrap_or_default())
        .unwrap_or_else(|_| panic!("stderr does not end in JSON: {err}"))
}

#[test]
fn inputs_are_strict_and_a_missing_record_is_not_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let add = |body: &str| amparo(&dir, &["clients", "add"], Some(body), PASS);

    // A misspelt field is refused by its name, at any depth; nothing is stored.
    let e = refusal(&add(
        r#"{"given_names":"Ana","family_names":"Cruz","nationalty":"HN"}"#,
    ));
    assert_eq!(e["fields"][0]["field"], "nationalty");
    assert_eq!(e["fields"][0]["code"], "unknown_field");
    let e = refusal(&add(
        r#"{"given_names":"Ana","family":[{"given_names":"Kevin","relationshp":"child"}]}"#,
    ));
    assert_eq!(e["fields"][0]["field"], "family.0.relationshp");
    // A value of the wrong kind, or a code not in the list, says what was expected and never
    // repeats the value.
    let e = refusal(&add(
        r#"{"given_names":"Ana","family_names":"Cruz","sex":"fem"}"#,
    ));
    assert_eq!(e["fields"][0]["code"], "unknown_code");
    assert!(
        e["fields"][0]["expected"]
            .as_str()
            .is_some_and(|x| x.contains("female"))
    );
    let e = refusal(&add(r#"{"given_names":["Ana Cruz Maldonado"]}"#));
    assert_eq!(e["fields"][0]["code"], "wrong_type");
    assert!(!e.to_string().contains("Maldonado"), "{e}");
    // Control characters other than a line end or a tab are refused in any text.
    let e = refusal(&add(
        r#"{"given_names":"Ana\u0007","family_names":"Cruz\u0000"}"#,
    ));
    let fields: Vec<(&str, &str)> = e["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        fields.contains(&("given_names", "control_character")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("family_names", "control_character")),
        "{fields:?}"
    );
    assert_eq!(
        json(&amparo(&dir, &["clients", "list"], None, PASS))["total"],
        0
    );

    // A victim from another client's family is named as the input names it: victims.0.
    let a = json(&add(r#"{"given_names":"Ana","family_names":"Cruz"}"#));
    let b = json(&add(
        r#"{"given_names":"Rosa","family_names":"Paz","family":[{"given_names":"Kevin"}]}"#,
    ));
    let (a_id, member) = (
        a["id"].as_str().expect("id"),
        b["family"][0]["id"].as_str().expect("member"),
    );
    let incident = format!(
        r#"{{"client_id":"{a_id}","date_start":"2019-04","acts":["kidnapping"],"narrative":"Se la llevaron.",
        "source":"client_interview","victims":[{{"kind":"family_member","id":"{member}"}}]}}"#
    );
    let e = refusal(&amparo(&dir, &["incidents", "add"], Some(&incident), PASS));
    assert_eq!(e["fields"][0]["field"], "victims.0");
    assert_eq!(e["fields"][0]["code"], "unknown_person");
    // Optional text may be left out: the required parts are enough.
    let minimal = format!(
        r#"{{"client_id":"{a_id}","date_start":"2019-04","acts":["kidnapping"],"narrative":"Se la llevaron.","source":"client_interview"}}"#
    );
    let inc = json(&amparo(&dir, &["incidents", "add"], Some(&minimal), PASS));
    let inc_id = inc["id"].as_str().expect("incident id");
    let inc = json(&amparo(
        &dir,
        &["incidents", "edit", inc_id],
        Some(r#"{"city":"Reynosa","perpetrators":["mexican_police"]}"#),
        PASS,
    ));
    assert_eq!(
        (inc["city"].as_str(), inc["narrative"].as_str()),
        (Some("Reynosa"), Some("Se la llevaron."))
    );
    json(&amparo(&dir, &["incidents", "delete", inc_id], None, PASS));
    let left = json(&amparo(
        &dir,
        &["incidents", "list", "--client", a_id],
        None,
        PASS,
    ));
    assert_eq!(left.as_array().map(Vec::len), Some(0));

    // Lists for a client that does not exist are not_found, as its page is.
    for kind in ["hearings", "incidents"] {
        let e = refusal(&amparo(
            &dir,
            &[kind, "list", "--client", "nope"],
            None,
            PASS,
        ));
        assert_eq!(e["code"], "not_found", "{kind}");
    }
}

#[test]
fn hearings_add_list_upcoming_and_ics() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let client = json(&amparo(
        &dir,
        &["clients", "add"],
        Some(r#"{"given_names":"Wilmer","family_names":"Zelaya","a_number":"A208765432"}"#),
        PASS,
    ));
    let id = client["id"].as_str().expect("id");
    let when = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%dT08:00");
    let hearing = format!(
        r#"{{"client_id":"{id}","people":[],"court":"el_paso","court_zone":null,"venue":"in_person",
        "hearing_type":"master_calendar","scheduled_local":"{when}","port":"el_paso_pdn",
        "report_local":null,"judge":"","interpreter_language":"es","attendees":"","outcome":"scheduled",
        "next_date":null,"missed_reason":null,"missed_account":"","notes":""}}"#
    );
    let saved = json(&amparo(&dir, &["hearings", "add"], Some(&hearing), PASS));
    assert_eq!(saved["court_zone"], "America/Denver");
    let listed = json(&amparo(
        &dir,
        &["hearings", "list", "--client", id],
        None,
        PASS,
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let up = json(&amparo(
        &dir,
        &["hearings", "upcoming", "--days", "7"],
        None,
        PASS,
    ));
    assert_eq!(up["days"].as_array().map(Vec::len), Some(1));
    let out = tmp.path().join("week.ics");
    let done = json(&amparo(
        &dir,
        &[
            "hearings",
            "ics",
            "--days",
            "7",
            "--out",
            out.to_str().expect("path"),
        ],
        None,
        PASS,
    ));
    assert_eq!(done["events"], 1);
    let text = std::fs::read_to_string(&out).expect("ics");
    assert!(text.starts_with("BEGIN:VCALENDAR"));
    assert!(text.contains("W. Z. (…432)") && !text.contains("Zelaya"));
}

#[test]
fn incidents_add_list_and_search() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let client = json(&amparo(
        &dir,
        &["clients", "add"],
        Some(r#"{"given_names":"Keila","family_names":"Mejía","a_number":"A212345678"}"#),
        PASS,
    ));
    let id = client["id"].as_str().expect("id");
    let incident = format!(
        r#"{{"client_id":"{id}","date_start":"2019-10","date_end":null,"state":"TAMPS","city":"Matamoros",
        "place_kind":"bus_terminal","acts":["kidnapping","extortion"],"perpetrators":["criminal_organisation"],
        "victims":[],"ransom_demanded_minor":300000,"ransom_paid_minor":null,"ransom_currency":"USD",
        "reported_to_authorities":false,"report_number":"","authority_response":"","injuries":"",
        "medical_care":"","on_way_to_hearing":true,"missed_hearing_id":null,
        "narrative":"La retuvieron cuatro días en una bodega.","source":"client_interview","taken_by":"LS"}}"#
    );
    let saved = json(&amparo(&dir, &["incidents", "add"], Some(&incident), PASS));
    assert_eq!(saved["date_precision"], "month");
    let listed = json(&amparo(
        &dir,
        &["incidents", "list", "--client", id],
        None,
        PASS,
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let found = json(&amparo(&dir, &["search", "bodega"], None, PASS));
    assert_eq!(found["groups"][0]["kind"], "incident");
    assert_eq!(found["groups"][0]["hits"][0]["client_name"], "Keila Mejía");
    let by_number = json(&amparo(&dir, &["search", "212-345-678"], None, PASS));
    assert_eq!(by_number["groups"][0]["kind"], "client");
}

#[test]
fn attach_and_build_a_packet_from_record_ids() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let client = json(&amparo(
        &dir,
        &["clients", "add"],
        Some(
            r#"{"given_names":"Keila","family_names":"Mejía","consent":{"representation":true,"share_with_oversight":true,"publish_deidentified":false,"method":"written"}}"#,
        ),
        PASS,
    ));
    let id = client["id"].as_str().expect("id");
    let incident = format!(
        r#"{{"client_id":"{id}","date_start":"2019-10","date_end":null,"state":"TAMPS","city":"Matamoros",
        "place_kind":"bus_terminal","acts":["kidnapping"],"perpetrators":["criminal_organisation"],
        "victims":[],"ransom_demanded_minor":null,"ransom_paid_minor":null,"ransom_currency":null,
        "reported_to_authorities":null,"report_number":"","authority_response":"","injuries":"",
        "medical_care":"","on_way_to_hearing":false,"missed_hearing_id":null,
        "narrative":"La retuvieron cuatro días en una bodega.","source":"client_interview","taken_by":"LS"}}"#
    );
    let saved = json(&amparo(&dir, &["incidents", "add"], Some(&incident), PASS));
    let incident_id = saved["id"].as_str().expect("incident id");
    let note = tmp.path().join("nota médica.txt");
    std::fs::write(&note, "Contusiones en el brazo izquierdo.").expect("write");
    let attached = json(&amparo(
        &dir,
        &[
            "attach",
            "--incident",
            incident_id,
            note.to_str().expect("path"),
        ],
        None,
        PASS,
    ));
    assert_eq!(attached["file_name"], "nota médica.txt");
    let request = format!(
        r#"{{"recipient":"crcl","profile":"identified","lang":"en","requests":["investigation"],
        "clients":[{{"client_id":"{id}","incident_ids":["{incident_id}"],"hearing_ids":[],
        "screening_ids":[],"exhibit_ids":["{}"]}}],"choices":[]}}"#,
        attached["id"].as_str().expect("attachment id")
    );
    // The files on the incident, listed without their bytes.
    let files = json(&amparo(
        &dir,
        &["attachments", "list", "--incident", incident_id],
        None,
        PASS,
    ));
    assert_eq!(files[0]["file_name"], "nota médica.txt");
    assert!(files[0]["sha256"].is_string());
    // The letterhead comes from the settings, which the command can set.
    for (key, value) in [
        ("org_name", "Clínica Fronteriza"),
        ("org_signer", "Lic. Ana Ruiz"),
    ] {
        json(&amparo(&dir, &["settings", "set", key, value], None, PASS));
    }
    let out = tmp.path().join("packet.pdf");
    let built = json(&amparo(
        &dir,
        &["packet", "build", "--out", out.to_str().expect("path")],
        Some(&request),
        PASS,
    ));
    let bytes = std::fs::read(&out).expect("the PDF is where it was asked to be");
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(built["bytes"].as_u64(), Some(bytes.len() as u64));
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Keila Mejía"));
    assert!(text.contains("Matamoros, Tamaulipas"));
    assert!(
        text.contains("Clínica Fronteriza") && text.contains("Lic. Ana Ruiz"),
        "the letterhead and signature from the settings"
    );
    assert!(!text.contains("set it in Settings"), "{text}");
    assert!(
        text.contains("Contusiones en el brazo izquierdo."),
        "text exhibit appended"
    );
    let log = json(&amparo(
        &dir,
        &["packet", "list", "--client", id],
        None,
        PASS,
    ));
    assert_eq!(log[0]["pdf_sha256"], built["sha256"]);
    assert_eq!(log[0]["recipient"], "crcl");
    // What became of it: sent on a day, the office's number; what is not given is kept.
    let packet_id = log[0]["id"].as_str().expect("packet id");
    let sent = json(&amparo(
        &dir,
        &[
            "packet",
            "follow-up",
            packet_id,
            "--sent-on",
            "2026-11-20",
            "--complaint-number",
            "CRCL-26-0113",
        ],
        None,
        PASS,
    ));
    assert_eq!(sent["sent_on"], "2026-11-20");
    let answered = json(&amparo(
        &dir,
        &[
            "packet",
            "follow-up",
            packet_id,
            "--responses",
            "Acuse de recibo.",
        ],
        None,
        PASS,
    ));
    assert_eq!(answered["complaint_number"], "CRCL-26-0113");
    assert_eq!(answered["sent_on"], "2026-11-20");
    assert_eq!(answered["responses"], "Acuse de recibo.");
}

/// Every record can be changed and deleted from the command, naming only what changes.
#[test]
fn records_are_edited_by_the_fields_that_change_and_deleted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let run = |args: &[&str], body: Option<&str>| amparo(&dir, args, body, PASS);
    let client = json(&run(
        &["clients", "add"],
        Some(r#"{"given_names":"Wilmer","family_names":"Zelaya","city":"Matamoros"}"#),
    ));
    let id = client["id"].as_str().expect("id").to_owned();
    let edited = json(&run(
        &["clients", "edit", &id],
        Some(r#"{"city":"Reynosa"}"#),
    ));
    assert_eq!(
        (edited["city"].as_str(), edited["given_names"].as_str()),
        (Some("Reynosa"), Some("Wilmer"))
    );
    let e = refusal(&run(
        &["clients", "edit", &id],
        Some(r#"{"citty":"Reynosa"}"#),
    ));
    assert_eq!(
        (
            e["fields"][0]["field"].as_str(),
            e["fields"][0]["code"].as_str()
        ),
        (Some("citty"), Some("unknown_field"))
    );
    assert_eq!(
        refusal(&run(&["clients", "edit", "nope"], Some("{}")))["code"],
        "not_found"
    );

    // A past hearing's outcome, set afterwards.
    let hearing = format!(
        r#"{{"client_id":"{id}","court":"brownsville_tent","venue":"port_tent",
        "hearing_type":"master_calendar","scheduled_local":"2019-11-04T08:00","outcome":"scheduled"}}"#
    );
    let h = json(&run(&["hearings", "add"], Some(&hearing)));
    let hid = h["id"].as_str().expect("hearing id").to_owned();
    let h = json(&run(
        &["hearings", "edit", &hid],
        Some(r#"{"outcome":"removed_in_absentia","missed_reason":"kidnapped_or_held"}"#),
    ));
    assert_eq!(h["reopen_deadline"], "2020-05-02");
    assert_eq!(
        h["at_court"]["local"], "2019-11-04T08:00",
        "the time is kept"
    );

    // Fear screenings: add, list, edit, delete.
    let screening = format!(
        r#"{{"client_id":"{id}","screened_on":"2019-07","fear_expressed_to":"cbp_officer",
        "interview_held":false,"outcome":"returned_to_mexico"}}"#
    );
    let sc = json(&run(&["screenings", "add"], Some(&screening)));
    let sid = sc["id"].as_str().expect("screening id").to_owned();
    let sc = json(&run(
        &["screenings", "edit", &sid],
        Some(r#"{"outcome":"removed_from_mpp"}"#),
    ));
    assert_eq!(sc["outcome"], "removed_from_mpp");
    assert_eq!(
        json(&run(&["screenings", "list", "--client", &id], None))
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // The timeline holds the return, the hearing and the screening.
    let tl = json(&run(&["timeline", "--client", &id], None));
    let kinds: Vec<&str> = tl
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["event"]["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"hearing") && kinds.contains(&"screening"),
        "{kinds:?}"
    );

    json(&run(&["screenings", "delete", &sid], None));
    assert_eq!(
        json(&run(&["screenings", "list", "--client", &id], None))
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    json(&run(&["hearings", "delete", &hid], None));
    assert_eq!(
        json(&run(&["hearings", "list", "--client", &id], None))
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    json(&run(&["clients", "delete", &id], None));
    assert_eq!(
        refusal(&run(&["clients", "get", &id], None))["code"],
        "not_found"
    );
    // The history keeps the deletions and still verifies.
    json(&run(&["check"], None));
}

/// Settings by name: a number where the setting is a number, text otherwise.
#[test]
fn settings_are_read_and_set_by_name() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    let run = |args: &[&str]| amparo(&dir, args, None, PASS);
    assert_eq!(
        json(&run(&["settings", "get", "clinic_zone"])),
        "America/Tijuana"
    );
    let all = json(&run(&["settings", "set", "idle_lock_minutes", "10"]));
    assert_eq!(all["idle_lock_minutes"], 10);
    let e = refusal(&run(&["settings", "set", "idle_lock_minutes", "diez"]));
    assert_eq!(
        (
            e["fields"][0]["field"].as_str(),
            e["fields"][0]["code"].as_str()
        ),
        (Some("idle_lock_minutes"), Some("wrong_type"))
    );
    let e = refusal(&run(&["settings", "set", "idle_lock_minutes", "500"]));
    assert_eq!(e["fields"][0]["code"], "out_of_range");
    let e = refusal(&run(&["settings", "set", "org_nmae", "x"]));
    assert_eq!(
        (
            e["fields"][0]["field"].as_str(),
            e["fields"][0]["code"].as_str()
        ),
        (Some("org_nmae"), Some("unknown_field"))
    );
    assert_eq!(
        refusal(&run(&["settings", "get", "nope"]))["fields"][0]["code"],
        "unknown_field"
    );
    json(&run(&["settings", "set", "org_name", "Al Otro Lado"]));
    assert_eq!(json(&run(&["settings", "get", "org_name"])), "Al Otro Lado");
}

#[test]
fn backup_restore_and_verify() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    json(&amparo(
        &dir,
        &["clients", "add"],
        Some(r#"{"given_names":"Keila","family_names":"Mejía"}"#),
        PASS,
    ));
    let file = tmp.path().join("v.backup");
    let info = json(&amparo(
        &dir,
        &["backup", "--out", file.to_str().expect("path")],
        None,
        PASS,
    ));
    assert!(info["size_bytes"].as_f64().unwrap_or(0.0) > 0.0);
    let restored = tmp.path().join("r");
    let report = json(&amparo(
        &restored,
        &["restore", "--from", file.to_str().expect("path")],
        None,
        PASS,
    ));
    assert_eq!(report["integrity_ok"], true);
    let verified = json(&amparo(&restored, &["verify"], None, PASS));
    assert_eq!(verified["clients"], 1);
    assert_eq!(verified["audit_first_bad_seq"], serde_json::Value::Null);
    // Restoring over an existing vault is refused with a stable code.
    let again = amparo(
        &restored,
        &["restore", "--from", file.to_str().expect("path")],
        None,
        PASS,
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("vault_exists"));

    // A row edited with the key but without the audit chain: `verify` says so and fails.
    let v = amparo_core::Vault::unlock(&restored, PASS, "shell").expect("unlock");
    v.connection_for_tools()
        .execute("UPDATE clients SET family_names = 'Otra'", [])
        .expect("edit");
    v.lock().expect("lock");
    let out = amparo(&restored, &["verify"], None, PASS);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("vault_tampered"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["audit_altered_records"], 1);
    assert_eq!(report["audit_first_altered"]["entity_kind"], "client");

    // What `verify` found closes the vault to every later process: the next write is refused.
    let keila = r#"{"given_names":"Otra","family_names":"Persona"}"#;
    let refused = amparo(&restored, &["clients", "add"], Some(keila), PASS);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("vault_tampered"));
    // Until someone accepts it, with a reason the history keeps.
    let accepted = json(&amparo(
        &restored,
        &[
            "accept-damage",
            "--reason",
            "edited by our IT volunteer, checked",
        ],
        None,
        PASS,
    ));
    assert_eq!(accepted["was"], "tampered");
    assert_eq!(accepted["writes"], "open");
    json(&amparo(&restored, &["clients", "add"], Some(keila), PASS));
    // The edited record is vouched for as it now is: the next check holds.
    let verified = json(&amparo(&restored, &["verify"], None, PASS));
    assert_eq!(verified["audit_altered_records"], 0);
    assert_eq!(verified["writes"], "open");
}

#[test]
fn a_new_passphrase_or_a_key_rotation_re_encrypts_the_vault() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    json(&amparo(
        &dir,
        &["clients", "add"],
        Some(r#"{"given_names":"Keila","family_names":"Mejía"}"#),
        PASS,
    ));
    let old_header = std::fs::read(dir.join("vault.json")).expect("header");
    let rotated = json(&amparo(&dir, &["rotate-key"], None, PASS));
    assert_eq!(rotated["key_rotated"], true);
    let new = "another long passphrase";
    let out = Command::new(env!("CARGO_BIN_EXE_amparo"))
        .arg("--vault")
        .arg(&dir)
        .arg("passwd")
        .env("AMPARO_PASSPHRASE", PASS)
        .env("AMPARO_NEW_PASSPHRASE", new)
        .output()
        .expect("passwd");
    assert_eq!(json(&out)["key_rotated"], true);
    let verified = json(&amparo(&dir, &["verify"], None, new));
    assert_eq!(verified["clients"], 1);
    // The key file from before, with the passphrase from before, opens nothing now.
    std::fs::write(dir.join("vault.json"), old_header).expect("old header back");
    let refused = amparo(&dir, &["verify"], None, PASS);
    assert!(!refused.status.success());
}
