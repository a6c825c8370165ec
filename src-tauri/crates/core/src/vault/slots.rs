//! Member slots, the team header (format 3): each member's own way to the data key.
//!
//! A member holds two key pairs, made for them when they join: an X25519 pair the data key is
//! sealed to, and an Ed25519 pair they sign their history entries with. Both secrets are kept
//! in their slot, encrypted under a key derived from their passphrase (argon2id, their own
//! salt); the public halves are beside them. The data key is sealed to each member's X25519
//! public key (an ephemeral key agreement, XChaCha20-Poly1305), so:
//!
//! - unlocking runs the KDF once, on the slot the member names by their handle: the time does
//!   not grow with the number of members;
//! - a coordinator can seal a *new* data key to every remaining member without knowing their
//!   passphrases: removing a member rotates the data key, and the removed member's passphrase,
//!   with any copy of the old header, opens only the old key, which opens nothing written
//!   after the removal (the database is re-keyed);
//! - changing one's passphrase re-encrypts one's own secrets and touches no one else's slot.
//!
//! The header shows each member's handle (chosen by them; the app suggests initials, and says
//! anyone holding the laptop can read it) and nothing else about them: names and roles live in
//! the encrypted database. Roles are the app's rule, not cryptography's: every slot opens the
//! same data key.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::header::{DataKey, FORMAT, empty_data_key};
use super::kdf::KdfParams;
use super::seal::SealedState;
use crate::error::{Error, Result};

pub const TEAM_VERSION: u32 = 3;
/// More than a clinic's rotating team needs at once (the issue asks for 16).
pub const MAX_MEMBERS: usize = 64;
/// The handle of the slot the recovery code opens.
pub const RECOVERY_HANDLE: &str = "recovery";
const MAX_HANDLE_CHARS: usize = 24;

/// A member's secret keys, while unlocked: zeroized when dropped (the dalek types do so), on
/// the heap so that moving them copies only pointers; the stack they were made on is
/// scrubbed (`super::scrub_stack`).
pub struct MemberKeys {
    pub(crate) box_secret: Box<StaticSecret>,
    pub(crate) signing: Box<SigningKey>,
}

impl MemberKeys {
    fn generate() -> Result<MemberKeys> {
        let box_seed = Zeroizing::new(random::<32>()?);
        let sign_seed = Zeroizing::new(random::<32>()?);
        Ok(MemberKeys {
            box_secret: Box::new(StaticSecret::from(*box_seed)),
            signing: Box::new(SigningKey::from_bytes(&sign_seed)),
        })
    }

    /// The secret half of the signing key, for the end-to-end test's after-lock memory scan to
    /// look for (it must be gone once the vault is locked).
    pub fn signing_secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    pub fn signing_public_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }

    fn box_public(&self) -> PublicKey {
        PublicKey::from(&*self.box_secret)
    }
}

/// The data key sealed to one member's X25519 key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBox {
    pub ephemeral: String,
    pub nonce: String,
    pub sealed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// What the member types to say who they are: visible to anyone holding the laptop.
    pub handle: String,
    pub kdf: KdfParams,
    pub salt: String,
    /// The passphrase was given by a coordinator: the member chooses their own before anything
    /// else at the next unlock.
    #[serde(default)]
    pub must_change: bool,
    /// X25519 public key the data key is sealed to.
    pub public: String,
    /// Ed25519 key their history entries are verified with.
    pub signing_public: String,
    pub nonce: String,
    /// The two secret keys, under the key derived from the passphrase.
    pub secret: String,
    pub key_box: KeyBox,
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| Error::Crypto("rng"))?;
    Ok(b)
}

fn unhex<const N: usize>(s: &str, what: &'static str) -> Result<[u8; N]> {
    hex::decode(s)
        .ok()
        .and_then(|v| <[u8; N]>::try_from(v).ok())
        .ok_or(Error::HeaderDamaged(what))
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key))
}

/// Handles are short, single-line, and unique whatever their case.
pub fn valid_handle(handle: &str) -> bool {
    let h = handle.trim();
    !h.is_empty()
        && h == handle
        && h.chars().count() <= MAX_HANDLE_CHARS
        && h.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_'))
}

