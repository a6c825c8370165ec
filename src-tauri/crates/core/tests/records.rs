//! Hearings, screenings, incidents and attachments: the core API later screens build on.

use amparo_core::clients::{ClientInput, FamilyMemberInput};
use amparo_core::codes::*;
use amparo_core::hearings::*;
use amparo_core::incidents::*;
use amparo_core::records::*;
use amparo_core::screenings::*;
use amparo_core::{Error, KdfChoice, KdfParams, Vault};

fn setup() -> (tempfile::TempDir, Vault, String, String) {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = Vault::create(
        tmp.path(),
        "correct horse battery",
        KdfChoice::Fixed(KdfParams::MINIMUM),
        "t",
    )
    .expect("create");
    let c = v
        .create_client(&ClientInput {
            given_names: "Glenda".into(),
            family_names: "Reyes".into(),
            family: vec![FamilyMemberInput {
                given_names: "Kevin".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("client");
    let child = c.family[0].id.clone();
    (tmp, v, c.id, child)
}

fn hearing(client: &str, when: &str) -> HearingInput {
    HearingInput {
        client_id: client.into(),
        people: vec![],
        court: Court::BrownsvilleTent,
        court_zone: None,
        venue: HearingVenue::PortTent,
        hearing_type: HearingType::MasterCalendar,
        scheduled_local: when.into(),
        port: Some(Port::BrownsvilleGateway),
        report_local: Some("2019-11-04T04:30".into()),
        judge: String::new(),
        interpreter_language: Some("es".into()),
        attendees: String::new(),
        outcome: HearingOutcome::Scheduled,
        next_date: None,
        missed_reason: None,
        missed_account: String::new(),
        notes: String::new(),
    }
}

#[test]
fn hearing_is_stored_as_utc_with_its_court_zone() {
    let (_t, mut v, client, child) = setup();
    let mut h = hearing(&client, "2019-11-04T08:00");
    h.people = vec![
        PersonRef::Client(client.clone()),
        PersonRef::FamilyMember(child),
    ];
    let saved = v.add_hearing(&h).expect("save");
    assert_eq!(saved.court_zone, "America/Chicago");
    // 08:00 CST (after the Nov 3 change) is 14:00 UTC.
    assert_eq!(saved.scheduled_at_utc, "2019-11-04T14:00:00Z");
    assert_eq!(saved.at_court.local, "2019-11-04T08:00");
    assert_eq!(saved.at_court.abbrev, "CST");
    assert_eq!(saved.people.len(), 2);
    assert_eq!(v.hearings_for_client(&client).expect("list").len(), 1);
}

#[test]
fn hearing_rejects_bad_times_and_strangers() {
    let (_t, mut v, client, _) = setup();
    let mut h = hearing(&client, "2020-03-08T02:30");
    h.people = vec![PersonRef::FamilyMember("someone-else".into())];
    match v.add_hearing(&h).expect_err("invalid") {
        Error::Validation(f) => {
            let codes: Vec<_> = f
                .iter()
                .map(|f| (f.field.as_str(), f.code.code()))
                .collect();
            assert!(
                codes.contains(&("scheduled_local", "time_skipped_by_dst")),
                "{codes:?}"
            );
            assert!(codes.contains(&("people.0", "unknown_person")), "{codes:?}");
        }
        e => panic!("{e:?}"),
    }
    let mut other = hearing(&client, "2020-01-01T09:00");
    other.court = Court::Other;
    other.court_zone = Some("Mars/Olympus".into());
    assert!(matches!(v.add_hearing(&other), Err(Error::Validation(_))));
}

/// A client's screenings, read in one query: theirs only, by date, without the deleted ones,
/// whatever order they were written in between other clients' notes.
#[test]
fn a_clients_screenings_come_by_date_theirs_only() {
    let (_t, mut v, first, _) = setup();
    let second = v
        .create_client(&ClientInput {
            given_names: "Ana".into(),
            family_names: "Núñez".into(),
            ..Default::default()
        })
        .expect("client")
        .id;
    let mut ids = Vec::new();
    for (i, day) in ["2020-05-02", "2019", "2020-05", "2020-01-15", "2019-12"]
        .into_iter()
        .enumerate()
    {
        for client in [&first, &second] {
            let s = v
                .add_screening(&ScreeningInput {
                    client_id: client.clone(),
                    screened_on: day.into(),
                    fear_expressed_to: FearExpressedTo::AsylumOfficer,
                    interview_held: false,
                    interview_mode: None,
                    location: String::new(),
                    duration_minutes: None,
                    counsel_allowed: None,
                    conduct: None,
                    outcome: ScreeningOutcome::Pending,
                    notes: format!("{client} {i}"),
                })
                .expect("screening");
            ids.push(s.id);
        }
    }
    // The first client's 2020-01-15 screening is deleted.
    v.delete_screening(&ids[6]).expect("delete");
    let listed = |v: &Vault, client: &str| -> Vec<String> {
        v.screenings_for_client(client)
            .expect("list")
            .into_iter()
            .map(|s| {
                assert!(
                    s.input.notes.starts_with(client),
                    "another client's screening"
                );
                s.input.screened_on
            })
            .collect()
    };
    assert_eq!(
        listed(&v, &first),
        ["2019", "2019-12", "2020-05", "2020-05-02"]
    );
    assert_eq!(
        listed(&v, &second),
        ["2019", "2019-12", "2020-01-15", "2020-05", "2020-05-02"]
    );
    assert!(matches!(
        v.screenings_for_client("no-such-client"),
        Err(Error::NotFound)
    ));
}

#[test]
fn screening_and_incident_round_trip_with_victims_and_missed_hearing() {
    let (_t, mut v, client, child) = setup();
    let h = v
        .add_hearing(&hearing(&client, "2019-11-04T08:00"))
        .expect("hearing");
    let s = v
        .add_screening(&ScreeningInput {
            client_id: client.clone(),
            screened_on: "2019-10".into(),
            fear_expressed_to: FearExpressedTo::CbpOfficer,
            interview_held: true,
            interview_mode: Some(InterviewMode::Phone),
            location: String::new(),
            duration_minutes: Some(12),
            counsel_allowed: Some(false),
            conduct: Some(InterviewConduct::Cursory),
            outcome: ScreeningOutcome::ReturnedToMexico,
            notes: "Officer did not let her finish.".into(),
        })
        .expect("screening");
    assert_eq!(s.input.screened_on, "2019-10");
    let inc = v
        .add_incident(&IncidentInput {
            client_id: client.clone(),
            date_start: "2019-11".into(),
            date_end: None,
            state: Some("TAMPS".into()),
            city: "Matamoros".into(),
            place_kind: Some(PlaceKind::WayToOrFromHearing),
            acts: vec![Act::Kidnapping, Act::Extortion],
            perpetrators: vec![Perpetrator::CriminalOrganisation],
            victims: vec![
                PersonRef::Client(client.clone()),
                PersonRef::FamilyMember(child),
            ],
            ransom_demanded_minor: Some(500_000),
            ransom_paid_minor: None,
            ransom_paid: None,
            ransom_paid_by: String::new(),
            held_days: None,
            date_unknown: false,
            date_after: None,
            date_before: None,
            other_victims: Vec::new(),
            perpetrator_detail: String::new(),
            ransom_currency: Some("USD".into()),
            reported_to_authorities: Some(false),
            report_number: String::new(),
            authority_response: String::new(),
            injuries: String::new(),
            medical_care: String::new(),
            on_way_to_hearing: true,
            missed_hearing_id: Some(h.id.clone()),
            narrative: "Los secuestraron en Matamoros camino al puente.".into(),
            source: IncidentSource::ClientInterview,
            taken_by: "LS".into(),
        })
        .expect("incident");
    assert_eq!(inc.date_precision, "month");
    assert_eq!(inc.input.victims.len(), 2);
    // Kevin was added without a date of birth, so he is not counted as a child.
    assert_eq!(inc.children_harmed, 0);
    assert_eq!(inc.input.missed_hearing_id.as_deref(), Some(h.id.as_str()));
    assert_eq!(v.incidents_for_client(&client).expect("list").len(), 1);
    assert_eq!(v.screenings_for_client(&client).expect("list").len(), 1);
}

#[test]
fn incident_requires_acts_and_valid_state() {
    let (_t, mut v, client, _) = setup();
    let bad = IncidentInput {
        client_id: client,
        date_start: "2031-01-01".into(),
        date_end: None,
        state: Some("XX".into()),
        city: String::new(),
        place_kind: None,
        acts: vec![],
        perpetrators: vec![],
        victims: vec![],
        ransom_demanded_minor: Some(-5),
        ransom_paid_minor: None,
        ransom_paid: None,
        ransom_paid_by: String::new(),
        held_days: None,
        date_unknown: false,
        date_after: None,
        date_before: None,
        other_victims: Vec::new(),
        perpetrator_detail: String::new(),
        ransom_currency: Some("dollars".into()),
        reported_to_authorities: None,
        report_number: String::new(),
        authority_response: String::new(),
        injuries: String::new(),
        medical_care: String::new(),
        on_way_to_hearing: false,
        missed_hearing_id: Some("nope".into()),
        narrative: String::new(),
        source: IncidentSource::Document,
        taken_by: String::new(),
    };
    match v.add_incident(&bad).expect_err("invalid") {
        Error::Validation(f) => {
            let fields: Vec<_> = f.iter().map(|f| f.field.as_str()).collect();
            for want in [
                "date_start",
                "state",
                "acts",
                "ransom_demanded_minor",
                "ransom_currency",
                "missed_hearing_id",
            ] {
                assert!(fields.contains(&want), "{want} missing from {fields:?}");
            }
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn attachments_keep_bytes_and_hash_and_refuse_empty_or_oversized() {
    let (_t, mut v, client, _) = setup();
    let bytes = b"%PDF-1.4 evidence".to_vec();
    let a = v
        .add_attachment(
            AttachmentOwner::Client,
            &client,
            "../../etc/x\u{7}.pdf",
            "application/pdf",
            &bytes,
            1024,
        )
        .expect("add");
    assert_eq!(a.file_name, "x.pdf");
    use sha2::Digest;
    assert_eq!(a.sha256, hex::encode(sha2::Sha256::digest(&bytes)));
    assert_eq!(v.attachment_bytes(&a.id).expect("bytes"), bytes);
    assert!(matches!(
        v.add_attachment(
            AttachmentOwner::Client,
            &client,
            "e.txt",
            "text/plain",
            b"",
            1024
        ),
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        v.add_attachment(
            AttachmentOwner::Client,
            &client,
            "big.bin",
            "application/octet-stream",
            &[0u8; 2048],
            1024
        ),
        Err(Error::Validation(_))
    ));
    assert_eq!(
        v.attachments_for(AttachmentOwner::Client, &client)
            .expect("list")
            .len(),
        1
    );
}

#[test]
fn attach_types_by_content_and_honours_the_vault_limit() {
    use amparo_core::attachments::sniff_media_type;
    use amparo_core::settings::VaultSettings;
    let (_tmp, mut v, client, _) = setup();
    assert_eq!(sniff_media_type(b"%PDF-1.7 ..."), "application/pdf");
    assert_eq!(
        sniff_media_type(&[0x89, b'P', b'N', b'G', 0x0d]),
        "image/png"
    );
    assert_eq!(sniff_media_type(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
    assert_eq!(sniff_media_type("nota en español".as_bytes()), "text/plain");
    assert_eq!(
        sniff_media_type(&[0, 159, 146, 150]),
        "application/octet-stream"
    );
    // A file named .jpg that is really a PDF is typed as a PDF.
    let a = v
        .attach(AttachmentOwner::Client, &client, "foto.jpg", b"%PDF-1.4 x")
        .expect("attach");
    assert_eq!(a.media_type, "application/pdf");
    v.save_settings(&VaultSettings {
        max_attachment_mb: 1,
        ..VaultSettings::default()
    })
    .expect("limit");
    let big = vec![7u8; 1024 * 1024 + 1];
    match v.attach(AttachmentOwner::Client, &client, "big.bin", &big) {
        Err(Error::Validation(f)) => assert_eq!(f[0].code.code(), "file_too_large"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        v.attachments_for(AttachmentOwner::Client, &client)
            .expect("list")
            .len(),
        1,
        "nothing half-stored"
    );
    // Save a copy where the user chose; deleting takes it out of the list.
    let chosen = tempfile::tempdir().expect("chosen");
    let out = chosen.path().join("copy.pdf");
    v.save_attachment_copy(&a.id, &out).expect("copy");
    assert_eq!(std::fs::read(&out).expect("read"), b"%PDF-1.4 x");
    v.delete_attachment(&a.id).expect("delete");
    assert!(
        v.attachments_for(AttachmentOwner::Client, &client)
            .expect("list")
            .is_empty()
    );
    assert!(
        v.history("attachment", &a.id)
            .expect("history")
            .iter()
            .any(|e| e.action == "export")
    );
}

#[test]
fn incidents_edit_and_show_on_the_hearing_they_made_someone_miss() {
    let (_t, mut v, client, _) = setup();
    let h = v
        .add_hearing(&hearing(&client, "2019-11-04T08:00"))
        .expect("hearing");
    let mut input = IncidentInput {
        client_id: client.clone(),
        date_start: "2019-11-01".into(),
        date_end: Some("2019-11-07".into()),
        state: Some("TAMPS".into()),
        city: "Matamoros".into(),
        place_kind: Some(PlaceKind::JustAfterReturn),
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
        missed_hearing_id: Some(h.id.clone()),
        narrative: "Primera versión".into(),
        source: IncidentSource::ClientInterview,
        taken_by: String::new(),
    };
    let inc = v.add_incident(&input).expect("incident");
    assert_eq!(inc.date_precision, "range");
    assert_eq!(inc.days_since_return, None, "no return date recorded");
    let linked = v.hearing(&h.id).expect("hearing").linked_incidents;
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].acts, [Act::Kidnapping]);
    input.narrative = "Segunda versión".into();
    input.date_end = Some("2019-10-01".into());
    assert!(
        matches!(
            v.save_incident(Some(&inc.id), &input),
            Err(Error::Validation(_))
        ),
        "end before start"
    );
    input.date_end = None;
    let edited = v.save_incident(Some(&inc.id), &input).expect("edit");
    assert_eq!(edited.input.narrative, "Segunda versión");
    assert_eq!(edited.id, inc.id);
    assert_eq!(
        v.history("incident", &inc.id).expect("history")[0].action,
        "update"
    );
    v.delete_incident(&inc.id).expect("delete");
    assert!(
        v.hearing(&h.id)
            .expect("hearing")
            .linked_incidents
            .is_empty()
    );
}

#[test]
fn incidents_count_children_and_days_since_return() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = Vault::create(
        tmp.path(),
        "correct horse battery",
        KdfChoice::Fixed(KdfParams::MINIMUM),
        "t",
    )
    .expect("create");
    let c = v
        .create_client(&ClientInput {
            given_names: "Reina".into(),
            family_names: "Batz".into(),
            date_of_birth: Some("1990".into()),
            returned_on: Some("2019-10-20".into()),
            family: vec![
                FamilyMemberInput {
                    given_names: "Luz".into(),
                    date_of_birth: Some("2015-03-01".into()),
                    ..Default::default()
                },
                FamilyMemberInput {
                    given_names: "Abuela".into(),
                    date_of_birth: Some("1950".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        })
        .expect("client");
    let inc = v
        .add_incident(&IncidentInput {
            client_id: c.id.clone(),
            date_start: "2019-11-01".into(),
            date_end: None,
            state: Some("BC".into()),
            city: "Tijuana".into(),
            place_kind: None,
            acts: vec![Act::Threats],
            perpetrators: vec![],
            victims: vec![
                PersonRef::Client(c.id.clone()),
                PersonRef::FamilyMember(c.family[0].id.clone()),
                PersonRef::FamilyMember(c.family[1].id.clone()),
            ],
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
            narrative: String::new(),
            source: IncidentSource::OtherPerson,
            taken_by: String::new(),
        })
        .expect("incident");
    assert_eq!(inc.days_since_return, Some(12));
    assert_eq!(inc.children_harmed, 1);
}

fn incident_from(json: serde_json::Value) -> IncidentInput {
    serde_json::from_value(json).expect("incident input")
}

/// A client's incidents, read in one query, come whole (the people harmed, the days since the
/// return, the children among them) and only theirs, deleted ones left out.
#[test]
fn a_clients_incidents_come_whole_and_theirs_only() {
    let (_t, mut v, first, child) = setup();
    let mut glenda = v.client(&first).expect("client").to_input();
    glenda.family[0].date_of_birth = Some("2015-03-01".into());
    v.update_client(&first, &glenda)
        .expect("Kevin's birth date");
    let second = v
        .create_client(&ClientInput {
            given_names: "Ana".into(),
            family_names: "Núñez".into(),
            returned_on: Some("2019-04-01".into()),
            ..Default::default()
        })
        .expect("client")
        .id;
    let mut ids = Vec::new();
    for day in ["2019-06-02", "2019-05", "2019-04-20"] {
        for client in [&first, &second] {
            let mut j = serde_json::json!({
                "client_id": client, "date_start": day, "acts": ["extortion"],
                "narrative": format!("{client} {day}"), "source": "client_interview",
            });
            if *client == first {
                j["victims"] = serde_json::json!([{"kind": "family_member", "id": child}]);
            }
            ids.push(v.add_incident(&incident_from(j)).expect("incident").id);
        }
    }
    v.delete_incident(&ids[2]).expect("delete");
    for (client, dates) in [
        (&first, vec!["2019-04-20", "2019-06-02"]),
        (&second, vec!["2019-04-20", "2019-05", "2019-06-02"]),
    ] {
        let listed = v.incidents_for_client(client).expect("list");
        let shown: Vec<&str> = listed.iter().map(|i| i.input.date_start.as_str()).collect();
        assert_eq!(shown, dates);
        for inc in &listed {
            assert!(inc.input.narrative.starts_with(client.as_str()));
            let by_id = v.incident(&inc.id).expect("by id");
            assert_eq!(
                serde_json::to_value(inc).expect("json"),
                serde_json::to_value(&by_id).expect("json"),
                "the list and the record read alone agree"
            );
        }
    }
    let kevin = &v.incidents_for_client(&first).expect("list")[0];
    assert_eq!(kevin.input.victims.len(), 1);
    assert_eq!(kevin.children_harmed, 1);
    let ana = &v.incidents_for_client(&second).expect("list")[0];
    assert_eq!(ana.days_since_return, Some(19));
    assert!(matches!(
        v.incidents_for_client("no-such-client"),
        Err(Error::NotFound)
    ));
}

#[test]
fn an_unknown_date_is_kept_unknown_with_its_bounds_and_placed_by_them() {
    let (_t, mut v, client, _child) = setup();
    let base = |extra: serde_json::Value| {
        let mut j = serde_json::json!({
            "client_id": client, "acts": ["kidnapping"], "narrative": "x",
            "source": "client_interview",
        });
        j.as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        incident_from(j)
    };
    let known = v
        .add_incident(&base(serde_json::json!({"date_start": "2019-05"})))
        .expect("known");
    let bounded = v
        .add_incident(&base(serde_json::json!({
            "date_unknown": true, "date_after": "2019-03", "date_before": "2019-07-20"
        })))
        .expect("bounded");
    assert_eq!(bounded.date_precision, "unknown");
    assert_eq!(bounded.input.date_start, "");
    assert!(bounded.input.date_unknown);
    assert_eq!(bounded.input.date_after.as_deref(), Some("2019-03"));
    assert_eq!(bounded.input.date_before.as_deref(), Some("2019-07-20"));
    let open = v
        .add_incident(&base(serde_json::json!({"date_unknown": true})))
        .expect("no bounds at all");
    assert_eq!(open.input.span(), None);
    // Bounded by March sorts before May; with no bounds at all, last.
    let order: Vec<String> = v
        .incidents_for_client(&client)
        .expect("list")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(
        order,
        [bounded.id.clone(), known.id.clone(), open.id.clone()]
    );
    let timeline: Vec<String> = v
        .timeline(&client)
        .expect("timeline")
        .into_iter()
        .map(|i| i.date)
        .collect();
    assert_eq!(timeline, ["", "2019-05", ""]);

    let codes = |input: IncidentInput, v: &mut Vault| match v.add_incident(&input) {
        Err(Error::Validation(f)) => f
            .into_iter()
            .map(|f| (f.field, f.code.code().to_owned()))
            .collect::<Vec<_>>(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
    assert_eq!(
        codes(
            base(serde_json::json!({"date_unknown": true, "date_start": "2019"})),
            &mut v
        ),
        [pair("date_start", "date_given_but_unknown")]
    );
    assert_eq!(
        codes(
            base(serde_json::json!({"date_start": "2019", "date_after": "2018"})),
            &mut v
        ),
        [pair("date_after", "bounds_with_known_date")]
    );
    assert_eq!(
        codes(base(serde_json::json!({})), &mut v),
        [pair("date_start", "required")]
    );
    assert_eq!(
        codes(
            base(serde_json::json!({
                "date_unknown": true, "date_after": "2019-08", "date_before": "2019-07"
            })),
            &mut v
        ),
        [pair("date_before", "before_start")]
    );
    assert_eq!(
        codes(
            base(serde_json::json!({"date_unknown": true, "date_after": "2999"})),
            &mut v
        ),
        [pair("date_after", "date_in_future")]
    );
}

#[test]
fn others_harmed_are_kept_apart_from_the_client_and_checked() {
    let (_t, mut v, client, _child) = setup();
    let input = |others: serde_json::Value, victims: serde_json::Value| {
        incident_from(serde_json::json!({
            "client_id": client, "date_start": "2019-04", "acts": ["murder"],
            "narrative": "x", "source": "client_interview",
            "victims": victims, "other_victims": others,
        }))
    };
    let only_others = v
        .add_incident(&input(
            serde_json::json!([
                {"name": "Wilmer", "age_years": 24, "relation": "travel companion"},
                {"age_years": 16, "relation": "a boy from the shelter"}
            ]),
            serde_json::json!([]),
        ))
        .expect("others only");
    // The client was not harmed: no link to them, though the list of victims is empty.
    assert!(only_others.input.victims.is_empty());
    assert_eq!(only_others.input.other_victims.len(), 2);
    assert_eq!(only_others.input.other_victims[0].name, "Wilmer");
    assert_eq!(only_others.input.other_victims[1].age_years, Some(16));
    assert_eq!(only_others.children_harmed, 1);
    let none = v
        .add_incident(&input(serde_json::json!([]), serde_json::json!([])))
        .expect("nobody named");
    assert_eq!(none.input.victims, [PersonRef::Client(client.clone())]);
    // Found by the companion's name.
    let found = v.search("Wilmer").expect("search");
    assert!(
        found
            .groups
            .iter()
            .flat_map(|g| &g.hits)
            .any(|h| h.record_id == only_others.id),
        "{found:?}"
    );

    match v.add_incident(&input(
        serde_json::json!([{"age_years": 130}]),
        serde_json::json!([]),
    )) {
        Err(Error::Validation(f)) => {
            let got: Vec<_> = f
                .iter()
                .map(|f| (f.field.as_str(), f.code.code()))
                .collect();
            assert_eq!(
                got,
                [
                    ("other_victims.0.relation", "required"),
                    ("other_victims.0.age_years", "out_of_range")
                ]
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let unknown = serde_json::from_value::<IncidentInput>(serde_json::json!({
        "client_id": client, "date_start": "2019", "acts": ["murder"], "narrative": "x",
        "source": "client_interview", "other_victims": [{"relation": "friend", "nmae": "x"}],
    }));
    assert!(
        unknown.is_err(),
        "an unknown field inside a person is refused"
    );
}
