//! The vault: a directory holding `vault.json` (how to unwrap the data key) and `vault.db`
//! (SQLCipher, keyed with the data key). An open `Vault` owns the connection and the audit
//! key; dropping or locking it closes the database and zeroizes the keys.

pub mod check;
pub mod header;
pub mod kdf;
pub mod rotate;
pub mod seal;
pub mod slots;
pub mod stop;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rusqlite::Connection;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::db;
use crate::error::{Error, Result};
pub(crate) use header::{HEADER_FILE, sync_dir};
use header::{HEADER_NEW_FILE, OnDisk};
pub use kdf::{KdfChoice, KdfParams};
use seal::{HeaderLock, SealedState, Sealer, Writes};

pub const MIN_PASSPHRASE_CHARS: usize = 10;

pub struct Vault {
    dir: PathBuf,
    pub(crate) conn: Connection,
    pub(crate) audit_key: Zeroizing<[u8; 32]>,
    pub(crate) actor: String,
    /// Kept while unlocked to open the checker's own connection (SQLCipher holds the same
    /// key for as long as the database is open); zeroized on lock.
    pub(crate) data_key: header::DataKey,
    /// Closed when a check found the history broken or the pages damaged: the vault then
    /// takes no more writes. Shared with the background checker.
    pub(crate) gate: Arc<WriteGate>,
    /// Sees every change before it commits (see [`crate::store::ChangeHook`]).
    pub(crate) hook: Option<Box<dyn crate::store::ChangeHook>>,
    /// The state the header held when this vault was unlocked (where its history ended then,
    /// and whether it took writes).
    pub(crate) found: SealedState,
    /// The acting member's role, checked on every write (see [`crate::permissions`]).
    pub(crate) role: crate::codes::Role,
    /// Unlocked with a passphrase a coordinator gave: no writes until the member chose their own.
    pub(crate) must_change: bool,
    /// The recovery code made with the vault, until the app has shown it (`take_recovery_code`).
    pub(crate) recovery: Option<Zeroizing<String>>,
    /// Signs every history entry this session writes (the member's key; none for the bench's
    /// copies). Zeroized on lock.
    pub(crate) signer: Option<crate::audit::EntrySigner>,
    /// Raised from another thread to stop the task under way (see [`stop`]).
    pub(crate) stop: stop::StopFlag,
}

/// Whether writes are still allowed. Closed by the checks in this process, or found closed in
/// the header (by any process); never reopened while unlocked.
#[derive(Debug, Default)]
pub(crate) struct WriteGate {
    pub(crate) tampered: AtomicBool,
    pub(crate) damaged: AtomicBool,
    /// Seals the closing into the header so later processes see it. `None` for the bench's
    /// plain copy, which has no header.
    sealer: Option<Sealer>,
}

impl WriteGate {
    fn with_sealer(sealer: Sealer) -> WriteGate {
        WriteGate {
            sealer: Some(sealer),
            ..WriteGate::default()
        }
    }

    /// Closes the vault to writes here, and in the header for every process after this one.
    pub(crate) fn close(&self, why: Writes) {
        match why {
            Writes::Open => return,
            Writes::Damaged => self.damaged.store(true, Ordering::SeqCst),
            Writes::Tampered => self.tampered.store(true, Ordering::SeqCst),
        }
        if let Some(s) = &self.sealer {
            // Best effort: a header that cannot be written (a full disk, a read-only copy)
            // still leaves this process closed.
            let _ = s.reseal(|st| {
                if st.writes == Writes::Open {
                    st.writes = why;
                }
            });
        }
    }

    /// Refuses a write if this process or any other closed the vault.
    fn check(&self) -> Result<()> {
        if let Some(s) = &self.sealer {
            match s.sealed_writes() {
                Writes::Open => {}
                found => {
                    self.close(found);
                }
            }
        }
        if self.damaged.load(Ordering::SeqCst) {
            return Err(Error::VaultDamaged);
        }
        if self.tampered.load(Ordering::SeqCst) {
            return Err(Error::VaultTampered);
        }
        Ok(())
    }