/// The handle an older vault's first coordinator gets at its upgrade: the name they unlocked
/// with when it makes a handle, else "coordinator".
pub fn handle_for(actor: &str) -> String {
    let a = actor.trim();
    if valid_handle(a) && !is_recovery(a) {
        a.to_owned()
    } else {
        "coordinator".to_owned()
    }
}

fn same_handle(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Whether `handle` names the recovery code's slot.
pub fn is_recovery(handle: &str) -> bool {
    same_handle(handle.trim(), RECOVERY_HANDLE)
}

/// Crockford's base 32: no I, L, O or U, so nothing reads as something else.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 28 characters of 5 bits: 140 random bits, typed as seven groups of four.
const CODE_CHARS: usize = 28;

/// A new recovery code: 140 random bits as `XXXX-XXXX-…` (seven groups of four).
pub fn new_recovery_code() -> Result<Zeroizing<String>> {
    let bytes = Zeroizing::new(random::<18>()?);
    let mut code = Zeroizing::new(String::with_capacity(CODE_CHARS + 6));
    for i in 0..CODE_CHARS {
        let bit = i * 5;
        let pair = u16::from(bytes[bit / 8]) << 8 | u16::from(bytes[bit / 8 + 1]);
        let five = (pair >> (11 - bit % 8)) & 0x1f;
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(CODE_ALPHABET[usize::from(five)]));
    }
    Ok(code)
}

/// A recovery code as typed, in the one spelling its slot was made with: case, spaces and
/// dashes do not matter, and O, I and L are read as 0, 1 and 1.
pub fn normalize_recovery_code(typed: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(CODE_CHARS));
    for &b in typed {
        let c = match b.to_ascii_uppercase() {
            b'O' => b'0',
            b'I' | b'L' => b'1',
            b' ' | b'-' | b'\t' => continue,
            c => c,
        };
        out.push(c);
    }
    out
}

/// The key a box is sealed with: both public keys bound in, so a box moved to another slot
/// does not open.
fn box_key(shared: &[u8; 32], ephemeral: &PublicKey, member: &PublicKey) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"amparo/key-box/v1");
    h.update(shared);
    h.update(ephemeral.as_bytes());
    h.update(member.as_bytes());
    Zeroizing::new(h.finalize().into())
}

impl KeyBox {
    /// Seals `data_key` so that only the holder of `member`'s secret opens it.
    pub(crate) fn seal(data_key: &DataKey, member: &PublicKey) -> Result<KeyBox> {
        let eph_seed = Zeroizing::new(random::<32>()?);
        let eph = StaticSecret::from(*eph_seed);
        let eph_public = PublicKey::from(&eph);
        let shared = Zeroizing::new(eph.diffie_hellman(member).to_bytes());
        let key = box_key(&shared, &eph_public, member);
        let nonce = random::<24>()?;
        let sealed = cipher(&key)
            .encrypt(XNonce::from_slice(&nonce), &data_key[..])
            .map_err(|_| Error::Crypto("wrap"))?;
        Ok(KeyBox {
            ephemeral: hex::encode(eph_public.as_bytes()),
            nonce: hex::encode(nonce),
            sealed: hex::encode(sealed),
        })
    }

    fn open(&self, keys: &MemberKeys) -> Result<DataKey> {
        self.open_with(&keys.box_secret, &keys.box_public())
    }

    /// Opens the box with a secret (and its public half).
    pub(crate) fn open_with(&self, secret: &StaticSecret, public: &PublicKey) -> Result<DataKey> {
        let eph = PublicKey::from(unhex::<32>(&self.ephemeral, "key_box")?);
        let nonce = unhex::<24>(&self.nonce, "key_box")?;
        let sealed = hex::decode(&self.sealed).map_err(|_| Error::HeaderDamaged("key_box"))?;
        let shared = Zeroizing::new(secret.diffie_hellman(&eph).to_bytes());
        let key = box_key(&shared, &eph, public);
        let plain = Zeroizing::new(
            cipher(&key)
                .decrypt(XNonce::from_slice(&nonce), sealed.as_slice())
                .map_err(|_| Error::HeaderDamaged("key_box"))?,
        );
        if plain.len() != 32 {
            return Err(Error::HeaderDamaged("key_box"));
        }
        let mut data_key = empty_data_key();
        data_key.copy_from_slice(&plain);
        Ok(data_key)
    }
}

