//! Words for documents the core typesets. One catalogue for the whole product: the UI's
//! `ui/src/locales/{en,es}.json` (flat keys, parity tested), read here at compile time, so a
//! court, an act or a heading reads the same on screen and on paper.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::dates::PartialDate;

crate::codes::code_enum! {
    /// The language of a generated document.
    pub enum DocLang { En = "en", Es = "es" }
}

type Catalogue = HashMap<String, String>;

/// The whole catalogue of one language (the search reads the vocabularies' labels from it).
pub(crate) fn catalogue(lang: DocLang) -> &'static Catalogue {
    static EN: OnceLock<Catalogue> = OnceLock::new();
    static ES: OnceLock<Catalogue> = OnceLock::new();
    let (cell, src) = match lang {
        DocLang::En => (&EN, include_str!("../../../../../ui/src/locales/en.json")),
        DocLang::Es => (&ES, include_str!("../../../../../ui/src/locales/es.json")),
    };
    cell.get_or_init(|| serde_json::from_str(src).unwrap_or_default())
}

/// The catalogue's text for `key`, with `{{name}}` placeholders filled in; the key itself if
/// the catalogue lacks it (a test asserts every key the packet uses exists in both).
pub fn t(lang: DocLang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = catalogue(lang)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_owned());
    for (name, value) in args {
        s = s.replace(&format!("{{{{{name}}}}}"), value);
    }
    s
}

/// [`t`] for a count, with i18next's plural keys: `key_one` when `n` is 1, `key_other`
/// otherwise, each if the catalogue has it (Spanish and English need no other forms).
pub fn tn(lang: DocLang, key: &str, n: i64, args: &[(&str, &str)]) -> String {
    let plural = format!("{key}_{}", if n == 1 { "one" } else { "other" });
    let key = if catalogue(lang).contains_key(&plural) {
        plural.as_str()
    } else {
        key
    };
    let n = n.to_string();
    let mut all = vec![("n", n.as_str())];
    all.extend_from_slice(args);
    t(lang, key, &all)
}

/// The label of a controlled-vocabulary code, as the UI's `codeKey(prefix, code)` finds it.
pub fn code(lang: DocLang, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}.{code}");
    if catalogue(lang).contains_key(&key) {
        t(lang, &key, &[])
    } else {
        t(lang, &format!("{prefix}._unknown"), &[])
    }
}

/// Every `packet.*` text, without the prefix: the headings the template prints.
pub fn packet_labels(lang: DocLang) -> HashMap<String, String> {
    catalogue(lang)
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("packet.").map(|k| (k.to_owned(), v.clone())))
        .collect()
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

fn month(lang: DocLang, m: u32) -> &'static str {
    let i = (m.clamp(1, 12) - 1) as usize;
    match lang {
        DocLang::En => MONTHS_EN[i],
        DocLang::Es => MONTHS_ES[i],
    }
}

/// A date written out at the precision it was recorded with: a month-only date is never
/// shown as a day ("March 2026", "marzo de 2026"; "2026"; "14 March 2026").
pub fn date(lang: DocLang, s: &str) -> String {
    use chrono::Datelike;
    match PartialDate::parse(s) {
        Some(PartialDate::Year(y)) => y.to_string(),
        Some(PartialDate::Month(y, m)) => match lang {
            DocLang::En => format!("{} {y}", month(lang, m)),
            DocLang::Es => format!("{} de {y}", month(lang, m)),
        },
        Some(PartialDate::Day(d)) => match lang {
            DocLang::En => format!("{} {} {}", d.day(), month(lang, d.month()), d.year()),
            DocLang::Es => format!("{} de {} de {}", d.day(), month(lang, d.month()), d.year()),
        },
        None => s.to_owned(),
    }
}

/// A date no more precise than its month ("March 2026"): how a pseudonymised packet prints
/// dates, so exact days cannot be matched to one person's file.
pub fn month_year(lang: DocLang, s: &str) -> String {
    use chrono::Datelike;
    match PartialDate::parse(s) {
        Some(PartialDate::Day(d)) => date(lang, &format!("{:04}-{:02}", d.year(), d.month())),
        _ => date(lang, s),
    }
}