    /// Whether writes are refused, and why.
    pub(crate) fn writes(&self) -> Writes {
        if self.damaged.load(Ordering::SeqCst) {
            Writes::Damaged
        } else if self.tampered.load(Ordering::SeqCst) {
            Writes::Tampered
        } else {
            Writes::Open
        }
    }
}

/// Starts a write transaction, unless a check (here or in another process) found the vault
/// damaged or its history broken: the app never writes to a vault it could not verify.
pub(crate) fn begin_write<'c>(
    conn: &'c mut Connection,
    gate: &WriteGate,
) -> Result<rusqlite::Transaction<'c>> {
    gate.check()?;
    Ok(conn.transaction()?)
}

/// The key derivation's cost for a new member: the first member's.
pub(crate) fn team_kdf(dir: &Path) -> Result<KdfParams> {
    match OnDisk::read(dir)? {
        OnDisk::Team(h) => Ok(h.members[0].kdf),
        OnDisk::Single(h) => Ok(h.kdf),
    }
}

/// Adds a member's slot to the team header on disk, under the header lock.
pub(crate) fn add_slot(dir: &Path, slot: slots::Slot) -> Result<()> {
    let _held = HeaderLock::take(dir)?;
    match OnDisk::read(dir)? {
        OnDisk::Team(mut h) => {
            h.add(slot)?;
            h.write_atomically(dir)
        }
        OnDisk::Single(_) => Err(Error::HeaderDamaged("version")),
    }
}

/// Overwrites the stack below the caller with zeros: what a callee that handled a secret left
/// there. The dalek types zeroize themselves when dropped, not the copies a move, a hash or a
/// key agreement leaves in the frames they worked in; the after-lock memory scan (e2e) found
/// a member's signing key twice before this. About a microsecond per call.
#[inline(never)]
pub fn scrub_stack() {
    let mut below = [0u8; 32 * 1024];
    zeroize::Zeroize::zeroize(&mut below[..]);
    std::hint::black_box(&below);
}

/// Puts a member's new slot in place of their old one (a passphrase reset), under the header
/// lock.
pub(crate) fn replace_slot(dir: &Path, slot: slots::Slot) -> Result<()> {
    let _held = HeaderLock::take(dir)?;
    match OnDisk::read(dir)? {
        OnDisk::Team(mut h) => {
            let handle = slot.handle.clone();
            *h.slot_mut(&handle).ok_or(Error::NotFound)? = slot;
            h.write_atomically(dir)
        }
        OnDisk::Single(_) => Err(Error::HeaderDamaged("version")),
    }
}

/// Whether the header has a recovery code's slot.
pub(crate) fn has_recovery_slot(dir: &Path) -> Result<bool> {
    Ok(match OnDisk::read(dir)? {
        OnDisk::Team(h) => h.slot(slots::RECOVERY_HANDLE).is_some(),
        OnDisk::Single(_) => false,
    })
}

