//! Change capture at the one write path. Temporary triggers note each travelling row a
//! transaction touches (and its image before the first touch); just before the commit the
//! hook compares those images with the rows as they stand, and keeps the net change (rows
//! made, fields changed with the versions they replace, rows deleted) as one change of this
//! laptop, stamped with its counter, the hybrid clock and the member. The search index is not
//! captured: every laptop's own triggers keep it in step with the rows.

use std::collections::BTreeMap;

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::frontier::{self, MADE, ROW, Version};
use super::tables::{self, Cols};
use crate::audit::AuditEntry;
use crate::error::{Error, Result};
use crate::store::ChangeHook;

/// What happened to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Op {
    #[serde(rename = "i")]
    Insert,
    #[serde(rename = "u")]
    Update,
    #[serde(rename = "d")]
    Delete,
}

/// One row's net change in a transaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RowChange {
    pub(crate) t: String,
    pub(crate) k: Vec<Value>,
    pub(crate) op: Op,
    /// Made: the whole row; changed: the fields that changed, as they became.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) cols: Map<String, Value>,
    /// The versions each changed field (and, under `""`, the row) had here before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) prev: BTreeMap<String, Vec<String>>,
    /// The change deleted the record (set `deleted_at`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) del: bool,
}

/// A history entry of the change, as its laptop wrote it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) a: String,
    pub(crate) k: String,
    pub(crate) i: String,
    pub(crate) f: Vec<String>,
    pub(crate) by: String,
}

/// One committed transaction of one laptop.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Change {
    pub(crate) d: String,
    pub(crate) n: u64,
    pub(crate) h: u64,
    pub(crate) m: String,
    /// What its laptop held when it was made (device → highest counter).
    pub(crate) deps: BTreeMap<String, u64>,
    pub(crate) rows: Vec<RowChange>,
    pub(crate) entries: Vec<Entry>,
}

impl Change {
    pub(crate) fn id(&self) -> String {
        format!("{}:{}", self.d, self.n)
    }

    pub(crate) fn version(&self, x: Value, del: bool) -> Version {
        Version {
            v: self.id(),
            h: self.h,
            m: self.m.clone(),
            x,
            del,
        }
    }
}

/// This laptop's row of `sync_self`.
pub(crate) struct Me {
    pub(crate) device: String,
    pub(crate) counter: u64,
    pub(crate) hlc: u64,
    pub(crate) holds: BTreeMap<String, u64>,
}

impl Me {
    pub(crate) fn read(conn: &Connection) -> Result<Me> {
        let (device, counter, hlc, holds): (String, i64, i64, String) = conn.query_row(
            "SELECT device, counter, hlc, holds FROM sync_self WHERE only = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(Me {
            device,
            counter: counter.max(0) as u64,
            hlc: hlc.max(0) as u64,
            holds: serde_json::from_str(&holds).map_err(|_| Error::Crypto("sync holds"))?,
        })
    }

    pub(crate) fn save(&self, conn: &Connection) -> Result<()> {
        let holds = serde_json::to_string(&self.holds).map_err(|_| Error::Crypto("sync holds"))?;
        conn.prepare_cached(
            "UPDATE sync_self SET counter = ?1, hlc = ?2, holds = ?3 WHERE only = 1",
        )?
        .execute(params![self.counter as i64, self.hlc as i64, holds])?;
        Ok(())
    }

    /// The hybrid logical clock: never behind the wall clock, never behind anything seen.
    pub(crate) fn tick(&mut self) -> u64 {
        let wall = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default() << 16;
        self.hlc = wall.max(self.hlc + 1);
        self.hlc
    }
}

/// Keeps a change in the log and counts it as held.
pub(crate) fn log(conn: &Connection, me: &mut Me, ch: &Change) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_log (device, counter, hlc, member, deps, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        ch.d,
        ch.n as i64,
        ch.h as i64,
        ch.m,
        json(&ch.deps)?,
        json(&(&ch.rows, &ch.entries))?
    ])?;
    let held = me.holds.entry(ch.d.clone()).or_default();
    *held = (*held).max(ch.n);
    me.hlc = me.hlc.max(ch.h);
    Ok(())
}

pub(crate) fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Crypto("sync encode"))
}

/// The hook the vault carries while changes are recorded.
pub(crate) struct Capture {
    pub(crate) tables: Vec<Cols>,
    pub(crate) member: String,
}

impl ChangeHook for Capture {
    fn before_commit(&mut self, tx: &Transaction<'_>, entries: &[AuditEntry]) -> Result<()> {
        capture(tx, &self.tables, &self.member, entries)
    }
}

