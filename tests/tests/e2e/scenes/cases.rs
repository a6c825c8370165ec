//! The acceptance cases (`tests/cases/*.json`, the same the command line enters) typed into
//! the app's own forms: the intake, its fear screenings, its incident, then a packet built
//! (in English for one case, Spanish for the next), saved through the real dialog, and every
//! fact the case lists for that language found in the PDF's text; what must never print,
//! found nowhere. A key of a case this driver does not know fails the scene, so a fact added
//! to a case cannot go untested here.

use std::path::PathBuf;
use std::process::Command;

use fantoccini::Client;
use serde_json::Value;

use crate::app::World;
use crate::ui::*;

/// How many cases there are: each adds a client to the session's vault.
pub(crate) const CASES: usize = 4;

fn case_files() -> Vec<PathBuf> {
    let dir = crate::app::workspace().join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn text(v: &Value) -> &str {
    v.as_str().expect("text")
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

async fn centre_on(c: &Client, css: &str) {
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
        vec![serde_json::json!(css)],
    )
    .await
    .expect("scroll");
}

async fn intake(c: &Client, client: &Value) {
    click(c, "[data-testid=nav-new]").await;
    for (key, v) in client.as_object().expect("client") {
        match key.as_str() {
            "given_names" | "family_names" | "date_of_birth" | "returned_on" | "return_city"
            | "risk_detail" => fill(c, &format!("#{key}"), text(v)).await,
            "sex" | "nationality" | "return_port" | "return_state" => {
                select(c, &format!("#{key}"), text(v)).await
            }
            "languages" => {
                for l in list(v) {
                    set_checked(c, &format!("[data-testid=language-{}]", text(l)), true).await;
                }
            }
            "vulnerabilities" => {
                for x in list(v) {
                    let css = format!("[data-testid=vulnerability-{}]", text(x));
                    set_checked(c, &css, true).await;
                }
            }
            "family" => {
                for (i, m) in list(v).iter().enumerate() {
                    click(c, "[data-testid=add-member]").await;
                    member(c, i, m).await;
                }
            }
            "consent" => {
                let share = v["share_with_oversight"].as_bool().unwrap_or(false);
                set_checked(c, "[data-testid=consent-share]", share).await;
                if let Some(m) = v["method"].as_str() {
                    select(c, "#consent_method", m).await;
                }
            }
            other => panic!("the e2e intake cannot enter a case's client.{other}"),
        }
    }
    click(c, "[data-testid=intake-save]").await;
    wait_text(c, "[data-testid=client-name]", text(&client["given_names"])).await;
}

async fn member(c: &Client, i: usize, m: &Value) {
    let id = |f: &str| format!("[id='family.{i}.{f}']");
    for (key, v) in m.as_object().expect("member") {
        match key.as_str() {
            "given_names" | "family_names" | "date_of_birth" | "status_on" => {
                fill(c, &id(key), text(v)).await
            }
            "age_years" => fill(c, &id(key), &v.to_string()).await,
            "relationship" | "status" => select(c, &id(key), text(v)).await,
            "consent_share_with_oversight" => {
                let css = format!(
                    "[data-testid=family-member]:nth-of-type({}) [data-testid=member-consent]",
                    i + 1
                );
                set_checked(c, &css, v.as_bool().expect("bool")).await;
            }
            other => panic!("the e2e intake cannot enter a case's family.{other}"),
        }
    }
}

async fn screening(c: &Client, s: &Value) {
    click(c, "[data-testid=add-screening]").await;
    for (key, v) in s.as_object().expect("screening") {
        match key.as_str() {
            "screened_on" => fill(c, "#screened_on", text(v)).await,
            "fear_expressed_to" => select(c, "#fear_to", text(v)).await,
            "outcome" => select(c, "#s-outcome", text(v)).await,
            "interview_held" => {
                set_checked(
                    c,
                    "[data-testid=interview-held]",
                    v.as_bool().expect("bool"),
                )
                .await
            }
            other => panic!("the e2e screening form cannot enter a case's {other}"),
        }
    }
    click(c, "[data-testid=screening-save]").await;
    wait_css(c, "[data-testid=timeline] .tl-screening").await;
}

async fn incident(c: &Client, i: &Value, name: &str) {
    click(c, "[data-testid=add-incident]").await;
    // The unknown date first: it decides which date fields are on the form.
    if i["date_unknown"].as_bool() == Some(true) {
        click(c, "[data-testid=date-unknown]").await;
    }
    for (key, v) in i.as_object().expect("incident") {
        match key.as_str() {
            "date_unknown" => {}
            "date_start" | "date_end" | "date_after" | "date_before" | "perpetrator_detail"
            | "narrative" => fill(c, &format!("#{key}"), text(v)).await,
            "city" => fill(c, "#inc-city", text(v)).await,
            "ransom_paid_by" => fill(c, "#paid_by", text(v)).await,
            "held_days" => fill(c, "#held_days", &v.to_string()).await,
            "state" | "place_kind" | "source" => select(c, &format!("#{key}"), text(v)).await,
            "ransom_paid" => {
                let answer = if v.as_bool().expect("bool") {
                    "yes"
                } else {
                    "no"
                };
                select(c, "#paidq", answer).await
            }
            "acts" => {
                for a in list(v) {
                    click(c, &format!("[data-testid=act-{}]", text(a))).await;
                }
            }
            "perpetrators" => {
                for p in list(v) {
                    click(c, &format!("[data-testid=perp-{}]", text(p))).await;
                }
            }
            "victims" => victims(c, list(v)).await,
            "other_victims" => {
                for (n, o) in list(v).iter().enumerate() {
                    click(c, "[data-testid=add-other-victim]").await;
                    let id = |f: &str| format!("[id='other_victims.{n}.{f}']");
                    fill(c, &id("relation"), text(&o["relation"])).await;
                    if let Some(age) = o["age_years"].as_u64() {
                        fill(c, &id("age_years"), &age.to_string()).await;
                    }
                    if let Some(name) = o["name"].as_str() {
                        fill(c, &id("name"), name).await;
                    }
                }
            }
            other => panic!("the e2e incident form cannot enter a case's {other}"),
        }
    }
    centre_on(c, "[data-testid=add-other-victim]").await;
    shot(c, &format!("e2e-case-{name}-incident.png")).await;
    click(c, "[data-testid=incident-save]").await;
    wait_css(c, "[data-testid=incident-saved]").await;
    click(c, "[data-testid=incident-save]").await;
    wait_css(c, "[data-testid=timeline] .tl-incident").await;
}

/// The case's victims ticked, and no one else: the client is ticked by default.
async fn victims(c: &Client, wanted: &[Value]) {
    let wanted: Vec<&str> = wanted.iter().map(text).collect();
    set_checked(c, "[data-testid=victim-client]", wanted.contains(&"client")).await;
    for w in wanted {
        if let Some(n) = w.strip_prefix("family:") {
            set_checked(c, &format!("[data-testid=victim-family_member-{n}]"), true).await;
        }
    }
}

async fn packet(c: &Client, lang: &str, out: &std::path::Path) -> String {
    click_until(c, "[data-testid=new-packet]", "[data-testid=packet-people]").await;
    wait_css(c, "[data-testid=packet-people]").await;
    // The builder's plan arrives after the people list: a click while it moves can land
    // beside the choice, so the choice is read back.
    set_checked(c, "[data-testid=profile-identified]", true).await;
    let build = if lang == "es" {
        "[data-testid=packet-build-es]"
    } else {
        "[data-testid=packet-build]"
    };
    wait_css(c, &format!("{build}:not([disabled])")).await;
    click(c, build).await;
    // Asked for the organisation only when none is set (this scene run alone).
    let next = wait_css(
        c,
        "[data-testid=org-ask], [data-testid=packet-preview] canvas",
    )
    .await;
    if next.attr("data-testid").await.expect("attr").as_deref() == Some("org-ask") {
        fill(c, "[data-testid=ask-org-name]", "Clínica Fronteriza").await;
        fill(c, "[data-testid=ask-org-signer]", "Lic. Ana Ruiz").await;
        click(c, "[data-testid=org-ask-save]").await;
    }
    wait_css(c, "[data-testid=packet-preview] canvas").await;
    wait_text(c, "[data-testid=packet-built]", "SHA-256").await;
    click(c, "[data-testid=packet-save]").await;
    answer_save_dialog("Save the complaint packet", out);
    wait_css(c, "[data-testid=packet-saved]").await;
    let pdf = Command::new("pdftotext")
        .arg("-layout")
        .arg(out)
        .arg("-")
        .output()
        .expect("pdftotext");
    click(c, "[data-testid=packet-back]").await;
    // One line per fact however the cell wrapped it, as the command line's test reads it.
    String::from_utf8_lossy(&pdf.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) async fn acceptance_cases(w: &mut World) {
    let c = &w.c;
    let files = case_files();
    assert_eq!(files.len(), CASES, "the acceptance cases");
    let mut missing = Vec::new();
    // The first failing case's PDF text, in the message: a run's log keeps only its tail.
    let mut first_failure = None;
    for (n, file) in files.iter().enumerate() {
        let before = missing.len();
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("case")).expect("json");
        let name = file
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        eprintln!("  case {name}");
        intake(c, &case["client"]).await;
        for s in list(&case["screenings"]) {
            screening(c, s).await;
        }
        for i in list(&case["incidents"]) {
            incident(c, i, &name).await;
        }
        let lang = if n % 2 == 0 { "en" } else { "es" };
        let out = w.out_dir.join(format!("case-{name}-{lang}.pdf"));
        let pdf = packet(c, lang, &out).await;
        for fact in list(&case["prints"][lang]) {
            if !pdf.contains(text(fact)) {
                missing.push(format!("{name} ({lang}): «{}» not printed", text(fact)));
            }
        }
        for never in list(&case["never"]) {
            if pdf.contains(text(never)) {
                missing.push(format!("{name} ({lang}): «{}» printed", text(never)));
            }
        }
        if missing.len() > before {
            eprintln!("  case {name} ({lang}) printed: {pdf}");
            shot(c, &format!("e2e-case-{name}-failed.png")).await;
            first_failure.get_or_insert(format!("{name} ({lang}) printed: {pdf}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{}\n\n{}",
        missing.join("\n"),
        first_failure.unwrap_or_default()
    );
}
