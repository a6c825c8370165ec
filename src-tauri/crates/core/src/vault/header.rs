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
use super::seal::SealedState;
use crate::error::{Error, Result};

pub const FORMAT: &str = "amparo-vault";
/// Version 2 seals the vault's state (see [`SealedState`]) beside the data key; version 1
/// headers still open and become version 2 the next time the vault seals its state.
pub const FORMAT_VERSION: u32 = 2;
pub const HEADER_FILE: &str = "vault.json";
pub const HEADER_NEW_FILE: &str = "vault.json.new";
/// Headers are small (a team's 64 members take about 60 KiB); anything larger is not ours.
const MAX_HEADER_BYTES: u64 = 256 * 1024;

/// The vault's data key. On the heap and never moved by value: a key copied around on the
/// stack (returned, cloned into a struct) leaves copies that no zeroize reaches, which a
/// memory dump after lock would find.
pub type DataKey = Box<Zeroizing<[u8; 32]>>;

/// A zeroed data key, to be filled in place.
pub fn empty_data_key() -> DataKey {
    Box::new(Zeroizing::new([0u8; 32]))
}

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
    let mut key = empty_data_key();
    getrandom::fill(&mut key[..]).map_err(|_| Error::Crypto("rng"))?;
    Ok(key)
}

/// What unsealing a header gives: the data key, the key-encryption key that unwrapped it
/// (kept while unlocked so the header can be sealed again without the passphrase), and the
/// state sealed beside the key (`None` for a version 1 header, which has none).
pub struct Unsealed {
    pub data_key: DataKey,
    pub kek: Zeroizing<[u8; 32]>,
    pub state: Option<SealedState>,
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

    /// Wraps `data_key` under a key derived from `passphrase` with fresh salt and nonce, with
    /// `state` sealed beside it.
    pub fn seal(
        passphrase: &[u8],
        kdf: KdfParams,
        data_key: &DataKey,
        state: &SealedState,
    ) -> Result<Header> {
        Ok(Header::seal_keeping_kek(passphrase, kdf, data_key, state)?.0)
    }

    /// [`Header::seal`], also giving the key-encryption key (a new vault keeps it while open).
    pub(crate) fn seal_keeping_kek(
        passphrase: &[u8],
        kdf: KdfParams,
        data_key: &DataKey,
        state: &SealedState,
    ) -> Result<(Header, Zeroizing<[u8; 32]>)> {
        let salt = random::<16>()?;
        let kek = kdf.derive(passphrase, &salt)?;
        let h = Header::seal_with_kek(&kek, kdf, &hex::encode(salt), data_key, state)?;
        Ok((h, kek))
    }

