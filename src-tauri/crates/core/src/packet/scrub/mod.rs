//! Scrubbing the free text of packets that must not identify someone.
//!
//! A person who is not identified gets a stable pseudonym with an asterisk ("Yasmin*",
//! `pseudonyms.rs`). Free text (narratives, accounts, notes, text exhibits) goes through
//! three passes: contacts (e-mail addresses, handles, profile links), numbers (A-numbers and
//! phones, however spaced), then names. A name is matched word by word, accent- and
//! case-insensitively, with the nicknames people use for it ("Lupe" for Guadalupe), glued
//! to other words ("MaríaJosé", "hernandez84") or broken at a line end ("Hernán-" / "dez");
//! a run of one person's words ("María José de la Cruz") becomes one pseudonym.
//!
//! Some words are weaker evidence alone: a word also in the name of someone the packet
//! identifies (a shared surname) is left alone unless it follows the hidden person's other
//! names; a name that is also an ordinary word ("dolores de cabeza") is replaced as part of a
//! whole name, and alone is flagged for the user to confirm ([`ScrubMark::key`]). Every
//! replacement is recorded ([`Scrubber::take_marks`]) so the builder can show it.

mod lists;
mod numbers;
mod pseudonyms;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::text::fold;
use lists::{NICKNAMES, ORDINARY, PARTICLES};
pub use pseudonyms::Pseudonyms;

/// How surely one word names a hidden person when it stands alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// Also a word of someone the packet identifies: alone, it is theirs.
    Shared,
    /// Also an ordinary word: alone, the user confirms it.
    Ordinary,
    Strong,
}

/// What removed things are replaced by, in the packet's language.
pub struct ScrubLabels {
    pub a_number: String,
    pub phone: String,
    pub contact: String,
}

/// One replacement the scrubber made, or (with a `key` and `replaced` false) one it would make
/// if the user confirms that the word is a name here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ScrubMark {
    /// For a single word that may be an ordinary word: what to send in
    /// [`super::PacketRequest::confirmed`] to have it replaced.
    pub key: Option<String>,
    pub original: String,
    pub replacement: String,
    pub replaced: bool,
    /// Up to 40 characters of the text either side.
    pub before: String,
    pub after: String,
}

/// Names and numbers this packet must not print and what to print instead.
pub struct Scrubber {
    /// Folded word → the hidden people it may name, and how surely.
    words: HashMap<String, Vec<(usize, Strength)>>,
    replacements: Vec<String>,
    /// Whether every A-number-like and phone-like number and every contact goes, not only the
    /// hidden people's.
    all_numbers: bool,
    known_numbers: Vec<String>,
    confirmed: HashSet<String>,
    labels: ScrubLabels,
    marks: RefCell<Vec<ScrubMark>>,
}

/// One person to hide: their names (given, family, aliases), numbers and what to call them.
pub struct Hidden<'a> {
    pub names: [&'a str; 3],
    pub replacement: String,
    pub numbers: Vec<String>,
}

/// The folded words of a name, without particles or one-letter initials.
pub fn name_words(s: &str) -> impl Iterator<Item = String> + '_ {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !PARTICLES.contains(w))
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// A name's words and the nicknames of its first given name, alone or with the second
/// ("José" gives "Pepe", "María José" gives "Majo"; a second "José" alone gives nothing).
fn with_nicknames(given_first: &str) -> Vec<String> {
    let words: Vec<String> = name_words(given_first).collect();
    let mut out = words.clone();
    let pair = (words.len() >= 2).then(|| format!("{} {}", words[0], words[1]));
    for w in words.first().cloned().into_iter().chain(pair) {
        if let Some((_, nicks)) = NICKNAMES.iter().find(|(n, _)| *n == w) {
            out.extend(nicks.iter().map(|n| (*n).to_owned()));
        }
    }
    out
}

/// Zero-width and soft-hyphen characters: inside a word they hide nothing.
fn ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// A word (with its folded key) or what lies between words.
struct Tok {
    text: String,
    key: Option<String>,
}

