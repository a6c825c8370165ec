//! One search box over every record kind: FTS5 inside the encrypted database, kept in step by
//! triggers in the same transaction as each write (migration 0004).

use serde::{Deserialize, Serialize};

use crate::anumber;
use crate::error::Result;
use crate::text::fold;
use crate::vault::Vault;

/// Marks around matched words in a snippet (control characters no form lets through
/// meaningfully; the UI splits on them and renders plain text, never HTML).
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
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

    /// The kind as `search_docs` records it (migration 0004).
    fn docs_kind(self) -> &'static str {
        match self {
            HitKind::Client => "client",
            HitKind::FamilyMember => "family_member",
            HitKind::Hearing => "hearing",
            HitKind::Screening => "screening",
            HitKind::Incident => "incident",
        }
    }

    /// The token the index stores in its `kind` column (migration 0004).
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

/// The query FTS5 gets: each word of three letters or more becomes the OR of the indexed words
/// it starts (read from the vocabulary), which FTS5 walks lazily and stops early on; a prefix
/// with no indexed word matches nothing.
pub fn expression_on(conn: &rusqlite::Connection, query: &str) -> Result<Option<String>> {
    let words = match typed(query) {
        None => return Ok(None),
        Some(Typed::ANumber(d)) => return Ok(Some(format!("\"{d}\""))),
        Some(Typed::Words(w)) => w,
    };
    let mut vocab = conn.prepare_cached(&format!(
        "SELECT term FROM search_vocab WHERE term >= ?1 AND term < ?1 || char(1114111)
         LIMIT {}",
        MAX_EXPANSION + 1
    ))?;
    let mut parts = Vec::new();
    for w in &words {
        if w.chars().count() < MIN_PREFIX {
            parts.push(format!("\"{w}\""));
            continue;
        }
        let terms: Vec<String> = vocab
            .query_map([w], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parts.push(match terms.len() {
            0 => format!("\"{w}\""),
            1 => format!("\"{}\"", terms[0].replace('"', "")),
            n if n > MAX_EXPANSION => format!("\"{w}\"*"),
            _ => format!(
                "({})",
                terms
                    .iter()
                    .map(|t| format!("\"{}\"", t.replace('"', "")))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ),
        });
    }
    // FTS5 does not AND a parenthesised group implicitly: say it.
    Ok(Some(parts.join(" AND ")))
}

/// At most this many hits of each kind are returned.
pub const PER_KIND: usize = 20;
/// How many of the newest matches of each kind are ranked to choose them.
pub const RECENT_POOL: usize = 300;
/// A pool spread over more rowids than this is ranked with its kind in the match (see
/// `search_on`). 20 rows of the index per pooled match.
const SPARSE_SPAN: i64 = 20 * RECENT_POOL as i64;

impl Vault {
    /// Up to `PER_KIND` best matches of each kind among its `RECENT_POOL` newest, each kind
    /// ranked on its own (bm25), so a common name does not let one kind crowd out the others.
    pub fn search(&self, query: &str) -> Result<SearchResults> {
        search_on(&self.conn, query)
    }

    /// The FTS5 expression a query becomes (see [`expression_on`]): what the search will ask.
    pub fn search_expression(&self, query: &str) -> Result<Option<String>> {
        expression_on(&self.conn, query)
    }
}

/// The search itself, on any connection with the schema: the vault's, or (for benchmarks
/// only) an unencrypted copy of a synthetic vault.
pub fn search_on(conn: &rusqlite::Connection, query: &str) -> Result<SearchResults> {
    {
        let Some(expr) = expression_on(conn, query)? else {
            return Ok(SearchResults { groups: Vec::new() });
        };
        // Rank (bm25) only the newest RECENT_POOL matches of each kind: a word found in a
        // hundred thousand notes would otherwise be scored a hundred thousand times per
        // keystroke. Rowids count down (migration 0004), so FTS5's forward walk meets the
        // newest matches first and stops after the pool. The ranking then looks only at that
        // rowid range, matching the words alone (not the kind token: bm25 counts every row
        // holding each phrase, and "kscreening" is in a million rows) and keeping the kind
        // through search_docs. CROSS JOIN keeps SQLite from driving the query from
        // search_docs and re-running the MATCH for each of its rows. Prefixes arrive expanded
        // into whole words (`expression_on`). Measured over 1,000,000 notes: "juarez" went
        // from 1.16 s to 0.11 s with the pool, then to about 20 ms with the expansion and the
        // words-only ranking (docs/benchmarks.md).
        let mut pool = conn.prepare_cached(&format!(
            "SELECT min(rowid), max(rowid) FROM (SELECT rowid FROM search_fts
               WHERE search_fts MATCH ?1 ORDER BY rowid ASC LIMIT {RECENT_POOL})"
        ))?;
        // Two ways to rank a kind's pool, chosen by how spread out it is. Dense (the kind's
        // newest matches sit close together, as notes do): the words alone over the pool's
        // rowid range. Sparse (a kind with few matches scattered over the whole index, such
        // as clients whose shelter is named "Albergue …"): that range would hold every other
        // kind's matches too (300,000 rows for "albergue" in the large vault: 780 ms), so the
        // kind token joins the match and bm25 gives it no weight (counting it costs a scan of
        // the kind's doclist, cheap for the rare kinds that are sparse).
        let rank_sql = |matched: &str, weights: &str| {
            format!(
                "SELECT d.record_id, d.client_id, c.given_names || ' ' || c.family_names,
                   snippet(search_fts, 1, char(2), char(3), '…', 12)
                 FROM search_fts
                 CROSS JOIN search_docs d ON d.rowid = search_fts.rowid AND d.kind = ?4
                 CROSS JOIN clients c ON c.id = d.client_id AND c.deleted_at IS NULL
                 WHERE search_fts MATCH {matched} AND search_fts.rowid BETWEEN ?2 AND ?3
                 ORDER BY bm25(search_fts{weights})
                 LIMIT {PER_KIND}"
            )
        };
        let mut dense = conn.prepare_cached(&rank_sql("?1", ""))?;
        let mut sparse = conn.prepare_cached(&rank_sql("?1", ", 0.0, 1.0"))?;
        let words = format!("body : ( {expr} )");
        let mut groups = Vec::new();
        for kind in HitKind::ALL {
            let query = format!("kind : {} AND {words}", kind.token());
            let (Some(from), Some(upto)): (Option<i64>, Option<i64>) =
                pool.query_row([&query], |r| Ok((r.get(0)?, r.get(1)?)))?
            else {
                continue;
            };
            let (stmt, matched) = if upto - from > SPARSE_SPAN {
                (&mut sparse, &query)
            } else {
                (&mut dense, &words)
            };
            let hits: Vec<SearchHit> = stmt
                .query_map(
                    rusqlite::params![matched, from, upto, kind.docs_kind()],
                    |r| {
                        Ok(SearchHit {
                            kind,
                            record_id: r.get(0)?,
                            client_id: r.get(1)?,
                            client_name: r.get(2)?,
                            snippet: r.get(3)?,
                        })
                    },
                )?
                .collect::<rusqlite::Result<_>>()?;
            if !hits.is_empty() {
                groups.push(SearchGroup { kind, hits });
            }
        }
        Ok(SearchResults { groups })
    }
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
