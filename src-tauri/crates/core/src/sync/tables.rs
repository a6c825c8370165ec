//! Which tables travel between laptops, how a row is named across them (its key), and the
//! row-level reads and writes the capture and the merge share. Everything else stays on its
//! laptop: the history (each laptop keeps its own chain), drafts, the search index (rebuilt
//! by its triggers as rows arrive), pseudonyms, the sync tables and the local settings.

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

use crate::error::Result;

/// A table that travels, parents before children (inserts go in this order, deletes in the
/// reverse).
pub(crate) struct Table {
    pub(crate) name: &'static str,
    /// The columns that name a row on every laptop; empty: the whole row (link tables).
    key: &'static [&'static str],
    /// Columns that do not travel as values: the attachment's bytes travel beside the changes
    /// (by their hash); a member's retired keys are each laptop's own (their validity is
    /// counted in that laptop's history).
    skip: &'static [&'static str],
    /// Only these rows travel (`settings`: the clinic's settings, not this laptop's).
    only: Option<&'static str>,
    /// Records deleted by setting `deleted_at`: deleted on one laptop while edited on another
    /// goes to review.
    pub(crate) soft_delete: bool,
    /// The history record a row belongs to: its kind and the column holding its id.
    pub(crate) record: (&'static str, &'static str),
}

pub(crate) const TABLES: &[Table] = &[
    t(
        "members",
        &["handle"],
        &["retired_keys"],
        false,
        ("member", "handle"),
    ),
    // The list's haystack and order are made again here from the fields that travel.
    t(
        "clients",
        &["id"],
        &["search_text", "sort_key"],
        true,
        ("client", "id"),
    ),
    t(
        "family_members",
        &["id"],
        &[],
        false,
        ("client", "client_id"),
    ),
    t("consents", &["id"], &[], false, ("client", "client_id")),
    t("hearings", &["id"], &[], true, ("hearing", "id")),
    t("hearing_people", &[], &[], false, ("hearing", "hearing_id")),
    t("screenings", &["id"], &[], true, ("screening", "id")),
    t("incidents", &["id"], &[], true, ("incident", "id")),
    t(
        "incident_victims",
        &[],
        &[],
        false,
        ("incident", "incident_id"),
    ),
    t(
        "attachments",
        &["id"],
        &["content"],
        true,
        ("attachment", "id"),
    ),
    t("packets", &["id"], &[], false, ("packet", "id")),
    t(
        "packet_clients",
        &["packet_id", "client_id"],
        &[],
        false,
        ("packet", "packet_id"),
    ),
    t(
        "assignments",
        &["client_id", "handle"],
        &[],
        false,
        ("assignment", "client_id"),
    ),
    Table {
        only: Some("key = 'vault_settings'"),
        ..t("settings", &["key"], &[], false, ("settings", "key"))
    },
];

const fn t(
    name: &'static str,
    key: &'static [&'static str],
    skip: &'static [&'static str],
    soft_delete: bool,
    record: (&'static str, &'static str),
) -> Table {
    Table {
        name,
        key,
        skip,
        only: None,
        soft_delete,
        record,
    }
}

pub(crate) fn table(name: &str) -> Option<(usize, &'static Table)> {
    TABLES.iter().enumerate().find(|(_, t)| t.name == name)
}

/// A table with the columns this database gives it.
pub(crate) struct Cols {
    pub(crate) table: &'static Table,
    pub(crate) cols: Vec<String>,
    pub(crate) key: Vec<String>,
}

