//! Amparo's core: the encrypted vault and the case model. Never depends on Tauri; the desktop
//! app and the `amparo` CLI are thin shells over this crate.

pub mod anumber;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod caseload;
pub mod clients;
pub mod codes;
pub mod dates;
pub mod db;
pub mod drafts;
pub mod error;
pub mod exports;
pub mod hearings;
pub mod home;
pub mod ics;
pub mod incidents;
pub mod json;
pub mod members;
pub mod packet;
pub mod permissions;
mod progress;
pub mod records;
pub mod screenings;
pub mod search;
pub mod session;
pub mod settings;
mod store;
pub mod sync;
pub mod text;
pub mod timeline;
#[cfg(feature = "tools")]
mod tools;
mod validate;
pub mod vault;
pub mod zoned;

pub use error::{Error, ErrorReport, FieldCode, FieldError, Result};
pub use store::ChangeHook;
pub use vault::{KdfChoice, KdfParams, UnlockThrottle, Vault};

/// The app's identifier: also the name of its per-user data folder.
pub const APP_IDENTIFIER: &str = "org.amparo.desktop";

/// Where the vault lives unless the user picks another place: `$AMPARO_VAULT_DIR` when set
/// (tests, demos), else `<per-user data dir>/org.amparo.desktop/vault`
/// (`~/.local/share/...` on Linux, `%APPDATA%` on Windows, `~/Library/Application Support` on macOS).
pub fn default_vault_dir() -> std::path::PathBuf {
    if let Some(d) = std::env::var_os("AMPARO_VAULT_DIR").filter(|d| !d.is_empty()) {
        return d.into();
    }
    dirs::data_dir()
        .unwrap_or_else(|| std::path::PathBuf::from("."))
        .join(APP_IDENTIFIER)
        .join("vault")
}