fn parse_object(raw: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(raw) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn capture(tx: &Connection, tables: &[Cols], member: &str, entries: &[AuditEntry]) -> Result<()> {
    let touched: Vec<(String, String, Option<String>)> = {
        let mut stmt =
            tx.prepare_cached("SELECT tbl, key, old FROM temp.sync_touched ORDER BY rowid")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    if touched.is_empty() {
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM temp.sync_touched")?
        .execute([])?;
    let mut me = Me::read(tx)?;
    let mut ch = Change {
        d: me.device.clone(),
        n: me.counter + 1,
        h: me.tick(),
        m: member.to_owned(),
        deps: me.holds.clone(),
        rows: Vec::new(),
        entries: Vec::new(),
    };
    for (tbl, key, old) in touched {
        let Some(cols) = tables.iter().find(|c| c.table.name == tbl) else {
            continue;
        };
        let k: Vec<Value> = serde_json::from_str(&key).map_err(|_| Error::Crypto("sync key"))?;
        let old = old.as_deref().and_then(parse_object);
        let new = cols.read_row(tx, &k)?;
        if let Some(row) = net_change(tx, cols, &ch, &key, k, old, new)? {
            ch.rows.push(row);
        }
    }
    if ch.rows.is_empty() {
        return Ok(());
    }
    ch.entries = entries
        .iter()
        .map(|e| Entry {
            a: e.action.clone(),
            k: e.entity_kind.clone(),
            i: e.entity_id.clone(),
            f: e.changed_fields.clone(),
            by: e.actor.clone(),
        })
        .collect();
    me.counter = ch.n;
    log(tx, &mut me, &ch)?;
    me.save(tx)
}

/// A row's net change from its image before the transaction to its image now, with the
/// frontiers it replaces (and this change as their new frontier).
fn net_change(
    tx: &Connection,
    cols: &Cols,
    ch: &Change,
    key: &str,
    k: Vec<Value>,
    old: Option<Map<String, Value>>,
    new: Option<Map<String, Value>>,
) -> Result<Option<RowChange>> {
    let tbl = cols.table.name;
    let soft = cols.table.soft_delete;
    let mut row = RowChange {
        t: tbl.to_owned(),
        k,
        op: Op::Update,
        cols: Map::new(),
        prev: BTreeMap::new(),
        del: false,
    };
    match (old, new) {
        (None, Some(n)) => {
            frontier::store(tx, tbl, key, MADE, &[ch.version(Value::Null, false)], soft)?;
            row.op = Op::Insert;
            row.cols = n;
        }
        (Some(_), None) => {
            let was = frontier::of_row(tx, tbl, key)?;
            row.prev.insert(ROW.into(), frontier::ids(&was));
            frontier::store(tx, tbl, key, ROW, &[ch.version(Value::Null, true)], soft)?;
            row.op = Op::Delete;
        }
        (Some(o), Some(n)) => {
            for (c, x) in &n {
                let before = o.get(c).unwrap_or(&Value::Null);
                if before == x {
                    continue;
                }
                let was = frontier::of_field(tx, tbl, key, c, before)?;
                row.prev.insert(c.clone(), frontier::ids(&was));
                frontier::store(tx, tbl, key, c, &[ch.version(x.clone(), false)], soft)?;
                row.cols.insert(c.clone(), x.clone());
            }
            if row.cols.is_empty() {
                return Ok(None);
            }
            row.del = soft && deleted(&o) == Some(false) && deleted(&n) == Some(true);
            let was = frontier::of_row(tx, tbl, key)?;
            row.prev.insert(ROW.into(), frontier::ids(&was));
            frontier::store(tx, tbl, key, ROW, &[ch.version(Value::Null, row.del)], soft)?;
        }
        (None, None) => return Ok(None),
    }
    Ok(Some(row))
}

fn deleted(row: &Map<String, Value>) -> Option<bool> {
    row.get("deleted_at").map(|v| !v.is_null())
}

/// Creates the capture's temporary table and triggers on this connection.
pub(crate) fn install(conn: &Connection) -> Result<Vec<Cols>> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS sync_touched (
             tbl TEXT NOT NULL, key TEXT NOT NULL, old TEXT, PRIMARY KEY (tbl, key));
         CREATE TEMP TABLE IF NOT EXISTS sync_quiet (on_ INTEGER);",
    )?;
    let tables = tables::all(conn)?;
    for t in &tables {
        conn.execute_batch(&t.triggers())?;
    }
    Ok(tables)
}
