//! Hostile and random input against every parser the core has: A-numbers, partial dates,
//! attachment file names, the search box, the packet scrubber, backup files, the vault header,
//! packet requests and whole intakes. Each property would fail if its parser accepted
//! garbage, panicked, or let a forbidden value through.

mod support;

use amparo_core::Vault;
use amparo_core::anumber;
use amparo_core::attachments::clean_file_name;
use amparo_core::dates::PartialDate;
use amparo_core::packet::scrub::{Hidden, ScrubLabels, Scrubber, name_words};
use amparo_core::text::fold;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_numbers_normalise_to_nine_digits_or_are_refused(s in "\\PC{0,40}") {
        if let Ok(d) = anumber::normalize(&s) {
            prop_assert_eq!(d.len(), 9);
            prop_assert!(d.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(anumber::normalize(&anumber::display(&d)), Ok(d));
        }
    }

    #[test]
    fn every_spelling_of_an_a_number_is_the_same_number(n in 0u32..1_000_000_000, style in 0usize..5) {
        let d = format!("{n:09}");
        let spelled = match style {
            0 => format!("A{d}"),
            1 => format!("a-{}-{}-{}", &d[..3], &d[3..6], &d[6..]),
            2 => format!("{} {} {}", &d[..3], &d[3..6], &d[6..]),
            3 => format!("  A {}.{}.{} ", &d[..3], &d[3..6], &d[6..]),
            _ => anumber::display(&d),
        };
        prop_assert_eq!(anumber::normalize(&spelled), Ok(d));
    }

    #[test]
    fn partial_dates_parse_to_something_that_prints_back(s in "\\PC{0,14}|[0-9]{4}(-[0-9]{1,2}){0,2}") {
        if let Some(d) = PartialDate::parse(&s) {
            prop_assert_eq!(PartialDate::parse(&d.to_string()), Some(d));
            prop_assert!(d.to_string().len() <= 10);
        }
    }

    #[test]
    fn file_names_never_carry_a_path_or_control_characters(s in "\\PC{0,400}|.{0,40}[/\\\\].{0,40}|[\\x00-\\x1f]{0,5}x") {
        let c = clean_file_name(&s);
        prop_assert!(!c.is_empty());
        prop_assert!(!c.contains('/') && !c.contains('\\'));
        prop_assert!(!c.chars().any(char::is_control));
        prop_assert!(!c.starts_with('.'));
        prop_assert!(c.chars().count() <= 200);
    }

    #[test]
    fn scrubbed_text_keeps_no_word_of_a_hidden_name(
        words in proptest::collection::vec("[a-zA-Záéíóúñ]{1,9}", 0..30),
        picks in proptest::collection::vec(0usize..6, 0..12),
        upper in proptest::bool::ANY,
    ) {
        const NAME: [&str; 3] = ["María José", "Hernández Núñez", "Majo"];
        let pool = ["María", "JOSE", "hernandez", "Núñez", "majo", "MARÍA JOSÉ"];
        let mut text: Vec<String> = words.clone();
        for (i, p) in picks.iter().enumerate() {
            let w = if upper { pool[*p].to_uppercase() } else { pool[*p].to_owned() };
            text.insert((i * 7) % (text.len() + 1), w);
        }
        let text = text.join(" ");
        let s = Scrubber::new(
            &[Hidden { names: NAME, replacement: "Yasmin*".into(), numbers: vec![] }],
            &[],
            true,
            ScrubLabels { a_number: "[A]".into(), phone: "[P]".into(), contact: "[C]".into() },
            &[],
        );
        let out = fold(&s.text(&text));
        let hidden: Vec<String> = NAME.iter().flat_map(|n| name_words(n)).collect();
        for w in out.split(|c: char| !c.is_alphanumeric()) {
            prop_assert!(!hidden.iter().any(|h| h == w), "{w:?} survived in {out:?}");
        }
    }
}

/// Whatever is typed into the search box is words, never FTS5 syntax: no query errors.
#[test]
fn the_search_box_takes_any_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = support::vault_in(tmp.path(), "t");
    v.create_client(&amparo_core::clients::ClientInput {
        given_names: "Ana \"OR\" NEAR(x".into(),
        family_names: "Pérez*".into(),
        ..Default::default()
    })
    .expect("client");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 400,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &"\\PC{0,30}|[\"*():^+-]{1,6}[a-z]{0,4}|(AND|OR|NOT|NEAR) [a-z]{1,5}",
            |q| {
                let r = v.search(&q);
                prop_assert!(r.is_ok(), "{q:?}: {r:?}");
                Ok(())
            },
        )
        .expect("every query runs");
}

/// A backup file damaged anywhere (bytes changed, cut short) is refused with a clear error,
/// or, when the damage missed everything that matters, restores to a vault that verifies;
/// it never panics and a refused restore leaves nothing behind.
#[test]
fn a_damaged_backup_is_refused_or_restores_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let pass = support::PASS;
    let mut v = support::vault_in(&tmp.path().join("v"), "t");
    for n in 0..20 {
        v.create_client(&amparo_core::clients::ClientInput {
            given_names: format!("Ana{n}"),
            family_names: "Pérez".into(),
            ..Default::default()
        })
        .expect("client");
    }
    let file = tmp.path().join("b.amparo");
    v.backup_to(&file).expect("backup");
    let good = std::fs::read(&file).expect("read");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    });
    let case = std::cell::Cell::new(0u32);
    runner
        .run(
            &(0..good.len(), any::<u8>(), prop::bool::ANY),
            |(at, byte, cut)| {
                case.set(case.get() + 1);
                let case = case.get();
                let mut bad = good.clone();
                if cut {
                    bad.truncate(at);
                } else {
                    bad[at] ^= byte | 1;
                }
                let f = tmp.path().join(format!("bad{case}.amparo"));
                std::fs::write(&f, &bad).expect("write");
                let dir = tmp.path().join(format!("r{case}"));
                match amparo_core::backup::restore(&f, &dir, pass, "t") {
                    Ok((r, _)) => {
                        prop_assert!(r.full_check().expect("check").holds());
                        r.lock().expect("lock");
                    }
                    Err(e) => {
                        prop_assert!(
                            matches!(
                                e,
                                amparo_core::Error::BackupInvalid
                                    | amparo_core::Error::WrongPassphrase
                            ),
                            "at {at} (cut {cut}): {e:?}"
                        );
                        prop_assert!(!dir.exists(), "a refused restore left {dir:?}");
                    }
                }
                Ok(())
            },
        )
        .expect("every damaged backup handled");
}

