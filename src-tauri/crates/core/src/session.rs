//! What a running app holds between requests: the open vault (or none, when locked), the full
//! check started at unlock, and the packet built but not yet saved. The app keeps one
//! `Session` behind a lock; everything here is plain Rust, so the CLI or a test can hold one
//! too.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{Error, ErrorReport, Result};
use crate::packet::{BuiltPacket, BuiltPacketInfo};
use crate::vault::Vault;
use crate::vault::check::{CheckReport, Interrupt};

/// The full check started at unlock, running on its own connection in the background.
#[derive(Default)]
struct CheckSlot {
    /// Bumped on every unlock and lock, so a late answer from an earlier check is dropped.
    generation: u64,
    result: Option<std::result::Result<CheckReport, ErrorReport>>,
    interrupt: Option<Interrupt>,
}

#[derive(Default)]
pub struct Session {
    vault: Option<Vault>,
    check: Arc<Mutex<CheckSlot>>,
    /// The complaint packet last built, until saved, replaced or locked (zeroized on drop).
    packet: Option<BuiltPacket>,
}

/// A poisoned lock only means another thread panicked; the data behind it is still sound.
fn slot(m: &Mutex<CheckSlot>) -> MutexGuard<'_, CheckSlot> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Session {
    /// The open vault, or `locked`.
    pub fn vault(&mut self) -> Result<&mut Vault> {
        self.vault.as_mut().ok_or(Error::Locked)
    }

    pub fn is_open(&self) -> bool {
        self.vault.is_some()
    }

    /// Holds `v` (closing any previous vault) and starts its full check in the background:
    /// pages, structure, audit chain and records. Until it answers, the vault works; if it
    /// finds damage or tampering, the vault refuses every write from then on.
    pub fn open(&mut self, v: Vault) -> Result<()> {
        let checker = v.checker();
        self.stop_check();
        match checker {
            Ok(checker) => {
                let generation = {
                    let mut s = slot(&self.check);
                    s.interrupt = Some(checker.interrupt_handle());
                    s.generation
                };
                let shared = Arc::clone(&self.check);
                std::thread::spawn(move || {
                    let result = checker.run().map_err(ErrorReport::from);
                    let mut s = slot(&shared);
                    if s.generation == generation {
                        s.result = Some(result);
                        s.interrupt = None;
                    }
                });
            }
            Err(e) => slot(&self.check).result = Some(Err(ErrorReport::from(e))),
        }
        self.packet = None;
        match self.vault.replace(v) {
            Some(previous) => previous.lock(),
            None => Ok(()),
        }
    }

    /// The background check's answer: `None` while it runs.
    pub fn check_result(&self) -> std::result::Result<Option<CheckReport>, ErrorReport> {
        if !self.is_open() {
            return Err(ErrorReport::from(Error::Locked));
        }
        slot(&self.check).result.clone().transpose()
    }

    fn stop_check(&self) {
        let mut s = slot(&self.check);
        if let Some(handle) = s.interrupt.take() {
            handle.interrupt();
        }
        s.generation += 1;
        s.result = None;
    }

    /// Closes the database and drops (zeroizing) the keys and the unsaved packet. Locking
    /// twice is fine. A check still running is interrupted; its connection and key copy go
    /// when its thread ends.
    pub fn close(&mut self) -> Result<()> {
        self.stop_check();
        self.packet = None;
        match self.vault.take() {
            Some(v) => v.lock(),
            None => Ok(()),
        }
    }

    /// Keeps a built packet until it is saved, replaced or the vault locks.
    pub fn hold_packet(&mut self, p: BuiltPacket) -> Result<BuiltPacketInfo> {
        if !self.is_open() {
            return Err(Error::Locked);
        }
        let info = p.info();
        self.packet = Some(p);
        Ok(info)
    }

    /// The packet held under `id`, while the vault is open.
    pub fn held_packet(&self, id: &str) -> Result<&BuiltPacket> {
        self.packet
            .as_ref()
            .filter(|p| p.id == id && self.is_open())
            .ok_or(Error::NotFound)
    }
}
