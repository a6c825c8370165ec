//! Pseudonyms and the scrubbing of free text for packets that must not identify someone.
//!
//! A person who is not identified gets a stable pseudonym with an asterisk ("Yasmin*"): the
//! same person gets the same pseudonym in every packet from this vault (keyed from the
//! vault's key, so it reveals nothing by itself). Free text (narratives, accounts, notes)
//! has every word of such a person's names replaced by the pseudonym, accent- and
//! case-insensitively; A-numbers and phone-like numbers are removed where the profile asks.

use std::collections::{HashMap, HashSet};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::codes::Sex;
use crate::text::fold;

const FEMALE: &[&str] = &[
    "Yasmin", "Lucía", "Rosa", "Marisol", "Elena", "Carmen", "Alba", "Daniela", "Gloria", "Inés",
    "Julia", "Karla", "Lidia", "Mónica", "Nora", "Olga", "Paola", "Raquel", "Sofía", "Teresa",
    "Valeria", "Ximena", "Zoila", "Beatriz", "Celia", "Dora", "Estela", "Flor", "Gabriela",
    "Irene", "Jazmín", "Leticia", "Mirna", "Nadia", "Pilar", "Reina", "Silvia", "Wendy",
];
const MALE: &[&str] = &[
    "Mateo", "Andrés", "Bruno", "Carlos", "Diego", "Emilio", "Felipe", "Gerardo", "Héctor", "Iván",
    "Javier", "Kevin", "Leonel", "Marco", "Néstor", "Óscar", "Pablo", "Ramiro", "Samuel", "Tomás",
    "Ulises", "Víctor", "Walter", "Yeison", "Adán", "Benito", "César", "Darío", "Edgar", "Fabián",
    "Gilberto", "Hugo", "Ismael", "Joel", "Lázaro", "Mauricio", "Nelson", "Rubén",
];
const ANY: &[&str] = &[
    "Alex",
    "Ariel",
    "Cruz",
    "Dani",
    "Guadalupe",
    "Isa",
    "Noa",
    "René",
    "Sol",
    "Trini",
];

/// Words too common in names' particles to treat as a name on their own.
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "le", "y", "e", "da", "do", "dos", "das", "di", "van", "von",
    "der", "el", "st",
];

/// Names this packet must not print and what to print instead.
pub struct Scrubber {
    /// folded word → replacement
    words: HashMap<String, String>,
    /// Whether every A-number-like and phone-like number goes, not only the known ones.
    all_numbers: bool,
    known_numbers: Vec<String>,
    pub a_number_removed: String,
    pub phone_removed: String,
}

/// One person to hide: their names and numbers, and what to call them.
pub struct Hidden<'a> {
    pub names: [&'a str; 3],
    pub replacement: String,
    pub numbers: Vec<String>,
}

pub fn name_words(s: &str) -> impl Iterator<Item = String> + '_ {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !PARTICLES.contains(w))
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

