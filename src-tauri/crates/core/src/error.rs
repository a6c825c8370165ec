//! The core's one error type. Every variant has a stable code that the UI translates; no
//! variant ever carries a client's data (field errors name the field, never its value).

use serde::Serialize;

/// A problem with one input field, named by its path in the input (`a_number`,
/// `family.0.date_of_birth`) and a stable code the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the passphrase does not open this vault")]
    WrongPassphrase,
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("no vault at this location")]
    VaultNotFound,
    #[error("a vault already exists at this location")]
    VaultExists,
    #[error("the vault header is damaged ({0})")]
    HeaderDamaged(&'static str),
    #[error("the vault database is damaged or is not an Amparo vault")]
    VaultDamaged,
    #[error("the vault's schema (version {found}) is newer than this app supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("the passphrase is too short (at least {min} characters)")]
    WeakPassphrase { min: usize },
    #[error("the vault is locked")]
    Locked,
    #[error("some fields are not valid")]
    Validation(Vec<FieldError>),
    #[error("the record was not found")]
    NotFound,
    #[error("storage error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("file system error: {0}")]
    Io(#[from] std::io::Error),
    #[error("schema migration failed: {0}")]
    Migration(String),
    #[error("cryptographic failure: {0}")]
    Crypto(&'static str),
    /// The audit chain does not verify: records may have been changed outside Amparo. The
    /// vault takes no writes until it is replaced (restore a backup).
    #[error("the vault's history does not verify; it takes no changes")]
    VaultTampered,
    /// A file offered as a backup is not one, is cut short, or does not verify.
    #[error("the file is not a readable Amparo backup")]
    BackupInvalid,
    /// A document (PDF) could not be typeset; carries the typesetter's stable code only.
    #[error("the document could not be made ({0})")]
    Document(&'static str),
    /// A tool meant for synthetic vaults only (the benchmark's plain copy, the seeder) was
    /// pointed at a vault holding real records.
    #[error("this vault holds real records; the tool works on synthetic vaults only")]
    NotSynthetic,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Stable code for this error; the UI's message catalogue is keyed by it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongPassphrase => "wrong_passphrase",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::VaultNotFound => "vault_not_found",
            Error::VaultExists => "vault_exists",
            Error::HeaderDamaged(_) => "vault_header_damaged",
            Error::VaultDamaged => "vault_damaged",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::WeakPassphrase { .. } => "weak_passphrase",
            Error::Locked => "locked",
            Error::Validation(_) => "validation",
            Error::NotFound => "not_found",
            Error::Storage(_) => "storage",
            Error::Io(_) => "io",
            Error::Migration(_) => "migration",
            Error::Crypto(_) => "crypto",
            Error::Document(_) => "document_failed",
            Error::BackupInvalid => "backup_invalid",
            Error::VaultTampered => "vault_tampered",
            Error::NotSynthetic => "not_synthetic",
        }
    }

    pub fn validation(field: impl Into<String>, code: &str) -> Self {
        Error::Validation(vec![FieldError::new(field, code)])
    }
}

/// What crosses to the UI or is printed by the CLI: a code, field errors, and a retry delay.
/// Deliberately no free text from lower layers, which could echo stored values.
#[derive(Debug, Clone, Serialize, serde::Deserialize, specta::Type)]
pub struct ErrorReport {
    pub code: String,
    pub fields: Vec<FieldError>,
    pub retry_after_secs: Option<u32>,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        let fields = match e {
            Error::Validation(f) => f.clone(),
            _ => Vec::new(),
        };
        let retry_after_secs = match e {
            Error::TooManyAttempts { retry_after_secs } => {
                Some(u32::try_from(*retry_after_secs).unwrap_or(u32::MAX))
            }
            _ => None,
        };
        ErrorReport {
            code: e.code().to_owned(),
            fields,
            retry_after_secs,
        }
    }
}

impl From<Error> for ErrorReport {
    fn from(e: Error) -> Self {
        ErrorReport::from(&e)
    }
}