impl Tok {
    /// White space or a hyphen between two words of one name (on one line or across one).
    fn joins(&self) -> bool {
        self.key.is_none()
            && self.text.matches('\n').count() <= 1
            && self
                .text
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}'))
    }
    fn is_particle(&self) -> bool {
        self.key.as_deref().is_some_and(|k| PARTICLES.contains(&k))
    }
}

/// Words and gaps; a word hyphenated at a line end ("Hernán-" / "dez") is one word.
fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let push = |toks: &mut Vec<Tok>, cur: &mut String, word: bool| {
        if !cur.is_empty() {
            let key =
                word.then(|| fold(&cur.chars().filter(|c| !ignorable(*c)).collect::<String>()));
            toks.push(Tok {
                text: std::mem::take(cur),
                key,
            });
        }
    };
    for c in s.chars() {
        let word = c.is_alphanumeric() || (in_word && ignorable(c));
        if word != in_word {
            push(&mut toks, &mut cur, in_word);
            in_word = word;
        }
        cur.push(c);
    }
    push(&mut toks, &mut cur, in_word);
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut it = toks.into_iter().peekable();
    while let Some(t) = it.next() {
        // A hyphen, then a line break; or a soft hyphen ending the word, then a line break.
        let broken = |prev: &Tok, gap: &Tok| {
            let g = gap.text.trim_matches(|c: char| c == ' ' || c == '\t');
            let hyphen = g.starts_with(['-', '\u{2010}']) || prev.text.ends_with('\u{ad}');
            let rest = g.trim_start_matches(['-', '\u{2010}']);
            hyphen && rest.contains('\n') && rest.chars().all(char::is_whitespace)
        };
        if let Some(prev) = out.last_mut()
            && prev.key.is_some()
            && t.key.is_none()
            && broken(prev, &t)
            && it
                .peek()
                .is_some_and(|n| n.text.chars().next().is_some_and(char::is_lowercase))
            && let Some(next) = it.next()
        {
            prev.text.push_str(&t.text);
            prev.text.push_str(&next.text);
            let (a, b) = (
                prev.key.take().unwrap_or_default(),
                next.key.unwrap_or_default(),
            );
            prev.key = Some(format!("{a}{b}"));
            continue;
        }
        out.push(t);
    }
    out
}