/// An age as a band: under 5, 5–11, 12–17, adult.
pub fn age_band(lang: DocLang, age: u32) -> String {
    let key = match age {
        0..=4 => "packet.age_band_under_5",
        5..=11 => "packet.age_band_5_11",
        12..=17 => "packet.age_band_12_17",
        _ => "packet.age_band_adult",
    };
    t(lang, key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_dates_and_ages() {
        assert_eq!(month_year(DocLang::En, "2026-03-04"), "March 2026");
        assert_eq!(month_year(DocLang::Es, "2026-03-04"), "marzo de 2026");
        assert_eq!(month_year(DocLang::En, "2026"), "2026");
        assert_eq!(age_band(DocLang::En, 4), "under 5");
        assert_eq!(age_band(DocLang::En, 11), "5–11 years");
        assert_eq!(age_band(DocLang::Es, 17), "12 a 17 años");
        assert_eq!(age_band(DocLang::En, 18), "adult");
    }

    /// Every label the packet prints with a count, with 1 and with 2, in both languages.
    #[test]
    fn counted_labels_agree_with_their_count() {
        let said = |lang, key, n, args: &[(&str, &str)]| tn(lang, key, n, args);
        let cases: [(DocLang, &str, i64, &str); 16] = [
            (DocLang::En, "packet.age_years", 1, "1 year"),
            (DocLang::En, "packet.age_years", 2, "2 years"),
            (DocLang::Es, "packet.age_years", 1, "1 año"),
            (DocLang::Es, "packet.age_years", 2, "2 años"),
            (DocLang::En, "packet.days_since_return", 1, "1 day after"),
            (DocLang::En, "packet.days_since_return", 2, "2 days after"),
            (DocLang::Es, "packet.days_since_return", 1, "1 día después"),
            (DocLang::Es, "packet.days_since_return", 2, "2 días después"),
            (DocLang::En, "packet.n_incidents", 1, "1 incident"),
            (DocLang::En, "packet.n_incidents", 2, "2 incidents"),
            (DocLang::Es, "packet.n_incidents", 1, "1 incidente"),
            (DocLang::Es, "packet.n_incidents", 2, "2 incidentes"),
            (
                DocLang::En,
                "packet.re_text",
                1,
                "behalf of 1 person returned",
            ),
            (
                DocLang::En,
                "packet.re_text",
                2,
                "behalf of 2 people returned",
            ),
            (
                DocLang::Es,
                "packet.re_text",
                1,
                "nombre de 1 persona devuelta",
            ),
            (
                DocLang::Es,
                "packet.re_text",
                2,
                "nombre de 2 personas devueltas",
            ),
        ];
        for (lang, key, n, want) in cases {
            let got = said(lang, key, n, &[("incidents", "x")]);
            assert!(got.contains(want), "{key} with {n}: {got:?}");
        }
        assert_eq!(
            said(DocLang::En, "packet.n_incidents", 1, &[]),
            "1 incident"
        );
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(date(DocLang::En, "2026-03"), "March 2026");
        assert_eq!(date(DocLang::Es, "2026-03"), "marzo de 2026");
        assert_eq!(date(DocLang::En, "2026"), "2026");
        assert_eq!(date(DocLang::Es, "2026-03-04"), "4 de marzo de 2026");
    }

    /// Every `packet.*` key the core writes and every `L("…")` label the template prints
    /// exists in both catalogues (a missing one would print its key in a filed complaint).
    #[test]
    fn every_packet_label_exists_in_english_and_spanish() {
        let mut keys = Vec::new();
        let core = [
            include_str!("document.rs"),
            include_str!("incident.rs"),
            include_str!("plan.rs"),
        ]
        .concat();
        for part in core.split("\"packet.").skip(1) {
            let key: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !key.is_empty() && part[key.len()..].starts_with('"') {
                keys.push(format!("packet.{key}"));
            }
        }
        for code in [
            "investigation",
            "removal_from_mpp",
            "protection_from_return",
        ] {
            keys.push(format!("packet.request_{code}"));
        }
        let template = include_str!("../../../pdf/src/packet.typ");
        for part in template.split("L(\"").skip(1) {
            let key: String = part.chars().take_while(|c| *c != '"').collect();
            keys.push(format!("packet.{key}"));
        }
        assert!(keys.len() > 60, "found the keys ({})", keys.len());
        for lang in [DocLang::En, DocLang::Es] {
            for k in &keys {
                assert!(catalogue(lang).contains_key(k), "{k} missing in {lang:?}");
            }
        }
    }

    #[test]
    fn codes_use_the_ui_catalogue() {
        assert_eq!(code(DocLang::Es, "mx_state", "CHIH"), "Chihuahua");
        assert_eq!(code(DocLang::En, "enum.act", "kidnapping"), "Kidnapping");
        assert_ne!(code(DocLang::En, "enum.act", "no_such"), "enum.act.no_such");
    }
}
