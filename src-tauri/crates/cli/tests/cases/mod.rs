//! The acceptance cases (`tests/cases/*.json`, written in the spirit of the published reports
//! on "Remain in Mexico"): each entered through the command line as a volunteer's script
//! would, a packet built for it in English and in Spanish, and every fact the case records
//! found in the PDF's text as recorded; what must never print (another victim's name, a day
//! no one knows) found nowhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::{PASS, amparo, json as ok_json};

/// The case files shared with the end-to-end test.
pub fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4, "the four acceptance cases");
    files
}

/// "client" and "family:N" in a case's victims, as the records' own references.
fn victims(list: &Value, client: &Value) -> Value {
    let people: Vec<Value> = list
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|v| match v.as_str().expect("a victim reference") {
            "client" => json!({"kind": "client", "id": client["id"]}),
            other => {
                let n: usize = other
                    .strip_prefix("family:")
                    .and_then(|n| n.parse().ok())
                    .expect("family:N");
                json!({"kind": "family_member", "id": client["family"][n]["id"]})
            }
        })
        .collect();
    Value::Array(people)
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext");
    // One line per fact however the cell wrapped it: runs of blanks and line ends as one space.
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Enters one case and builds its packets; returns the PDF text by language.
fn enter_and_build(dir: &Path, out: &Path, case: &Value) -> Vec<(String, String)> {
    let run = |args: &[&str], stdin: &str| ok_json(&amparo(dir, args, Some(stdin), PASS));
    let client = run(&["clients", "add"], &case["client"].to_string());
    let id = client["id"].as_str().expect("client id").to_owned();
    let mut screenings = Vec::new();
    for s in case["screenings"].as_array().expect("screenings") {
        let mut s = s.clone();
        s["client_id"] = json!(id);
        screenings.push(run(&["screenings", "add"], &s.to_string())["id"].clone());
    }
    let mut incidents = Vec::new();
    for i in case["incidents"].as_array().expect("incidents") {
        let mut i = i.clone();
        i["client_id"] = json!(id);
        i["victims"] = victims(&i["victims"], &client);
        incidents.push(run(&["incidents", "add"], &i.to_string())["id"].clone());
    }
    ["en", "es"]
        .iter()
        .map(|lang| {
            let request = json!({
                "recipient": "oig", "profile": "identified", "lang": lang,
                "requests": ["investigation"],
                "clients": [{"client_id": id, "incident_ids": incidents, "hearing_ids": [],
                             "screening_ids": screenings, "exhibit_ids": []}],
                "choices": [],
            });
            let pdf = out.join(format!("{id}-{lang}.pdf"));
            let path = pdf.to_str().expect("path");
            run(&["packet", "build", "--out", path], &request.to_string());
            ((*lang).to_owned(), pdf_text(&pdf))
        })
        .collect()
}

#[test]
fn the_acceptance_cases_print_every_fact_as_recorded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("v");
    ok_json(&amparo(&dir, &["create", "--fast-kdf"], None, PASS));
    for (key, value) in [
        ("org_name", "Clínica Fronteriza"),
        ("org_signer", "Lic. Ana Ruiz"),
    ] {
        ok_json(&amparo(&dir, &["settings", "set", key, value], None, PASS));
    }
    let mut missing = Vec::new();
    for file in case_files() {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("case")).expect("json");
        let name = file
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for (lang, text) in enter_and_build(&dir, tmp.path(), &case) {
            for fact in case["prints"][&lang].as_array().expect("prints") {
                let fact = fact.as_str().expect("text");
                if !text.contains(fact) {
                    missing.push(format!("{name} ({lang}): «{fact}» not printed"));
                }
            }
            for never in case["never"].as_array().expect("never") {
                let never = never.as_str().expect("text");
                if text.contains(never) {
                    missing.push(format!("{name} ({lang}): «{never}» printed"));
                }
            }
            if std::env::var_os("AMPARO_SHOW_CASES").is_some() {
                eprintln!("== {name} ({lang})\n{text}\n");
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
