//! The search box: every record kind, accents and case, A-numbers in any spelling, and the
//! index kept in step with edits and deletions.

mod support;

use amparo_core::clients::{ClientInput, FamilyMemberInput};
use amparo_core::codes::*;
use amparo_core::incidents::IncidentInput;
use amparo_core::search::{HitKind, SearchResults};

use support::vault;

fn kinds(r: &SearchResults) -> Vec<(HitKind, String)> {
    r.groups
        .iter()
        .flat_map(|g| g.hits.iter().map(move |h| (g.kind, h.client_name.clone())))
        .collect()
}

fn incident(client: &str, city: &str, narrative: &str) -> IncidentInput {
    IncidentInput {
        client_id: client.into(),
        date_start: "2019-11".into(),
        date_end: None,
        state: Some("CHIH".into()),
        city: city.into(),
        place_kind: Some(PlaceKind::BusTerminal),
        acts: vec![Act::Kidnapping],
        perpetrators: vec![Perpetrator::CriminalOrganisation],
        victims: vec![],
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
        reported_to_authorities: None,
        report_number: String::new(),
        authority_response: String::new(),
        injuries: String::new(),
        medical_care: String::new(),
        on_way_to_hearing: false,
        missed_hearing_id: None,
        narrative: narrative.into(),
        source: IncidentSource::ClientInterview,
        taken_by: String::new(),
    }
}

