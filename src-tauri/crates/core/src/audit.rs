//! The audit trail: one entry per change, appended in the same transaction as the change.
//! Each entry's MAC chains over the previous entry's MAC (keyed from the data key), and the
//! member whose session wrote it signs that MAC with their own key: holding the data key lets
//! one rewrite the chain, not sign in a colleague's name.

use hmac::{Hmac, Mac};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

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
    /// The member's name, for the history screen (not part of what the entry's MAC covers:
    /// it is looked up from the members when read).
    #[serde(default)]
    pub actor_name: Option<String>,
    /// The handle of the member who signed the entry (none before the history was signed).
    #[serde(default)]
    pub signed_by: Option<String>,
}

/// Who signs the entries a session writes: the member's handle and their Ed25519 key (the
/// dalek type zeroizes it when dropped). The key is on the heap, so moving the vault around
/// does not copy it; the stack it was made on is scrubbed.
pub struct EntrySigner {
    pub(crate) handle: String,
    pub(crate) key: Box<ed25519_dalek::SigningKey>,
}

impl EntrySigner {
    pub(crate) fn new(handle: &str, key: &ed25519_dalek::SigningKey) -> EntrySigner {
        let key = boxed_copy(key);
        crate::vault::scrub_stack();
        EntrySigner {
            handle: handle.to_owned(),
            key,
        }
    }
}

#[inline(never)]
fn boxed_copy(key: &ed25519_dalek::SigningKey) -> Box<ed25519_dalek::SigningKey> {
    Box::new(key.clone())
}

/// The signature of `message` by `key`; the stack the signing worked on (the secret hashed
/// into its expanded form) is scrubbed after.
fn sign(key: &ed25519_dalek::SigningKey, message: &[u8]) -> Vec<u8> {
    let signature = sign_inner(key, message);
    crate::vault::scrub_stack();
    signature
}

#[inline(never)]
fn sign_inner(key: &ed25519_dalek::SigningKey, message: &[u8]) -> Vec<u8> {
    use ed25519_dalek::Signer as _;
    key.sign(message).to_bytes().to_vec()
}