    /// Seals again under a key-encryption key already derived (same KDF and salt, fresh
    /// nonce): how an unlocked vault records its state without asking for the passphrase.
    pub(crate) fn seal_with_kek(
        kek: &[u8; 32],
        kdf: KdfParams,
        salt: &str,
        data_key: &DataKey,
        state: &SealedState,
    ) -> Result<Header> {
        let nonce = random::<24>()?;
        let mut h = Header {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            kdf,
            salt: salt.to_owned(),
            aead: "xchacha20poly1305".to_owned(),
            nonce: hex::encode(nonce),
            wrapped_key: String::new(),
        };
        let mut plain = Zeroizing::new(data_key.to_vec());
        plain.extend(serde_json::to_vec(state).map_err(|_| Error::Crypto("encode"))?);
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(kek));
        let aad = h.aad();
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
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
        Ok(self.unseal(passphrase)?.data_key)
    }

    /// [`Header::open`], keeping the key-encryption key and the sealed state.
    pub fn unseal(&self, passphrase: &[u8]) -> Result<Unsealed> {
        self.check_shape()?;
        let salt = hex::decode(&self.salt).map_err(|_| Error::HeaderDamaged("salt"))?;
        if salt.len() != 16 {
            return Err(Error::HeaderDamaged("lengths"));
        }
        let kek = self.kdf.derive(passphrase, &salt)?;
        self.unseal_with_kek(kek)
    }

    pub(crate) fn unseal_with_kek(&self, kek: Zeroizing<[u8; 32]>) -> Result<Unsealed> {
        self.check_shape()?;
        let nonce = hex::decode(&self.nonce).map_err(|_| Error::HeaderDamaged("nonce"))?;
        let wrapped =
            hex::decode(&self.wrapped_key).map_err(|_| Error::HeaderDamaged("wrapped_key"))?;
        let sealed_len_ok = match self.version {
            1 => wrapped.len() == 48,
            _ => wrapped.len() > 48,
        };
        if nonce.len() != 24 || !sealed_len_ok {
            return Err(Error::HeaderDamaged("lengths"));
        }
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
        let mut data_key = empty_data_key();
        data_key.copy_from_slice(&plain[..32]);
        // Authenticated, so only this app wrote it: a state it cannot read is a newer app's.
        let state = match self.version {
            1 => None,
            _ => Some(
                serde_json::from_slice(&plain[32..]).map_err(|_| Error::HeaderDamaged("state"))?,
            ),
        };
        Ok(Unsealed {
            data_key,
            kek,
            state,
        })
    }

    fn check_shape(&self) -> Result<()> {
        if self.format != FORMAT {
            return Err(Error::HeaderDamaged("format"));
        }
        if !(1..=FORMAT_VERSION).contains(&self.version) {
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
        Header::read_file(&dir.join(HEADER_FILE))
    }

    /// Reads a header from `path` (the live one, or a rotation's next one).
    pub(crate) fn read_file(path: &Path) -> Result<Header> {
        serde_json::from_slice(&read_bounded(path)?).map_err(|_| Error::HeaderDamaged("json"))
    }

    /// Replaces the header atomically: write `vault.json.new`, fsync it, rename it over
    /// `vault.json`, fsync the directory. A crash at any point leaves either the old or the
    /// new header in place, never a torn one.
    pub fn write_atomically(&self, dir: &Path) -> Result<()> {
        self.write_steps(dir, HEADER_FILE, None)
    }

    pub(crate) fn write_steps(
        &self,
        dir: &Path,
        name: &str,
        crash_after: Option<WriteStep>,
    ) -> Result<()> {
        write_json_steps(self, dir, name, crash_after)
    }
}

/// A header of either kind, as found on disk: a vault made before teams (one passphrase,
/// upgraded at its next unlock) or a team's.
#[derive(Debug, Clone)]
pub enum OnDisk {
    Single(Header),
    Team(super::slots::TeamHeader),
}

impl OnDisk {
    pub fn read(dir: &Path) -> Result<OnDisk> {
        OnDisk::read_file(&dir.join(HEADER_FILE))
    }

    /// Reads either kind from `path`: a team header has members, an older one a salt.
    pub(crate) fn read_file(path: &Path) -> Result<OnDisk> {
        let bytes = read_bounded(path)?;
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|_| Error::HeaderDamaged("json"))?;
        if value.get("members").is_some() {
            serde_json::from_value(value)
                .map(OnDisk::Team)
                .map_err(|_| Error::HeaderDamaged("json"))
        } else {
            serde_json::from_value(value)
                .map(OnDisk::Single)
                .map_err(|_| Error::HeaderDamaged("json"))
        }
    }
}

/// What opening a header of either kind gives.
pub struct Opened {
    pub data_key: DataKey,
    pub state: SealedState,
    /// The member's handle as their slot spells it (for an older header, the one asked for,
    /// which its upgrade will give the first coordinator).
    pub handle: String,
    /// The name the history records (see [`super::slots::TeamHeader::unlock`]).
    pub actor: String,
    /// The member's own keys (none in an older header: it has no members yet).
    pub keys: Option<super::slots::MemberKeys>,
    pub must_change: bool,
}

