//! One search box over every record kind: FTS5 inside the encrypted database, kept in step by
//! triggers in the same transaction as each write (migration 0004), or once at the end of a
//! transaction that paused them ([`Paused`]).

use serde::{Deserialize, Serialize};

use crate::anumber;

mod labels;
mod paused;
mod rank;
use crate::error::Result;
use crate::text::fold;
use crate::vault::Vault;
pub(crate) use paused::Paused;
use rank::{Candidate, Words};

/// Marks around matched words in a snippet (control characters no form lets through
/// meaningfully; the UI splits on them and renders plain text, never HTML).
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Client,
    FamilyMember,
    Hearing,
    Screening,
    Incident,
}

impl HitKind {
    pub const ALL: [HitKind; 5] = [
        HitKind::Client,
        HitKind::FamilyMember,
        HitKind::Incident,
        HitKind::Hearing,
        HitKind::Screening,
    ];

    fn token(self) -> &'static str {
        match self {
            HitKind::Client => "kclient",
            HitKind::FamilyMember => "kfamilymember",
            HitKind::Hearing => "khearing",
            HitKind::Screening => "kscreening",
            HitKind::Incident => "kincident",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct SearchHit {
    pub kind: HitKind,
    pub record_id: String,
    pub client_id: String,
    pub client_name: String,
    /// Text around the matched words, with MARK_START/MARK_END around each match.
    pub snippet: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct SearchGroup {
    pub kind: HitKind,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct SearchResults {
    pub groups: Vec<SearchGroup>,
}

/// What the user typed, as the search understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Typed {
    /// An A-number in any spelling: its nine digits.
    ANumber(String),
    /// Folded words; all must match.
    Words(Vec<String>),
}

fn typed(query: &str) -> Option<Typed> {
    if let Ok(digits) = anumber::normalize(query) {
        return Some(Typed::ANumber(digits));
    }
    let words: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    (!words.is_empty()).then_some(Typed::Words(words))
}

/// Words of one or two letters are matched whole: as prefixes they would match half the vault.
const MIN_PREFIX: usize = 3;

/// Turns what the user typed into an FTS5 query: an A-number in any spelling becomes its nine
/// digits; every other word becomes a quoted prefix term; all words must match. (The search
/// itself expands prefixes through the vocabulary first: see [`expression_on`].)
pub fn match_expression(query: &str) -> Option<String> {
    Some(match typed(query)? {
        Typed::ANumber(d) => format!("\"{d}\""),
        Typed::Words(words) => words
            .iter()
            .map(|w| {
                if w.chars().count() < MIN_PREFIX {
                    format!("\"{w}\"")
                } else {
                    format!("\"{w}\"*")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// At most this many whole words stand in for one prefix; beyond that the prefix is asked
/// of FTS5 as it is (slower, still correct).
pub const MAX_EXPANSION: usize = 40;

/// The queries FTS5 gets, one per kind: each word of three letters or more becomes the OR of
/// the indexed words it starts (read from the vocabulary once for every kind), which FTS5 walks
/// lazily and stops early on; a prefix with no indexed word matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    /// Per typed word, the FTS5 terms it stands for in every kind.
    words: Vec<(String, Vec<String>)>,
}

impl Expression {
    /// The FTS5 expression for records of `kind`: a word of a label ("secuestro") also finds
    /// the code it names ("kidnapping") where the index holds that code; a code phrase that
    /// another of the word's codes already finds ("attempted kidnapping" beside "kidnapping")
    /// is left out, a phrase costing FTS5 the words' positions.
    pub fn on(&self, kind: HitKind) -> String {
        let parts: Vec<String> = self
            .words
            .iter()
            .map(|(word, terms)| {
                let mut alternatives = terms.clone();
                let codes = labels::code_phrases(word, kind);
                for code in &codes {
                    let found_by_another = codes
                        .iter()
                        .any(|other| other != code && contains_phrase(code, other));
                    if !found_by_another {
                        alternatives.push(format!("\"{code}\""));
                    }
                }
                match alternatives.len() {
                    1 => alternatives.remove(0),
                    _ => format!("({})", alternatives.join(" OR ")),
                }
            })
            .collect();
        // FTS5 does not AND a parenthesised group implicitly: say it.
        parts.join(" AND ")
    }
}

/// Whether the words of `phrase` hold those of `inner` in a row.
fn contains_phrase(phrase: &str, inner: &str) -> bool {
    let (outer, inner): (Vec<&str>, Vec<&str>) =
        (phrase.split(' ').collect(), inner.split(' ').collect());
    outer.windows(inner.len()).any(|w| w == inner.as_slice())
}

/// What FTS5 will be asked for `query` (see [`Expression`]); `None` when it holds no word.
pub fn expression_on(conn: &rusqlite::Connection, query: &str) -> Result<Option<Expression>> {
    let words = match typed(query) {
        None => return Ok(None),
        Some(Typed::ANumber(d)) => {
            return Ok(Some(Expression {
                words: vec![(d.clone(), vec![format!("\"{d}\"")])],
            }));
        }
        Some(Typed::Words(w)) => w,
    };
    // The vocabulary counts the rows of every word it returns (a walk of its whole doclist),
    // so it is asked only for the *longer* words the typed one starts, from just past the
    // word itself (no indexed word holds char(1)); the word itself joins the OR unseen. For
    // "albergue", in 337,000 rows, that is 4 ms instead of 21.
    let mut vocab = conn.prepare_cached(&format!(
        "SELECT term FROM search_vocab WHERE term >= ?1 || char(1) AND term < ?1 || char(1114111)
         LIMIT {}",
        MAX_EXPANSION
    ))?;
    let mut out = Vec::new();
    for w in words {
        if w.chars().count() < MIN_PREFIX {
            out.push((w.clone(), vec![format!("\"{w}\"")]));
            continue;
        }
        let longer: Vec<String> = vocab
            .query_map([&w], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let terms: Vec<String> = std::iter::once(w.clone()).chain(longer).collect();
        let alternatives = if terms.len() > MAX_EXPANSION {
            vec![format!("\"{w}\"*")]
        } else {
            terms
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "")))
                .collect()
        };
        out.push((w, alternatives));
    }
    Ok(Some(Expression { words: out }))
}

/// At most this many hits of each kind are returned.
pub const PER_KIND: usize = 20;
/// How many of the newest matches of each kind are ranked to choose them.
pub const RECENT_POOL: usize = 300;

impl Vault {
    /// Up to `PER_KIND` best matches of each kind among its `RECENT_POOL` newest, each kind
    /// ranked on its own, so a common name does not let one kind crowd out the others.
    /// An interpreter finds only what belongs to the clients assigned to them (among the same
    /// newest matches: a client of theirs crowded out of the pool by others is not found).
    pub fn search(&self, query: &str) -> Result<SearchResults> {
        let mut found = search_on(&self.conn, query)?;
        if let Some(me) = self.caseload(crate::caseload::Scope::All) {
            let theirs: std::collections::HashSet<String> = self
                .conn
                .prepare_cached("SELECT client_id FROM assignments WHERE handle = ?1")?
                .query_map([&me], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for g in &mut found.groups {
                g.hits.retain(|h| theirs.contains(&h.client_id));
            }
            found.groups.retain(|g| !g.hits.is_empty());
        }
        Ok(found)
    }

    /// The FTS5 expression a query becomes for records of `kind` (see [`Expression`]): what
    /// the search will ask.
    pub fn search_expression(&self, query: &str, kind: HitKind) -> Result<Option<String>> {
        Ok(expression_on(&self.conn, query)?.map(|e| e.on(kind)))
    }
}

/// The search itself, on any connection with the schema: the vault's, or (for benchmarks
/// only) an unencrypted copy of a synthetic vault.
///
/// Each kind is searched on its own, so a common name does not let one kind crowd out the
/// others: one query reads its `RECENT_POOL` newest matches with their indexed text (rowids
/// count down, migration 0004, so FTS5's forward walk meets the newest first and stops after
/// the pool), and [`rank`] chooses the best `PER_KIND` and cuts their snippets.
pub fn search_on(conn: &rusqlite::Connection, query: &str) -> Result<SearchResults> {
    let (Some(expr), Some(typed)) = (expression_on(conn, query)?, typed(query)) else {
        return Ok(SearchResults { groups: Vec::new() });
    };
    // CROSS JOIN keeps SQLite from driving the query from search_docs and re-running the
    // MATCH for each of its rows.
    let mut pool = conn.prepare_cached(&format!(
        "SELECT search_fts.rowid, d.record_id, d.client_id,
           c.given_names || ' ' || c.family_names, search_fts.body
         FROM search_fts
         CROSS JOIN search_docs d ON d.rowid = search_fts.rowid
         CROSS JOIN clients c ON c.id = d.client_id AND c.deleted_at IS NULL
         WHERE search_fts MATCH ?1 ORDER BY search_fts.rowid LIMIT {RECENT_POOL}"
    ))?;
    let mut groups = Vec::new();
    for kind in HitKind::ALL {
        let words = Words::new(&typed, kind);
        let matched = format!("kind : {} AND body : ( {} )", kind.token(), expr.on(kind));
        let newest: Vec<Candidate> = pool
            .query_map([&matched], |r| {
                Ok(Candidate {
                    rowid: r.get(0)?,
                    record_id: r.get(1)?,
                    client_id: r.get(2)?,
                    client_name: r.get(3)?,
                    text: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let ranked = rank::rank(&words, newest).into_iter().map(|c| SearchHit {
            kind,
            snippet: rank::snippet(&words, &c.text),
            record_id: c.record_id,
            client_id: c.client_id,
            client_name: c.client_name,
        });
        // A-numbers holding the digits anywhere come first; the index finds only their start.
        let mut hits = match a_number_fragment(&typed) {
            Some(digits) => by_a_number_fragment(conn, kind, digits)?,
            None => Vec::new(),
        };
        for hit in ranked {
            if hits.len() >= PER_KIND {
                break;
            }
            if !hits.iter().any(|h| h.record_id == hit.record_id) {
                hits.push(hit);
            }
        }
        if !hits.is_empty() {
            groups.push(SearchGroup { kind, hits });
        }
    }
    Ok(SearchResults { groups })
}

/// Three to eight digits typed alone: a piece of an A-number (a whole one is [`Typed::ANumber`]).
fn a_number_fragment(typed: &Typed) -> Option<&str> {
    match typed {
        Typed::Words(w) if w.len() == 1 => {
            let d = w[0].as_str();
            ((3..=8).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
        }
        _ => None,
    }
}

/// Clients or family members whose A-number holds `digits` anywhere, newest first, the
/// A-number shown marked. Other kinds have none.
fn by_a_number_fragment(
    conn: &rusqlite::Connection,
    kind: HitKind,
    digits: &str,
) -> Result<Vec<SearchHit>> {
    let sql = match kind {
        HitKind::Client => {
            "SELECT id, id, given_names || ' ' || family_names, a_number FROM clients
             WHERE deleted_at IS NULL AND instr(a_number, ?1) > 0
             ORDER BY created_at DESC, id LIMIT ?2"
        }
        HitKind::FamilyMember => {
            "SELECT f.id, f.client_id, c.given_names || ' ' || c.family_names, f.a_number
             FROM family_members f JOIN clients c ON c.id = f.client_id AND c.deleted_at IS NULL
             WHERE instr(f.a_number, ?1) > 0 ORDER BY f.created_at DESC, f.id LIMIT ?2"
        }
        _ => return Ok(Vec::new()),
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(rusqlite::params![digits, PER_KIND as i64], |r| {
        Ok(SearchHit {
            kind,
            record_id: r.get(0)?,
            client_id: r.get(1)?,
            client_name: r.get(2)?,
            snippet: format!(
                "{MARK_START}{}{MARK_END}",
                anumber::display(&r.get::<_, String>(3)?)
            ),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_safe_fts_expressions() {
        assert_eq!(
            match_expression("A-123-456-789").as_deref(),
            Some("\"123456789\"")
        );
        assert_eq!(
            match_expression("123 456 789").as_deref(),
            Some("\"123456789\"")
        );
        assert_eq!(
            match_expression("Juárez secuestro").as_deref(),
            Some("\"juarez\"* \"secuestro\"*")
        );
        // FTS5 syntax typed by a user is just words.
        assert_eq!(
            match_expression("a\" OR x*) NEAR(").as_deref(),
            Some("\"a\" \"or\" \"x\" \"near\"*")
        );
        assert_eq!(match_expression("  -- "), None);
    }
}