impl Scrubber {
    pub fn new(
        hidden: &[Hidden<'_>],
        shown_names: &[String],
        all_numbers: bool,
        labels: ScrubLabels,
        confirmed: &[String],
    ) -> Scrubber {
        let shown: HashSet<String> = shown_names.iter().flat_map(|n| with_nicknames(n)).collect();
        let mut words: HashMap<String, Vec<(usize, Strength)>> = HashMap::new();
        let mut known_numbers = Vec::new();
        for (i, h) in hidden.iter().enumerate() {
            let [given, family, aliases] = h.names;
            let names = with_nicknames(given)
                .into_iter()
                .chain(name_words(family))
                .chain(name_words(aliases));
            for w in names {
                let strength = if shown.contains(&w) {
                    Strength::Shared
                } else if ORDINARY.contains(&w.as_str()) {
                    Strength::Ordinary
                } else {
                    Strength::Strong
                };
                let entry = words.entry(w).or_default();
                if !entry.iter().any(|(p, _)| *p == i) {
                    entry.push((i, strength));
                }
            }
            for n in &h.numbers {
                let digits: String = n.chars().filter(char::is_ascii_digit).collect();
                // A phone recorded with its country code is often written without it.
                if digits.len() > 10 {
                    known_numbers.push(digits[digits.len() - 10..].to_owned());
                }
                if digits.len() >= 5 {
                    known_numbers.push(digits);
                }
            }
        }
        Scrubber {
            words,
            replacements: hidden.iter().map(|h| h.replacement.clone()).collect(),
            all_numbers,
            known_numbers,
            confirmed: confirmed.iter().cloned().collect(),
            labels,
            marks: RefCell::new(Vec::new()),
        }
    }

    /// The text with contacts, numbers and hidden names taken out.
    pub fn text(&self, s: &str) -> String {
        let base = occurrence_base(s);
        let s = self.contacts(s);
        let s = self.numbers(&s);
        let toks = tokenize(&s);
        let mut out = String::with_capacity(s.len());
        let mut flagged = 0;
        let mut i = 0;
        while i < toks.len() {
            let Some(first) = self.candidates(&toks[i]) else {
                out.push_str(&toks[i].text);
                i += 1;
                continue;
            };
            let (end, person, strength, count) = self.run(&toks, i, first);
            let original: String = toks[i..=end].iter().map(|t| t.text.as_str()).collect();
            let rep = &self.replacements[person];
            let after = toks[end + 1..].iter().flat_map(|t| t.text.chars()).take(40);
            match (strength, count) {
                (Strength::Shared, _) => out.push_str(&original),
                (Strength::Ordinary, 1) => {
                    let key = format!("{base}:{flagged}");
                    flagged += 1;
                    let replaced = self.confirmed.contains(&key);
                    self.mark(&out, &original, rep, after, Some(key), replaced);
                    out.push_str(if replaced { rep } else { &original });
                }
                _ => {
                    self.mark(&out, &original, rep, after, None, true);
                    out.push_str(rep);
                }
            }
            i = end + 1;
        }
        out
    }

    /// Every replacement made (or offered) since the last call, each once.
    pub fn take_marks(&self) -> Vec<ScrubMark> {
        let mut out: Vec<ScrubMark> = Vec::new();
        for m in self.marks.take() {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    fn mark(
        &self,
        before: &str,
        original: &str,
        replacement: &str,
        after: impl Iterator<Item = char>,
        key: Option<String>,
        replaced: bool,
    ) {
        let tail: Vec<char> = before.chars().rev().take(40).collect();
        self.marks.borrow_mut().push(ScrubMark {
            key,
            original: original.to_owned(),
            replacement: replacement.to_owned(),
            replaced,
            before: tail.into_iter().rev().collect(),
            after: after.take(40).collect(),
        });
    }

    /// The hidden people a word may name: by itself, or glued from their names.
    fn candidates(&self, tok: &Tok) -> Option<Vec<(usize, Strength)>> {
        let key = tok.key.as_deref()?;
        if let Some(c) = self.words.get(key) {
            return Some(c.clone());
        }
        self.glued(key).map(|p| vec![(p, Strength::Strong)])
    }

    /// Whose name a word of a contact or a glued word carries, if any (a shared word alone
    /// does not count).
    fn person_of_piece(&self, piece: &str) -> Option<usize> {
        match self.words.get(piece) {
            Some(c) => c
                .iter()
                .find(|(_, s)| *s != Strength::Shared)
                .map(|(p, _)| *p),
            None => self.glued(piece),
        }
    }

    /// A word made of a hidden person's names run together, with particles between them and
    /// digits after ("mariajose", "delacruz" after a name, "hernandez84"): the person.
    fn glued(&self, key: &str) -> Option<usize> {
        let core = key.trim_end_matches(|c: char| c.is_ascii_digit());
        if core.is_empty() {
            return None;
        }
        if core.len() < key.len()
            && let Some(p) = self.person_of_piece(core)
        {
            return Some(p);
        }
        // Char boundaries, and the states reachable at each: after a name piece, or after a
        // particle that follows one; each with the first person seen and how many names.
        let bounds: Vec<usize> = core
            .char_indices()
            .map(|(i, _)| i)
            .chain([core.len()])
            .collect();
        let n = bounds.len();
        let mut after_name: Vec<Option<(Option<usize>, usize)>> = vec![None; n];
        let mut after_particle: Vec<Option<(Option<usize>, usize)>> = vec![None; n];
        let name_at = |a: usize, b: usize| {
            self.words.get(&core[bounds[a]..bounds[b]]).map(|c| {
                c.iter()
                    .find(|(_, s)| *s != Strength::Shared)
                    .map(|(p, _)| *p)
            })
        };
        for (j, state) in after_name.iter_mut().enumerate().skip(1) {
            *state = name_at(0, j).map(|p| (p, 1));
        }
        for i in 1..n {
            for state in [after_name[i], after_particle[i]].into_iter().flatten() {
                for j in i + 1..n {
                    if let Some(p) = name_at(i, j) {
                        let next = (state.0.or(p), state.1 + 1);
                        after_name[j] = after_name[j].or(Some(next));
                    } else if PARTICLES.contains(&&core[bounds[i]..bounds[j]])
                        && after_particle[j].is_none()
                    {
                        after_particle[j] = Some(state);
                    }
                }
            }
        }
        match after_name[n - 1] {
            Some((Some(p), names)) if names >= 2 => Some(p),
            _ => None,
        }
    }

    /// The run of one person's words starting at `start`: the last word's index, the person,
    /// the strongest of its words and how many words it has.
    fn run(
        &self,
        toks: &[Tok],
        start: usize,
        first: Vec<(usize, Strength)>,
    ) -> (usize, usize, Strength, usize) {
        let mut set = first;
        let (mut end, mut count) = (start, 1);
        let mut k = start + 1;
        loop {
            while k < toks.len() && (toks[k].joins() || toks[k].is_particle()) {
                k += 1;
            }
            let Some(next) = toks.get(k).and_then(|t| self.candidates(t)) else {
                break;
            };
            let merged: Vec<(usize, Strength)> = set
                .iter()
                .filter_map(|(p, s)| {
                    next.iter()
                        .find(|(q, _)| q == p)
                        .map(|(_, t)| (*p, (*s).max(*t)))
                })
                .collect();
            if merged.is_empty() {
                break;
            }
            set = merged;
            end = k;
            count += 1;
            k += 1;
        }
        let (person, strength) = set
            .iter()
            .copied()
            .max_by_key(|(p, s)| (*s, std::cmp::Reverse(*p)))
            .unwrap_or((0, Strength::Shared));
        // A whole name with a word of its own is this person's, even if each word alone is weak.
        let strength = if count >= 2 && strength == Strength::Ordinary {
            Strength::Strong
        } else {
            strength
        };
        (end, person, strength, count)
    }
}

/// What the flagged words of one text are keyed by: the same text gives the same keys.
fn occurrence_base(s: &str) -> String {
    let digest = Sha256::digest(fold(s).as_bytes());
    hex::encode(&digest[..6])
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::codes::Sex;

    fn scrubber(all: bool) -> Scrubber {
        Scrubber::new(
            &[
                Hidden {
                    names: ["María José", "Hernández López", "Majo"],
                    replacement: "Yasmin*".into(),
                    numbers: vec!["201234567".into(), "+52 664 123 4567".into()],
                },
                Hidden {
                    names: ["Kevin", "de la Cruz", ""],
                    replacement: "Mateo*".into(),
                    numbers: vec![],
                },
            ],
            &["Rosa Cruz".to_owned()],
            all,
            ScrubLabels {
                a_number: "[A-number removed]".into(),
                phone: "[phone removed]".into(),
                contact: "[contact removed]".into(),
            },
            &[],
        )
    }

    #[test]
    fn names_become_pseudonyms_once_per_run() {
        let s = scrubber(false);
        assert_eq!(
            s.text("María José HERNANDEZ lopez llegó con Kevin de la Cruz; Majo lloró."),
            "Yasmin* llegó con Mateo*; Yasmin* lloró."
        );
        // Words that merely contain a name are left alone.
        assert_eq!(s.text("Marías y kevinito"), "Marías y kevinito");
        // Broken at a line end by a hyphen or a soft hyphen; glued; with digits.
        assert_eq!(
            s.text("la señora Hernán-\n  dez, Ló\u{ad}\npez, MaríaJosé, majo2010"),
            "la señora Yasmin*, Yasmin*, Yasmin*, Yasmin*"
        );
    }

    #[test]
    fn numbers_go_but_dates_and_amounts_stay() {
        let s = scrubber(true);
        assert_eq!(
            s.text("A-201-234-567, tel. (664) 555-1234, el 2026-03-04, pagó 15000 pesos"),
            "[A-number removed], tel. [phone removed], el 2026-03-04, pagó 15000 pesos"
        );
        assert_eq!(s.text("A 123 456 789"), "[A-number removed]");
        // Without the profile's "all numbers", only the hidden person's own numbers go.
        let s = scrubber(false);
        assert_eq!(
            s.text("201234567 y 987654321"),
            "[A-number removed] y 987654321"
        );
    }

    #[test]
    fn numbers_split_by_any_space_go_and_timestamps_stay() {
        let s = scrubber(true);
        assert_eq!(
            s.text(
                "tel. 664\u{a0}123\u{a0}4567 o 664 123\n   4567; A\u{a0}201\u{2011}234\u{2011}567"
            ),
            "tel. [phone removed] o [phone removed]; [A-number removed]"
        );
        assert_eq!(
            s.text("[03/03/26 21:14] salió; 2026-03-04 / 2026-03-05"),
            "[03/03/26 21:14] salió; 2026-03-04 / 2026-03-05"
        );
        // The hidden person's phone written without its country code is still theirs.
        let s = scrubber(false);
        assert_eq!(s.text("al (664) 123-4567"), "al [phone removed]");
    }

    #[test]
    fn a_name_that_is_an_ordinary_word_is_asked_about_alone() {
        let dolores = |confirmed: &[String]| {
            Scrubber::new(
                &[Hidden {
                    names: ["Dolores", "Paz", ""],
                    replacement: "Rosa*".into(),
                    numbers: vec![],
                }],
                &[],
                false,
                ScrubLabels {
                    a_number: "[A]".into(),
                    phone: "[P]".into(),
                    contact: "[C]".into(),
                },
                confirmed,
            )
        };
        let s = dolores(&[]);
        let text = "Dolores Paz llegó. Tiene dolores de cabeza. Dolores lloró.";
        assert_eq!(
            s.text(text),
            "Rosa* llegó. Tiene dolores de cabeza. Dolores lloró."
        );
        let marks = s.take_marks();
        let keys: Vec<&str> = marks.iter().filter_map(|m| m.key.as_deref()).collect();
        assert_eq!(keys.len(), 2);
        // Confirmed, the second lone "Dolores" (the person) is replaced; the headache stays.
        let s = dolores(&[keys[1].to_owned()]);
        assert_eq!(
            s.text(text),
            "Rosa* llegó. Tiene dolores de cabeza. Rosa* lloró."
        );
    }

    #[test]
    fn pseudonyms_are_stable_unique_and_never_a_real_name() {
        let key = [7u8; 32];
        let real = vec!["Yasmin Pérez".to_owned()];
        let mut a = Pseudonyms::new(&key, &real, HashMap::new());
        let mut b = Pseudonyms::new(&key, &real, HashMap::new());
        let first = a.for_person("p1", Some(Sex::Female));
        assert_eq!(first, b.for_person("p1", Some(Sex::Female)));
        assert!(first.ends_with('*'));
        let mut seen = HashSet::new();
        let mut c = Pseudonyms::new(&key, &real, HashMap::new());
        for i in 0..300 {
            let p = c.for_person(&format!("id{i}"), Some(Sex::Female));
            assert_ne!(fold(p.trim_end_matches('*')), "yasmin");
            assert!(seen.insert(p), "pseudonyms are unique within a packet");
        }
        // One the vault already keeps is given back as it is, and never to anyone else.
        let held = HashMap::from([("p9".to_owned(), "Rosa".to_owned())]);
        let mut d = Pseudonyms::new(&key, &real, held);
        assert_eq!(d.for_person("p9", Some(Sex::Female)), "Rosa*");
        for i in 0..200 {
            assert_ne!(d.for_person(&format!("id{i}"), Some(Sex::Female)), "Rosa*");
        }
    }
}