/// What a signature covers: the entry's MAC (which covers the entry and, through the chain,
/// every entry before it) and the signer's handle, length-prefixed.
fn signed_bytes(mac: &str, handle: &str) -> Vec<u8> {
    let mut out = b"amparo-audit-signature-1".to_vec();
    for part in [mac, handle] {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

const GENESIS: &str = "amparo-audit-genesis";

/// The rows that make up a record of each kind, for the digest an entry carries. Link rows
/// (who attended a hearing, who was a victim) are left out: removing a family member deletes
/// them by cascade, as part of the client's change, not of the hearing's.
fn state_queries(kind: &str) -> &'static [&'static str] {
    match kind {
        "client" => &[
            CLIENT_STATE,
            FAMILY_STATE,
            "SELECT * FROM consents WHERE client_id = ?1 ORDER BY id",
        ],
        "hearing" => &["SELECT * FROM hearings WHERE id = ?1"],
        "incident" => &[INCIDENT_STATE],
        "screening" => &["SELECT * FROM screenings WHERE id = ?1"],
        "attachment" => &["SELECT * FROM attachments WHERE id = ?1"],
        "packet" => &["SELECT * FROM packets WHERE id = ?1"],
        "member" => &[MEMBER_STATE],
        "assignment" => &["SELECT * FROM assignments WHERE client_id = ?1 ORDER BY handle"],
        _ => &[],
    }
}

const FAMILY_STATE: &str = "SELECT * FROM family_members WHERE client_id = ?1 ORDER BY id";
const INCIDENT_STATE: &str = "SELECT * FROM incidents WHERE id = ?1";
const CLIENT_STATE: &str = "SELECT * FROM clients WHERE id = ?1";
const MEMBER_STATE: &str = "SELECT * FROM members WHERE handle = ?1";

/// Columns added to a table after records were written, by the query that reads them: left
/// out of the digest while they hold their default (given beside each), so a record written before
/// they existed still matches its entry; once filled, they are covered like any other.
const LATE_COLUMNS: &[(&str, &str, ValueRef<'static>)] = &[
    (FAMILY_STATE, "aliases", EMPTY),
    (INCIDENT_STATE, "held_days", ValueRef::Null),
    (INCIDENT_STATE, "ransom_paid", ValueRef::Null),
    (INCIDENT_STATE, "ransom_paid_by", EMPTY),
    (INCIDENT_STATE, "perpetrator_detail", EMPTY),
    (CLIENT_STATE, "return_city", EMPTY),
    (CLIENT_STATE, "return_state", ValueRef::Null),
    (CLIENT_STATE, "risk_detail", EMPTY),
    (FAMILY_STATE, "status", ValueRef::Null),
    (FAMILY_STATE, "status_on", ValueRef::Null),
    (FAMILY_STATE, "dob_estimated", ValueRef::Integer(0)),
    (MEMBER_STATE, "retired_keys", EMPTY),
    (INCIDENT_STATE, "date_after", ValueRef::Null),
    (INCIDENT_STATE, "date_before", ValueRef::Null),
    (INCIDENT_STATE, "other_victims", ValueRef::Text(b"[]")),
];
const EMPTY: ValueRef<'static> = ValueRef::Text(b"");

/// Late columns the release that added them did not list above: the entries it wrote
/// vouched for them even at their default, so a record may match its entry either way. (Every
/// incident written before them failed the check once they came; `late_columns_are_listed`
/// keeps the next column from being forgotten.)
const BELATED: &[(&str, &str)] = &[
    (INCIDENT_STATE, "date_after"),
    (INCIDENT_STATE, "date_before"),
    (INCIDENT_STATE, "other_victims"),
];

/// Whether a record's rows now are what an entry vouched for (`vouched`): its digest, or for
/// a kind with belated columns, its digest with them counted at their default.
pub(crate) fn state_matches(
    conn: &Connection,
    kind: &str,
    id: &str,
    vouched: &[u8],
) -> Result<bool> {
    if record_state(conn, kind, id)?.as_deref() == Some(vouched) {
        return Ok(true);
    }
    let belated = state_queries(kind)
        .iter()
        .any(|q| BELATED.iter().any(|(b, _)| b == q));
    Ok(belated && digest(conn, kind, id, true)?.as_deref() == Some(vouched))
}

/// A digest of a record as it is now (every column of its rows, names and types included),
/// or `None` for kinds the chain does not describe (settings, exports, backups).
pub(crate) fn record_state(conn: &Connection, kind: &str, id: &str) -> Result<Option<Vec<u8>>> {
    digest(conn, kind, id, false)
}

/// [`record_state`], with the [`BELATED`] columns counted even at their default when
/// `belated` is set.
fn digest(conn: &Connection, kind: &str, id: &str, belated: bool) -> Result<Option<Vec<u8>>> {
    let queries = state_queries(kind);
    if queries.is_empty() {
        return Ok(None);
    }
    let mut h = Sha256::new();
    let mut part = |tag: u8, bytes: &[u8]| {
        h.update([tag]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    for sql in queries {
        let mut stmt = conn.prepare_cached(sql)?;
        let names: Vec<String> = stmt
            .column_names()
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            part(b'R', &[]);
            for (i, name) in names.iter().enumerate() {
                let value = r.get_ref(i)?;
                let at_default = LATE_COLUMNS
                    .iter()
                    .any(|(q, c, default)| q == sql && c == name && *default == value)
                    && !(belated && BELATED.iter().any(|(q, c)| q == sql && c == name));
                if at_default {
                    continue;
                }
                part(b'c', name.as_bytes());
                match value {
                    ValueRef::Null => part(b'n', &[]),
                    ValueRef::Integer(v) => part(b'i', &v.to_le_bytes()),
                    ValueRef::Real(v) => part(b'f', &v.to_le_bytes()),
                    ValueRef::Text(t) => part(b't', t),
                    ValueRef::Blob(b) => part(b'b', b),
                }
            }
        }
        part(b'Q', &[]);
    }
    Ok(Some(h.finalize()[..16].to_vec()))
}

fn entry_mac(
    key: &[u8; 32],
    prev_mac: &str,
    e: &AuditEntry,
    state: Option<&[u8]>,
) -> Result<String> {
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
    // Entries written before schema 7 carry no state and keep their original MAC.
    if let Some(state) = state {
        mac.update(b"state");
        mac.update(&(state.len() as u64).to_le_bytes());
        mac.update(state);
    }
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// The newest entry: what a packet prints as the history it follows, and what the next entry
/// chains from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: u32,
    pub mac: String,
}

/// The newest entry of the chain, if any.
pub(crate) fn head(conn: &Connection) -> Result<Option<AuditHead>> {
    Ok(conn
        .prepare_cached("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(AuditHead {
                seq: r.get(0)?,
                mac: r.get(1)?,
            })
        })
        .optional()?)
}

