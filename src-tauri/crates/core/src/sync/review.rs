//! The "Needs review" queue: fields changed on two laptops (both values kept) and records
//! deleted on one laptop while edited on another. Resolving one is a change of this laptop
//! that replaces every version in the clash, so it travels and settles the clash everywhere.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::capture::Me;
use super::frontier::{self, ROW, Version};
use super::tables::{self, Cols};
use crate::error::{Error, FieldCode, Result};
use crate::vault::Vault;

/// One version in a clash: what it holds, who made it, when and on which laptop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ClashVersion {
    /// The field's value as JSON text; for a deleted-or-edited clash, `"deleted"` or `"edited"`.
    pub value: String,
    pub member: String,
    pub device: String,
    pub device_name: String,
    pub at: String,
    /// Made on this laptop.
    pub here: bool,
    /// The version the record shows until the clash is resolved (the newest).
    pub shown: bool,
}

/// A record waiting for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Clash {
    /// The same on every laptop.
    pub id: String,
    /// The record's kind and id (`client`, `hearing`…), as its history names it.
    pub kind: String,
    pub record_id: String,
    pub table: String,
    /// The field; `deleted` for a record deleted on one laptop and edited on another.
    pub field: String,
    pub versions: Vec<ClashVersion>,
}

/// How a clash is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    /// This laptop's version (or, if none was made here, the one shown).
    Local,
    /// The newest version made elsewhere.
    Remote,
    /// A value of its own (JSON, or text), of the same kind as the versions'.
    Value(String),
}

fn clash_id(tbl: &str, key: &str, col: &str) -> String {
    let mut h = Sha256::new();
    for part in [tbl, key, col] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..8])
}