impl Cols {
    pub(crate) fn read(conn: &Connection, table: &'static Table) -> Result<Cols> {
        let mut stmt = conn.prepare(&format!("PRAGMA main.table_info({})", table.name))?;
        let cols: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(1))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|c| !table.skip.contains(&c.as_str()))
            .collect();
        let key = if table.key.is_empty() {
            cols.clone()
        } else {
            table.key.iter().map(|k| (*k).to_owned()).collect()
        };
        Ok(Cols { table, cols, key })
    }

    fn image(&self, row: &str) -> String {
        let pairs: Vec<String> = self
            .cols
            .iter()
            .map(|c| format!("'{c}', {row}.\"{c}\""))
            .collect();
        format!("json_object({})", pairs.join(", "))
    }

    fn key_of(&self, row: &str) -> String {
        let cols: Vec<String> = self.key.iter().map(|c| format!("{row}.\"{c}\"")).collect();
        format!("json_array({})", cols.join(", "))
    }

    /// The temporary triggers that note, in `temp.sync_touched`, each row a transaction
    /// touches and the image it had before its first change there.
    pub(crate) fn triggers(&self) -> String {
        let name = self.table.name;
        // Quiet while another laptop's change is applied: what that touches is not this laptop's.
        let when = |row: &str| match self.table.only {
            Some(cond) => format!(
                "WHEN {} AND NOT EXISTS (SELECT 1 FROM sync_quiet)",
                cond.replace("key", &format!("{row}.key"))
            ),
            None => "WHEN NOT EXISTS (SELECT 1 FROM sync_quiet)".to_owned(),
        };
        let note = |key: String, old: String| {
            format!(
                "INSERT OR IGNORE INTO sync_touched (tbl, key, old) VALUES ('{name}', {key}, {old});"
            )
        };
        format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS sync_{name}_i AFTER INSERT ON main.{name} {wi} BEGIN {ins} END;
             CREATE TEMP TRIGGER IF NOT EXISTS sync_{name}_u AFTER UPDATE ON main.{name} {wu} BEGIN {upd_old} {upd_new} END;
             CREATE TEMP TRIGGER IF NOT EXISTS sync_{name}_d AFTER DELETE ON main.{name} {wd} BEGIN {del} END;",
            wi = when("NEW"),
            ins = note(self.key_of("NEW"), "NULL".into()),
            wu = when("NEW"),
            upd_old = note(self.key_of("OLD"), self.image("OLD")),
            upd_new = note(self.key_of("NEW"), "NULL".into()),
            wd = when("OLD"),
            del = note(self.key_of("OLD"), self.image("OLD")),
        )
    }

    /// Every row's image, in one order on every laptop.
    pub(crate) fn all_rows(&self, conn: &Connection) -> Result<Vec<String>> {
        let where_ = self
            .table
            .only
            .map(|c| format!("WHERE {c}"))
            .unwrap_or_default();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} AS image FROM main.{t} {where_} ORDER BY image",
            self.image(self.table.name),
            t = self.table.name
        ))?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn matches(&self) -> String {
        let conds: Vec<String> = self
            .key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("\"{c}\" IS ?{}", i + 1))
            .collect();
        conds.join(" AND ")
    }

    /// The row's image now (the travelling columns as a JSON object), or none.
    pub(crate) fn read_row(
        &self,
        conn: &Connection,
        key: &[Value],
    ) -> Result<Option<Map<String, Value>>> {
        let sql = format!(
            "SELECT {} FROM main.{} WHERE {} LIMIT 1",
            self.image(self.table.name),
            self.table.name,
            self.matches()
        );
        let raw: Option<String> = conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(key.iter().map(to_sql)), |r| r.get(0))
            .optional()?;
        Ok(raw.and_then(|r| match serde_json::from_str(&r) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        }))
    }

    pub(crate) fn insert(
        &self,
        conn: &Connection,
        row: &Map<String, Value>,
        extra: Vec<(&str, Sql)>,
    ) -> Result<()> {
        let mut cols: Vec<&str> = Vec::new();
        let mut vals: Vec<Sql> = Vec::new();
        for c in &self.cols {
            if let Some(v) = row.get(c) {
                cols.push(c);
                vals.push(to_sql(v));
            }
        }
        for (c, v) in extra {
            cols.push(c);
            vals.push(v);
        }
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
        conn.prepare_cached(&format!(
            "INSERT INTO main.{} ({}) VALUES ({})",
            self.table.name,
            quoted.join(", "),
            marks.join(", ")
        ))?
        .execute(params_from_iter(vals))?;
        Ok(())
    }

    /// Sets some of a row's travelling fields and what is made from them (`extra`), in one
    /// statement.
    pub(crate) fn update(
        &self,
        conn: &Connection,
        key: &[Value],
        sets: &[(String, Value)],
        extra: Vec<(&str, Sql)>,
    ) -> Result<()> {
        let mut named: Vec<(&str, Sql)> = sets
            .iter()
            .filter(|(c, _)| self.cols.contains(c))
            .map(|(c, v)| (c.as_str(), to_sql(v)))
            .collect();
        if named.is_empty() {
            return Ok(());
        }
        named.extend(extra);
        let mut vals: Vec<Sql> = key.iter().map(to_sql).collect();
        let assign: Vec<String> = named
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("\"{c}\" = ?{}", key.len() + i + 1))
            .collect();
        vals.extend(named.into_iter().map(|(_, v)| v));
        conn.prepare_cached(&format!(
            "UPDATE main.{} SET {} WHERE {}",
            self.table.name,
            assign.join(", "),
            self.matches()
        ))?
        .execute(params_from_iter(vals))?;
        Ok(())
    }

    pub(crate) fn delete(&self, conn: &Connection, key: &[Value]) -> Result<()> {
        // A link table has no key of its own: one of identical rows goes.
        let sql = if self.table.key.is_empty() {
            format!(
                "DELETE FROM main.{t} WHERE rowid = (SELECT rowid FROM main.{t} WHERE {} LIMIT 1)",
                self.matches(),
                t = self.table.name,
            )
        } else {
            format!(
                "DELETE FROM main.{} WHERE {}",
                self.table.name,
                self.matches()
            )
        };
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(key.iter().map(to_sql)))?;
        Ok(())
    }
}

/// What a row of `table` holds that no laptop sends, made from its fields as they will stand
/// (a client's list filter and order).
pub(crate) fn derived(table: &Table, row: &Map<String, Value>) -> Vec<(&'static str, Sql)> {
    if table.name != "clients" {
        return Vec::new();
    }
    let text = |c: &str| row.get(c).and_then(Value::as_str).unwrap_or_default();
    let (search_text, sort_key) = crate::clients::derived_keys(
        text("given_names"),
        text("family_names"),
        text("aliases"),
        row.get("a_number").and_then(Value::as_str),
    );
    vec![
        ("search_text", Sql::Text(search_text)),
        ("sort_key", Sql::Text(sort_key)),
    ]
}

/// Every travelling table with its columns.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Cols>> {
    TABLES.iter().map(|t| Cols::read(conn, t)).collect()
}

pub(crate) fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}
