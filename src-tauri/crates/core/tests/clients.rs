//! Intake rules and the client list, against real vaults in temp dirs.

mod support;

use amparo_core::Error;
use amparo_core::clients::{ClientFilter, ClientInput, ConsentInput, FamilyMemberInput};
use amparo_core::codes::{ConsentMethod, Relationship};

use support::vault;

fn client(given: &str, family: &str) -> ClientInput {
    ClientInput {
        given_names: given.into(),
        family_names: family.into(),
        ..ClientInput::default()
    }
}

fn field_codes(e: Error) -> Vec<(String, String)> {
    match e {
        Error::Validation(f) => f
            .into_iter()
            .map(|f| (f.field, f.code.code().to_owned()))
            .collect(),
        other => panic!("expected validation error, got {other:?}"),
    }
}

fn tomorrow() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn names_are_required() {
    let (_t, mut v) = vault();
    let errs = field_codes(v.create_client(&client("  ", "")).expect_err("invalid"));
    assert!(errs.contains(&("given_names".into(), "required".into())));
    assert!(errs.contains(&("family_names".into(), "required".into())));
    assert_eq!(
        v.list_clients(&ClientFilter::default(), 0, 10)
            .expect("list")
            .total,
        0
    );
}

#[test]
fn a_number_is_normalised_and_shown_with_dashes() {
    let (_t, mut v) = vault();
    let mut c = client("José", "Peña");
    c.a_number = Some("a123456789".into());
    let saved = v.create_client(&c).expect("save");
    assert_eq!(saved.a_number.as_deref(), Some("A-123-456-789"));
}

#[test]
fn malformed_a_numbers_are_field_errors_for_client_and_family() {
    let (_t, mut v) = vault();
    let mut c = client("José", "Peña");
    c.a_number = Some("A12-34".into());
    c.family.push(FamilyMemberInput {
        given_names: "Luz".into(),
        a_number: Some("B123456789".into()),
        ..FamilyMemberInput::default()
    });
    let errs = field_codes(v.create_client(&c).expect_err("invalid"));
    assert!(
        errs.contains(&("a_number".into(), "a_number_format".into())),
        "{errs:?}"
    );
    assert!(
        errs.contains(&("family.0.a_number".into(), "a_number_format".into())),
        "{errs:?}"
    );
}

#[test]
fn dates_of_birth_in_the_future_or_malformed_are_refused() {
    let (_t, mut v) = vault();
    let mut c = client("José", "Peña");
    c.date_of_birth = Some(tomorrow());
    c.family.push(FamilyMemberInput {
        given_names: "Luz".into(),
        date_of_birth: Some("2019-02-30".into()),
        ..FamilyMemberInput::default()
    });
    let errs = field_codes(v.create_client(&c).expect_err("invalid"));
    assert!(
        errs.contains(&("date_of_birth".into(), "date_in_future".into())),
        "{errs:?}"
    );
    assert!(
        errs.contains(&("family.0.date_of_birth".into(), "date_format".into())),
        "{errs:?}"
    );
}

#[test]
fn unknown_codes_and_oversized_text_are_refused() {
    let (_t, mut v) = vault();
    let mut c = client("José", "Peña");
    c.nationality = Some("ZZ".into());
    c.languages = vec!["klingon".into()];
    c.notes = "x".repeat(100_001);
    let errs = field_codes(v.create_client(&c).expect_err("invalid"));
    assert!(errs.contains(&("nationality".into(), "unknown_code".into())));
    assert!(errs.contains(&("languages.0".into(), "unknown_code".into())));
    assert!(errs.contains(&("notes".into(), "too_long".into())));
}

#[test]
fn line_ends_from_any_system_are_kept_as_one_and_other_controls_refused() {
    let (_t, mut v) = vault();
    let mut c = client("Ana\u{202e}\r\u{202e}", "Peña");
    c.notes = "first\r\nsecond\rthird\n\tfourth".into();
    let saved = v.create_client(&c).expect("saved");
    assert_eq!(saved.given_names, "Ana\u{202e}\n\u{202e}");
    assert_eq!(saved.notes, "first\nsecond\nthird\n\tfourth");
    c.notes = "bell\u{7}".into();
    let errs = field_codes(v.create_client(&c).expect_err("refused"));
    assert_eq!(errs, vec![("notes".into(), "control_character".into())]);
}

#[test]
fn field_errors_never_echo_the_value() {
    let (_t, mut v) = vault();
    let mut c = client("José", "Peña");
    c.a_number = Some("SECRET-VALUE".into());
    let e = v.create_client(&c).expect_err("invalid");
    let shown = format!("{e} {e:?} {:?}", amparo_core::ErrorReport::from(&e));
    assert!(!shown.contains("SECRET"), "{shown}");
}

