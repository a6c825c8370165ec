//! The core's one error type. Every variant has a stable code that the UI translates; no
//! variant ever carries a client's data (field errors name the field, never its value).

use serde::Serialize;

use crate::codes::code_enum;

code_enum! {
    /// What is wrong with one field. The UI's catalogues carry `error.<code>` for each, in
    /// English and Spanish (a UI test fails if one is missing).
    pub enum FieldCode {
        Required = "required", TooLong = "too_long", OutOfRange = "out_of_range",
        UnknownCode = "unknown_code", UnknownZone = "unknown_zone", Duplicate = "duplicate",
        DateFormat = "date_format", DatetimeFormat = "datetime_format",
        DateInFuture = "date_in_future", BeforeStart = "before_start",
        TimeSkippedByDst = "time_skipped_by_dst", ANumberFormat = "a_number_format",
        NumberFormat = "number_format", CannotMove = "cannot_move",
        UnknownPerson = "unknown_person", UnknownMember = "unknown_member",
        UnknownHearing = "unknown_hearing", ReportNotBeforeHearing = "report_not_before_hearing",
        MissedWithOutcome = "missed_with_outcome",
        DetailsWithoutInterview = "details_without_interview",
        OverrideReasonRequired = "override_reason_required",
        ClientCannotBeOmitted = "client_cannot_be_omitted", JsonMalformed = "json_malformed",
        FileEmpty = "file_empty", FileTooLarge = "file_too_large",
        FileUnreadable = "file_unreadable", PathUnusable = "path_unusable",
        UnknownField = "unknown_field", WrongType = "wrong_type",
        ControlCharacter = "control_character",
        PaidAmountButNotPaid = "paid_amount_but_not_paid",
        AgeWithDateOfBirth = "age_with_date_of_birth",
        DateGivenButUnknown = "date_given_but_unknown",
        BoundsWithKnownDate = "bounds_with_known_date",
        LastCoordinator = "last_coordinator", CannotRemoveSelf = "cannot_remove_self",
        RecoverySlot = "recovery_slot",
    }
}

code_enum! {
    /// The stable code of every [`Error`]: what the UI translates and the CLI prints.
    pub enum ErrorCode {
        WrongPassphrase = "wrong_passphrase", TooManyAttempts = "too_many_attempts",
        VaultNotFound = "vault_not_found", VaultExists = "vault_exists",
        VaultHeaderDamaged = "vault_header_damaged", VaultDamaged = "vault_damaged",
        SchemaTooNew = "schema_too_new", WeakPassphrase = "weak_passphrase", Locked = "locked",
        Validation = "validation", NotFound = "not_found", Storage = "storage", Io = "io",
        Migration = "migration", Crypto = "crypto", DocumentFailed = "document_failed",
        BackupInvalid = "backup_invalid", VaultTampered = "vault_tampered",
        NotSynthetic = "not_synthetic", OrphanDatabase = "orphan_database",
        VaultInUse = "vault_in_use", Forbidden = "forbidden",
        MustChangePassphrase = "must_change_passphrase",
        BundleInvalid = "bundle_invalid", BundleForeign = "bundle_foreign",
        Stopped = "stopped",
    }
}

/// A problem with one input field, named by its path in the input (`a_number`,
/// `family.0.date_of_birth`) and a stable code the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
    /// For input read as JSON: what the field should hold ("a string", "one of `female`,
    /// `male`…") or, for text that is not JSON, where it went wrong. Never the value found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode) -> Self {
        Self {
            field: field.into(),
            code,
            expected: None,
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
    #[error("this folder holds a vault database without its key file (vault.json)")]
    OrphanDatabase,
    #[error("another window or command has this vault open")]
    VaultInUse,
    #[error("your role in this clinic does not allow this")]
    Forbidden,
    #[error("choose your own passphrase first: the one you were given is for once")]
    MustChangePassphrase,
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
    /// A sync bundle that is damaged, cut short or altered: refused whole, nothing applied.
    #[error("the file is not a readable Amparo sync bundle")]
    BundleInvalid,
    /// A sync bundle made for another clinic's vault, or under a key this replica no longer
    /// (or does not yet) hold: refused whole, nothing applied.
    #[error("the bundle belongs to another vault or to another key")]
    BundleForeign,
    /// The vault was locked while this ran: stopped, and nothing of it kept (see
    /// [`crate::vault::stop`]).
    #[error("stopped: the vault was locked before this finished")]
    Stopped,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Stable code for this error; the UI's message catalogue is keyed by it.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    pub fn kind(&self) -> ErrorCode {
        match self {
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Error::VaultNotFound => ErrorCode::VaultNotFound,
            Error::VaultExists => ErrorCode::VaultExists,
            Error::OrphanDatabase => ErrorCode::OrphanDatabase,
            Error::HeaderDamaged(_) => ErrorCode::VaultHeaderDamaged,
            Error::VaultDamaged => ErrorCode::VaultDamaged,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::WeakPassphrase { .. } => ErrorCode::WeakPassphrase,
            Error::Locked => ErrorCode::Locked,
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound => ErrorCode::NotFound,
            // A statement cut short by a stop (or the check's interruption on lock).
            Error::Storage(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                ErrorCode::Stopped
            }
            Error::Storage(_) => ErrorCode::Storage,
            Error::Io(_) => ErrorCode::Io,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Crypto(_) => ErrorCode::Crypto,
            Error::Document(_) => ErrorCode::DocumentFailed,
            Error::BackupInvalid => ErrorCode::BackupInvalid,
            Error::VaultTampered => ErrorCode::VaultTampered,
            Error::NotSynthetic => ErrorCode::NotSynthetic,
            Error::VaultInUse => ErrorCode::VaultInUse,
            Error::Forbidden => ErrorCode::Forbidden,
            Error::MustChangePassphrase => ErrorCode::MustChangePassphrase,
            Error::BundleInvalid => ErrorCode::BundleInvalid,
            Error::BundleForeign => ErrorCode::BundleForeign,
            Error::Stopped => ErrorCode::Stopped,
        }
    }

    pub fn validation(field: impl Into<String>, code: FieldCode) -> Self {
        Error::Validation(vec![FieldError::new(field, code)])
    }
}

/// What crosses to the UI or is printed by the CLI: a code, field errors, and a retry delay.
/// Deliberately no free text from lower layers, which could echo stored values.
#[derive(Debug, Clone, Serialize, serde::Deserialize, specta::Type)]
pub struct ErrorReport {
    pub code: ErrorCode,
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
            code: e.kind(),
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
