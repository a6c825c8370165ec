//! Ranking a kind's pool of matches and cutting each hit's snippet, here in Rust over the text
//! the pool already read, instead of FTS5's `bm25()` and `snippet()`: `bm25()` counts every row
//! holding each word to weigh it (a walk of the word's whole doclist on every call, 10–25 ms per
//! kind for a word in 300,000 notes), and `snippet()` needs one more MATCH per hit.
//!
//! Words are compared as the index compares them: runs of letters and digits, lower-cased
//! without diacritics (`unicode61 remove_diacritics 2`).

use unicode_normalization::char::is_combining_mark;

use super::{HitKind, MARK_END, MARK_START, MIN_PREFIX, Typed};
use crate::text::fold;

/// Words in a snippet, as FTS5's `snippet(…, 12)` gave.
const SNIPPET_WORDS: usize = 12;

/// One record of a kind's pool, as read with its indexed text.
pub(super) struct Candidate {
    pub rowid: i64,
    pub record_id: String,
    pub client_id: String,
    pub client_name: String,
    pub text: String,
}

/// How each typed word finds the indexed words: whole, as a prefix (three letters or more:
/// the word being typed), or as the end of one (an A-number's digits after its "A").
enum Finds {
    Whole,
    Start,
    End,
}

pub(super) struct Words(Vec<(String, Finds)>);

impl Words {
    /// The words searched for in records of `kind`.
    pub fn new(typed: &Typed, kind: HitKind) -> Words {
        Words(match typed {
            Typed::ANumber(d) => vec![(d.clone(), Finds::End)],
            Typed::Words(ws) => {
                let mut words: Vec<(String, Finds)> = ws
                    .iter()
                    .map(|w| {
                        let finds = if w.chars().count() >= MIN_PREFIX {
                            Finds::Start
                        } else {
                            Finds::Whole
                        };
                        (w.clone(), finds)
                    })
                    .collect();
                // The code words a label word stands for count and are marked too.
                for w in ws {
                    for phrase in super::labels::code_phrases(w, kind) {
                        for word in phrase.split(' ') {
                            words.push((word.to_owned(), Finds::Whole));
                        }
                    }
                }
                words
            }
        })
    }

    /// Which typed word an indexed (folded) word is, if any.
    fn find(&self, token: &str) -> Option<usize> {
        self.0.iter().position(|(w, finds)| match finds {
            Finds::Whole => token == w,
            Finds::Start => token.starts_with(w.as_str()),
            Finds::End => token.ends_with(w.as_str()),
        })
    }
}

/// The words of `text`: byte range and folded form.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let inside = c.is_alphanumeric() || is_combining_mark(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, fold(&text[s..i])));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The pool best first, by BM25's term-frequency and length part: a record that says the words
/// more often, in fewer words, comes first (a client named Juárez before a note that mentions
/// Ciudad Juárez once among 200 words). The words weigh the same (BM25's rarity weight is what
/// needs every row holding each word counted); ties keep the newest first.
pub(super) fn rank(words: &Words, pool: Vec<Candidate>) -> Vec<Candidate> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let counted: Vec<(Vec<u32>, usize, Candidate)> = pool
        .into_iter()
        .map(|c| {
            let mut counts = vec![0u32; words.0.len()];
            let toks = tokens(&c.text);
            for (_, _, token) in &toks {
                if let Some(n) = words.find(token) {
                    counts[n] += 1;
                }
            }
            (counts, toks.len(), c)
        })
        .collect();
    let average = counted.iter().map(|c| c.1).sum::<usize>() as f64 / counted.len().max(1) as f64;
    let mut scored: Vec<(f64, Candidate)> = counted
        .into_iter()
        .map(|(counts, len, c)| {
            let norm = K1 * (1.0 - B + B * len as f64 / average.max(1.0));
            let score: f64 = counts
                .iter()
                .map(|&tf| f64::from(tf) * (K1 + 1.0) / (f64::from(tf) + norm))
                .sum();
            (score, c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.rowid.cmp(&b.1.rowid)));
    scored.into_iter().map(|(_, c)| c).collect()
}