/// When the oldest entry was written (RFC 3339): when the vault's records began.
pub(crate) fn first_at(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT min(at) FROM audit_log", [], |r| r.get(0))?)
}

/// Who writes an entry: the session's audit key, the name the history records, and the
/// member's signing key.
pub(crate) struct Author<'a> {
    pub(crate) key: &'a [u8; 32],
    pub(crate) actor: &'a str,
    pub(crate) signer: Option<&'a EntrySigner>,
}

/// Appends an entry inside `tx`, after the change it records. Only the write path
/// ([`crate::store`]) calls this (the entry carries a digest of
/// the record as the change left it).
pub(crate) fn append(
    tx: &Transaction<'_>,
    author: &Author<'_>,
    action: &str,
    entity_kind: &str,
    entity_id: &str,
    changed_fields: &[&str],
) -> Result<AuditEntry> {
    let (seq, prev_mac) = match head(tx)? {
        Some(h) => (h.seq + 1, h.mac),
        None => (1, GENESIS.to_owned()),
    };
    let entry = AuditEntry {
        seq,
        at: now_rfc3339(),
        actor: author.actor.to_owned(),
        action: action.to_owned(),
        entity_kind: entity_kind.to_owned(),
        entity_id: entity_id.to_owned(),
        changed_fields: changed_fields.iter().map(|s| (*s).to_owned()).collect(),
        actor_name: None,
        signed_by: author.signer.map(|s| s.handle.clone()),
    };
    let state = record_state(tx, entity_kind, entity_id)?;
    let mac = entry_mac(author.key, &prev_mac, &entry, state.as_deref())?;
    let fields =
        serde_json::to_string(&entry.changed_fields).map_err(|_| Error::Crypto("encode"))?;
    let signature = author
        .signer
        .map(|s| sign(&s.key, &signed_bytes(&mac, &s.handle)));
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, entity_kind, entity_id, changed_fields, mac,
                                state, signer, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.entity_kind,
            entry.entity_id,
            fields,
            mac,
            state,
            entry.signed_by,
            signature
        ],
    )?;
    Ok(entry)
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
pub struct ChainReport {
    pub entries: u32,
    /// The first entry whose MAC or sequence does not follow from the one before, or whose
    /// signature is missing or not its signer's.
    pub first_bad_seq: Option<u32>,
    /// That entry chains but is not signed by the member it names (written by someone holding
    /// the data key, not that member's key).
    #[serde(default)]
    pub bad_signature: bool,
    pub head: Option<String>,
    /// Records whose current rows differ from the state their newest entry vouches for
    /// (edited behind the app's back). Only checked when the chain itself verifies.
    pub altered_records: u32,
    pub first_altered: Option<AlteredRecord>,
    /// Live records the history never mentions (inserted behind the app's back), and the
    /// kind of the first found.
    pub unrecorded_records: u32,
    pub first_unrecorded_kind: Option<String>,
}

impl ChainReport {
    /// The chain verifies and every record it describes is as it says.
    pub fn holds(&self) -> bool {
        self.first_bad_seq.is_none() && self.altered_records == 0 && self.unrecorded_records == 0
    }
}

/// A record found changed outside the app: its kind and the entry that last described it.
/// No case data, only the kind and the entry's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
pub struct AlteredRecord {
    pub entity_kind: String,
    pub seq: u32,
}

