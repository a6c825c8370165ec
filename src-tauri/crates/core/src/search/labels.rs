//! The vocabularies' labels, in English and Spanish, as a way into the index: the index holds
//! an incident's acts, perpetrators and kind of place, and a hearing's court, type, outcome and
//! missed reason as the words of their codes ("attempted kidnapping", "removed in absentia");
//! a word typed from a label in either language ("secuestro", "ausencia", "taxi") stands for
//! those code words too.

use std::sync::OnceLock;

use crate::packet::labels::{DocLang, catalogue};
use crate::text::fold;

/// The vocabularies whose codes the index holds as words.
const VOCABULARIES: [&str; 7] = [
    "enum.act.",
    "enum.perpetrator.",
    "enum.place_kind.",
    "enum.hearing_type.",
    "enum.outcome.",
    "enum.missed_reason.",
    "enum.court.",
];

/// Label words that say nothing on their own, and codes found on every kind of record.
const STOPWORDS: [&str; 16] = [
    "por", "del", "las", "los", "una", "con", "sin", "que", "the", "and", "for", "from", "with",
    "not", "otro", "otra",
];
const VAGUE_CODES: [&str; 3] = ["other", "unknown", "_unknown"];

/// Every label word (folded), with the code's words as the index holds them.
fn table() -> &'static [(String, String)] {
    static TABLE: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::new();
        for lang in [DocLang::En, DocLang::Es] {
            for (key, label) in catalogue(lang) {
                let Some(code) = VOCABULARIES.iter().find_map(|p| key.strip_prefix(p)) else {
                    continue;
                };
                if VAGUE_CODES.contains(&code) {
                    continue;
                }
                let phrase = code.replace('_', " ");
                for word in fold(label).split(|c: char| !c.is_alphanumeric()) {
                    if word.chars().count() >= 3 && !STOPWORDS.contains(&word) {
                        out.push((word.to_owned(), phrase.clone()));
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    })
}

/// The code phrases a typed (folded) word stands for: those whose label, in either language,
/// has a word it starts. Words shorter than three letters stand for none.
pub(super) fn code_phrases(word: &str) -> Vec<String> {
    if word.chars().count() < 3 {
        return Vec::new();
    }
    let mut phrases: Vec<String> = table()
        .iter()
        .filter(|(w, _)| w.starts_with(word))
        .map(|(_, p)| p.clone())
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
}

#[cfg(test)]
mod tests {
    use super::code_phrases;

    #[test]
    fn a_label_word_in_either_language_stands_for_its_codes() {
        let secuestro = code_phrases("secuestro");
        assert!(
            secuestro.contains(&"kidnapping".to_owned()),
            "{secuestro:?}"
        );
        assert!(secuestro.contains(&"attempted kidnapping".to_owned()));
        assert!(code_phrases("kidnap").contains(&"kidnapping".to_owned()));
        assert!(code_phrases("extorsion").contains(&"extortion".to_owned()));
        assert!(code_phrases("taxi").contains(&"taxi or car".to_owned()));
        assert!(code_phrases("policia").contains(&"mexican police".to_owned()));
        assert!(code_phrases("ausencia").contains(&"removed in absentia".to_owned()));
        assert!(code_phrases("por").is_empty() && code_phrases("de").is_empty());
        assert!(code_phrases("otro").is_empty());
    }
}
