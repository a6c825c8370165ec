//! The vault header (`vault.json`): only what is needed to derive the key-encryption key and
//! unwrap the data key. Never case data.
//!
//! The data key is wrapped with XChaCha20-Poly1305; the associated data binds the format
//! version, KDF parameters and salt, so editing any of them makes unwrapping fail.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::kdf::KdfParams;
use crate::error::{Error, Result};

pub const FORMAT: &str = "amparo-vault";
pub const FORMAT_VERSION: u32 = 1;
pub const HEADER_FILE: &str = "vault.json";
pub const HEADER_NEW_FILE: &str = "vault.json.new";
/// Headers are tiny; anything larger is not ours.
const MAX_HEADER_BYTES: u64 = 16 * 1024;

pub type DataKey = Zeroizing<[u8; 32]>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub kdf: KdfParams,
    pub salt: String,
    pub aead: String,
    pub nonce: String,
    pub wrapped_key: String,
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| Error::Crypto("rng"))?;
    Ok(b)
}

pub fn new_data_key() -> Result<DataKey> {
    Ok(Zeroizing::new(random::<32>()?))
}

impl Header {
    fn aad(&self) -> Vec<u8> {
        format!(
            "{}/{}/argon2id/{}/{}/{}/{}",
            self.format,
            self.version,
            self.kdf.m_cost_kib,
            self.kdf.t_cost,
            self.kdf.p_cost,
            self.salt
        )
        .into_bytes()
    }

    /// Wraps `data_key` under a key derived from `passphrase` with fresh salt and nonce.
    pub fn seal(passphrase: &[u8], kdf: KdfParams, data_key: &DataKey) -> Result<Header> {
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let mut h = Header {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            kdf,
            salt: hex::encode(salt),
            aead: "xchacha20poly1305".to_owned(),
            nonce: hex::encode(nonce),
            wrapped_key: String::new(),
        };
        let kek = kdf.derive(passphrase, &salt)?;
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek[..]));
        let aad = h.aad();
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: data_key.as_ref(),
                    aad: &aad,
                },
            )
            .map_err(|_| Error::Crypto("wrap"))?;
        h.wrapped_key = hex::encode(wrapped);
        Ok(h)
    }

    /// Derives the key-encryption key and unwraps the data key. A failed authentication is a
    /// wrong passphrase (or a header edited to look valid, which is indistinguishable).
    pub fn open(&self, passphrase: &[u8]) -> Result<DataKey> {
        self.check_shape()?;
        let salt = hex::decode(&self.salt).map_err(|_| Error::HeaderDamaged("salt"))?;
        let nonce = hex::decode(&self.nonce).map_err(|_| Error::HeaderDamaged("nonce"))?;
        let wrapped =
            hex::decode(&self.wrapped_key).map_err(|_| Error::HeaderDamaged("wrapped_key"))?;
        if salt.len() != 16 || nonce.len() != 24 || wrapped.len() != 48 {
            return Err(Error::HeaderDamaged("lengths"));
        }
        let kek = self.kdf.derive(passphrase, &salt)?;
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek[..]));
        let aad = self.aad();
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &wrapped,
                        aad: &aad,
                    },
                )
                .map_err(|_| Error::WrongPassphrase)?,
        );
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&plain);
        Ok(key)
    }

    fn check_shape(&self) -> Result<()> {
        if self.format != FORMAT {
            return Err(Error::HeaderDamaged("format"));
        }
        if self.version != FORMAT_VERSION {
            return Err(Error::HeaderDamaged("version"));
        }
        if self.aead != "xchacha20poly1305" {
            return Err(Error::HeaderDamaged("aead"));
        }
        if !self.kdf.is_at_least_minimum() {
            return Err(Error::HeaderDamaged("kdf_params"));
        }
        if !self.kdf.is_at_most_ceiling() {
            return Err(Error::HeaderDamaged("kdf_too_costly"));
        }
        Ok(())
    }

    pub fn read(dir: &Path) -> Result<Header> {
        let path = dir.join(HEADER_FILE);
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::VaultNotFound),
            Err(e) => return Err(e.into()),
        };
        if meta.len() > MAX_HEADER_BYTES {
            return Err(Error::HeaderDamaged("size"));
        }
        let bytes = fs::read(&path)?;
        serde_json::from_slice(&bytes).map_err(|_| Error::HeaderDamaged("json"))
    }

    /// Replaces the header atomically: write `vault.json.new`, fsync it, rename it over
    /// `vault.json`, fsync the directory. A crash at any point leaves either the old or the
    /// new header in place, never a torn one.
    pub fn write_atomically(&self, dir: &Path) -> Result<()> {
        self.write_steps(dir, None)
    }

    pub(crate) fn write_steps(&self, dir: &Path, crash_after: Option<WriteStep>) -> Result<()> {
        let tmp = dir.join(HEADER_NEW_FILE);
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Crypto("encode"))?;
        {
            let mut f = File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        if crash_after == Some(WriteStep::TempWritten) {
            return Err(simulated_crash());
        }
        fs::rename(&tmp, dir.join(HEADER_FILE))?;
        if crash_after == Some(WriteStep::Renamed) {
            return Err(simulated_crash());
        }
        sync_dir(dir)?;
        Ok(())
    }
}

/// Points in `write_steps` where a test may simulate a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteStep {
    TempWritten,
    Renamed,
}

fn simulated_crash() -> Error {
    Error::Io(std::io::Error::other("simulated crash"))
}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_wrong_passphrase_fails() {
        let key = new_data_key().expect("key");
        let h = Header::seal(b"correct horse", KdfParams::MINIMUM, &key).expect("seal");
        assert_eq!(*h.open(b"correct horse").expect("open"), *key);
        assert!(matches!(
            h.open(b"wrong horse"),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn lowered_kdf_cost_is_refused_before_deriving() {
        let key = new_data_key().expect("key");
        let mut h = Header::seal(b"correct horse", KdfParams::MINIMUM, &key).expect("seal");
        h.kdf.m_cost_kib = 8;
        assert!(matches!(
            h.open(b"correct horse"),
            Err(Error::HeaderDamaged("kdf_params"))
        ));
    }

    #[test]
    fn a_crafted_kdf_cost_too_high_to_derive_is_refused_at_once() {
        let key = new_data_key().expect("key");
        let h = Header::seal(b"correct horse", KdfParams::MINIMUM, &key).expect("seal");
        for (m, t, p) in [
            (64 * 1024 * 1024, 3, 1),
            (64 * 1024, 100_000, 1),
            (64 * 1024, 3, 255),
        ] {
            let mut crafted = h.clone();
            (
                crafted.kdf.m_cost_kib,
                crafted.kdf.t_cost,
                crafted.kdf.p_cost,
            ) = (m, t, p);
            let started = std::time::Instant::now();
            assert!(matches!(
                crafted.open(b"correct horse"),
                Err(Error::HeaderDamaged("kdf_too_costly"))
            ));
            assert!(started.elapsed() < std::time::Duration::from_millis(100));
        }
    }

    #[test]
    fn editing_bound_fields_breaks_unwrapping() {
        let key = new_data_key().expect("key");
        let mut h = Header::seal(b"correct horse", KdfParams::MINIMUM, &key).expect("seal");
        h.kdf.t_cost += 1;
        assert!(matches!(
            h.open(b"correct horse"),
            Err(Error::WrongPassphrase)
        ));
    }
}