impl Slot {
    /// A new member's slot: fresh key pairs, their secrets under `passphrase`, the data key
    /// sealed to them.
    pub fn new(
        handle: &str,
        passphrase: &[u8],
        kdf: KdfParams,
        must_change: bool,
        data_key: &DataKey,
    ) -> Result<(Slot, MemberKeys)> {
        if !valid_handle(handle) {
            return Err(Error::validation(
                "handle",
                crate::error::FieldCode::UnknownCode,
            ));
        }
        let keys = MemberKeys::generate()?;
        let mut slot = Slot {
            handle: handle.to_owned(),
            kdf,
            salt: String::new(),
            must_change,
            public: hex::encode(keys.box_public().as_bytes()),
            signing_public: keys.signing_public_hex(),
            nonce: String::new(),
            secret: String::new(),
            key_box: KeyBox::seal(data_key, &keys.box_public())?,
        };
        slot.lock_secrets(&keys, passphrase, kdf)?;
        // What making the keys and sealing them left on the stack below.
        super::scrub_stack();
        Ok((slot, keys))
    }

    /// Binds everything a member's secrets are read with: editing any of it breaks the unlock.
    fn aad(&self) -> Vec<u8> {
        format!(
            "{FORMAT}/{TEAM_VERSION}/slot/{}/{}/{}/{}/{}/{}/{}/{}",
            self.handle,
            self.kdf.m_cost_kib,
            self.kdf.t_cost,
            self.kdf.p_cost,
            self.salt,
            self.must_change,
            self.public,
            self.signing_public
        )
        .into_bytes()
    }

    /// Encrypts the member's secrets under a new passphrase (fresh salt and nonce).
    fn lock_secrets(&mut self, keys: &MemberKeys, passphrase: &[u8], kdf: KdfParams) -> Result<()> {
        let salt = random::<16>()?;
        self.kdf = kdf;
        self.salt = hex::encode(salt);
        let kek = kdf.derive(passphrase, &salt)?;
        let nonce = random::<24>()?;
        // Room for both first: a reallocation would leave the first secret in freed memory.
        let mut plain = Zeroizing::new(Vec::with_capacity(64));
        plain.extend_from_slice(&keys.box_secret.to_bytes());
        plain.extend_from_slice(&keys.signing.to_bytes());
        let aad = self.aad();
        let sealed = cipher(&kek)
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| Error::Crypto("wrap"))?;
        self.nonce = hex::encode(nonce);
        self.secret = hex::encode(sealed);
        Ok(())
    }

    /// The member's keys and the data key, from their passphrase: one KDF run. A failed
    /// authentication is a wrong passphrase (or an edited slot, which looks the same).
    pub fn open(&self, passphrase: &[u8]) -> Result<(DataKey, MemberKeys)> {
        if !self.kdf.is_at_least_minimum() {
            return Err(Error::HeaderDamaged("kdf_params"));
        }
        if !self.kdf.is_at_most_ceiling() {
            return Err(Error::HeaderDamaged("kdf_too_costly"));
        }
        let salt = unhex::<16>(&self.salt, "salt")?;
        let nonce = unhex::<24>(&self.nonce, "nonce")?;
        let sealed = hex::decode(&self.secret).map_err(|_| Error::HeaderDamaged("secret"))?;
        let kek = self.kdf.derive(passphrase, &salt)?;
        let aad = self.aad();
        let plain = Zeroizing::new(
            cipher(&kek)
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &sealed,
                        aad: &aad,
                    },
                )
                .map_err(|_| Error::WrongPassphrase)?,
        );
        if plain.len() != 64 {
            return Err(Error::HeaderDamaged("secret"));
        }
        let mut box_seed = Zeroizing::new([0u8; 32]);
        box_seed.copy_from_slice(&plain[..32]);
        let mut sign_seed = Zeroizing::new([0u8; 32]);
        sign_seed.copy_from_slice(&plain[32..]);
        let keys = MemberKeys {
            box_secret: Box::new(StaticSecret::from(*box_seed)),
            signing: Box::new(SigningKey::from_bytes(&sign_seed)),
        };
        if hex::encode(keys.box_public().as_bytes()) != self.public
            || keys.signing_public_hex() != self.signing_public
        {
            return Err(Error::HeaderDamaged("public"));
        }
        let data_key = self.key_box.open(&keys)?;
        Ok((data_key, keys))
    }

    /// Seals a new data key to this member (a rotation): no passphrase needed.
    pub fn rewrap(&mut self, data_key: &DataKey) -> Result<()> {
        let public = PublicKey::from(unhex::<32>(&self.public, "public")?);
        self.key_box = KeyBox::seal(data_key, &public)?;
        Ok(())
    }

    /// The member's own new passphrase, with the keys their old one opened.
    pub fn change_passphrase(
        &mut self,
        keys: &MemberKeys,
        passphrase: &[u8],
        kdf: KdfParams,
    ) -> Result<()> {
        self.must_change = false;
        let locked = self.lock_secrets(keys, passphrase, kdf);
        super::scrub_stack();
        locked
    }
}

