//! The versions of a field no later change has replaced (its frontier). A change names the
//! versions it replaced (those its laptop held when it was made); arriving, it takes their
//! place. Changes arrive in an order that respects what their makers had seen, so every
//! laptop holding the same changes holds the same frontiers, whatever order they came in.
//! One version: the field's value. Two or more with different values: a clash for review,
//! shown meanwhile with the newest one (the same on every laptop), never silently settled.
//!
//! Column `''` holds a row's own frontier (whether it was deleted on one laptop while edited
//! on another); column `'+'` the change that made the row (a field never edited since).

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

pub(crate) const ROW: &str = "";
pub(crate) const MADE: &str = "+";

/// One version of a field (or of a row): the change that wrote it (`device:counter`), its
/// hybrid-clock time, its member, and the value it wrote (rows: whether it deleted the row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Version {
    pub(crate) v: String,
    pub(crate) h: u64,
    pub(crate) m: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub(crate) x: Value,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) del: bool,
}

impl Version {
    pub(crate) fn device(&self) -> &str {
        self.v.split(':').next().unwrap_or_default()
    }
}

pub(crate) fn read(
    conn: &Connection,
    tbl: &str,
    key: &str,
    col: &str,
) -> Result<Option<Vec<Version>>> {
    let raw: Option<String> = conn
        .prepare_cached(
            "SELECT frontier FROM sync_fields WHERE tbl = ?1 AND key = ?2 AND col = ?3",
        )?
        .query_row(params![tbl, key, col], |r| r.get(0))
        .optional()?;
    raw.map(|r| serde_json::from_str(&r).map_err(|_| Error::Crypto("sync frontier")))
        .transpose()
}

/// A field's frontier: its own entry, else the change that made its row (holding the value
/// the row has now), else nothing known (a row older than the first laptop added).
pub(crate) fn of_field(
    conn: &Connection,
    tbl: &str,
    key: &str,
    col: &str,
    now: &Value,
) -> Result<Vec<Version>> {
    if let Some(f) = read(conn, tbl, key, col)? {
        return Ok(f);
    }
    Ok(read(conn, tbl, key, MADE)?
        .unwrap_or_default()
        .into_iter()
        .map(|made| Version {
            x: now.clone(),
            ..made
        })
        .collect())
}

/// A row's frontier: its own entry, else the change that made it.
pub(crate) fn of_row(conn: &Connection, tbl: &str, key: &str) -> Result<Vec<Version>> {
    match read(conn, tbl, key, ROW)? {
        Some(f) => Ok(f),
        None => Ok(read(conn, tbl, key, MADE)?.unwrap_or_default()),
    }
}

pub(crate) fn store(
    conn: &Connection,
    tbl: &str,
    key: &str,
    col: &str,
    frontier: &[Version],
    soft_delete: bool,
) -> Result<()> {
    let clash = match col {
        MADE => false,
        ROW => soft_delete && frontier.iter().any(|v| v.del) && frontier.iter().any(|v| !v.del),
        c if settles_itself(c) => false,
        _ => frontier.iter().any(|v| v.x != frontier[0].x),
    };
    let json = serde_json::to_string(frontier).map_err(|_| Error::Crypto("sync frontier"))?;
    conn.prepare_cached(
        "INSERT INTO sync_fields (tbl, key, col, frontier, clash) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tbl, key, col) DO UPDATE SET frontier = excluded.frontier, clash = excluded.clash",
    )?
    .execute(params![tbl, key, col, json, clash])?;
    Ok(())
}

/// The frontier once `new` arrives having replaced `prev`.
pub(crate) fn advance(frontier: Vec<Version>, prev: &[String], new: Version) -> Vec<Version> {
    let mut out: Vec<Version> = frontier
        .into_iter()
        .filter(|v| !prev.contains(&v.v) && v.v != new.v)
        .collect();
    out.push(new);
    out.sort_by(|a, b| (a.h, &a.v).cmp(&(b.h, &b.v)));
    out
}

/// The version shown while a clash waits for review: the newest (the same on every laptop).
pub(crate) fn shown(frontier: &[Version]) -> Option<&Version> {
    frontier.iter().max_by(|a, b| (a.h, &a.v).cmp(&(b.h, &b.v)))
}

/// Bookkeeping that is no fact of the case: when a record was last changed is the latest of
/// the laptops' times, never a clash.
pub(crate) fn settles_itself(col: &str) -> bool {
    col == "updated_at"
}

/// The value a field shows: its one version's, the latest time for bookkeeping, else (a clash
/// waiting for review) the newest version's.
pub(crate) fn value<'a>(col: &str, frontier: &'a [Version]) -> Option<&'a Value> {
    if settles_itself(col) {
        return frontier
            .iter()
            .map(|v| &v.x)
            .max_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    shown(frontier).map(|v| &v.x)
}

pub(crate) fn ids(frontier: &[Version]) -> Vec<String> {
    frontier.iter().map(|v| v.v.clone()).collect()
}