fn at(hlc: u64) -> String {
    chrono::DateTime::from_timestamp_millis((hlc >> 16) as i64)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

struct Found {
    clash: Clash,
    cols: &'static str,
    key: Vec<Value>,
    key_text: String,
    col: String,
    frontier: Vec<Version>,
}

impl Vault {
    /// The records waiting for review, oldest clash first (those this member may read).
    pub fn sync_clashes(&self) -> Result<Vec<Clash>> {
        Ok(self.found_clashes()?.into_iter().map(|f| f.clash).collect())
    }

    fn found_clashes(&self) -> Result<Vec<Found>> {
        let me = Me::read(&self.conn)?;
        let raw: Vec<(String, String, String, String)> = {
            let mut stmt = self.conn.prepare(
                "SELECT tbl, key, col, frontier FROM sync_fields WHERE clash = 1 ORDER BY tbl, key, col",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut names = self.conn.prepare_cached(
            "SELECT name FROM sync_peers WHERE device = ?1 UNION ALL
             SELECT name FROM sync_self WHERE device = ?1",
        )?;
        let mut out = Vec::new();
        for (tbl, key_text, col, front) in raw {
            let Some((_, table)) = tables::table(&tbl) else {
                continue;
            };
            let cols = Cols::read(&self.conn, table)?;
            let key: Vec<Value> = serde_json::from_str(&key_text).unwrap_or_default();
            let Some(row) = cols.read_row(&self.conn, &key)? else {
                continue;
            };
            let record_id = match row.get(table.record.1) {
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => continue,
            };
            if self.may_read_record(table.record.0, &record_id).is_err() {
                continue;
            }
            let frontier: Vec<Version> =
                serde_json::from_str(&front).map_err(|_| Error::Crypto("sync frontier"))?;
            let shown = frontier::shown(&frontier).map(|v| v.v.clone());
            let mut versions = Vec::new();
            for v in &frontier {
                let device_name: String = names
                    .query_row([v.device()], |r| r.get(0))
                    .unwrap_or_default();
                versions.push(ClashVersion {
                    value: if col == ROW {
                        (if v.del { "deleted" } else { "edited" }).to_owned()
                    } else {
                        v.x.to_string()
                    },
                    member: v.m.clone(),
                    device: v.device().to_owned(),
                    device_name,
                    at: at(v.h),
                    here: v.device() == me.device,
                    shown: Some(&v.v) == shown.as_ref(),
                });
            }
            out.push(Found {
                clash: Clash {
                    id: clash_id(&tbl, &key_text, &col),
                    kind: table.record.0.to_owned(),
                    record_id,
                    table: tbl.clone(),
                    field: if col == ROW {
                        "deleted".into()
                    } else {
                        col.clone()
                    },
                    versions,
                },
                cols: table.name,
                key,
                key_text,
                col,
                frontier,
            });
        }
        Ok(out)
    }

    /// Settles a clash with this laptop's version, the other laptop's, or a value of its own.
    pub fn sync_resolve(&mut self, id: &str, take: &Take) -> Result<Clash> {
        let found = self
            .found_clashes()?
            .into_iter()
            .find(|f| f.clash.id == id)
            .ok_or(Error::NotFound)?;
        let me = Me::read(&self.conn)?;
        let pick = |local: bool| pick(&found.frontier, &me.device, local);
        let (col, value) = if found.col == ROW {
            let chosen = match take {
                Take::Local => pick(true),
                Take::Remote => pick(false),
                Take::Value(_) => return Err(Error::validation("take", FieldCode::UnknownCode)),
            }
            .ok_or(Error::NotFound)?;
            let value = if chosen.del {
                Value::String(crate::dates::now_rfc3339())
            } else {
                Value::Null
            };
            ("deleted_at".to_owned(), value)
        } else {
            let value = match take {
                Take::Local => pick(true).map(|v| v.x.clone()).ok_or(Error::NotFound)?,
                Take::Remote => pick(false).map(|v| v.x.clone()).ok_or(Error::NotFound)?,
                Take::Value(text) => own_value(text, &found.frontier)?,
            };
            (found.col.clone(), value)
        };
        let (_, table) = tables::table(found.cols).ok_or(Error::NotFound)?;
        let cols = Cols::read(&self.conn, table)?;
        let kind = found.clash.kind.clone();
        let record_id = found.clash.record_id.clone();
        self.write(|w| {
            let mut old = cols.read_row(w, &found.key)?.ok_or(Error::NotFound)?;
            let mut after = old.clone();
            after.insert(col.clone(), value.clone());
            // The field as the capture will see it before: never equal to what it becomes, so
            // the resolution is a change even when it keeps the value shown.
            old.insert(col.clone(), serde_json::json!({ "resolving": true }));
            w.execute(
                "INSERT OR REPLACE INTO temp.sync_touched (tbl, key, old) VALUES (?1, ?2, ?3)",
                params![found.cols, found.key_text, Value::Object(old).to_string()],
            )?;
            // With a client's list and search keys, which are made from its names.
            let made = tables::derived(table, &after);
            cols.update(w, &found.key, &[(col.clone(), value.clone())], made)?;
            w.record("update", &kind, &record_id, &[col.as_str()]);
            Ok(())
        })?;
        Ok(found.clash)
    }
}

/// This laptop's version (else the one shown), or the newest of the others.
fn pick<'a>(frontier: &'a [Version], device: &str, local: bool) -> Option<&'a Version> {
    let newest = |it: Vec<&'a Version>| it.into_iter().max_by(|a, b| (a.h, &a.v).cmp(&(b.h, &b.v)));
    let mine = newest(frontier.iter().filter(|v| v.device() == device).collect())
        .or_else(|| frontier::shown(frontier));
    if local {
        return mine;
    }
    let mine = mine.map(|m| m.v.as_str());
    newest(
        frontier
            .iter()
            .filter(|v| Some(v.v.as_str()) != mine)
            .collect(),
    )
}

/// A value typed to settle a clash: JSON if it reads as JSON, else text; of the kind the
/// versions hold (text for text, a number for a number).
fn own_value(text: &str, versions: &[Version]) -> Result<Value> {
    let value =
        serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_owned()));
    let kind = |v: &Value| std::mem::discriminant(v);
    let fits = versions
        .iter()
        .filter(|v| !v.x.is_null())
        .all(|v| kind(&v.x) == kind(&value));
    match (fits, &value) {
        (true, _) => Ok(value),
        // Digits typed for a text field (an A-number) stay text.
        (false, Value::Number(_)) if versions.iter().any(|v| v.x.is_string()) => {
            Ok(Value::String(text.to_owned()))
        }
        _ => Err(Error::validation("value", FieldCode::WrongType)),
    }
}