/// An entry, its MAC, the record state it vouches for and its signature.
type Row = (AuditEntry, String, Option<Vec<u8>>, Option<Vec<u8>>);

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
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
            actor_name: None,
            signed_by: r.get(9)?,
        },
        r.get(7)?,
        r.get(8)?,
        r.get(10)?,
    ))
}

const SELECT: &str =
    "SELECT seq, at, actor, action, entity_kind, entity_id, changed_fields, mac, state, signer,
            signature
     FROM audit_log";

/// The members' public keys, by handle (removed members' too: their entries stay theirs),
/// each with the last entry it may sign: a key retired when a coordinator reset the member's
/// passphrase signs nothing after that.
struct Signers(std::collections::HashMap<String, Vec<(ed25519_dalek::VerifyingKey, u32)>>);

/// A retired signing key, as `members.retired_keys` lists them.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct RetiredKey {
    pub(crate) public: String,
    pub(crate) until_seq: u32,
}

fn verifying_key(public: &str) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(public).ok()?.try_into().ok()?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok()
}

impl Signers {
    fn read(conn: &Connection) -> Result<Signers> {
        let mut stmt = conn.prepare("SELECT handle, signing_public, retired_keys FROM members")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut keys = std::collections::HashMap::new();
        for row in rows {
            let (handle, public, retired) = row?;
            let retired: Vec<RetiredKey> = serde_json::from_str(&retired).unwrap_or_default();
            let theirs: Vec<_> = retired
                .iter()
                .filter_map(|k| Some((verifying_key(&k.public)?, k.until_seq)))
                .chain(verifying_key(&public).map(|k| (k, u32::MAX)))
                .collect();
            keys.insert(handle.to_lowercase(), theirs);
        }
        Ok(Signers(keys))
    }

    fn verify(&self, seq: u32, handle: &str, mac: &str, signature: &[u8]) -> bool {
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        let message = signed_bytes(mac, handle);
        self.0.get(&handle.to_lowercase()).is_some_and(|keys| {
            keys.iter()
                .any(|(k, until)| seq <= *until && k.verify_strict(&message, &sig).is_ok())
        })
    }
}

/// Signatures waiting to be verified, in batches spread over the machine's cores (about 47 µs
/// each on one core: 1.2 million entries would add most of a minute to the full check).
struct Pending<'s> {
    signers: &'s Signers,
    batch: Vec<(u32, String, String, Vec<u8>)>,
    seen: bool,
}

impl<'s> Pending<'s> {
    /// Small in tests, so that theirs span several batches.
    const BATCH: usize = if cfg!(test) { 3 } else { 8192 };

    fn new(signers: &'s Signers) -> Pending<'s> {
        Pending {
            signers,
            batch: Vec::with_capacity(Self::BATCH),
            seen: false,
        }
    }

    /// Whether any signed entry was seen.
    fn began(&self) -> bool {
        self.seen
    }

    /// Queues one; a full batch is verified, and its first bad entry returned.
    fn push(&mut self, seq: u32, who: String, mac: String, sig: Vec<u8>) -> Option<u32> {
        self.seen = true;
        self.batch.push((seq, who, mac, sig));
        if self.batch.len() == Self::BATCH {
            self.flush()
        } else {
            None
        }
    }

    /// Verifies what is queued; the first entry (lowest number) whose signature fails.
    fn flush(&mut self) -> Option<u32> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = self.batch.len().div_ceil(cores).max(1);
        let signers = self.signers;
        let bad = std::thread::scope(|scope| {
            let workers: Vec<_> = self
                .batch
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .find(|(seq, who, mac, sig)| !signers.verify(*seq, who, mac, sig))
                            .map(|(seq, ..)| *seq)
                    })
                })
                .collect();
            workers
                .into_iter()
                .filter_map(|w| w.join().unwrap_or(Some(0)))
                .min()
        });
        self.batch.clear();
        bad
    }
}

/// Walks the whole chain on `conn`, then compares every record the chain describes with the
/// state its newest entry vouches for.
pub(crate) fn verify_chain(conn: &Connection, key: &[u8; 32]) -> Result<ChainReport> {
    walk_chain(conn, key, true)
}