#[test]
fn intake_with_family_and_consents_round_trips() {
    let (_t, mut v) = vault();
    let mut c = client("Yesenia", "Hernández López");
    c.nationality = Some("HN".into());
    c.consent = ConsentInput {
        representation: true,
        share_with_oversight: true,
        publish_deidentified: false,
        method: ConsentMethod::Written,
    };
    let toddler_dob = (chrono::Utc::now().date_naive() - chrono::Days::new(3 * 365))
        .format("%Y-%m-%d")
        .to_string();
    c.family.push(FamilyMemberInput {
        given_names: "Dania".into(),
        family_names: "Hernández".into(),
        relationship: Relationship::Child,
        date_of_birth: Some(toddler_dob),
        consent_share_with_oversight: true,
        ..FamilyMemberInput::default()
    });
    let saved = v.create_client(&c).expect("save");
    assert_eq!(saved.family.len(), 1);
    assert!(saved.family[0].age.is_some_and(|a| a < 5));
    assert!(saved.family[0].consent_share_with_oversight);
    assert!(saved.consent.representation && saved.consent.share_with_oversight);
    assert!(!saved.consent.publish_deidentified);
    assert_eq!(saved.consent.recorded_by.as_deref(), Some("tester"));

    let page = v
        .list_clients(&ClientFilter::default(), 0, 10)
        .expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].family_count, 1);
    assert_eq!(page.rows[0].children_count, 1);

    // Edit: keep the child (by id), add a spouse, withdraw oversight consent.
    let mut edit = c.clone();
    edit.family[0].id = Some(saved.family[0].id.clone());
    edit.family.push(FamilyMemberInput {
        given_names: "Wilmer".into(),
        relationship: Relationship::Spouse,
        ..FamilyMemberInput::default()
    });
    edit.consent.share_with_oversight = false;
    let after = v.update_client(&saved.id, &edit).expect("update");
    assert_eq!(after.family.len(), 2);
    assert_eq!(after.family[0].id, saved.family[0].id);
    assert!(!after.consent.share_with_oversight);

    // Removing a member from the input removes them.
    edit.family.remove(0);
    edit.family[0].id = Some(after.family[1].id.clone());
    let after = v.update_client(&saved.id, &edit).expect("update");
    assert_eq!(after.family.len(), 1);
    assert_eq!(after.family[0].given_names, "Wilmer");

    // A member id from elsewhere is refused and nothing changes.
    edit.family[0].id = Some("not-a-member".into());
    let errs = field_codes(v.update_client(&saved.id, &edit).expect_err("refused"));
    assert_eq!(errs[0].1, "unknown_member");
    assert_eq!(
        v.client(&saved.id).expect("read").family[0].given_names,
        "Wilmer"
    );
}

#[test]
fn list_filters_accent_and_case_insensitively_by_name_a_number_and_nationality() {
    let (_t, mut v) = vault();
    let mut a = client("José", "Peña Ordóñez");
    a.a_number = Some("123456789".into());
    a.nationality = Some("HN".into());
    v.create_client(&a).expect("a");
    let mut b = client("María", "Ixcoy");
    b.nationality = Some("GT".into());
    b.aliases = "La Güera".into();
    v.create_client(&b).expect("b");
    let names = |f: ClientFilter| -> Vec<String> {
        v.list_clients(&f, 0, 50)
            .expect("list")
            .rows
            .into_iter()
            .map(|r| r.given_names)
            .collect()
    };
    let text = |t: &str| ClientFilter {
        text: t.into(),
        ..ClientFilter::default()
    };
    assert_eq!(names(text("jose")), ["José"]);
    assert_eq!(names(text("PENA ordonez")), ["José"]);
    assert_eq!(names(text("guera")), ["María"]);
    assert_eq!(names(text("A-123-456-789")), ["José"]);
    assert_eq!(names(text("123456789")), ["José"]);
    assert_eq!(names(text("456-789")), ["José"]);
    assert_eq!(names(text("100%")), Vec::<String>::new());
    assert_eq!(
        names(ClientFilter {
            nationality: Some("GT".into()),
            ..ClientFilter::default()
        }),
        ["María"]
    );
    // Ordered by family name: Ixcoy before Peña.
    assert_eq!(names(ClientFilter::default()), ["María", "José"]);
}

#[test]
fn deleted_clients_leave_the_list() {
    let (_t, mut v) = vault();
    let id = v.create_client(&client("Ana", "Cruz")).expect("a").id;
    v.delete_client(&id).expect("delete");
    assert_eq!(
        v.list_clients(&ClientFilter::default(), 0, 10)
            .expect("list")
            .total,
        0
    );
    assert!(matches!(v.client(&id), Err(Error::NotFound)));
    assert!(matches!(v.delete_client(&id), Err(Error::NotFound)));
}

#[test]
fn paging_walks_a_large_list_without_gaps() {
    let (_t, mut v) = vault();
    for i in 0..120 {
        v.create_client(&ClientInput {
            given_names: format!("Persona{i}"),
            family_names: "Paginada".into(),
            ..ClientInput::default()
        })
        .expect("client");
    }
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let page = v
            .list_clients(&ClientFilter::default(), offset, 50)
            .expect("page");
        assert_eq!(page.total, 120);
        if page.rows.is_empty() {
            break;
        }
        offset += page.rows.len() as u32;
        for r in page.rows {
            assert!(seen.insert(r.id));
        }
    }
    assert_eq!(seen.len(), 120);
    // A filter's total, whether its first page holds every match or not.
    let filter = ClientFilter {
        text: "persona1".into(),
        ..ClientFilter::default()
    };
    for limit in [50, 10] {
        let page = v.list_clients(&filter, 0, limit).expect("filtered");
        assert_eq!(page.total, 31, "Persona1, 10–19, 100–119");
    }
}
