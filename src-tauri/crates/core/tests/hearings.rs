//! Hearings in their zones, the home screen and in-absentia follow-up, on real vaults.

use amparo_core::caseload::Scope;
use amparo_core::clients::{ClientInput, FamilyMemberInput};
use amparo_core::codes::*;
use amparo_core::hearings::*;
use amparo_core::records::PersonRef;
use amparo_core::settings::VaultSettings;
use amparo_core::{Error, KdfChoice, KdfParams, Vault};
use chrono::{DateTime, Utc};

fn setup(clinic_zone: &str) -> (tempfile::TempDir, Vault, String, String) {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = Vault::create(
        tmp.path(),
        "correct horse battery",
        KdfChoice::Fixed(KdfParams::MINIMUM),
        "t",
    )
    .expect("create");
    v.save_settings(&VaultSettings {
        clinic_zone: clinic_zone.into(),
        ..VaultSettings::default()
    })
    .expect("settings");
    let c = v
        .create_client(&ClientInput {
            given_names: "Glenda".into(),
            family_names: "Reyes".into(),
            a_number: Some("A201234567".into()),
            family: vec![FamilyMemberInput {
                given_names: "Kevin".into(),
                family_names: "Reyes".into(),
                a_number: Some("202345678".into()),
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("client");
    let child = c.family[0].id.clone();
    (tmp, v, c.id, child)
}

fn input(client: &str, court: Court, port: Port, when: &str) -> HearingInput {
    HearingInput {
        client_id: client.into(),
        people: vec![],
        court,
        court_zone: None,
        venue: HearingVenue::PortTent,
        hearing_type: HearingType::MasterCalendar,
        scheduled_local: when.into(),
        port: Some(port),
        report_local: None,
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

fn clinic_time(zone: &str, court: Court, when: &str) -> (String, String) {
    let (_t, mut v, client, _) = setup(zone);
    let h = v
        .add_hearing(&input(&client, court, Port::Laredo, when))
        .expect("hearing");
    (h.at_clinic.local, h.at_clinic.abbrev)
}

#[test]
fn chicago_court_shown_in_tijuana_before_between_and_after_dst_changes() {
    // Both follow U.S. rules, so 08:00 Central is 06:00 in Tijuana on every side of a change,
    // including the days right after each switch.
    for (day, abbrev) in [
        ("2020-01-15", "PST"),
        ("2020-03-09", "PDT"), // the day after spring forward
        ("2020-07-15", "PDT"),
        ("2020-11-02", "PST"), // the day after fall back
    ] {
        let got = clinic_time(
            "America/Tijuana",
            Court::LaredoTent,
            &format!("{day}T08:00"),
        );
        assert_eq!(got, (format!("{day}T06:00"), abbrev.to_owned()), "{day}");
    }
}

#[test]
fn chicago_court_shown_in_monterrey_where_mexico_changed_on_other_dates_then_stopped() {
    // 2022: the U.S. moved clocks on March 13, interior Mexico on April 3 (and it has kept
    // standard time all year since October 2022).
    for (day, want) in [
        ("2022-03-01", "08:00"), // both on standard time
        ("2022-03-20", "07:00"), // between the two changes
        ("2022-04-10", "08:00"), // both on summer time
        ("2024-07-15", "07:00"), // Mexico no longer changes
        ("2024-12-15", "08:00"),
    ] {
        let (local, _) = clinic_time(
            "America/Monterrey",
            Court::LaredoTent,
            &format!("{day}T08:00"),
        );
        assert_eq!(local, format!("{day}T{want}"), "{day}");
    }
}

#[test]
fn el_paso_court_in_denver_time_shown_in_tijuana_and_ciudad_juarez() {
    for day in ["2021-01-10", "2021-03-15", "2021-08-01", "2021-11-08"] {
        let (local, _) = clinic_time("America/Tijuana", Court::ElPaso, &format!("{day}T08:00"));
        assert_eq!(local, format!("{day}T07:00"), "{day}");
    }
    // Ciudad Juárez follows U.S. rules (tz 2022g on): same clock as El Paso.
    for day in ["2023-01-10", "2023-07-10"] {
        let (local, abbrev) = clinic_time(
            "America/Ciudad_Juarez",
            Court::ElPaso,
            &format!("{day}T08:00"),
        );
        assert_eq!(local, format!("{day}T08:00"), "{day}");
        assert!(abbrev == "MST" || abbrev == "MDT", "{abbrev}");
    }
}

#[test]
fn a_time_inside_the_spring_forward_gap_is_refused() {
    let (_t, mut v, client, _) = setup("America/Tijuana");
    match v.add_hearing(&input(
        &client,
        Court::LaredoTent,
        Port::Laredo,
        "2020-03-08T02:30",
    )) {
        Err(Error::Validation(f)) => {
            assert_eq!(f[0].field, "scheduled_local");
            assert_eq!(f[0].code.code(), "time_skipped_by_dst");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn report_time_is_read_on_the_ports_clock_and_must_precede_the_hearing() {
    let (_t, mut v, client, _) = setup("America/Tijuana");
    let mut h = input(
        &client,
        Court::SanDiego,
        Port::SanYsidro,
        "2021-02-10T08:30",
    );
    h.report_local = Some("2021-02-10T04:30".into());
    let saved = v.add_hearing(&h).expect("saved");
    let port = saved.report_at_port.expect("port time");
    assert_eq!(
        (port.local.as_str(), port.zone.as_str()),
        ("2021-02-10T04:30", "America/Los_Angeles")
    );
    h.report_local = Some("2021-02-10T09:30".into());
    assert!(
        matches!(v.add_hearing(&h), Err(Error::Validation(f)) if f[0].code.code() == "report_not_before_hearing")
    );
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

#[test]
fn home_screen_groups_by_day_and_port_and_follows_up() {
    let (_t, mut v, client, child) = setup("America/Tijuana");
    let now = at("2026-11-21T18:00:00Z"); // 10:00 in Tijuana
    let mut a = input(
        &client,
        Court::SanDiego,
        Port::SanYsidro,
        "2026-11-23T08:30",
    );
    a.people = vec![
        PersonRef::Client(client.clone()),
        PersonRef::FamilyMember(child),
    ];
    a.report_local = Some("2026-11-23T04:30".into());
    v.add_hearing(&a).expect("a");
    v.add_hearing(&input(
        &client,
        Court::LaredoTent,
        Port::Laredo,
        "2026-11-23T08:00",
    ))
    .expect("b");
    v.add_hearing(&input(
        &client,
        Court::ElPaso,
        Port::ElPasoPdn,
        "2026-11-26T09:00",
    ))
    .expect("c");
    v.add_hearing(&input(
        &client,
        Court::ElPaso,
        Port::ElPasoPdn,
        "2026-12-20T09:00",
    ))
    .expect("beyond a week");
    v.add_hearing(&input(
        &client,
        Court::SanDiego,
        Port::SanYsidro,
        "2026-11-10T08:30",
    ))
    .expect("past, no outcome");
    let mut missed = input(
        &client,
        Court::SanDiego,
        Port::SanYsidro,
        "2026-11-11T08:30",
    );
    missed.outcome = HearingOutcome::RemovedInAbsentia;
    missed.missed_reason = Some(MissedReason::KidnappedOrHeld);
    let missed = v.add_hearing(&missed).expect("missed");
    assert_eq!(missed.reopen_deadline.as_deref(), Some("2027-05-10"));

    let up = v.upcoming(7, now, Scope::All).expect("upcoming");
    let days: Vec<&str> = up.days.iter().map(|d| d.date.as_str()).collect();
    assert_eq!(days, ["2026-11-23", "2026-11-26"]);
    let ports: Vec<Option<Port>> = up.days[0].ports.iter().map(|p| p.port).collect();
    // Laredo 08:00 CST (06:00 Tijuana) comes before San Ysidro 08:30 PST.
    assert_eq!(ports, [Some(Port::Laredo), Some(Port::SanYsidro)]);
    let line = &up.days[0].ports[1].lines[0];
    assert_eq!(line.hearing.at_clinic.local, "2026-11-23T08:30");
    assert_eq!(
        line.hearing
            .report_at_clinic
            .as_ref()
            .map(|t| t.local.as_str()),
        Some("2026-11-23T04:30")
    );
    let people: Vec<(&str, Option<&str>)> = line
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.a_number.as_deref()))
        .collect();
    assert_eq!(
        people,
        [
            ("Glenda Reyes", Some("A-201-234-567")),
            ("Kevin Reyes", Some("A-202-345-678"))
        ]
    );
    assert_eq!(up.needs_outcome.len(), 1);
    assert_eq!(
        up.needs_outcome[0].hearing.at_court.local,
        "2026-11-10T08:30"
    );
    assert_eq!(up.in_absentia.len(), 1);
    assert_eq!(up.in_absentia[0].deadline, "2027-05-10");
    assert_eq!(up.in_absentia[0].days_left, 170);
    assert!(!up.truncated);
    assert_eq!(
        v.upcoming(30, now, Scope::All).expect("30 days").days.len(),
        3
    );
}

#[test]
fn editing_a_hearing_records_the_outcome_and_its_history() {
    let (_t, mut v, client, _) = setup("America/Tijuana");
    let mut h = input(
        &client,
        Court::SanDiego,
        Port::SanYsidro,
        "2020-02-03T08:30",
    );
    let saved = v.add_hearing(&h).expect("saved");
    h.outcome = HearingOutcome::RemovedInAbsentia;
    h.missed_reason = Some(MissedReason::KidnappedOrHeld);
    h.missed_account = "Held by a group in Tijuana from Jan 30 to Feb 6.".into();
    let after = v.update_hearing(&saved.id, &h).expect("update");
    assert_eq!(after.outcome, HearingOutcome::RemovedInAbsentia);
    assert_eq!(after.reopen_deadline.as_deref(), Some("2020-08-01"));
    let hist = v.history("hearing", &saved.id).expect("history");
    assert_eq!(
        hist[0].changed_fields,
        ["outcome", "missed_reason", "missed_account"]
    );
    // A missed-hearing reason with an outcome that says they attended is refused.
    h.outcome = HearingOutcome::ReliefGranted;
    assert!(matches!(
        v.update_hearing(&saved.id, &h),
        Err(Error::Validation(_))
    ));
    v.delete_hearing(&saved.id).expect("delete");
    assert!(v.hearings_for_client(&client).expect("list").is_empty());
}

fn ics_events(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let mut out = Vec::new();
    for cal in reader {
        for ev in cal.expect("valid iCalendar").events {
            out.push(
                ev.properties
                    .into_iter()
                    .map(|p| (p.name, p.value.unwrap_or_default()))
                    .collect(),
            );
        }
    }
    out
}

#[test]
fn ics_parses_independently_round_trips_instants_and_names_only_when_chosen() {
    use amparo_core::ics::{IcsLang, IcsOptions};
    let (_t, mut v, client, child) = setup("America/Tijuana");
    let now = at("2026-03-01T18:00:00Z");
    // Across the U.S. spring-forward (March 8, 2026): one before, one after.
    let mut a = input(&client, Court::LaredoTent, Port::Laredo, "2026-03-05T08:00");
    a.people = vec![
        PersonRef::Client(client.clone()),
        PersonRef::FamilyMember(child),
    ];
    a.report_local = Some("2026-03-05T05:00".into());
    let a = v.add_hearing(&a).expect("a");
    let b = v
        .add_hearing(&input(
            &client,
            Court::SanDiego,
            Port::SanYsidro,
            "2026-03-10T08:30",
        ))
        .expect("b");

    let plain = v
        .export_ics(
            &IcsOptions {
                days: 30,
                include_names: false,
                lang: IcsLang::En,
                scope: Scope::All,
            },
            now,
        )
        .expect("ics");
    assert_eq!(plain.events, 2);
    let events = ics_events(&plain.text);
    assert_eq!(events.len(), 2);
    // 08:00 CST = 14:00Z; 08:30 PDT = 15:30Z.
    assert_eq!(events[0]["DTSTART"], "20260305T140000Z");
    assert_eq!(events[1]["DTSTART"], "20260310T153000Z");
    assert_eq!(events[0]["UID"], format!("{}@amparo", a.id));
    assert_eq!(events[1]["UID"], format!("{}@amparo", b.id));
    assert!(
        events[0]["SUMMARY"].contains("G. R. (…567)"),
        "{}",
        events[0]["SUMMARY"]
    );
    assert!(events[0]["SUMMARY"].contains("K. R. (…678)"));
    assert!(
        !plain.text.contains("Glenda")
            && !plain.text.contains("Reyes")
            && !plain.text.contains("201-234")
    );

    let named = v
        .export_ics(
            &IcsOptions {
                days: 30,
                include_names: true,
                lang: IcsLang::Es,
                scope: Scope::All,
            },
            now,
        )
        .expect("ics");
    let events = ics_events(&named.text);
    assert!(events[0]["SUMMARY"].contains("Glenda Reyes (A-201-234-567)"));
    assert!(events[0]["SUMMARY"].starts_with("Audiencia MPP"));
    // Every export is in the audit trail.
    let report = v.verify_audit_chain().expect("chain");
    assert!(report.holds(), "{report:?}");
}

#[test]
fn timeline_orders_return_hearings_screenings_and_incidents_by_date() {
    use amparo_core::screenings::ScreeningInput;
    let (_t, mut v, client, _) = setup("America/Tijuana");
    let mut c = v.client(&client).expect("client");
    c.returned_on = Some("2019-07-02".into());
    let mut input_c = ClientInput {
        given_names: c.given_names.clone(),
        family_names: c.family_names.clone(),
        returned_on: c.returned_on.clone(),
        return_port: Some(Port::SanYsidro),
        ..Default::default()
    };
    input_c.family = vec![];
    v.update_client(&client, &input_c).expect("update");
    v.add_hearing(&input(
        &client,
        Court::SanDiego,
        Port::SanYsidro,
        "2019-09-10T08:30",
    ))
    .expect("h");
    v.add_screening(&ScreeningInput {
        client_id: client.clone(),
        screened_on: "2019-07".into(),
        fear_expressed_to: FearExpressedTo::CbpOfficer,
        interview_held: false,
        interview_mode: None,
        location: String::new(),
        duration_minutes: None,
        counsel_allowed: None,
        conduct: Some(InterviewConduct::Refused),
        outcome: ScreeningOutcome::ReturnedToMexico,
        notes: String::new(),
    })
    .expect("s");
    let kinds: Vec<String> = v
        .timeline(&client)
        .expect("timeline")
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i.date,
                serde_json::to_value(&i.event).expect("json")["kind"]
                    .as_str()
                    .unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "2019-07 screening",
            "2019-07-02 returned",
            "2019-09-10 hearing"
        ]
    );
}

/// The home screen pages each list: one page with the totals, then the rest on request, with no
/// line lost or repeated, and the same lines as the whole lists give.
#[test]
fn the_home_screen_pages_each_list_without_gaps() {
    let (_t, mut v, client, _) = setup("America/Tijuana");
    let now: DateTime<Utc> = "2026-11-22T18:00:00Z".parse().expect("now");
    for i in 0..60u32 {
        let when = format!("2026-11-{:02}T{:02}:{:02}", 23 + i % 5, 7 + i % 9, i % 60);
        v.add_hearing(&input(&client, Court::SanDiego, Port::SanYsidro, &when))
            .expect("coming");
    }
    for i in 0..30u32 {
        let when = format!("2026-10-{:02}T08:00", 1 + i);
        v.add_hearing(&input(&client, Court::ElPaso, Port::ElPasoPdn, &when))
            .expect("past");
    }
    for i in 0..40u32 {
        // From 2026-04-01 on: the oldest orders' deadlines passed more than 30 days ago.
        let mut order = input(
            &client,
            Court::SanDiego,
            Port::SanYsidro,
            &format!("2026-{:02}-01T08:00", 4 + i % 8),
        );
        order.outcome = HearingOutcome::RemovedInAbsentia;
        v.add_hearing(&order).expect("order");
    }
    let home = v.home(7, now, Scope::All).expect("home");
    let lines = |days: &[amparo_core::home::DayGroup]| -> Vec<String> {
        days.iter()
            .flat_map(|d| d.ports.iter())
            .flat_map(|p| p.lines.iter())
            .map(|l| l.hearing.id.clone())
            .collect()
    };
    assert_eq!(home.coming_total, 60);
    assert_eq!(
        lines(&home.coming).len() as u32,
        amparo_core::home::HOME_PAGE
    );
    assert_eq!(home.needs_outcome_total, 30);
    assert_eq!(home.needs_outcome.len(), 25);
    let whole = v.upcoming(7, now, Scope::All).expect("whole");
    assert_eq!(home.in_absentia_total as usize, whole.in_absentia.len());
    assert!(whole.in_absentia.iter().all(|a| a.days_left >= -30));
    assert!(
        whole.in_absentia.len() < 40,
        "orders long past their deadline are not shown"
    );
    // What can still be filed comes first, nearest deadline first; the passed ones after it,
    // the most recent first, and counted apart.
    let days: Vec<i32> = whole.in_absentia.iter().map(|a| a.days_left).collect();
    let ahead = days.iter().take_while(|d| **d >= 0).count();
    assert!(
        ahead > 0 && ahead < days.len(),
        "both kinds present: {days:?}"
    );
    assert!(days[..ahead].windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert!(days[ahead..].iter().all(|d| *d < 0), "{days:?}");
    assert!(days[ahead..].windows(2).all(|w| w[0] >= w[1]), "{days:?}");
    assert_eq!(home.in_absentia_passed as usize, days.len() - ahead);

    // Walking the pages gives the whole list, in order.
    use amparo_core::home::HomeList;
    let mut coming = lines(&home.coming);
    let mut outcome: Vec<String> = home
        .needs_outcome
        .iter()
        .map(|l| l.hearing.id.clone())
        .collect();
    let mut orders: Vec<String> = home
        .in_absentia
        .iter()
        .map(|a| a.line.hearing.id.clone())
        .collect();
    for offset in (25..100).step_by(25) {
        let page = v
            .home_page(HomeList::Coming, 7, offset, 25, now, Scope::All)
            .expect("page");
        coming.extend(lines(&page.coming));
        let page = v
            .home_page(HomeList::NeedsOutcome, 7, offset, 25, now, Scope::All)
            .expect("page");
        outcome.extend(page.needs_outcome.iter().map(|l| l.hearing.id.clone()));
        let page = v
            .home_page(HomeList::InAbsentia, 7, offset, 25, now, Scope::All)
            .expect("page");
        orders.extend(page.in_absentia.iter().map(|a| a.line.hearing.id.clone()));
    }
    assert_eq!(coming, lines(&whole.days));
    let whole_outcome: Vec<String> = whole
        .needs_outcome
        .iter()
        .map(|l| l.hearing.id.clone())
        .collect();
    assert_eq!(outcome, whole_outcome);
    let whole_orders: Vec<String> = whole
        .in_absentia
        .iter()
        .map(|a| a.line.hearing.id.clone())
        .collect();
    assert_eq!(orders, whole_orders);
}
