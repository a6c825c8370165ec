//! Applying another laptop's change here. New rows are made (their ids never clash); each
//! changed field takes the place of the versions its maker replaced, so edits to different
//! fields merge and the same field changed on two laptops keeps both versions as a clash for
//! review (see [`super::frontier`]); a record deleted on one laptop while edited on another
//! is a clash too. The change's history entries are written here as its maker's, so each
//! laptop's chain stays whole and a record's history shows every laptop's changes.

use serde_json::{Map, Value};

use super::capture::{Change, Me, Op, RowChange, log};
use super::frontier::{self, MADE, ROW};
use rusqlite::types::Value as Sql;

use super::tables::{Cols, derived, table};
use crate::error::Result;
use crate::search::Paused;
use crate::store::Write;

/// The bytes of attachments a bundle carries, by SHA-256.
pub(crate) type Blobs = std::collections::HashMap<String, Vec<u8>>;

/// Whether this laptop can take the change now: not held yet, the next of its laptop, and
/// everything its maker held is held here too.
pub(crate) enum Fit {
    Held,
    Ready,
    Waiting,
}

pub(crate) fn fit(me: &Me, ch: &Change) -> Fit {
    let held = me.holds.get(&ch.d).copied().unwrap_or(0);
    if ch.n <= held {
        return Fit::Held;
    }
    let ready = ch.n == held + 1
        && ch
            .deps
            .iter()
            .all(|(d, n)| d == &ch.d || me.holds.get(d).copied().unwrap_or(0) >= *n);
    if ready { Fit::Ready } else { Fit::Waiting }
}

/// Applies `ch` inside the import's transaction and keeps it in the log.
pub(crate) fn apply(
    w: &mut Write<'_>,
    me: &mut Me,
    tables: &[Cols],
    ch: &Change,
    blobs: &Blobs,
    index: &mut Paused,
) -> Result<()> {
    let mut rows: Vec<(usize, &RowChange)> = ch
        .rows
        .iter()
        .filter_map(|r| table(&r.t).map(|(i, _)| (i, r)))
        .collect();
    // Deletes first, children before parents; then the rest, parents before children.
    rows.sort_by_key(|(i, r)| match r.op {
        Op::Delete => (0, usize::MAX - i),
        _ => (1, *i),
    });
    for (i, row) in rows {
        let cols = &tables[i];
        let key = serde_json::to_string(&row.k).unwrap_or_default();
        if let (Op::Insert | Op::Update, Some(Value::String(id))) = (row.op, row.k.first()) {
            index.touch(cols.table.name, id);
        }
        match row.op {
            Op::Insert => insert(w, cols, ch, &key, row, blobs)?,
            Op::Update => update(w, cols, ch, &key, row)?,
            Op::Delete => delete(w, cols, ch, &key, row)?,
        }
    }
    for e in &ch.entries {
        w.record_remote(format!("{}@{}", e.by, ch.d), &e.a, &e.k, &e.i, &e.f);
    }
    log(w, me, ch)
}

fn insert(
    w: &Write<'_>,
    cols: &Cols,
    ch: &Change,
    key: &str,
    row: &RowChange,
    blobs: &Blobs,
) -> Result<()> {
    let tbl = cols.table.name;
    let Some(here) = cols.read_row(w, &row.k)? else {
        let extra = match tbl {
            "attachments" => {
                let sha = row
                    .cols
                    .get("sha256")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match blobs.get(sha) {
                    Some(b) => vec![("content", Sql::Blob(b.clone()))],
                    // Bytes the bundle did not carry (gone on its laptop): the row cannot be.
                    None => return Ok(()),
                }
            }
            _ => derived(cols.table, &row.cols),
        };
        match cols.insert(w, &row.cols, extra) {
            // A row whose parent was deleted meanwhile goes as the delete took its siblings.
            Err(crate::Error::Storage(rusqlite::Error::SqliteFailure(e, _)))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                return Ok(());
            }
            other => other?,
        }
        return frontier::store(w, tbl, key, MADE, &[ch.version(Value::Null, false)], false);
    };
    // The same row made on two laptops (a link, a setting): each field that differs is a
    // version beside the one here.
    let mut sets = Vec::new();
    for (c, x) in &row.cols {
        let now = here.get(c).unwrap_or(&Value::Null);
        if now != x {
            sets.extend(merge_field(w, cols, ch, key, row, &here, c, x, &[])?);
        }
    }
    write_row(w, cols, &row.k, here, &sets)
}

/// Writes a row's merged fields and what is made from them in one statement.
fn write_row(
    w: &Write<'_>,
    cols: &Cols,
    key: &[Value],
    mut here: Map<String, Value>,
    sets: &[(String, Value)],
) -> Result<()> {
    if sets.is_empty() {
        return Ok(());
    }
    here.extend(sets.iter().cloned());
    cols.update(w, key, sets, derived(cols.table, &here))
}

fn update(w: &Write<'_>, cols: &Cols, ch: &Change, key: &str, row: &RowChange) -> Result<()> {
    let tbl = cols.table.name;
    let Some(here) = cols.read_row(w, &row.k)? else {
        // Gone here (deleted with its parent): the change has nothing left to change.
        return Ok(());
    };
    let mut sets = Vec::new();
    for (c, x) in &row.cols {
        let prev = row.prev.get(c).map(Vec::as_slice).unwrap_or_default();
        sets.extend(merge_field(w, cols, ch, key, row, &here, c, x, prev)?);
    }
    write_row(w, cols, &row.k, here, &sets)?;
    let was = frontier::of_row(w, tbl, key)?;
    let prev = row.prev.get(ROW).map(Vec::as_slice).unwrap_or_default();
    let now = frontier::advance(was, prev, ch.version(Value::Null, row.del));
    frontier::store(w, tbl, key, ROW, &now, cols.table.soft_delete)
}

#[allow(clippy::too_many_arguments)]
fn merge_field(
    w: &Write<'_>,
    cols: &Cols,
    ch: &Change,
    key: &str,
    row: &RowChange,
    here: &Map<String, Value>,
    c: &str,
    x: &Value,
    prev: &[String],
) -> Result<Option<(String, Value)>> {
    let tbl = cols.table.name;
    let now = here.get(c).unwrap_or(&Value::Null);
    let was = frontier::of_field(w, tbl, key, c, now)?;
    let after = frontier::advance(was, prev, ch.version(x.clone(), false));
    frontier::store(w, tbl, key, c, &after, cols.table.soft_delete)?;
    let shown = frontier::value(c, &after).unwrap_or(x);
    if shown == now {
        return Ok(None);
    }
    match (tbl, c, shown) {
        // A member's key turned on another laptop: the old one still vouches for what this
        // laptop's history holds so far.
        ("members", "signing_public", Value::String(public)) => {
            let handle = row.k.first().and_then(Value::as_str).unwrap_or_default();
            crate::members::new_signing_key(w, handle, public)?;
            Ok(None)
        }
        _ => Ok(Some((c.to_owned(), shown.clone()))),
    }
}

fn delete(w: &Write<'_>, cols: &Cols, ch: &Change, key: &str, row: &RowChange) -> Result<()> {
    let tbl = cols.table.name;
    let was = frontier::of_row(w, tbl, key)?;
    let prev = row.prev.get(ROW).map(Vec::as_slice).unwrap_or_default();
    let now = frontier::advance(was, prev, ch.version(Value::Null, true));
    frontier::store(w, tbl, key, ROW, &now, false)?;
    cols.delete(w, &row.k)
}
