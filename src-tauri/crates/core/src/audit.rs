//! The audit trail: one entry per change, appended in the same transaction as the change.
//! Each entry's MAC chains over the previous entry's MAC (keyed from the data key).

use hmac::{Hmac, Mac};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::Sha256;

use crate::dates::now_rfc3339;
use crate::error::{Error, Result};
use crate::vault::Vault;

#[derive(Debug, Clone, Serialize, serde::Deserialize, specta::Type)]
pub struct AuditEntry {
    pub seq: u32,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: String,
    pub changed_fields: Vec<String>,
}

const GENESIS: &str = "amparo-audit-genesis";

fn entry_mac(key: &[u8; 32], prev_mac: &str, e: &AuditEntry) -> Result<String> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(|_| Error::Crypto("hmac"))?;
    // Length-prefix every field so no two different entries encode alike.
    let fields = serde_json::to_string(&e.changed_fields).map_err(|_| Error::Crypto("encode"))?;
    for part in [
        prev_mac,
        &e.seq.to_string(),
        &e.at,
        &e.actor,
        &e.action,
        &e.entity_kind,
        &e.entity_id,
        &fields,
    ] {
        mac.update(&(part.len() as u64).to_le_bytes());
        mac.update(part.as_bytes());
    }
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Appends an entry inside `tx`.
pub(crate) fn append(
    tx: &Transaction<'_>,
    key: &[u8; 32],
    actor: &str,
    action: &str,
    entity_kind: &str,
    entity_id: &str,
    changed_fields: &[&str],
) -> Result<()> {
    let prev: Option<(u32, String)> = tx
        .query_row(
            "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_mac) = match prev {
        Some((s, m)) => (s + 1, m),
        None => (1, GENESIS.to_owned()),
    };
    let entry = AuditEntry {
        seq,
        at: now_rfc3339(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        entity_kind: entity_kind.to_owned(),
        entity_id: entity_id.to_owned(),
        changed_fields: changed_fields.iter().map(|s| (*s).to_owned()).collect(),
    };
    let mac = entry_mac(key, &prev_mac, &entry)?;
    let fields =
        serde_json::to_string(&entry.changed_fields).map_err(|_| Error::Crypto("encode"))?;
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity_kind, entity_id, changed_fields, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.entity_kind,
            entry.entity_id,
            fields,
            mac
        ],
    )?;
    Ok(())
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
pub struct ChainReport {
    pub entries: u32,
    /// The first entry whose MAC or sequence does not follow from the one before.
    pub first_bad_seq: Option<u32>,
    pub head: Option<String>,
}

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<(AuditEntry, String)> {
    let fields: String = r.get(6)?;
    Ok((
        AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity_kind: r.get(4)?,
            entity_id: r.get(5)?,
            changed_fields: serde_json::from_str(&fields).unwrap_or_default(),
        },
        r.get(7)?,
    ))
}

const SELECT: &str =
    "SELECT seq, at, actor, action, entity_kind, entity_id, changed_fields, mac FROM audit_log";

impl Vault {
    /// Walks the whole chain and reports the first entry that does not verify.
    pub fn verify_audit_chain(&self) -> Result<ChainReport> {
        let mut stmt = self.conn.prepare(&format!("{SELECT} ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut entries = 0u32;
        while let Some(r) = rows.next()? {
            let (e, mac) = row_to_entry(r)?;
            entries += 1;
            if e.seq != expected_seq || entry_mac(&self.audit_key, &prev, &e)? != mac {
                self.tampered.set(true);
                return Ok(ChainReport {
                    entries,
                    first_bad_seq: Some(e.seq),
                    head: None,
                });
            }
            expected_seq += 1;
            prev = mac;
        }
        Ok(ChainReport {
            entries,
            first_bad_seq: None,
            head: (entries > 0).then_some(prev),
        })
    }

    /// A record's history, newest first.
    pub fn history(&self, entity_kind: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE entity_kind = ?1 AND entity_id = ?2 ORDER BY seq DESC"
        ))?;
        let rows = stmt.query_map(params![entity_kind, entity_id], |r| {
            row_to_entry(r).map(|(e, _)| e)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