/// The data key and the sealed state as the header on disk gives them to `pass` (tests).
#[cfg(test)]
pub(crate) fn test_open(dir: &Path, pass: &str) -> header::Opened {
    OnDisk::read(dir)
        .expect("header")
        .open("t", pass.as_bytes())
        .expect("open")
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Whether a directory holds a vault (a header file); says nothing of whether it opens.
pub fn exists(dir: &Path) -> bool {
    dir.join(HEADER_FILE).is_file()
}

pub(crate) fn check_passphrase_strength(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::WeakPassphrase {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

fn audit_key_from(data_key: &header::DataKey) -> Result<Zeroizing<[u8; 32]>> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(&data_key[..]).map_err(|_| Error::Crypto("hmac"))?;
    mac.update(b"amparo/audit-chain/v1");
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    Ok(out)
}

fn actor_or_default(actor: &str) -> String {
    let a = actor.trim();
    if a.is_empty() {
        "volunteer".to_owned()
    } else {
        a.chars().take(80).collect()
    }
}

impl Vault {
    /// Creates a new vault in `dir` (created if missing). Refuses if a vault is already there.
    pub fn create(dir: &Path, passphrase: &str, kdf: KdfChoice, actor: &str) -> Result<Vault> {
        check_passphrase_strength(passphrase)?;
        fs::create_dir_all(dir)?;
        if exists(dir) {
            return Err(Error::VaultExists);
        }
        // A database without a header may be a creation that never finished, or a vault whose
        // vault.json was lost and may still be found (a copy, a backup's): it is never deleted.
        // The person decides: put the key file back, or move the database away.
        if dir.join(db::DB_FILE).exists() {
            return Err(Error::OrphanDatabase);
        }
        for f in ["vault.db-wal", "vault.db-shm", HEADER_NEW_FILE] {
            let p = dir.join(f);
            if p.exists() {
                fs::remove_file(p)?;
            }
        }
        let params = kdf.resolve()?;
        let data_key = header::new_data_key()?;
        let mut conn = db::open_keyed(dir, &data_key, true)?;
        db::prepare(&mut conn)?;
        // The one who creates the vault is its first coordinator, under the name they gave.
        let handle = slots::handle_for(actor);
        let (slot, keys) =
            slots::Slot::new(&handle, passphrase.as_bytes(), params, false, &data_key)?;
        let header = slots::TeamHeader::first(slot, &data_key, &SealedState::default())?;
        {
            let _held = HeaderLock::take(dir)?;
            header.write_atomically(dir)?;
        }
        let sealer = Sealer::new(dir, &data_key);
        let mut v = Vault {
            gate: Arc::new(WriteGate::with_sealer(sealer)),
            signer: Some(crate::audit::EntrySigner::new(&handle, &keys.signing)),
            ..Self::over(dir, conn, data_key, actor)?
        };
        v.role = v.take_role(&handle, true, &keys.signing_public_hex())?;
        v.recovery = Some(v.make_recovery_code()?);
        Ok(v)
    }

    fn over(dir: &Path, conn: Connection, data_key: header::DataKey, actor: &str) -> Result<Vault> {
        Ok(Vault {
            dir: dir.to_owned(),
            stop: stop::StopFlag::watching(&conn)?,
            conn,
            audit_key: audit_key_from(&data_key)?,
            actor: actor_or_default(actor),
            data_key,
            gate: Arc::default(),
            hook: None,
            found: SealedState::default(),
            // The least a role may, until the way of opening sets the member's own.
            role: crate::codes::Role::Interpreter,
            must_change: false,
            signer: None,
            recovery: None,
        })
    }

    /// Opens an existing vault. Wrong passphrase, damaged header, damaged database and a
    /// schema newer than this app are distinct errors; none of them writes to the vault.
    pub fn unlock(dir: &Path, passphrase: &str, actor: &str) -> Result<Vault> {
        // Held until the vault is open and sealed: a rotation in another process finishes
        // first, and no rotation starts while this one opens the database.
        let held = HeaderLock::take(dir)?;
        // A leftover `vault.json.new` is an interrupted header write whose rename never
        // happened: the old header is still the valid one.
        seal::remove_stale_header_write(&held, dir);
        rotate::settle(&held, dir, actor, passphrase)?;
        let on_disk = OnDisk::read(dir)?;
        let opened = on_disk.open(actor, passphrase.as_bytes())?;
        let (mut signing_public, mut alone) = match (&on_disk, &opened.keys) {
            (OnDisk::Team(h), Some(k)) => (k.signing_public_hex(), h.alone()),
            _ => (String::new(), true),
        };
        let mut signer = opened
            .keys
            .as_ref()
            .map(|k| crate::audit::EntrySigner::new(&opened.handle, &k.signing));
        if let OnDisk::Single(old) = &on_disk {
            // A vault made before teams: its one passphrase becomes its first coordinator's.
            let (slot, keys) = slots::Slot::new(
                &opened.handle,
                passphrase.as_bytes(),
                old.kdf,
                false,
                &opened.data_key,
            )?;
            slots::TeamHeader::first(slot, &opened.data_key, &opened.state)?
                .write_atomically(dir)?;
            (signing_public, alone) = (keys.signing_public_hex(), true);
            signer = Some(crate::audit::EntrySigner::new(
                &opened.handle,
                &keys.signing,
            ));
        }
        let sealer = Sealer::new(dir, &opened.data_key);
        let mut v = Self::open_with_key(dir, opened.data_key, &opened.actor)?;
        v.gate = Arc::new(WriteGate::with_sealer(sealer));
        v.found = opened.state;
        v.must_change = opened.must_change;
        v.signer = signer;
        v.start_from_seal(&held)?;
        v.role = match v.take_role(&opened.handle, alone, &signing_public) {
            // Members unreadable (a damaged page reads as corrupt, or as SQLCipher's "out of
            // memory"): the vault opens closed, to read what can be read.
            Err(Error::Storage(_)) => {
                v.gate.damaged.store(true, Ordering::SeqCst);
                crate::codes::Role::Volunteer
            }
            other => other?,
        };
        // A replica records every change for the other laptops; if it cannot, it takes none
        // (a change kept from them would part the laptops for good).
        if v.attach_sync().is_err() {
            v.gate.damaged.store(true, Ordering::SeqCst);
        }
        Ok(v)
    }

    /// Takes up the state the header holds: closed stays closed; a history that no longer
    /// reaches the entry the header names was cut short or rolled back, and closes the vault.
    /// Then seals where the history stands now (a version 1 header becomes version 2).
    /// A history too damaged to read closes the vault as damaged; it still opens, to read what
    /// can be read, and the full check says where.
    fn start_from_seal(&mut self, held: &HeaderLock) -> Result<()> {
        let gate = &self.gate;
        let shut = |why: Writes| match why {
            Writes::Damaged => gate.damaged.store(true, Ordering::SeqCst),
            Writes::Tampered => gate.tampered.store(true, Ordering::SeqCst),
            Writes::Open => {}
        };
        shut(self.found.writes);
        let taken = (|| {
            if self.found.writes == Writes::Open
                && !seal::holds_sealed_tail(&self.conn, &self.found)?
            {
                shut(Writes::Tampered);
            }
            self.seal_tail_held(held)
        })();
        match taken {
            Err(Error::Storage(e)) if check::is_damage(&e) => {
                shut(Writes::Damaged);
                if let Some(sealer) = self.gate.sealer.as_ref() {
                    let _ = sealer.reseal_held(held, |st| {
                        if st.writes == Writes::Open {
                            st.writes = Writes::Damaged;
                        }
                    });
                }
                Ok(())
            }
            other => other,
        }
    }

    /// Seals where the history ends now into the header (and the write gate's state).
    fn seal_tail(&self) -> Result<()> {
        if self.gate.sealer.is_none() {
            return Ok(());
        }
        let held = HeaderLock::take(&self.dir)?;
        self.seal_tail_held(&held)
    }

    fn seal_tail_held(&self, held: &HeaderLock) -> Result<()> {
        let Some(sealer) = self.gate.sealer.as_ref() else {
            return Ok(());
        };
        let tail = seal::tail(&self.conn)?;
        let writes = self.gate.writes();
        sealer.reseal_held(held, |st| {
            *st = SealedState {
                writes: if writes == Writes::Open {
                    st.writes
                } else {
                    writes
                },
                ..tail
            }
        })
    }

    /// The second half of unlocking, after the KDF: opens, checks and migrates the database.
    pub(crate) fn open_with_key(
        dir: &Path,
        data_key: header::DataKey,
        actor: &str,
    ) -> Result<Vault> {
        let mut conn = db::open_keyed(dir, &data_key, false)?;
        db::prepare(&mut conn)?;
        Self::over(dir, conn, data_key, actor)
    }

    /// The header's state as this vault found it at unlock: the last change before this
    /// session (number, when, by whom), for the person to recognise, and whether it took writes.
    pub fn found_at_unlock(&self) -> &SealedState {
        &self.found
    }

    /// Whether the vault takes writes now, and if not, why.
    pub fn writes(&self) -> Writes {
        self.gate.writes()
    }

    /// Opens the write gate again, here and in the header, once the decision that allows it
    /// (a verified restore, a logged acceptance) is in the history.
    fn reopen_writes(&mut self) -> Result<()> {
        self.gate.damaged.store(false, Ordering::SeqCst);
        self.gate.tampered.store(false, Ordering::SeqCst);
        if let Some(sealer) = self.gate.sealer.as_ref() {
            sealer.reopen(seal::tail(&self.conn)?)?;
        }
        Ok(())
    }

    /// Writes the restore into the history, naming where the restored history ends and, when
    /// known, where the replaced vault's ended; a restore that verified opens the vault to
    /// writes whatever the backup's header said.
    pub(crate) fn record_restore(&mut self, replaced: Option<&SealedState>) -> Result<()> {
        let head = |s: &SealedState| {
            let mac = s.audit_head.as_deref().unwrap_or("");
            format!("{}:{}", s.audit_entries, &mac[..mac.len().min(16)])
        };
        let mut named = vec![format!("restored_head:{}", head(&seal::tail(&self.conn)?))];
        if let Some(r) = replaced {
            named.push(format!("replaced_head:{}", head(r)));
        }
        self.write_past_closed_gate(|w| {
            let named: Vec<&str> = named.iter().map(String::as_str).collect();
            w.record("restore", "vault", "backup", &named);
            // A replica restored from a backup is behind its own past: it goes on as a new
            // laptop, so no change number of its is ever used twice.
            crate::sync::restored(w)
        })?;
        self.reopen_writes()
    }

    /// Seals and closes the database but keeps the keys, so the folder can be renamed and the
    /// vault opened again from its new place without the passphrase (see [`Parked::reopen`]).
    pub(crate) fn park(self) -> Result<Parked> {
        let _ = self.seal_tail();
        let parked = Parked {
            data_key: self.data_key.clone(),
            sealer: self.gate.sealer.as_ref().map(|s| s.moved_to(&self.dir)),
            actor: self.actor.clone(),
            found: self.found.clone(),
            role: self.role,
            must_change: self.must_change,
            signer: self
                .signer
                .as_ref()
                .map(|s| crate::audit::EntrySigner::new(&s.handle, &s.key)),
        };
        let Vault { conn, .. } = self;
        conn.close().map_err(|(_, e)| Error::Storage(e))?;
        Ok(parked)
    }

    /// Opens a vault closed to writes again, for someone who has read why and decided to go on
    /// (a restore is the other way): the decision is written to the history first, by name.
    pub fn accept_closed_writes(&mut self, reason: &str) -> Result<()> {
        let was = self.gate.writes();
        let found = self
            .gate
            .sealer
            .as_ref()
            .map_or(Writes::Open, Sealer::sealed_writes);
        let closed = if was == Writes::Open { found } else { was };
        if closed == Writes::Open {
            return Ok(());
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::validation(
                "reason",
                crate::error::FieldCode::Required,
            ));
        }
        let what = match closed {
            Writes::Damaged => "damaged",
            _ => "tampered",
        };
        // Records changed or added outside the app are vouched for as they are now, each in
        // the history, so the next check holds; a broken chain or damaged pages are found
        // again by the next check (restoring a backup is the cure for those).
        let changed = crate::audit::records_not_as_vouched(&self.conn).unwrap_or_default();
        self.write_past_closed_gate(|w| {
            w.record("accept", "vault", what, &[reason]);
            for (kind, id) in &changed {
                w.record("accept", kind, id, &[reason]);
            }
            Ok(())
        })?;
        self.reopen_writes()
    }

    /// A `Vault` over an open connection with these keys (the plain copy of the bench tools).
    #[cfg(feature = "tools")]
    pub(crate) fn from_parts(
        dir: &Path,
        conn: Connection,
        key: Zeroizing<[u8; 32]>,
        actor: &str,
    ) -> Vault {
        Vault {
            dir: dir.to_owned(),
            stop: stop::StopFlag::watching(&conn).unwrap_or_default(),
            conn,
            audit_key: key.clone(),
            actor: actor.to_owned(),
            data_key: Box::new(key),
            gate: Arc::default(),
            hook: None,
            found: SealedState::default(),
            role: crate::codes::Role::Coordinator,
            must_change: false,
            signer: None,
            recovery: None,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Lets another thread stop the task this vault is running (a lock does not wait for a
    /// backup or a sync round to end); see [`stop`].
    pub fn stopper(&self) -> stop::Stopper {
        stop::Stopper::new(self.stop.clone(), &self.conn)
    }

    /// Lowers the stop flag: the lock's own statements run after a stop.
    pub(crate) fn go_on_after_stop(&self) {
        self.stop.lower();
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Whether the member must choose their own passphrase before anything else.
    pub fn must_change_passphrase(&self) -> bool {
        self.must_change
    }

    /// Seals where the history ends into the header, then closes the database; the keys are
    /// zeroized as the vault is dropped.
    /// Sealing is best effort: locking always closes (a damaged history cannot be sealed,
    /// and a full disk must not keep the vault open); the seal of unlock stands then.
    pub fn lock(self) -> Result<()> {
        self.stop.lower();
        let _ = self.seal_tail();
        let Vault { conn, .. } = self;
        conn.close().map_err(|(_, e)| Error::Storage(e))?;
        Ok(())
    }
}

/// A vault closed for a moment with its keys kept (zeroized when dropped).
pub(crate) struct Parked {
    data_key: header::DataKey,
    sealer: Option<Sealer>,
    actor: String,
    found: SealedState,
    role: crate::codes::Role,
    must_change: bool,
    signer: Option<crate::audit::EntrySigner>,
}

impl Parked {
    /// Opens the vault again from `dir`, where its folder now is.
    pub(crate) fn reopen(self, dir: &Path) -> Result<Vault> {
        let gate = match &self.sealer {
            Some(s) => WriteGate::with_sealer(s.moved_to(dir)),
            None => WriteGate::default(),
        };
        Ok(Vault {
            gate: Arc::new(gate),
            found: self.found,
            role: self.role,
            must_change: self.must_change,
            signer: self.signer,
            ..Vault::open_with_key(dir, self.data_key, &self.actor)?
        })
    }
}

/// Growing delays after repeated wrong passphrases, kept by whoever unlocks (the app keeps
/// one per process). The first three attempts are free; then 2, 4, 8 … up to 60 seconds.
#[derive(Debug, Default)]
pub struct UnlockThrottle {
    failures: u32,
    not_before: Option<Instant>,
}

impl UnlockThrottle {
    pub fn check(&self, now: Instant) -> Result<()> {
        match self.not_before {
            Some(t) if now < t => Err(Error::TooManyAttempts {
                retry_after_secs: (t - now).as_secs().max(1),
            }),
            _ => Ok(()),
        }
    }

    pub fn failed(&mut self, now: Instant) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= 3 {
            let exp = (self.failures - 3).min(6);
            let delay = Duration::from_secs((2u64 << exp).min(60));
            self.not_before = Some(now + delay);
        }
    }

    /// Unlocks through the throttle: refuses while a delay runs, counts wrong passphrases.
    pub fn unlock(&mut self, dir: &Path, passphrase: &str, actor: &str) -> Result<Vault> {
        self.guard(|| Vault::unlock(dir, passphrase, actor))
    }

    /// Runs anything that tries a passphrase (unlocking, restoring a backup, changing the
    /// passphrase) through the same delays, so none of them is a way around them.
    pub fn guard<T>(&mut self, attempt: impl FnOnce() -> Result<T>) -> Result<T> {
        self.check(Instant::now())?;
        match attempt() {
            Ok(v) => {
                self.succeeded();
                Ok(v)
            }
            Err(Error::WrongPassphrase) => {
                self.failed(Instant::now());
                Err(Error::WrongPassphrase)
            }
            Err(e) => Err(e),
        }
    }

    pub fn succeeded(&mut self) {
        *self = UnlockThrottle::default();
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod rotate_tests;
#[cfg(test)]
mod seal_tests;
#[cfg(test)]
mod sign_tests;
#[cfg(test)]
mod vault_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_grows_and_resets() {
        let mut t = UnlockThrottle::default();
        let now = Instant::now();
        for _ in 0..2 {
            t.failed(now);
            assert!(t.check(now).is_ok());
        }
        t.failed(now);
        match t.check(now) {
            Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 2),
            other => panic!("{other:?}"),
        }
        assert!(t.check(now + Duration::from_secs(3)).is_ok());
        t.failed(now);
        match t.check(now) {
            Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 4),
            other => panic!("{other:?}"),
        }
        for _ in 0..20 {
            t.failed(now);
        }
        match t.check(now) {
            Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 60),
            other => panic!("{other:?}"),
        }
        t.succeeded();
        assert!(t.check(now).is_ok());
    }
}