/// The header of a team vault: the members' slots and the vault's sealed state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamHeader {
    pub format: String,
    pub version: u32,
    pub aead: String,
    pub members: Vec<Slot>,
    pub state_nonce: String,
    /// [`SealedState`] under a key derived from the data key: any member can seal it again.
    pub state: String,
}

fn state_key(data_key: &DataKey) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"amparo/header-state/v1");
    h.update(&data_key[..]);
    Zeroizing::new(h.finalize().into())
}

const STATE_AAD: &[u8] = b"amparo-vault/3/state";

impl TeamHeader {
    /// A team of one: the first coordinator's slot (what `create` and the upgrade of an older
    /// vault make).
    pub fn first(slot: Slot, data_key: &DataKey, state: &SealedState) -> Result<TeamHeader> {
        let mut h = TeamHeader {
            format: FORMAT.to_owned(),
            version: TEAM_VERSION,
            aead: "xchacha20poly1305".to_owned(),
            members: vec![slot],
            state_nonce: String::new(),
            state: String::new(),
        };
        h.seal_state(data_key, state)?;
        Ok(h)
    }

    /// The members' slots, without the recovery code's.
    pub fn people(&self) -> impl Iterator<Item = &Slot> {
        self.members.iter().filter(|s| !is_recovery(&s.handle))
    }

    /// A team of one person (the recovery code's slot aside): unlocking asks no handle.
    pub fn alone(&self) -> bool {
        self.people().count() == 1
    }

    pub fn slot(&self, handle: &str) -> Option<&Slot> {
        self.members
            .iter()
            .find(|s| same_handle(&s.handle, handle.trim()))
    }

    pub fn slot_mut(&mut self, handle: &str) -> Option<&mut Slot> {
        self.members
            .iter_mut()
            .find(|s| same_handle(&s.handle, handle.trim()))
    }

    /// Adds a member's slot; refuses a handle already taken (whatever its case) and a full
    /// header.
    pub fn add(&mut self, slot: Slot) -> Result<()> {
        if self.slot(&slot.handle).is_some() {
            return Err(Error::validation(
                "handle",
                crate::error::FieldCode::Duplicate,
            ));
        }
        if self.members.len() >= MAX_MEMBERS {
            return Err(Error::validation(
                "handle",
                crate::error::FieldCode::OutOfRange,
            ));
        }
        self.members.push(slot);
        Ok(())
    }

    /// Removes a member's slot. The caller rotates the data key after (see the module's
    /// documentation): removing the slot alone does not take the key from them.
    pub fn remove(&mut self, handle: &str) -> Result<Slot> {
        let at = self
            .members
            .iter()
            .position(|s| same_handle(&s.handle, handle.trim()))
            .ok_or(Error::NotFound)?;
        Ok(self.members.remove(at))
    }

