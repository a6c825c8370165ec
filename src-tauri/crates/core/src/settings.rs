//! Per-vault settings, stored inside the encrypted database.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::vault::Vault;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct VaultSettings {
    /// Lock after this many minutes without keyboard or mouse use (1–120).
    pub idle_lock_minutes: u32,
    /// The clinic's own zone, for showing hearing times.
    pub clinic_zone: String,
    /// The largest attachment accepted, in megabytes (1–500).
    pub max_attachment_mb: u32,
    /// Remind to make a backup after this many days without one (0: never remind).
    pub backup_reminder_days: u32,
    /// Who files complaint packets: printed on the cover letter.
    pub org_name: String,
    /// Postal address, one line per line.
    pub org_address: String,
    /// The person who signs the cover letter.
    pub org_signer: String,
}

impl Default for VaultSettings {
    fn default() -> Self {
        VaultSettings {
            idle_lock_minutes: 5,
            clinic_zone: "America/Tijuana".to_owned(),
            max_attachment_mb: 50,
            backup_reminder_days: 7,
            org_name: String::new(),
            org_address: String::new(),
            org_signer: String::new(),
        }
    }
}

const KEY: &str = "vault_settings";

impl Vault {
    pub fn settings(&self) -> Result<VaultSettings> {
        let raw: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(raw
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default())
    }

    pub fn save_settings(&mut self, s: &VaultSettings) -> Result<VaultSettings> {
        let mut e = Vec::new();
        if !(1..=120).contains(&s.idle_lock_minutes) {
            e.push(FieldError::new("idle_lock_minutes", FieldCode::OutOfRange));
        }
        if !(1..=500).contains(&s.max_attachment_mb) {
            e.push(FieldError::new("max_attachment_mb", FieldCode::OutOfRange));
        }
        if s.backup_reminder_days > 365 {
            e.push(FieldError::new(
                "backup_reminder_days",
                FieldCode::OutOfRange,
            ));
        }
        if s.clinic_zone.parse::<chrono_tz::Tz>().is_err() {
            e.push(FieldError::new("clinic_zone", FieldCode::UnknownZone));
        }
        for (field, value, max) in [
            ("org_name", &s.org_name, 200),
            ("org_address", &s.org_address, 1000),
            ("org_signer", &s.org_signer, 200),
        ] {
            if value.chars().count() > max {
                e.push(FieldError::new(field, FieldCode::TooLong));
            }
        }
        crate::validate::finish(e)?;
        let json = serde_json::to_string(s).map_err(|_| Error::Crypto("encode"))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![KEY, json],
            )?;
            tx.record("update", "settings", KEY, &[]);
            Ok(())
        })?;
        self.settings()
    }
}
