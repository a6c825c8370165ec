//! One module per noun; each has its clap arguments and a `run` that unlocks, calls the core,
//! prints JSON and locks.

pub mod attachments;
pub mod clients;
pub mod hearings;
pub mod incidents;
pub mod members;
pub mod packets;
pub mod screenings;
pub mod search;
pub mod settings;
pub mod sync;
pub mod timeline;
pub mod tools;
pub mod vault;

use std::path::PathBuf;

use amparo_core::{Error, Vault};

use crate::io::passphrase;

/// Where the vault is and who the audit trail names, for every command.
pub struct Ctx {
    pub dir: PathBuf,
    pub actor: String,
}

impl Ctx {
    /// Unlocks with AMPARO_PASSPHRASE or a prompt.
    pub fn unlock(&self) -> Result<Vault, Error> {
        let p = passphrase("AMPARO_PASSPHRASE", "Vault passphrase: ")?;
        Vault::unlock(&self.dir, &p, &self.actor)
    }

    /// Unlocks, runs `f` on the vault and locks it again, whatever `f` returned.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut v = self.unlock()?;
        let out = f(&mut v);
        v.lock()?;
        out
    }
}
