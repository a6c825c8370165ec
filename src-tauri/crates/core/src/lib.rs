//! Amparo's core: the encrypted vault and the case model. Never depends on Tauri; the desktop
//! app and the `amparo` CLI are thin shells over this crate.

pub mod anumber;
pub mod audit;
pub mod clients;
pub mod codes;
pub mod dates;
pub mod db;
pub mod demo;
pub mod error;
pub mod records;
pub mod settings;
pub mod text;
mod validate;
pub mod vault;
pub mod zoned;

pub use error::{Error, ErrorReport, FieldError, Result};
pub use vault::{KdfChoice, KdfParams, UnlockThrottle, Vault};