impl OnDisk {
    /// Opens as the member `handle` with `passphrase` (an older header has one passphrase and
    /// no members: the handle is only carried on).
    pub fn open(&self, handle: &str, passphrase: &[u8]) -> Result<Opened> {
        match self {
            OnDisk::Team(h) => {
                let u = h.unlock(handle, passphrase)?;
                Ok(Opened {
                    data_key: u.data_key,
                    state: u.state,
                    handle: u.handle,
                    actor: u.actor,
                    keys: Some(u.keys),
                    must_change: u.must_change,
                })
            }
            OnDisk::Single(h) => {
                let u = h.unseal(passphrase)?;
                Ok(Opened {
                    data_key: u.data_key,
                    state: u.state.unwrap_or_default(),
                    handle: super::slots::handle_for(handle),
                    actor: handle.trim().to_owned(),
                    keys: None,
                    must_change: false,
                })
            }
        }
    }
}

/// The bytes of a header file, refused when larger than any header.
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::VaultNotFound),
        Err(e) => return Err(e.into()),
    };
    if meta.len() > MAX_HEADER_BYTES {
        return Err(Error::HeaderDamaged("size"));
    }
    Ok(fs::read(path)?)
}

/// Replaces a header file atomically: write `vault.json.new`, fsync it, rename it over `name`,
/// fsync the directory. A crash at any point leaves either the old or the new header in
/// place, never a torn one.
pub(crate) fn write_json_steps<T: Serialize>(
    value: &T,
    dir: &Path,
    name: &str,
    crash_after: Option<WriteStep>,
) -> Result<()> {
    let tmp = dir.join(HEADER_NEW_FILE);
    let json = serde_json::to_vec_pretty(value).map_err(|_| Error::Crypto("encode"))?;
    {
        let mut f = File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
    }
    if crash_after == Some(WriteStep::TempWritten) {
        return Err(simulated_crash());
    }
    fs::rename(&tmp, dir.join(name))?;
    if crash_after == Some(WriteStep::Renamed) {
        return Err(simulated_crash());
    }
    sync_dir(dir)?;
    Ok(())
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
pub(crate) mod tests {
    use super::*;

    /// A header as version 1 wrote it: the data key alone, no state.
    pub(crate) fn seal_v1(passphrase: &str, key: &DataKey) -> Header {
        let salt = random::<16>().expect("salt");
        let nonce = random::<24>().expect("nonce");
        let mut h = Header {
            format: FORMAT.to_owned(),
            version: 1,
            kdf: KdfParams::MINIMUM,
            salt: hex::encode(salt),
            aead: "xchacha20poly1305".to_owned(),
            nonce: hex::encode(nonce),
            wrapped_key: String::new(),
        };
        let kek = h.kdf.derive(passphrase.as_bytes(), &salt).expect("kek");
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek[..]));
        let aad = h.aad();
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &key[..],
                    aad: &aad,
                },
            )
            .expect("wrap");
        h.wrapped_key = hex::encode(wrapped);
        h
    }

    #[test]
    fn seal_then_open_round_trips_and_wrong_passphrase_fails() {
        let key = new_data_key().expect("key");
        let h = Header::seal(
            b"correct horse",
            KdfParams::MINIMUM,
            &key,
            &SealedState::default(),
        )
        .expect("seal");
        assert_eq!(*h.open(b"correct horse").expect("open"), *key);
        assert!(matches!(
            h.open(b"wrong horse"),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn lowered_kdf_cost_is_refused_before_deriving() {
        let key = new_data_key().expect("key");
        let mut h = Header::seal(
            b"correct horse",
            KdfParams::MINIMUM,
            &key,
            &SealedState::default(),
        )
        .expect("seal");
        h.kdf.m_cost_kib = 8;
        assert!(matches!(
            h.open(b"correct horse"),
            Err(Error::HeaderDamaged("kdf_params"))
        ));
    }

    #[test]
    fn a_crafted_kdf_cost_too_high_to_derive_is_refused_at_once() {
        let key = new_data_key().expect("key");
        let h = Header::seal(
            b"correct horse",
            KdfParams::MINIMUM,
            &key,
            &SealedState::default(),
        )
        .expect("seal");
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
        let mut h = Header::seal(
            b"correct horse",
            KdfParams::MINIMUM,
            &key,
            &SealedState::default(),
        )
        .expect("seal");
        h.kdf.t_cost += 1;
        assert!(matches!(
            h.open(b"correct horse"),
            Err(Error::WrongPassphrase)
        ));
    }
}
