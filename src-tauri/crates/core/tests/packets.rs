//! Complaint packets as data: the consent gate, what the document says of each person and
//! incident, that a pseudonymised document names no one, and the disclosure log. The printed
//! PDF is tested in the pdf crate.

#[path = "support/packet_case.rs"]
mod packet_case;

use amparo_core::Error;
use amparo_core::packet::labels::DocLang;
use amparo_core::packet::*;
use amparo_core::records::PersonRef;
use chrono::{TimeZone, Utc};
use packet_case::{Case, request};

/// Any bytes with a JPEG's signature: the core stores and lists the exhibit, the typesetter
/// re-encodes it.
fn case() -> Case {
    let mut photo = vec![0xFF, 0xD8, 0xFF, 0xE0];
    photo.extend_from_slice(b"GPS 32.5149 Marisela Quintanilla");
    packet_case::case(photo)
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 15, 30, 0)
        .single()
        .expect("time")
}

/// Everything the template would read, as one string.
fn json(doc: &PacketDocument) -> String {
    serde_json::to_string(&doc.content).expect("json")
}

/// A packet as the core logs it; the bytes stand for the PDF the typesetter would make.
fn built(doc: &PacketDocument) -> BuiltPacket {
    BuiltPacket::from_pdf(doc, b"%PDF-1.7 stand-in".to_vec(), 3, true)
}

#[test]
fn an_identified_document_carries_the_facts_at_their_precision() {
    let c = case();
    let doc =
        c.v.packet_document(&request(&c, Profile::Identified, DocLang::En), now())
            .expect("document");
    let text = json(&doc);
    for fact in [
        "Marisela Quintanilla Obregón",
        "A-201-234-567",
        "14 July 1991",
        "Ciudad Juárez, Chihuahua",
        "Kidnapping",
        "Physical assault",
        "14 March 2026",
        "April 2026",
        "Removal ordered in absentia",
        "Clínica Fronteriza",
        "Lic. Ana Ruiz",
        "Office of Inspector General",
    ] {
        assert!(text.contains(fact), "{fact:?} missing from the document");
    }
    assert!(!text.contains("1 April 2026"), "a month is never a day");
    let components: Vec<&str> = doc
        .content
        .components
        .iter()
        .map(|x| x.name.as_str())
        .collect();
    assert_eq!(components, ["CBP", "ICE", "USCIS"]);
    // The photo is exhibit 1, listed under the kidnapping, with the stored file's hash.
    let x = &doc.content.exhibits[0];
    assert_eq!((x.number, x.kind), (1, ExhibitKind::Image));
    assert_eq!(x.sha256, c.photo_sha);
    assert_eq!(doc.files.len(), 1, "the photo's bytes go to the typesetter");
    // The child lacks consent for DHS: a pseudonym, never her name.
    assert!(!text.contains("Dilcia"));
    let child = doc
        .people
        .iter()
        .find(|p| p.person == PersonRef::FamilyMember(c.child.clone()))
        .expect("child in the plan");
    assert_eq!(child.treatment, Treatment::Pseudonymised);
    assert!(text.contains(&child.pseudonym));
}

#[test]
fn a_pseudonymised_document_names_no_one() {
    let c = case();
    let doc =
        c.v.packet_document(&request(&c, Profile::Pseudonymised, DocLang::En), now())
            .expect("document");
    let text = json(&doc);
    for secret in [
        "Marisela",
        "Quintanilla",
        "Obregón",
        "Dilcia",
        "201234567",
        "201-234-567",
        "14 July 1991",
        "555 0199",
    ] {
        assert!(!text.contains(secret), "{secret:?} in the document");
    }
    assert!(text.contains("[A-number withheld]"));
    assert_eq!(doc.content.exhibits[0].file_name, "exhibit-1.jpg");
    assert!(
        doc.people
            .iter()
            .all(|p| p.treatment == Treatment::Pseudonymised)
    );
}

