//! The bundle file: what one laptop holds that the others may lack, sealed under the clinic's
//! sync key of the current epoch (so only this clinic's laptops that hold it read it, and any
//! change to a byte is found before anything is applied).
//!
//! Layout: `AMPARO-SYNC-1\n`, the header's length (u32, little-endian), the header (JSON:
//! the key's id, the sending laptop, the nonce, the new epochs' sealed keys), then XChaCha20-Poly1305 over the payload with
//! the magic and header as associated data. The payload: its JSON's length (u32), the JSON
//! (the sender, what it holds, the changes, the attachments' hashes and lengths), then the
//! attachments' bytes in that order.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;

use super::capture::Change;
use super::keys::Rekey;
use super::merge::Blobs;
use crate::error::{Error, Result};

const MAGIC: &[u8] = b"AMPARO-SYNC-1\n";
const MAX_HEADER: usize = 4096;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    key_id: String,
    from: String,
    nonce: String,
    /// New epochs' keys, each sealed to the laptops that keep it (see `keys`).
    #[serde(default)]
    rekeys: Vec<Rekey>,
}

/// What a bundle says, opened.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contents {
    pub(crate) from: String,
    pub(crate) name: String,
    pub(crate) made_at: String,
    pub(crate) holds: BTreeMap<String, u64>,
    pub(crate) changes: Vec<Change>,
    #[serde(default)]
    pub(crate) blobs: Vec<(String, usize)>,
    /// The sender's header slots (see `team`).
    #[serde(default)]
    pub(crate) slots: Vec<crate::vault::slots::Slot>,
    /// The sender's own X25519 key, for new epochs' keys to be sealed to.
    #[serde(default)]
    pub(crate) public: Option<String>,
    /// The sender's schema: a laptop with an older app takes no rows it could not hold whole.
    #[serde(default)]
    pub(crate) schema: i64,
}

fn derive(data_key: &[u8; 32], label: &[u8]) -> zeroize::Zeroizing<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(data_key).expect("any key length");
    mac.update(label);
    zeroize::Zeroizing::new(mac.finalize().into_bytes().into())
}

/// Names a sync key without revealing it: bundles under another key are told apart from
/// damaged ones.
pub(crate) fn key_id(data_key: &[u8; 32]) -> String {
    hex::encode(&derive(data_key, b"amparo sync key id v1")[..8])
}

pub(crate) fn seal(
    data_key: &[u8; 32],
    contents: &Contents,
    blobs: &Blobs,
    rekeys: Vec<Rekey>,
) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(contents).map_err(|_| Error::Crypto("bundle encode"))?;
    let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(json.len() + 4));
    plain.extend_from_slice(&(json.len() as u32).to_le_bytes());
    plain.extend_from_slice(&json);
    for (sha, _) in &contents.blobs {
        plain.extend_from_slice(&blobs[sha]);
    }
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|_| Error::Crypto("random"))?;
    let header = serde_json::to_vec(&Header {
        key_id: key_id(data_key),
        from: contents.from.clone(),
        nonce: hex::encode(nonce),
        rekeys,
    })
    .map_err(|_| Error::Crypto("bundle encode"))?;
    let mut aad = MAGIC.to_vec();
    aad.extend_from_slice(&(header.len() as u32).to_le_bytes());
    aad.extend_from_slice(&header);
    let key = derive(data_key, b"amparo sync bundle v1");
    let sealed = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad,
            },
        )
        .map_err(|_| Error::Crypto("bundle seal"))?;
    let mut out = aad;
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// A bundle read but not yet opened: its clear header, then the sealed rest.
pub(crate) struct Sealed<'b> {
    header: Header,
    aad: &'b [u8],
    body: &'b [u8],
}

/// Reads a bundle's clear part: `bundle_invalid` if it is not one.
pub(crate) fn read(bytes: &[u8]) -> Result<Sealed<'_>> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(Error::BundleInvalid)?;
    let len = rest
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()) as usize)
        .filter(|n| *n <= MAX_HEADER)
        .ok_or(Error::BundleInvalid)?;
    let header_bytes = rest.get(4..4 + len).ok_or(Error::BundleInvalid)?;
    let header: Header = serde_json::from_slice(header_bytes).map_err(|_| Error::BundleInvalid)?;
    let (aad, body) = bytes.split_at(MAGIC.len() + 4 + len);
    Ok(Sealed { header, aad, body })
}

impl Sealed<'_> {
    pub(crate) fn key_id(&self) -> &str {
        &self.header.key_id
    }

    pub(crate) fn rekeys(&self) -> &[Rekey] {
        &self.header.rekeys
    }

    /// Opens the sealed part: refused whole (`bundle_invalid`) if any byte is wrong or missing.
    pub(crate) fn open(&self, key: &[u8; 32]) -> Result<(Contents, Blobs)> {
        let nonce: [u8; 24] = hex::decode(&self.header.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or(Error::BundleInvalid)?;
        let sync_key = derive(key, b"amparo sync bundle v1");
        let plain = zeroize::Zeroizing::new(
            XChaCha20Poly1305::new(sync_key.as_ref().into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: self.body,
                        aad: self.aad,
                    },
                )
                .map_err(|_| Error::BundleInvalid)?,
        );
        let n = plain
            .get(..4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()) as usize)
            .ok_or(Error::BundleInvalid)?;
        let json = plain.get(4..4 + n).ok_or(Error::BundleInvalid)?;
        let contents: Contents = serde_json::from_slice(json).map_err(|_| Error::BundleInvalid)?;
        if contents.from != self.header.from {
            return Err(Error::BundleInvalid);
        }
        let mut blobs = Blobs::new();
        let mut at = 4 + n;
        for (sha, len) in &contents.blobs {
            let b = plain.get(at..at + len).ok_or(Error::BundleInvalid)?;
            blobs.insert(sha.clone(), b.to_vec());
            at += len;
        }
        if at != plain.len() {
            return Err(Error::BundleInvalid);
        }
        Ok((contents, blobs))
    }
}
