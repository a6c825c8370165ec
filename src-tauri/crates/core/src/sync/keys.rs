//! The keys bundles are sealed under. Not a laptop's own database key (a passphrase change
//! turns that one, on that laptop alone) but the clinic's sync key, by epoch: the first made
//! with the first seed and carried in every seed, a new one when a laptop is removed. The new
//! key reaches the laptops that keep it sealed to each one's own X25519 key (made with its
//! seed) and signed by the coordinator who removed the other: the removed laptop reads nothing
//! sealed after, and no one but a coordinator can start an epoch.

use std::collections::BTreeMap;

use ed25519_dalek::{Signer, Verifier};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::audit::EntrySigner;
use crate::dates::now_rfc3339;
use crate::error::{Error, Result};
use crate::vault::header::{DataKey, empty_data_key};
use crate::vault::slots::KeyBox;

/// A new epoch's key, sealed to the laptops that keep it and signed by a coordinator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rekey {
    pub(crate) epoch: i64,
    pub(crate) by: String,
    pub(crate) boxes: BTreeMap<String, KeyBox>,
    pub(crate) signature: String,
}

impl Rekey {
    fn signed_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(&(self.epoch, &self.by, &self.boxes)).map_err(|_| Error::Crypto("rekey"))
    }
}

fn random_key() -> Result<DataKey> {
    let mut key = empty_data_key();
    getrandom::fill(&mut key[..]).map_err(|_| Error::Crypto("random"))?;
    Ok(key)
}

pub(crate) fn new_secret() -> Result<Zeroizing<[u8; 32]>> {
    let mut s = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut s[..]).map_err(|_| Error::Crypto("random"))?;
    Ok(s)
}

pub(crate) fn public_of(secret: &[u8; 32]) -> String {
    hex::encode(PublicKey::from(&StaticSecret::from(*secret)).as_bytes())
}

/// The first epoch's key and this laptop's own secret, if not made yet.
pub(crate) fn ensure(conn: &Connection) -> Result<()> {
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_keys)", [], |r| r.get(0))?;
    if !any {
        conn.execute(
            "INSERT INTO sync_keys (epoch, key, made_at) VALUES (1, ?1, ?2)",
            params![&random_key()?[..], now_rfc3339()],
        )?;
    }
    conn.execute(
        "UPDATE sync_self SET secret = ?1 WHERE only = 1 AND secret IS NULL",
        [&new_secret()?[..]],
    )?;
    Ok(())
}

fn key_from(bytes: Vec<u8>) -> Result<DataKey> {
    let bytes = Zeroizing::new(bytes);
    let mut key = empty_data_key();
    if bytes.len() != key.len() {
        return Err(Error::Crypto("sync key"));
    }
    key.copy_from_slice(&bytes);
    Ok(key)
}

/// The newest epoch's key.
pub(crate) fn current(conn: &Connection) -> Result<DataKey> {
    let bytes: Vec<u8> = conn
        .query_row(
            "SELECT key FROM sync_keys ORDER BY epoch DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::BundleForeign)?;
    key_from(bytes)
}

/// The key whose id a bundle names, if this laptop holds it.
pub(crate) fn by_id(conn: &Connection, id: &str) -> Result<Option<DataKey>> {
    let mut stmt = conn.prepare("SELECT key FROM sync_keys ORDER BY epoch DESC")?;
    let keys = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    for k in keys {
        let key = key_from(k?)?;
        if super::bundle::key_id(&key) == id {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

pub(crate) fn all_rekeys(conn: &Connection) -> Result<Vec<Rekey>> {
    let mut stmt = conn.prepare("SELECT body FROM sync_rekeys ORDER BY epoch")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|r| serde_json::from_str(&r?).map_err(|_| Error::Crypto("rekey")))
        .collect()
}

/// Starts a new epoch: a fresh key sealed to this laptop and to every laptop kept (`device`,
/// X25519 public in hex), signed by the coordinator.
pub(crate) fn rotate(
    conn: &Connection,
    signer: &EntrySigner,
    keep: &[(String, String)],
) -> Result<i64> {
    let epoch: i64 = conn.query_row(
        "SELECT coalesce(max(epoch), 0) + 1 FROM sync_keys",
        [],
        |r| r.get(0),
    )?;
    let key = random_key()?;
    let mut boxes = BTreeMap::new();
    for (device, public) in keep {
        let bytes: [u8; 32] = hex::decode(public)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(Error::Crypto("device key"))?;
        boxes.insert(device.clone(), KeyBox::seal(&key, &PublicKey::from(bytes))?);
    }
    let mut rekey = Rekey {
        epoch,
        by: signer.handle.clone(),
        boxes,
        signature: String::new(),
    };
    rekey.signature = hex::encode(signer.key.sign(&rekey.signed_bytes()?).to_bytes());
    crate::vault::scrub_stack();
    conn.execute(
        "INSERT INTO sync_keys (epoch, key, made_at) VALUES (?1, ?2, ?3)",
        params![epoch, &key[..], now_rfc3339()],
    )?;
    conn.execute(
        "INSERT INTO sync_rekeys (epoch, body) VALUES (?1, ?2)",
        params![epoch, super::capture::json(&rekey)?],
    )?;
    Ok(epoch)
}

/// Takes up the epochs a bundle announces: each signed by a coordinator of this vault; the key
/// kept if it was sealed to this laptop (a removed laptop finds no box of its own).
pub(crate) fn take_rekeys(conn: &Connection, rekeys: &[Rekey]) -> Result<()> {
    let (device, secret): (String, Option<Vec<u8>>) = conn.query_row(
        "SELECT device, secret FROM sync_self WHERE only = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let secret = Zeroizing::new(secret.unwrap_or_default());
    for rekey in rekeys {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sync_rekeys WHERE epoch = ?1)",
            [rekey.epoch],
            |r| r.get(0),
        )?;
        if known || !signed_by_a_coordinator(conn, rekey)? {
            continue;
        }
        conn.execute(
            "INSERT INTO sync_rekeys (epoch, body) VALUES (?1, ?2)",
            params![rekey.epoch, super::capture::json(rekey)?],
        )?;
        let (Some(b), Ok(s)) = (
            rekey.boxes.get(&device),
            <[u8; 32]>::try_from(secret.as_slice()),
        ) else {
            continue;
        };
        let own = StaticSecret::from(s);
        let key = b
            .open_with(&own, &PublicKey::from(&own))
            .map_err(|_| Error::BundleInvalid)?;
        conn.execute(
            "INSERT OR IGNORE INTO sync_keys (epoch, key, made_at) VALUES (?1, ?2, ?3)",
            params![rekey.epoch, &key[..], now_rfc3339()],
        )?;
    }
    Ok(())
}

fn signed_by_a_coordinator(conn: &Connection, rekey: &Rekey) -> Result<bool> {
    let public: Option<String> = conn
        .query_row(
            "SELECT signing_public FROM members WHERE handle = ?1 AND role = 'coordinator'
             AND removed_at IS NULL",
            [&rekey.by],
            |r| r.get(0),
        )
        .optional()?;
    let Some(key) = public
        .and_then(|p| hex::decode(p).ok())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok())
    else {
        return Ok(false);
    };
    let Some(sig) = hex::decode(&rekey.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| ed25519_dalek::Signature::from_bytes(&b))
    else {
        return Ok(false);
    };
    Ok(key.verify(&rekey.signed_bytes()?, &sig).is_ok())
}