#[test]
fn consent_is_never_overridden_without_a_written_reason_and_the_reason_is_logged() {
    let mut c = case();
    let mut req = request(&c, Profile::Identified, DocLang::En);
    req.choices = vec![PersonChoice {
        person: PersonRef::FamilyMember(c.child.clone()),
        treatment: Treatment::Identified,
        override_reason: "  ".into(),
    }];
    match c.v.packet_document(&req, now()).expect_err("no reason") {
        Error::Validation(f) => assert_eq!(f[0].code.code(), "override_reason_required"),
        e => panic!("unexpected {e:?}"),
    }
    req.choices[0].override_reason = "Her mother asked, for the reunification case.".into();
    let doc = c.v.packet_document(&req, now()).expect("document");
    assert!(json(&doc).contains("Dilcia Quintanilla"));
    let saved = c.v.record_packet(&built(&doc)).expect("record");
    assert_eq!(saved.created_by, "Ana (volunteer)");
    assert!(
        saved
            .request
            .choices
            .iter()
            .any(|ch| ch.override_reason.contains("reunification"))
    );
    let history = c.v.history("packet", &saved.id).expect("history");
    assert!(
        history[0]
            .changed_fields
            .iter()
            .any(|f| f == "consent_override")
    );

    // Left out: neither name nor pseudonym; the client cannot be left out of their own packet.
    req.choices[0].treatment = Treatment::Omitted;
    let text = json(&c.v.packet_document(&req, now()).expect("document"));
    assert!(!text.contains("Dilcia") && text.contains("[name withheld]"));
    req.choices = vec![PersonChoice {
        person: PersonRef::Client(c.client.clone()),
        treatment: Treatment::Omitted,
        override_reason: String::new(),
    }];
    assert!(matches!(
        c.v.packet_document(&req, now()),
        Err(Error::Validation(_))
    ));
}

#[test]
fn the_disclosure_log_follows_the_packet_and_the_chain_holds() {
    let mut c = case();
    let doc =
        c.v.packet_document(&request(&c, Profile::Confidential, DocLang::En), now())
            .expect("document");
    assert!(doc.content.confidential);
    let packet = built(&doc);
    let rec = c.v.record_packet(&packet).expect("record");
    assert_eq!(rec.pdf_sha256, packet.sha256);
    assert_eq!(rec.request.clients[0].incident_ids, c.incidents);
    let bad = c.v.update_packet_follow_up(
        &rec.id,
        &PacketFollowUp {
            sent_on: Some("2026-11".into()),
            complaint_number: String::new(),
            responses: String::new(),
        },
    );
    assert!(matches!(bad, Err(Error::Validation(_))));
    let follow = PacketFollowUp {
        sent_on: Some("2026-11-23".into()),
        complaint_number: "CRCL-2026-0412".into(),
        responses: "Acknowledged by email.".into(),
    };
    c.v.update_packet_follow_up(&rec.id, &follow)
        .expect("follow-up");
    let listed = c.v.packets_for_client(&c.client).expect("list");
    assert_eq!(listed[0].sent_on.as_deref(), Some("2026-11-23"));
    assert_eq!(listed[0].complaint_number, "CRCL-2026-0412");
    let chain = c.v.verify_audit_chain().expect("chain");
    assert!(chain.holds(), "{chain:?}");
    // The document names the history it follows: the head as it was when it was gathered.
    let head = c.v.audit_head().expect("head").expect("entries");
    let again =
        c.v.packet_document(&request(&c, Profile::Confidential, DocLang::En), now());
    let again = again.expect("document");
    assert!(
        again
            .content
            .audit_head
            .starts_with(&format!("#{} ", head.seq))
    );
}

