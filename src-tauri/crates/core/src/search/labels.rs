//! The vocabularies' labels, in English and Spanish, as a way into the index: the index holds
//! an incident's acts, perpetrators and kind of place, and a hearing's court, type, outcome and
//! missed reason as the words of their codes ("attempted kidnapping", "removed in absentia");
//! a word typed from a label in either language ("secuestro", "ausencia", "taxi") stands for
//! those code words too, in the records of the kind whose index holds them (an act's code is
//! asked of incidents only: asking every kind for a word as common as "kidnapping" cost a
//! walk of its whole list per kind).

use std::sync::OnceLock;

use super::HitKind;
use crate::packet::labels::{DocLang, catalogue};
use crate::text::fold;

/// The vocabularies whose codes the index holds as words, and the kind of record holding them.
const VOCABULARIES: [(&str, HitKind); 7] = [
    ("enum.act.", HitKind::Incident),
    ("enum.perpetrator.", HitKind::Incident),
    ("enum.place_kind.", HitKind::Incident),
    ("enum.hearing_type.", HitKind::Hearing),
    ("enum.outcome.", HitKind::Hearing),
    ("enum.missed_reason.", HitKind::Hearing),
    ("enum.court.", HitKind::Hearing),
];

/// Label words that say nothing on their own, and codes found on every kind of record.
const STOPWORDS: [&str; 16] = [
    "por", "del", "las", "los", "una", "con", "sin", "que", "the", "and", "for", "from", "with",
    "not", "otro", "otra",
];
const VAGUE_CODES: [&str; 3] = ["other", "unknown", "_unknown"];

/// Every label word (folded), with the code's words as the index holds them and their kind.
fn table() -> &'static [(String, String, HitKind)] {
    static TABLE: OnceLock<Vec<(String, String, HitKind)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::new();
        for lang in [DocLang::En, DocLang::Es] {
            for (key, label) in catalogue(lang) {
                let Some((code, kind)) = VOCABULARIES
                    .iter()
                    .find_map(|(p, kind)| Some((key.strip_prefix(p)?, *kind)))
                else {
                    continue;
                };
                if VAGUE_CODES.contains(&code) {
                    continue;
                }
                let phrase = code.replace('_', " ");
                for word in fold(label).split(|c: char| !c.is_alphanumeric()) {
                    if word.chars().count() >= 3 && !STOPWORDS.contains(&word) {
                        out.push((word.to_owned(), phrase.clone(), kind));
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    })
}

/// The code phrases a typed (folded) word stands for in records of `kind`: those whose label,
/// in either language, has a word it starts. Words shorter than three letters stand for none.
pub(super) fn code_phrases(word: &str, kind: HitKind) -> Vec<String> {
    if word.chars().count() < 3 {
        return Vec::new();
    }
    let mut phrases: Vec<String> = table()
        .iter()
        .filter(|(w, _, k)| *k == kind && w.starts_with(word))
        .map(|(_, p, _)| p.clone())
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
}

#[cfg(test)]
mod tests {
    use super::{HitKind, code_phrases};

    fn codes(word: &str) -> Vec<String> {
        let mut all = code_phrases(word, HitKind::Incident);
        all.extend(code_phrases(word, HitKind::Hearing));
        all
    }

    #[test]
    fn a_label_word_in_either_language_stands_for_its_codes() {
        let secuestro = codes("secuestro");
        assert!(
            secuestro.contains(&"kidnapping".to_owned()),
            "{secuestro:?}"
        );
        assert!(secuestro.contains(&"attempted kidnapping".to_owned()));
        assert!(codes("kidnap").contains(&"kidnapping".to_owned()));
        assert!(codes("extorsion").contains(&"extortion".to_owned()));
        assert!(codes("taxi").contains(&"taxi or car".to_owned()));
        assert!(codes("policia").contains(&"mexican police".to_owned()));
        assert!(codes("ausencia").contains(&"removed in absentia".to_owned()));
        assert!(codes("por").is_empty() && codes("de").is_empty());
        assert!(codes("otro").is_empty());
        // Each in the records whose index holds it.
        assert!(code_phrases("secuestro", HitKind::Hearing).is_empty());
        assert!(code_phrases("ausencia", HitKind::Incident).is_empty());
        for kind in [HitKind::Client, HitKind::FamilyMember, HitKind::Screening] {
            assert!(code_phrases("secuestro", kind).is_empty());
            assert!(code_phrases("ausencia", kind).is_empty());
        }
    }
}