/// The chain's MACs alone, without the signatures or the records: what a key rotation asks of
/// the copy it made (every entry still follows from the one before under the new key).
pub(crate) fn verify_macs(conn: &Connection, key: &[u8; 32]) -> Result<ChainReport> {
    walk_chain(conn, key, false)
}

fn walk_chain(conn: &Connection, key: &[u8; 32], whole: bool) -> Result<ChainReport> {
    let epochs = epochs(conn)?;
    let key_for = |seq: u32| -> &[u8; 32] {
        epochs
            .iter()
            .find(|(until, _)| seq <= *until)
            .map_or(key, |(_, k)| &**k)
    };
    let signers = Signers::read(conn)?;
    let mut pending = Pending::new(&signers);
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut entries = 0u32;
    let broken = |entries, seq, bad_signature| ChainReport {
        entries,
        first_bad_seq: Some(seq),
        bad_signature,
        ..ChainReport::default()
    };
    while let Some(r) = rows.next()? {
        let (e, mac, state, signature) = row_to_entry(r)?;
        entries += 1;
        let chained =
            e.seq == entries && entry_mac(key_for(e.seq), &prev, &e, state.as_deref())? == mac;
        // Once entries are signed, every later one is, by the member it names as signer
        // (verified in batches, on every core: see `Pending`).
        let mut unsigned = false;
        let mut bad = None;
        if whole {
            match (e.signed_by, signature) {
                (Some(who), Some(sig)) => bad = pending.push(e.seq, who, mac.clone(), sig),
                _ => unsigned = pending.began(),
            }
            if bad.is_none() && (!chained || unsigned) {
                bad = pending.flush();
            }
        }
        if let Some(seq) = bad {
            return Ok(broken(entries, seq, true));
        }
        if !chained || unsigned {
            return Ok(broken(entries, e.seq, chained));
        }
        prev = mac;
    }
    if let Some(seq) = pending.flush() {
        return Ok(broken(entries, seq, true));
    }
    let mut report = ChainReport {
        entries,
        head: (entries > 0).then_some(prev),
        ..ChainReport::default()
    };
    if whole {
        (report.altered_records, report.first_altered) = altered_records(conn)?;
        (report.unrecorded_records, report.first_unrecorded_kind) = unrecorded_records(conn)?;
    }
    Ok(report)
}

/// Every record whose rows differ from what its newest entry vouches for, or that no entry
/// mentions: what an acceptance vouches for anew.
pub(crate) fn records_not_as_vouched(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT entity_kind, entity_id, state FROM audit_log a
             WHERE state IS NOT NULL AND seq = (SELECT max(seq) FROM audit_log b
               WHERE b.entity_kind = a.entity_kind AND b.entity_id = a.entity_id)",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (kind, id): (String, String) = (r.get(0)?, r.get(1)?);
            let state: Vec<u8> = r.get(2)?;
            if !state_matches(conn, &kind, &id, &state)? {
                out.push((kind, id));
            }
        }
    }
    for (kind, table) in RECORD_TABLES {
        unrecorded_ids(conn, kind, table, |id| out.push((kind.to_owned(), id)))?;
    }
    Ok(out)
}

/// The tables whose every row is a record the history must mention. Family members and
/// consents are part of their client's digest, link rows of their hearing's or incident's
/// change; a row added to those shows as an altered client, not here.
const RECORD_TABLES: [(&str, &str); 6] = [
    ("client", "clients"),
    ("hearing", "hearings"),
    ("incident", "incidents"),
    ("screening", "screenings"),
    ("attachment", "attachments"),
    ("packet", "packets"),
];

/// Rows of record tables with no history entry at all. Both sides are read in id order (the
/// table's key index, the history's (kind, id) index) and merged: sequential reads, not one
/// random index probe per row, which on the 2 GB benchmark vault cost about 40 seconds.
fn unrecorded_records(conn: &Connection) -> Result<(u32, Option<String>)> {
    let mut count = 0u32;
    let mut first = None;
    for (kind, table) in RECORD_TABLES {
        let n = unrecorded_ids(conn, kind, table, |_| {})?;
        if n > 0 && first.is_none() {
            first = Some(kind.to_owned());
        }
        count += n;
    }
    Ok((count, first))
}