#[test]
fn same_inputs_same_document_and_foreign_records_refused() {
    let c = case();
    let req = request(&c, Profile::Identified, DocLang::En);
    let a = c.v.packet_document_as(&req, now(), "p-fixed").expect("a");
    let b = c.v.packet_document_as(&req, now(), "p-fixed").expect("b");
    assert_eq!(json(&a), json(&b));
    let mut other = req.clone();
    other.clients[0].incident_ids.push("not-an-incident".into());
    assert!(matches!(
        c.v.packet_document(&other, now()),
        Err(Error::NotFound)
    ));
    let mut none = req.clone();
    none.requests.clear();
    assert!(matches!(
        c.v.packet_document(&none, now()),
        Err(Error::Validation(_))
    ));
}

#[test]
fn a_persons_pseudonym_is_theirs_in_every_packet_whoever_else_is_in_it() {
    use amparo_core::clients::ClientInput;
    use amparo_core::codes::Sex;
    use std::collections::HashMap;
    let mut c = case();
    // Ten women: with some forty names to start from, some of them share a starting point, so
    // a pseudonym decided by order of appearance would move between packets.
    let names = [
        "Lilia",
        "Yasmin",
        "Dolores",
        "Guadalupe",
        "Josefina",
        "Marta",
        "Reyna",
        "Sandra",
        "Tania",
        "Verónica",
    ];
    let ids: Vec<String> = names
        .iter()
        .map(|n| {
            c.v.create_client(&ClientInput {
                given_names: (*n).to_owned(),
                family_names: "Ramírez".to_owned(),
                sex: Some(Sex::Female),
                ..ClientInput::default()
            })
            .expect("client")
            .id
        })
        .collect();
    let packet = |c: &mut Case, order: &[usize]| -> HashMap<String, String> {
        let mut req = request(c, Profile::Pseudonymised, DocLang::En);
        req.clients = order
            .iter()
            .map(|&i| PacketSelection {
                client_id: ids[i].clone(),
                incident_ids: vec![],
                hearing_ids: vec![],
                screening_ids: vec![],
                exhibit_ids: vec![],
            })
            .collect();
        let doc = c.v.packet_document(&req, now()).expect("document");
        c.v.record_packet(&built(&doc)).expect("saved");
        doc.people
            .iter()
            .map(|p| match &p.person {
                PersonRef::Client(id) | PersonRef::FamilyMember(id) => {
                    (id.clone(), p.pseudonym.clone())
                }
            })
            .collect()
    };
    let orders: [&[usize]; 6] = [
        &[0, 1],
        &[1],
        &[1, 0],
        &[9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        &[2, 4, 6, 8],
        &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    ];
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for order in orders {
        for (id, pseudonym) in packet(&mut c, order) {
            let kept = first_seen
                .entry(id.clone())
                .or_insert_with(|| pseudonym.clone());
            assert_eq!(
                kept, &pseudonym,
                "a pseudonym moved between packets ({order:?})"
            );
        }
    }
    // No two people of the vault share one.
    let mut seen = std::collections::HashSet::new();
    for p in first_seen.values() {
        assert!(
            seen.insert(p.to_lowercase()),
            "{p} names two people: {first_seen:?}"
        );
    }
    assert_eq!(first_seen.len(), names.len());
}

#[test]
fn a_pseudonymised_packet_prints_coarse_facts_unless_asked_for_exact_ones() {
    let c = case();
    let coarse = json(
        &c.v.packet_document(&request(&c, Profile::Pseudonymised, DocLang::En), now())
            .expect("document"),
    );
    // Returned 10 January 2026 at El Paso; a hearing on 16 March 2026 with a report time at
    // the port; a child born in 2021.
    for exact in [
        "10 January 2026",
        "16 March 2026",
        "Paso del Norte",
        "5 years",
        "4 years",
    ] {
        assert!(!coarse.contains(exact), "{exact:?} in a coarse packet");
    }
    for month in ["January 2026", "March 2026", "under 5"] {
        assert!(coarse.contains(month), "{month:?} missing");
    }
    let mut req = request(&c, Profile::Pseudonymised, DocLang::En);
    req.facts = FactPrecision::Exact;
    let exact = json(&c.v.packet_document(&req, now()).expect("document"));
    for shown in ["10 January 2026", "16 March 2026", "Paso del Norte"] {
        assert!(
            exact.contains(shown),
            "{shown:?} missing when exact facts were asked for"
        );
    }
    // An identified client's facts are printed exactly whatever the choice.
    let identified = json(
        &c.v.packet_document(&request(&c, Profile::Identified, DocLang::En), now())
            .expect("document"),
    );
    assert!(identified.contains("10 January 2026"));
}

/// The document says what was recorded and only that: ages at the time of the incident, days
/// since the return as a range when a date is known only to the month, a ransom paid when
/// no demand was recorded, and counts in words that agree with them, in both languages.
#[test]
fn a_document_prints_what_was_recorded_in_words_that_agree() {
    let c = case();
    let mut second = c.v.incident(&c.incidents[1]).expect("incident").input;
    second.ransom_demanded_minor = None;
    second.ransom_paid_minor = Some(150_000);
    let mut v = c.v;
    v.save_incident(Some(&c.incidents[1]), &second)
        .expect("paid, demand unknown");
    let c = Case { v, ..c };
    let en = json(
        &c.v.packet_document(&request(&c, Profile::Identified, DocLang::En), now())
            .expect("document"),
    );
    for said in [
        // Returned 10 January; the kidnapping on 14 March, the assault in April.
        "63 days after the return to Mexico",
        "between 81 and 110 days after the return to Mexico (the dates are not exact)",
        // Born 14 July 1991 and 3 February 2021: their ages that day, not today's.
        "Marisela Quintanilla Obregón (34 years at the time)",
        "(5 years at the time)",
        "Ransom or extortion paid",
        "1500.00 USD (the amount demanded was not recorded)",
        "on behalf of 2 people returned to Mexico",
        "(2 incidents)",
    ] {
        assert!(en.contains(said), "{said:?} missing from {en}");
    }
    assert!(!en.contains("(1 incidents)"));
    let es = json(
        &c.v.packet_document(&request(&c, Profile::Identified, DocLang::Es), now())
            .expect("document"),
    );
    for said in [
        "63 días después de la devolución a México",
        "entre 81 y 110 días después",
        "(34 años en ese momento)",
        "Rescate o extorsión pagados",
        "en nombre de 2 personas devueltas a México",
        "(2 incidentes)",
        "Audiencia preliminar (master) — ",
    ] {
        assert!(es.contains(said), "{said:?} missing from {es}");
    }
    assert!(!es.contains("Audiencia Audiencia"), "{es}");
}

/// What an incident could not say before: held for a week, a ransom paid by a relative when
/// the amount is not known, and what marked the perpetrators; printed as recorded.
#[test]
fn time_held_a_ransom_paid_without_amount_and_who_the_perpetrators_looked_like_are_printed() {
    let c = case();
    let mut second = c.v.incident(&c.incidents[1]).expect("incident").input;
    second.ransom_demanded_minor = None;
    second.held_days = Some(7);
    second.ransom_paid = Some(true);
    second.ransom_paid_by = "su hermano en Houston".into();
    second.perpetrator_detail = "hombres con uniformes de la policía federal".into();
    let mut v = c.v;
    let saved = v
        .save_incident(Some(&c.incidents[1]), &second)
        .expect("saved");
    assert_eq!(
        (
            saved.input.held_days,
            saved.input.ransom_paid,
            saved.input.ransom_paid_minor
        ),
        (Some(7), Some(true), None)
    );
    // Paid "no" beside an amount paid is a contradiction, refused by its field.
    let mut wrong = second.clone();
    wrong.ransom_paid = Some(false);
    wrong.ransom_paid_minor = Some(50_000);
    match v.save_incident(Some(&c.incidents[1]), &wrong) {
        Err(Error::Validation(f)) => assert_eq!(f[0].field, "ransom_paid"),
        other => panic!("{other:?}"),
    }
    let c = Case { v, ..c };
    let en = json(
        &c.v.packet_document(&request(&c, Profile::Identified, DocLang::En), now())
            .expect("document"),
    );
    for said in [
        "Held for",
        "7 days",
        "Ransom or extortion paid",
        "Yes; neither the amount demanded nor the amount paid was recorded",
        "paid by or asked of: su hermano en Houston",
        "Criminal organisation — hombres con uniformes de la policía federal",
    ] {
        assert!(en.contains(said), "{said:?} missing from {en}");
    }
    // The perpetrators' description is found by the search box.
    let hits = c.v.search("uniformes").expect("search");
    assert_eq!(hits.groups[0].hits[0].record_id, c.incidents[1]);
}

/// Where in Mexico a client was returned to, what became of a family member and since when,
/// an age told instead of a date of birth, and why she is at risk: kept and printed as told.
#[test]
fn the_city_of_return_a_relative_disappeared_an_age_told_and_why_at_risk_are_printed() {
    use amparo_core::clients::FamilyMemberInput;
    use amparo_core::codes::{FamilyStatus, Relationship};
    let c = case();
    let mut v = c.v;
    let mut input = v.client(&c.client).expect("client").to_input();
    input.return_city = "Ciudad Juárez".into();
    input.return_state = Some("CHIH".into());
    // Why she is at risk: on the list, and in her words.
    input.vulnerabilities = vec![amparo_core::codes::Vulnerability::RaceOrEthnicity];
    input.risk_detail = "garífuna; la amenazaron por ser negra".into();
    input.family.push(FamilyMemberInput {
        given_names: "Osman".into(),
        relationship: Relationship::Spouse,
        status: Some(FamilyStatus::Disappeared),
        status_on: Some("2026-04".into()),
        consent_share_with_oversight: true,
        ..Default::default()
    });
    input.family.push(FamilyMemberInput {
        given_names: "Kevin".into(),
        relationship: Relationship::Child,
        age_years: Some(3),
        consent_share_with_oversight: true,
        ..Default::default()
    });
    let saved = v.update_client(&c.client, &input).expect("saved");
    let kevin = saved
        .family
        .iter()
        .find(|m| m.given_names == "Kevin")
        .expect("kevin");
    assert!(kevin.dob_estimated && kevin.date_of_birth.as_deref().is_some_and(|d| d.len() == 4));
    assert_eq!(
        kevin.age.map(|a| (2..=3).contains(&a)),
        Some(true),
        "{kevin:?}"
    );
    // An age and a date of birth at once: which is it? Refused on the age.
    let mut both = saved.to_input();
    both.family[2].age_years = Some(4);
    match v.update_client(&c.client, &both) {
        Err(Error::Validation(f)) => assert_eq!(f[0].field, "family.2.age_years"),
        other => panic!("{other:?}"),
    }
    // Read back as an input, the estimate stays an estimate.
    assert!(saved.to_input().family[2].dob_estimated);
    // Both were harmed in the April assault.
    let mut assault = v.incident(&c.incidents[1]).expect("incident").input;
    assault.victims = std::iter::once(PersonRef::Client(c.client.clone()))
        .chain(
            saved.family[1..]
                .iter()
                .map(|m| PersonRef::FamilyMember(m.id.clone())),
        )
        .collect();
    v.save_incident(Some(&c.incidents[1]), &assault)
        .expect("victims");
    let c = Case { v, ..c };
    let mut req = request(&c, Profile::Identified, DocLang::En);
    req.choices = vec![];
    let en = json(&c.v.packet_document(&req, now()).expect("document"));
    for said in [
        "Returned to Mexico at El Paso",
        "to Ciudad Juárez, Chihuahua",
        "Osman",
        "Disappeared (April 2026)",
        "about 3 years",
        // Born in an estimated year: at the April incident, two or three.
        "Kevin (2 to 3 years at the time)",
        "Race or ethnicity",
        "Why at risk",
        "garífuna; la amenazaron por ser negra",
    ] {
        assert!(en.contains(said), "{said:?} missing from {en}");
    }
    assert!(
        !en.contains("date of birth 20"),
        "an estimated year is not a date of birth"
    );
}