impl Scrubber {
    pub fn new(
        hidden: &[Hidden<'_>],
        shown_names: &[String],
        all_numbers: bool,
        a_number_removed: String,
        phone_removed: String,
    ) -> Scrubber {
        let mut words = HashMap::new();
        let mut known_numbers = Vec::new();
        let shown: HashSet<String> = shown_names.iter().flat_map(|n| name_words(n)).collect();
        for h in hidden {
            for part in h.names {
                for w in name_words(part).filter(|w| !shown.contains(w)) {
                    words.entry(w).or_insert_with(|| h.replacement.clone());
                }
            }
            known_numbers.extend(
                h.numbers
                    .iter()
                    .map(|n| n.chars().filter(char::is_ascii_digit).collect::<String>())
                    .filter(|n| n.len() >= 5),
            );
        }
        Scrubber {
            words,
            all_numbers,
            known_numbers,
            a_number_removed,
            phone_removed,
        }
    }

    /// The text with hidden names replaced (a run of name words by one replacement) and
    /// numbers removed.
    pub fn text(&self, s: &str) -> String {
        let s = self.numbers(s);
        let mut out = String::with_capacity(s.len());
        let mut word = String::new();
        // The replacement of the last name word, and the whitespace seen since it.
        let mut last: Option<String> = None;
        let mut gap = String::new();
        let flush =
            |word: &mut String, out: &mut String, last: &mut Option<String>, gap: &mut String| {
                if word.is_empty() {
                    return;
                }
                let key = fold(word);
                match self.words.get(&key) {
                    Some(rep) => {
                        // The same person's next name word (after spaces or particles such as
                        // "de la") is already covered by the replacement printed.
                        if last.as_deref() != Some(rep.as_str()) {
                            out.push_str(gap);
                            out.push_str(rep);
                        }
                        *last = Some(rep.clone());
                    }
                    None if last.is_some() && PARTICLES.contains(&key.as_str()) => {
                        gap.push_str(word);
                        word.clear();
                        return;
                    }
                    None => {
                        out.push_str(gap);
                        out.push_str(word);
                        *last = None;
                    }
                }
                gap.clear();
                word.clear();
            };
        for c in s.chars() {
            if c.is_alphanumeric() {
                word.push(c);
            } else {
                flush(&mut word, &mut out, &mut last, &mut gap);
                if last.is_some() {
                    gap.push(c);
                    if !c.is_whitespace() {
                        out.push_str(&gap);
                        gap.clear();
                        last = None;
                    }
                } else {
                    out.push(c);
                }
            }
        }
        flush(&mut word, &mut out, &mut last, &mut gap);
        out.push_str(&gap);
        out
    }

    /// Removes A-numbers and phone numbers: every run of digits (with spaces, dashes, dots,
    /// slashes, parentheses or a plus between them) of seven digits or more, unless it reads
    /// as a date; and any run containing a known number of a hidden person.
    fn numbers(&self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < chars.len() {
            let starts_run = chars[i].is_ascii_digit()
                || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                || (chars[i] == '(' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
            if !starts_run {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let mut j = i;
            let mut last_digit = i;
            while j < chars.len() {
                let c = chars[j];
                if c.is_ascii_digit() {
                    last_digit = j;
                } else {
                    // Up to two separators ("-", ") ") between digit groups.
                    let sep = |k: usize| {
                        chars
                            .get(k)
                            .is_some_and(|c| matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+'))
                    };
                    let digit = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
                    if !(sep(j) && (digit(j + 1) || (sep(j + 1) && digit(j + 2)))) {
                        break;
                    }
                }
                j += 1;
            }
            let run: String = chars[i..=last_digit].iter().collect();
            let digits: String = run.chars().filter(char::is_ascii_digit).collect();
            let known = self
                .known_numbers
                .iter()
                .any(|n| digits.contains(n.as_str()));
            let generic = self.all_numbers && digits.len() >= 7 && !looks_like_date(&run);
            if known || generic {
                // Drop an "A" or "A-" written before an A-number.
                let is_a = digits.len() == 8 || digits.len() == 9;
                let trimmed = out.trim_end_matches(['-', ' ']);
                let a_prefix = trimmed.ends_with(['A', 'a'])
                    && !trimmed[..trimmed.len() - 1]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                if is_a && a_prefix {
                    let keep = trimmed.len() - 1;
                    out.truncate(keep);
                }
                out.push_str(if is_a {
                    &self.a_number_removed
                } else {
                    &self.phone_removed
                });
            } else {
                out.push_str(&run);
            }
            i = last_digit + 1;
        }
        out
    }
}

fn looks_like_date(run: &str) -> bool {
    let groups: Vec<usize> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    matches!(groups.as_slice(), [4, 1 | 2, 1 | 2] | [1 | 2, 1 | 2, 4])
}

/// Pseudonyms for one packet. A person who already has one in the vault keeps it, whoever else
/// is in the packet. Someone without one gets the first free name from a point derived from the
/// vault's key and their id: never a name another person of the vault holds, never a word of a
/// real name in this packet; the names are reused with a number ("Rosa 2*") once all are taken.
/// What was assigned is kept in the vault when the packet is saved ([`Pseudonyms::assigned`]).
pub struct Pseudonyms {
    key: Vec<u8>,
    /// Folded names held by anyone in the vault or given out in this packet.
    taken: HashSet<String>,
    forbidden: HashSet<String>,
    /// Person id → pseudonym (without the asterisk): the vault's, then this packet's.
    held: HashMap<String, String>,
}

impl Pseudonyms {
    /// `held`: the pseudonyms the vault already keeps, by person id.
    pub fn new(
        vault_key: &[u8; 32],
        real_names: &[String],
        held: HashMap<String, String>,
    ) -> Pseudonyms {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(vault_key).expect("any key length");
        mac.update(b"amparo-pseudonym-v1");
        Pseudonyms {
            key: mac.finalize().into_bytes().to_vec(),
            taken: held.values().map(|n| fold(n)).collect(),
            forbidden: real_names.iter().flat_map(|n| name_words(n)).collect(),
            held,
        }
    }

    pub fn for_person(&mut self, person_id: &str, sex: Option<Sex>) -> String {
        if let Some(name) = self.held.get(person_id) {
            return format!("{name}*");
        }
        let list = match sex {
            Some(Sex::Female) => FEMALE,
            Some(Sex::Male) => MALE,
            _ => ANY,
        };
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(person_id.as_bytes());
        let h = mac.finalize().into_bytes();
        let start = usize::from(u16::from_le_bytes([h[0], h[1]])) % list.len();
        let all: Vec<&str> = list
            .iter()
            .chain(FEMALE)
            .chain(MALE)
            .chain(ANY)
            .copied()
            .collect();
        let name = (1u32..)
            .flat_map(|round| {
                all.iter()
                    .cycle()
                    .skip(start)
                    .take(all.len())
                    .map(move |n| {
                        if round == 1 {
                            (*n).to_owned()
                        } else {
                            format!("{n} {round}")
                        }
                    })
            })
            .find(|n| {
                let f = fold(n);
                !self.taken.contains(&f) && !self.forbidden.contains(&f)
            })
            .unwrap_or_else(|| format!("P{}", self.taken.len() + 1));
        self.taken.insert(fold(&name));
        self.held.insert(person_id.to_owned(), name.clone());
        format!("{name}*")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "[A-number removed]".into(),
            "[phone removed]".into(),
        )
    }

    #[test]
    fn names_become_pseudonyms_once_per_run() {
        let s = scrubber(false);
        assert_eq!(
            s.text("María José HERNANDEZ lopez llegó con Kevin de la Cruz; Majo lloró."),
            "Yasmin* llegó con Mateo* de la Cruz; Yasmin* lloró."
        );
        // Words that merely contain a name are left alone.
        assert_eq!(s.text("Marías y kevinito"), "Marías y kevinito");
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