/// Calls `found` with each id of `table` that no entry of `kind` mentions; returns how many.
fn unrecorded_ids(
    conn: &Connection,
    kind: &str,
    table: &str,
    mut found: impl FnMut(String),
) -> Result<u32> {
    let mut rows = conn.prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
    let mut rows = rows.query([])?;
    let mut known = conn.prepare(
        "SELECT DISTINCT entity_id FROM audit_log WHERE entity_kind = ?1 ORDER BY entity_id",
    )?;
    let mut known = known.query([kind])?;
    let next_known = |known: &mut rusqlite::Rows<'_>| -> Result<Option<String>> {
        Ok(match known.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    };
    let mut k = next_known(&mut known)?;
    let mut n = 0u32;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        while k.as_ref().is_some_and(|k| *k < id) {
            k = next_known(&mut known)?;
        }
        if k.as_ref() != Some(&id) {
            n += 1;
            found(id);
        }
    }
    Ok(n)
}

/// The audit keys of earlier data keys, oldest first: `(until_seq, key)`.
fn epochs(conn: &Connection) -> Result<Vec<(u32, zeroize::Zeroizing<[u8; 32]>)>> {
    let mut stmt = conn.prepare("SELECT until_seq, key FROM audit_epochs ORDER BY until_seq")?;
    let rows = stmt.query_map([], |r| {
        let until: u32 = r.get(0)?;
        let blob: Vec<u8> = r.get(1)?;
        let mut k = zeroize::Zeroizing::new([0u8; 32]);
        if blob.len() == 32 {
            k.copy_from_slice(&blob);
        }
        Ok((until, k))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each record's newest described state (streamed in index order, one record at a time)
/// against its rows now.
fn altered_records(conn: &Connection) -> Result<(u32, Option<AlteredRecord>)> {
    let mut stmt = conn.prepare(
        "SELECT entity_kind, entity_id, max(seq), state FROM audit_log
         WHERE state IS NOT NULL GROUP BY entity_kind, entity_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut count = 0u32;
    let mut first: Option<AlteredRecord> = None;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let id: String = r.get(1)?;
        let seq: u32 = r.get(2)?;
        let state: Vec<u8> = r.get(3)?;
        if !state_matches(conn, &kind, &id, &state)? {
            count += 1;
            if first.as_ref().is_none_or(|f| seq < f.seq) {
                first = Some(AlteredRecord {
                    entity_kind: kind,
                    seq,
                });
            }
        }
    }
    Ok((count, first))
}

impl Vault {
    /// The newest entry of the vault's history, if any.
    pub fn audit_head(&self) -> Result<Option<AuditHead>> {
        head(&self.conn)
    }

    /// Walks the whole chain and reports the first entry that does not verify.
    /// A break or an altered record marks the vault tampered: it takes no more writes.
    pub fn verify_audit_chain(&self) -> Result<ChainReport> {
        let report = verify_chain(&self.conn, &self.audit_key)?;
        if !report.holds() {
            self.gate.close(crate::vault::seal::Writes::Tampered);
        }
        Ok(report)
    }

    /// A record's history, newest first.
    pub fn history(&self, entity_kind: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        self.may_read_record(entity_kind, entity_id)?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE entity_kind = ?1 AND entity_id = ?2 ORDER BY seq DESC"
        ))?;
        let rows = stmt.query_map(params![entity_kind, entity_id], |r| {
            row_to_entry(r).map(|(e, ..)| e)
        })?;
        let mut entries: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
        let mut name = self
            .conn
            .prepare_cached("SELECT name FROM members WHERE handle = ?1 AND name <> ''")?;
        for e in &mut entries {
            // A change made on another laptop is its maker's (`handle@device`), whoever
            // brought it in and signed the entry here.
            let who = match e.actor.split_once('@') {
                Some((maker, _)) => maker,
                None => e.signed_by.as_deref().unwrap_or(&e.actor),
            };
            e.actor_name = name.query_row([who], |r| r.get(0)).optional()?;
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod late_tests {
    use super::*;

    fn columns(conn: &Connection, table: &str) -> Vec<String> {
        conn.prepare("SELECT name FROM pragma_table_info(?1)")
            .expect("prepare")
            .query_map([table], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("columns")
    }

    /// Every column added to a record's table after entries began to vouch for its rows
    /// (schema 7, or the table's own first schema) is listed as late: else every record
    /// written before it fails the check once it comes.
    #[test]
    fn late_columns_are_listed() {
        let tables = [
            (CLIENT_STATE, "clients"),
            (FAMILY_STATE, "family_members"),
            (INCIDENT_STATE, "incidents"),
            (MEMBER_STATE, "members"),
            ("SELECT * FROM hearings WHERE id = ?1", "hearings"),
            ("SELECT * FROM screenings WHERE id = ?1", "screenings"),
            ("SELECT * FROM attachments WHERE id = ?1", "attachments"),
            ("SELECT * FROM packets WHERE id = ?1", "packets"),
            (
                "SELECT * FROM consents WHERE client_id = ?1 ORDER BY id",
                "consents",
            ),
            (
                "SELECT * FROM assignments WHERE client_id = ?1 ORDER BY handle",
                "assignments",
            ),
        ];
        let described: Vec<&str> = ["client", "hearing", "incident", "screening", "attachment"]
            .into_iter()
            .chain(["packet", "member", "assignment"])
            .flat_map(|k| state_queries(k).iter().copied())
            .collect();
        assert!(
            described.iter().all(|q| tables.iter().any(|(t, _)| t == q)),
            "a state query this test does not know"
        );
        let mut conn = Connection::open_in_memory().expect("db");
        let mut first_seen: std::collections::HashMap<&str, Vec<String>> = Default::default();
        let latest = usize::try_from(crate::db::latest_schema_version()).expect("version");
        for version in 7..=latest {
            crate::db::migrate_to(&mut conn, version).expect("migrate");
            for (_, table) in tables {
                let now = columns(&conn, table);
                if !now.is_empty() {
                    first_seen.entry(table).or_insert(now);
                }
            }
        }
        for (query, table) in tables {
            let first = &first_seen[table];
            for column in columns(&conn, table) {
                if !first.contains(&column) {
                    assert!(
                        LATE_COLUMNS
                            .iter()
                            .any(|(q, c, _)| *q == query && *c == column),
                        "{table}.{column} came after entries vouched for {table}: list it as late"
                    );
                }
            }
        }
    }

    /// An incident vouched for by the release that added the unknown-date columns (which
    /// counted them at their default) still matches; so does one vouched for before them.
    #[test]
    fn a_belated_column_matches_either_way() {
        let mut conn = Connection::open_in_memory().expect("db");
        let latest = usize::try_from(crate::db::latest_schema_version()).expect("version");
        crate::db::migrate_to(&mut conn, latest).expect("migrate");
        conn.execute_batch(
            "INSERT INTO clients (id, given_names, family_names, sort_key, search_text,
               created_at, updated_at) VALUES ('c', 'Ana', 'Pérez', 'perez', 'ana perez', 'now', 'now');
             INSERT INTO incidents (id, client_id, date_start, source, created_at, updated_at)
               VALUES ('i', 'c', '2026-11', 'client_interview', 'now', 'now');",
        )
        .expect("rows");
        let now = record_state(&conn, "incident", "i")
            .expect("state")
            .expect("some");
        let then = digest(&conn, "incident", "i", true)
            .expect("state")
            .expect("some");
        assert_ne!(now, then, "the belated columns counted");
        assert!(state_matches(&conn, "incident", "i", &now).expect("match"));
        assert!(state_matches(&conn, "incident", "i", &then).expect("match"));
        conn.execute("UPDATE incidents SET other_victims = '[{}]'", [])
            .expect("changed");
        assert!(!state_matches(&conn, "incident", "i", &now).expect("match"));
        assert!(!state_matches(&conn, "incident", "i", &then).expect("match"));
    }
}