/// The vault's header (`vault.json`) changed anywhere: unlocking names it damaged, says the
/// passphrase is wrong (the key no longer unwraps), or the database is not this key's; or
/// the change was harmless and the vault opens. Never a panic.
#[test]
fn a_damaged_header_is_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let pass = support::PASS;
    let dir = tmp.path().join("v");
    support::vault_in(&dir, "t").lock().expect("lock");
    let good = std::fs::read(dir.join("vault.json")).expect("read");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 128,
        ..ProptestConfig::default()
    });
    runner
        .run(&(0..good.len(), any::<u8>()), |(at, byte)| {
            let mut bad = good.clone();
            bad[at] ^= byte | 1;
            std::fs::write(dir.join("vault.json"), &bad).expect("write");
            match Vault::unlock(&dir, pass, "t") {
                Ok(v) => v.lock().expect("lock"),
                Err(e) => prop_assert!(
                    matches!(
                        e,
                        amparo_core::Error::HeaderDamaged(_)
                            | amparo_core::Error::WrongPassphrase
                            | amparo_core::Error::VaultDamaged
                    ),
                    "byte {at}: {e:?}"
                ),
            }
            Ok(())
        })
        .expect("every damaged header named");
}

/// Any JSON given as a packet request (the CLI reads one on stdin) is refused or built;
/// never a panic.
#[test]
fn any_packet_request_is_refused_or_built() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v = support::vault_in(tmp.path(), "t");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &"\\PC{0,60}|\\{\"recipient\":\"(oig|crcl|both|x)\",\"profile\":\"(identified|pseudonymised)\",\"lang\":\"(en|es)\",\"requests\":\\[\\],\"clients\":\\[(\\{\"client_id\":\"[a-z0-9-]{0,36}\",\"incident_ids\":\\[\"[a-z0-9-]{0,36}\"\\],\"hearing_ids\":\\[\\],\"screening_ids\":\\[\\],\"exhibit_ids\":\\[\\]\\})?\\],\"choices\":\\[\\]\\}",
            |json| {
                if let Ok(req) = serde_json::from_str::<amparo_core::packet::PacketRequest>(&json) {
                    let _ = v.packet_document(&req, chrono::Utc::now());
                }
                Ok(())
            },
        )
        .expect("every request handled");
}

/// An intake with any text in every free field (markup, control characters, right-to-left
/// marks, very long strings) and any date or code text: saved as typed, or refused with field
/// errors that name only fields; never a panic, never a partial record.
#[test]
fn any_intake_is_saved_as_typed_or_refused_by_field() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v = std::cell::RefCell::new(support::vault_in(tmp.path(), "t"));
    let text = "\\PC{0,40}|<script>[a-z]{0,8}</script>|[\\x00-\\x1f\\u{202e}]{1,6}|x{190,210}";
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 200,
        ..ProptestConfig::default()
    });
    let (saved, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    runner
        .run(
            &(
                (text, text, text, text),
                ("|199[0-9]-0[1-9]-1[0-9]|\\PC{0,12}", "|HN|GT|\\PC{0,4}"),
                ("|A?2[0-9]{8}|\\PC{0,14}", text),
                0usize..3,
            ),
            |((given, family, city, notes), (dob, nationality), (a_number, member), n)| {
                let input = amparo_core::clients::ClientInput {
                    given_names: given.clone(),
                    family_names: family,
                    city,
                    notes,
                    date_of_birth: Some(dob),
                    nationality: Some(nationality),
                    a_number: Some(a_number),
                    family: (0..n)
                        .map(|_| amparo_core::clients::FamilyMemberInput {
                            given_names: member.clone(),
                            ..Default::default()
                        })
                        .collect(),
                    ..Default::default()
                };
                let mut v = v.borrow_mut();
                let before = v
                    .list_clients(&Default::default(), 0, 1)
                    .expect("list")
                    .total;
                match v.create_client(&input) {
                    Ok(c) => {
                        saved.set(saved.get() + 1);
                        // Trimmed, and a line end from any system kept as `\n`.
                        let typed = given.trim().replace("\r\n", "\n").replace('\r', "\n");
                        prop_assert_eq!(c.given_names, typed);
                        prop_assert_eq!(c.family.len(), n);
                    }
                    Err(amparo_core::Error::Validation(fields)) => {
                        refused.set(refused.get() + 1);
                        prop_assert!(!fields.is_empty());
                        let after = v
                            .list_clients(&Default::default(), 0, 1)
                            .expect("list")
                            .total;
                        prop_assert_eq!(before, after, "a refused intake left a record");
                    }
                    Err(e) => prop_assert!(false, "{e:?}"),
                }
                Ok(())
            },
        )
        .expect("every intake handled");
    // Both outcomes were exercised.
    assert!(
        saved.get() > 0 && refused.get() > 0,
        "{saved:?} {refused:?}"
    );
    assert!(v.borrow().verify_audit_chain().expect("chain").holds());
}