/// Up to twelve words of `text` around the typed words, each found word between
/// [`MARK_START`] and [`MARK_END`], with "…" where the text goes on. The window holds the most
/// different typed words, then the most words found, the earliest such.
pub(super) fn snippet(words: &Words, text: &str) -> String {
    let toks = tokens(text);
    let found: Vec<Option<usize>> = toks.iter().map(|t| words.find(&t.2)).collect();
    let window = |s: usize| {
        let inside = &found[s..(s + SNIPPET_WORDS).min(found.len())];
        let mut distinct: Vec<usize> = inside.iter().flatten().copied().collect();
        let total = distinct.len();
        distinct.sort_unstable();
        distinct.dedup();
        (distinct.len(), total)
    };
    let mut start = 0;
    let mut best = (0, 0);
    for (i, f) in found.iter().enumerate() {
        let s = i.saturating_sub(2);
        if f.is_some() && window(s) > best {
            (start, best) = (s, window(s));
        }
    }
    let end = (start + SNIPPET_WORDS).min(toks.len());
    if end == 0 {
        return clean(text);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = toks[start].0;
    for i in start..end {
        let (s, e, _) = &toks[i];
        out.push_str(&clean(&text[at..*s]));
        if found[i].is_some() {
            out.push(MARK_START);
            out.push_str(&clean(&text[*s..*e]));
            out.push(MARK_END);
        } else {
            out.push_str(&clean(&text[*s..*e]));
        }
        at = *e;
    }
    if end < toks.len() {
        out.push('…');
    } else {
        out.push_str(&clean(&text[at..]));
    }
    out
}

/// The text with the highlight marks taken out, so only the snippet's own marks remain.
fn clean(text: &str) -> String {
    text.replace([MARK_START, MARK_END], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::typed;

    fn candidate(rowid: i64, text: &str) -> Candidate {
        Candidate {
            rowid,
            record_id: rowid.to_string(),
            client_id: String::new(),
            client_name: String::new(),
            text: text.to_owned(),
        }
    }

    fn order(query: &str, texts: &[(i64, &str)]) -> Vec<i64> {
        let words = Words::new(&typed(query).expect("words"), HitKind::Incident);
        let pool = texts.iter().map(|(r, t)| candidate(*r, t)).collect();
        rank(&words, pool).iter().map(|c| c.rowid).collect()
    }

    #[test]
    fn the_pool_ranks_by_how_much_of_a_record_the_words_are_then_newest_first() {
        let long = format!("Llegó a Ciudad Juárez. {}", "palabra ".repeat(60));
        let texts = [
            (1, long.as_str()),
            (2, "Rosa Juárez Pérez"),
            (3, "sin la palabra buscada"),
            (4, long.as_str()),
        ];
        // The short record about Juárez first, the two long mentions newest first, the
        // record without the word last.
        assert_eq!(order("juarez", &texts), vec![2, 1, 4, 3]);
        // A word being typed counts the words it starts; a two-letter word only itself.
        assert_eq!(order("juar", &[(1, "juarense"), (2, "otro")]), vec![1, 2]);
        assert_eq!(order("ma", &[(1, "martes"), (2, "ma")]), vec![2, 1]);
        // An A-number's digits find it written with its "A".
        assert_eq!(
            order("A-123-456-789", &[(1, "x"), (2, "A123456789")]),
            vec![2, 1]
        );
    }

    #[test]
    fn a_snippet_marks_the_words_found_in_the_window_holding_most_of_them() {
        let words = Words::new(&typed("juarez camion").expect("words"), HitKind::Incident);
        let text = "Uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece: \
                    en Ciudad Juárez lo subieron a un camión blanco frente a la central.";
        let s = snippet(&words, text);
        assert_eq!(
            s,
            "…en Ciudad \u{2}Juárez\u{3} lo subieron a un \u{2}camión\u{3} blanco frente a la…"
        );
        // A short text is whole, and marks already in the text are not taken for ours.
        let words = Words::new(&typed("rosa").expect("words"), HitKind::Client);
        assert_eq!(
            snippet(&words, "Rosa\u{2} Pérez."),
            "\u{2}Rosa\u{3}  Pérez."
        );
    }
}