#[test]
fn finds_every_kind_by_accentless_lowercase_words_and_a_numbers() {
    let (_t, mut v) = vault();
    let c = v
        .create_client(&ClientInput {
            given_names: "José Ángel".into(),
            family_names: "Peña".into(),
            a_number: Some("A123456789".into()),
            family: vec![FamilyMemberInput {
                given_names: "Itzel".into(),
                family_names: "Peña".into(),
                a_number: Some("987654321".into()),
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("client");
    v.add_incident(&incident(
        &c.id,
        "Ciudad Juárez",
        "Lo subieron a una camioneta blanca frente a la central camionera.",
    ))
    .expect("incident");

    assert_eq!(
        kinds(&v.search("jose angel").expect("s")),
        [(HitKind::Client, "José Ángel Peña".to_owned())]
    );
    assert_eq!(
        kinds(&v.search("PENA itzel").expect("s"))[0].0,
        HitKind::FamilyMember
    );
    for spelling in ["A123456789", "a-123-456-789", "123-456-789", "123 456 789"] {
        let hits = kinds(&v.search(spelling).expect("s"));
        assert_eq!(
            hits,
            [(HitKind::Client, "José Ángel Peña".to_owned())],
            "{spelling}"
        );
    }
    assert_eq!(
        kinds(&v.search("987654321").expect("s"))[0].0,
        HitKind::FamilyMember
    );
    let juarez = v.search("Juarez").expect("s");
    assert_eq!(juarez.groups[0].kind, HitKind::Incident);
    // A narrative word, by its first letters (typing in progress).
    let camio = v.search("camione").expect("s");
    assert_eq!(camio.groups[0].kind, HitKind::Incident);
    assert!(
        camio.groups[0].hits[0].snippet.contains('\u{2}'),
        "matches are marked"
    );
    assert!(v.search("zzzzqqq").expect("s").groups.is_empty());
}

#[test]
fn edits_and_deletions_reach_the_index_in_the_same_transaction() {
    let (_t, mut v) = vault();
    let mut input = ClientInput {
        given_names: "Marisol".into(),
        family_names: "Reyes".into(),
        notes: "Vive en el albergue Esperanza".into(),
        ..Default::default()
    };
    let c = v.create_client(&input).expect("client");
    assert_eq!(v.search("esperanza").expect("s").groups.len(), 1);
    input.notes = "Se mudó a un cuarto rentado en Otay".into();
    v.update_client(&c.id, &input).expect("edit");
    assert!(
        v.search("esperanza").expect("s").groups.is_empty(),
        "old words are gone"
    );
    assert_eq!(
        v.search("otay").expect("s").groups.len(),
        1,
        "new words are found"
    );

    let other = v
        .create_client(&ClientInput {
            given_names: "Wendy".into(),
            family_names: "Otay".into(),
            ..Default::default()
        })
        .expect("other");
    v.add_incident(&incident(&other.id, "Tijuana", "Amenazas en Otay"))
        .expect("incident");
    assert_eq!(kinds(&v.search("otay").expect("s")).len(), 3);
    v.delete_client(&other.id).expect("delete");
    // The deleted client and the incident filed under them are no longer found.
    assert_eq!(
        kinds(&v.search("otay").expect("s")),
        [(HitKind::Client, "Marisol Reyes".to_owned())]
    );
}

#[test]
fn search_syntax_in_the_box_is_only_words() {
    let (_t, mut v) = vault();
    v.create_client(&ClientInput {
        given_names: "Ana".into(),
        family_names: "Cruz".into(),
        ..Default::default()
    })
    .expect("client");
    for q in [
        "\"",
        "cruz OR",
        "NEAR(cruz",
        "cruz*",
        "-cruz",
        "c:ruz",
        "cruz)",
    ] {
        assert!(v.search(q).is_ok(), "{q}");
    }
    assert_eq!(v.search("cruz*").expect("s").groups.len(), 1);
}

#[test]
fn a_common_word_ranks_among_the_newest_matches_and_new_records_come_first() {
    let (_t, mut v) = vault();
    let c = v
        .create_client(&ClientInput {
            given_names: "Iris".into(),
            family_names: "Flores".into(),
            ..Default::default()
        })
        .expect("client");
    // More matches than the ranking pool: the newest must still be found.
    for i in 0..(amparo_core::search::RECENT_POOL + 40) {
        v.add_incident(&incident(
            &c.id,
            "Reynosa",
            &format!("Nota {i} sobre Reynosa"),
        ))
        .expect("incident");
    }
    v.add_incident(&incident(&c.id, "Reynosa", "La más reciente: Reynosa"))
        .expect("newest");
    let found = v.search("reynosa").expect("search");
    let incidents = found
        .groups
        .iter()
        .find(|g| g.kind == HitKind::Incident)
        .expect("incidents");
    assert_eq!(incidents.hits.len(), amparo_core::search::PER_KIND);
    assert!(
        incidents
            .hits
            .iter()
            .any(|h| h.snippet.contains("reciente")),
        "the newest match is among the results"
    );
    assert!(
        !incidents.hits.iter().any(|h| h.snippet.contains("Nota 0 ")),
        "the oldest, outside the pool, is not"
    );
}

#[test]
fn a_word_being_typed_finds_every_word_it_starts() {
    let (_t, mut v) = vault();
    let c = v
        .create_client(&ClientInput {
            given_names: "Rosa".into(),
            family_names: "Pérez".into(),
            ..Default::default()
        })
        .expect("client");
    v.add_incident(&incident(
        &c.id,
        "Ciudad Juárez",
        "Un taxista juarense la llevó.",
    ))
    .expect("one");
    let other = v
        .create_client(&ClientInput {
            given_names: "Iris".into(),
            family_names: "Soto".into(),
            ..Default::default()
        })
        .expect("client");
    // More words starting "mar" than one expansion holds: the search asks FTS5 for the prefix.
    let many: String = (0..amparo_core::search::MAX_EXPANSION + 5)
        .map(|i| format!("marq{i}w "))
        .collect();
    v.add_incident(&incident(&other.id, "Reynosa", &format!("{many} marzo")))
        .expect("two");

    let expr = v
        .search_expression("juar", HitKind::Incident)
        .expect("expr")
        .expect("some");
    assert!(
        expr.contains("\"juarez\"") && expr.contains("\"juarense\""),
        "{expr}"
    );
    let r = v.search("juar").expect("search");
    assert_eq!(
        kinds(&r),
        vec![(HitKind::Incident, "Rosa Pérez".to_owned())]
    );
    // Each word is expanded on its own and all must match.
    assert_eq!(v.search("juare taxi").expect("search").groups.len(), 1);
    assert!(v.search("juare reynosa").expect("search").groups.is_empty());
    // A prefix nobody's words start with finds nothing (and is cheap).
    assert!(v.search("juarq").expect("search").groups.is_empty());
    let expr = v
        .search_expression("mar", HitKind::Incident)
        .expect("expr")
        .expect("some");
    assert_eq!(expr, "\"mar\"*", "too many words: the prefix as typed");
    let r = v.search("marz").expect("search");
    assert_eq!(kinds(&r), vec![(HitKind::Incident, "Iris Soto".to_owned())]);
}

/// The volunteers' words: an act, a perpetrator, a kind of place and an outcome are found by
/// their labels in Spanish or English, and a client by any piece of three or more digits of
/// the A-number.
#[test]
fn labels_in_either_language_and_pieces_of_a_numbers_find_records() {
    use amparo_core::hearings::HearingInput;
    let (_t, mut v) = vault();
    let c = v
        .create_client(&ClientInput {
            given_names: "Keila".into(),
            family_names: "Mejía".into(),
            a_number: Some("A212345678".into()),
            family: vec![FamilyMemberInput {
                given_names: "Dunia".into(),
                a_number: Some("208114372".into()),
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("client");
    let mut taxi = incident(&c.id, "Tijuana", "Esperaba afuera del albergue.");
    taxi.place_kind = Some(PlaceKind::TaxiOrCar);
    taxi.perpetrators = vec![Perpetrator::MexicanPolice];
    v.add_incident(&taxi).expect("incident");
    v.add_hearing(&HearingInput {
        client_id: c.id.clone(),
        people: vec![],
        court: Court::SanDiego,
        court_zone: None,
        venue: HearingVenue::InPerson,
        hearing_type: HearingType::MasterCalendar,
        scheduled_local: "2019-11-04T08:00".into(),
        port: Some(Port::SanYsidro),
        report_local: None,
        judge: String::new(),
        interpreter_language: None,
        attendees: String::new(),
        outcome: HearingOutcome::RemovedInAbsentia,
        next_date: None,
        missed_reason: Some(MissedReason::KidnappedOrHeld),
        missed_account: String::new(),
        notes: String::new(),
    })
    .expect("hearing");

    for word in ["secuestro", "kidnapping", "policía", "taxi", "Secuestr"] {
        let r = v.search(word).expect("s");
        assert_eq!(
            r.groups.first().map(|g| g.kind),
            Some(HitKind::Incident),
            "{word}: {r:?}"
        );
    }
    // The codes are asked only of the kind whose index holds them, and a code phrase another
    // code finds ("attempted kidnapping" beside "kidnapping") is not asked at all.
    let asked = |kind| {
        v.search_expression("secuestro", kind)
            .expect("e")
            .expect("some")
    };
    assert_eq!(
        asked(HitKind::Incident),
        "(\"secuestro\" OR \"kidnapping\")"
    );
    for kind in [
        HitKind::Client,
        HitKind::FamilyMember,
        HitKind::Hearing,
        HitKind::Screening,
    ] {
        assert_eq!(asked(kind), "\"secuestro\"", "{kind:?}");
    }
    let hit = &v.search("secuestro").expect("s").groups[0].hits[0];
    assert!(
        hit.snippet.contains("\u{2}kidnapping\u{3}"),
        "{}",
        hit.snippet
    );
    for word in ["ausencia", "absentia", "preliminar"] {
        let r = v.search(word).expect("s");
        assert!(
            r.groups.iter().any(|g| g.kind == HitKind::Hearing),
            "{word}: {r:?}"
        );
    }
    for piece in ["345", "2345678", "4567"] {
        let r = v.search(piece).expect("s");
        assert_eq!(
            kinds(&r).first(),
            Some(&(HitKind::Client, "Keila Mejía".to_owned())),
            "{piece}"
        );
        assert!(r.groups[0].hits[0].snippet.contains("A-212-345-678"));
    }
    let r = v.search("8114").expect("s");
    assert_eq!(kinds(&r).first().map(|k| k.0), Some(HitKind::FamilyMember));
    assert!(v.search("99999").expect("s").groups.is_empty());
}
