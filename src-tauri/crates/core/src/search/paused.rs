//! The search index paused for one transaction that writes many records (an import of
//! another laptop's changes): inserts and updates of indexed records leave the index alone
//! while paused (migration 0023), and [`Paused::resume`] indexes the rows named to it with one
//! statement per kind, so FTS5 writes its pending words once instead of once per row. Deletes
//! are never paused. The pause is a row written in the same transaction: if the transaction
//! fails or the process dies, it goes with it.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use crate::error::Result;

/// The tables the search index covers.
const INDEXED: [&str; 5] = [
    "clients",
    "family_members",
    "hearings",
    "screenings",
    "incidents",
];

/// An open pause and the rows written under it.
#[must_use = "the index stays paused until resumed"]
pub(crate) struct Paused {
    touched: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Paused {
    pub(crate) fn start(conn: &Connection) -> Result<Self> {
        conn.execute("INSERT INTO search_paused (only) VALUES (1)", [])?;
        Ok(Self {
            touched: BTreeMap::new(),
        })
    }

    /// Notes that the record `id` of `table` was made or changed while paused.
    pub(crate) fn touch(&mut self, table: &str, id: &str) {
        if let Some(t) = INDEXED.iter().find(|t| **t == table) {
            self.touched.entry(t).or_default().insert(id.to_owned());
        }
    }

    /// Ends the pause and indexes every touched record that still exists, by an update that
    /// changes nothing but fires the index's triggers.
    pub(crate) fn resume(self, conn: &Connection) -> Result<()> {
        conn.execute("DELETE FROM search_paused", [])?;
        for (table, ids) in self.touched {
            let ids = serde_json::Value::from(ids.into_iter().collect::<Vec<_>>()).to_string();
            conn.execute(
                &format!(
                    "UPDATE main.{table} SET id = id
                     WHERE id IN (SELECT value FROM json_each(?1))"
                ),
                [ids],
            )?;
        }
        Ok(())
    }
}