    /// Seals a new data key to every member (a rotation).
    pub fn rewrap_all(&mut self, data_key: &DataKey) -> Result<()> {
        self.members.iter_mut().try_for_each(|s| s.rewrap(data_key))
    }

    pub fn seal_state(&mut self, data_key: &DataKey, state: &SealedState) -> Result<()> {
        let nonce = random::<24>()?;
        let plain = serde_json::to_vec(state).map_err(|_| Error::Crypto("encode"))?;
        let sealed = cipher(&state_key(data_key))
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: STATE_AAD,
                },
            )
            .map_err(|_| Error::Crypto("wrap"))?;
        self.state_nonce = hex::encode(nonce);
        self.state = hex::encode(sealed);
        Ok(())
    }

    pub fn open_state(&self, data_key: &DataKey) -> Result<SealedState> {
        let nonce = unhex::<24>(&self.state_nonce, "state")?;
        let sealed = hex::decode(&self.state).map_err(|_| Error::HeaderDamaged("state"))?;
        let plain = cipher(&state_key(data_key))
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &sealed,
                    aad: STATE_AAD,
                },
            )
            .map_err(|_| Error::HeaderDamaged("state"))?;
        serde_json::from_slice(&plain).map_err(|_| Error::HeaderDamaged("state"))
    }

    /// Unlocks as the member `handle`: their slot alone is tried (one KDF run, however many
    /// members). An unknown handle is a wrong passphrase, so the header cannot be asked who
    /// is a member by timing or by message. A vault of one (a volunteer's own, or a clinic's
    /// before its team is added) asks no handle: its one slot is tried, and the history records
    /// the name given, as it did before teams.
    pub fn unlock(&self, handle: &str, passphrase: &[u8]) -> Result<Unlocked> {
        self.check_shape()?;
        let people: Vec<&Slot> = self.people().collect();
        let slot = match (self.slot(handle), people.as_slice()) {
            (Some(s), _) | (None, &[s]) => s,
            (None, _) => {
                // The same work as a real slot, then the same answer.
                let _ = self.members[0].kdf.derive(passphrase, &[0u8; 16]);
                return Err(Error::WrongPassphrase);
            }
        };
        let code;
        let passphrase = if is_recovery(&slot.handle) {
            code = normalize_recovery_code(passphrase);
            code.as_slice()
        } else {
            passphrase
        };
        let opened = slot.open(passphrase);
        // What opening the secrets and the key box left on the stack below.
        super::scrub_stack();
        let (data_key, keys) = opened?;
        let state = self.open_state(&data_key)?;
        let actor = if people.len() == 1 && !is_recovery(&slot.handle) {
            handle.trim().to_owned()
        } else {
            slot.handle.clone()
        };
        Ok(Unlocked {
            data_key,
            keys,
            state,
            must_change: slot.must_change,
            handle: slot.handle.clone(),
            actor,
        })
    }

    fn check_shape(&self) -> Result<()> {
        if self.format != FORMAT {
            return Err(Error::HeaderDamaged("format"));
        }
        if self.version != TEAM_VERSION {
            return Err(Error::HeaderDamaged("version"));
        }
        if self.aead != "xchacha20poly1305" {
            return Err(Error::HeaderDamaged("aead"));
        }
        if self.members.is_empty() || self.members.len() > MAX_MEMBERS {
            return Err(Error::HeaderDamaged("members"));
        }
        Ok(())
    }
}

impl TeamHeader {
    pub fn write_atomically(&self, dir: &std::path::Path) -> Result<()> {
        super::header::write_json_steps(self, dir, super::header::HEADER_FILE, None)
    }

    pub(crate) fn write_atomically_as(&self, dir: &std::path::Path, name: &str) -> Result<()> {
        super::header::write_json_steps(self, dir, name, None)
    }
}

/// What unlocking a team header gives.
pub struct Unlocked {
    pub data_key: DataKey,
    pub keys: MemberKeys,
    pub state: SealedState,
    pub must_change: bool,
    /// The handle as the slot spells it.
    pub handle: String,
    /// The name the history records: the slot's handle, or in a vault of one the name given.
    pub actor: String,
}

#[cfg(test)]
#[path = "slots_tests.rs"]
mod tests;
