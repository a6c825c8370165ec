//! The scrubber corpus (`corpus.json`): narratives written like real interviews, each with a
//! way names and numbers slip past a scrubber. Each case goes into a real vault and out as a
//! real PDF; its secrets must be absent from the extracted text (squashed of white space,
//! hyphens and NBSP), from its digits, and from the file's bytes, raw and inflated; what an
//! honest packet needs (ordinary words, places) must still be there.

use amparo_core::clients::{ClientInput, ConsentInput, FamilyMemberInput};
use amparo_core::codes::*;
use amparo_core::incidents::IncidentInput;
use amparo_core::packet::labels::DocLang;
use amparo_core::packet::*;
use amparo_core::records::PersonRef;
use amparo_core::{KdfChoice, KdfParams, Vault};
use serde::Deserialize;

use super::{all_bytes, find, now, pdftotext, squash, utf16be};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    #[allow(dead_code)]
    about: String,
    cases: Vec<CorpusCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusCase {
    name: String,
    profile: Profile,
    lang: DocLang,
    client: Person,
    family: Vec<Person>,
    narratives: Vec<String>,
    text_exhibit: String,
    /// Flagged ordinary-word names to confirm, by the text right after them.
    confirm_after: Vec<String>,
    secrets: Vec<String>,
    /// Numbers whose digits must not appear in the text's digits run together.
    digits: Vec<String>,
    kept: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Person {
    given_names: String,
    family_names: String,
    aliases: String,
    sex: Sex,
    a_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    relationship: Option<Relationship>,
    consent: bool,
}

fn corpus() -> Corpus {
    serde_json::from_str(include_str!("corpus.json")).expect("corpus.json")
}

/// The case in a vault: the family, one incident per narrative (everyone a victim, so everyone
/// is in the packet), the text exhibit attached to the client; and the request for its packet.
fn vault_for(case: &CorpusCase, dir: &std::path::Path) -> (Vault, PacketRequest) {
    let mut v = Vault::create(
        dir,
        "correct horse battery",
        KdfChoice::Fixed(KdfParams::MINIMUM),
        "Ana (volunteer)",
    )
    .expect("create");
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let c = &case.client;
    let client = v
        .create_client(&ClientInput {
            given_names: c.given_names.clone(),
            family_names: c.family_names.clone(),
            aliases: c.aliases.clone(),
            sex: Some(c.sex),
            a_number: some(&c.a_number),
            phone: c.phone.clone(),
            consent: ConsentInput {
                share_with_oversight: c.consent,
                ..Default::default()
            },
            family: case
                .family
                .iter()
                .map(|f| FamilyMemberInput {
                    given_names: f.given_names.clone(),
                    family_names: f.family_names.clone(),
                    aliases: f.aliases.clone(),
                    relationship: f.relationship.expect("a family member's relationship"),
                    sex: Some(f.sex),
                    a_number: some(&f.a_number),
                    consent_share_with_oversight: f.consent,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .expect("client");
    let victims: Vec<PersonRef> = std::iter::once(PersonRef::Client(client.id.clone()))
        .chain(
            client
                .family
                .iter()
                .map(|f| PersonRef::FamilyMember(f.id.clone())),
        )
        .collect();
    let mut incident_ids = Vec::new();
    for (n, narrative) in case.narratives.iter().enumerate() {
        let i = v
            .add_incident(&IncidentInput {
                client_id: client.id.clone(),
                date_start: format!("2026-03-{:02}", n + 1),
                date_end: None,
                state: Some("TAMPS".into()),
                city: "Reynosa".into(),
                place_kind: Some(PlaceKind::BusTerminal),
                acts: vec![Act::Kidnapping],
                perpetrators: vec![Perpetrator::CriminalOrganisation],
                victims: victims.clone(),
                ransom_demanded_minor: None,
                ransom_paid_minor: None,
                ransom_paid: None,
                ransom_paid_by: String::new(),
                held_days: None,
                date_unknown: false,
                date_after: None,
                date_before: None,
                other_victims: Vec::new(),
                perpetrator_detail: String::new(),
                ransom_currency: None,
                reported_to_authorities: Some(false),
                report_number: String::new(),
                authority_response: String::new(),
                injuries: String::new(),
                medical_care: String::new(),
                on_way_to_hearing: false,
                missed_hearing_id: None,
                narrative: narrative.clone(),
                source: IncidentSource::ClientInterview,
                taken_by: "Ana".into(),
            })
            .expect("incident");
        incident_ids.push(i.id);
    }
    let mut exhibit_ids = Vec::new();
    if !case.text_exhibit.is_empty() {
        let a = v
            .attach(
                AttachmentOwner::Client,
                &client.id,
                "chat.txt",
                case.text_exhibit.as_bytes(),
            )
            .expect("text exhibit");
        exhibit_ids.push(a.id);
    }
    let request = PacketRequest {
        recipient: Recipient::Both,
        profile: case.profile,
        lang: case.lang,
        requests: vec![RequestedAction::Investigation],
        clients: vec![PacketSelection {
            client_id: client.id,
            incident_ids,
            hearing_ids: vec![],
            screening_ids: vec![],
            exhibit_ids,
        }],
        choices: vec![],
        facts: FactPrecision::default(),
        confirmed: vec![],
    };
    (v, request)
}

/// Text without white space (NBSP included), hyphens of any kind or soft hyphens.
fn squash_all(s: &str) -> String {
    squash(s)
        .chars()
        .filter(|c| !matches!(c, '\u{2010}' | '\u{2011}' | '\u{ad}'))
        .collect::<String>()
        .to_lowercase()
}

#[test]
fn the_scrubber_corpus_leaves_no_one_identifiable() {
    for case in corpus().cases {
        let tmp = tempfile::tempdir().expect("tmp");
        let (v, mut req) = vault_for(&case, tmp.path());
        // First build: the words that may be ordinary are flagged, not replaced.
        let doc = v.packet_document(&req, now()).expect("document");
        let flagged: Vec<&ScrubMark> = doc.marks.iter().filter(|m| m.key.is_some()).collect();
        assert!(
            flagged.iter().all(|m| !m.replaced),
            "{}: nothing flagged is replaced unasked",
            case.name
        );
        for after in &case.confirm_after {
            let m = flagged
                .iter()
                .find(|m| m.after.starts_with(after.as_str()))
                .unwrap_or_else(|| panic!("{}: a word flagged before {after:?}", case.name));
            req.confirmed.push(m.key.clone().expect("key"));
        }
        drop(doc);
        let built =
            amparo_pdf::build_packet(v.packet_document(&req, now()).expect("doc")).expect("build");
        let text = pdftotext(&built.pdf);
        let squashed = squash_all(&text);
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let bytes = all_bytes(&built.pdf);
        for secret in &case.secrets {
            assert!(
                !squashed.contains(&squash_all(secret)),
                "{}: {secret:?} in the extracted text:\n{text}",
                case.name
            );
            if secret.chars().count() >= 4 {
                assert!(
                    find(&bytes, secret.as_bytes()).is_none(),
                    "{}: {secret:?} in the file's bytes",
                    case.name
                );
                assert!(
                    find(&bytes, &utf16be(secret)).is_none(),
                    "{}: {secret:?} (UTF-16) in the file's bytes",
                    case.name
                );
            }
        }
        for number in &case.digits {
            assert!(
                !digits.contains(number.as_str()),
                "{}: {number} among the text's digits",
                case.name
            );
        }
        for kept in &case.kept {
            assert!(
                squashed.contains(&squash_all(kept)),
                "{}: {kept:?} should still read in:\n{text}",
                case.name
            );
        }
        // Every confirmed word was replaced; the rest of the flagged ones were left as written.
        let marks = &built.marks;
        for key in &req.confirmed {
            assert!(
                marks
                    .iter()
                    .any(|m| m.key.as_ref() == Some(key) && m.replaced),
                "{}: a confirmed word is replaced",
                case.name
            );
        }
    }
}

#[test]
fn an_ordinary_word_alone_is_asked_about_and_a_whole_name_is_not() {
    let case = corpus()
        .cases
        .into_iter()
        .find(|c| c.profile == Profile::Pseudonymised)
        .expect("the pseudonymised case");
    let tmp = tempfile::tempdir().expect("tmp");
    let (v, req) = vault_for(&case, tmp.path());
    let doc = v.packet_document(&req, now()).expect("document");
    let headache = doc
        .marks
        .iter()
        .find(|m| m.after.starts_with(" de cabeza"))
        .expect("\"dolores de cabeza\" is flagged");
    assert!(headache.key.is_some() && !headache.replaced);
    assert_eq!(headache.original, "dolores");
    // "Dolores Reyes" is a whole name: replaced without asking.
    let whole = doc
        .marks
        .iter()
        .find(|m| m.original == "Dolores Reyes")
        .expect("the whole name is replaced");
    assert!(whole.key.is_none() && whole.replaced);
    // Flagged words come first, for the builder to ask about.
    assert!(doc.marks[0].key.is_some());
}
