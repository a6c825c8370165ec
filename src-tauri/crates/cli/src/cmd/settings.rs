//! `amparo settings get [KEY] | set KEY VALUE`: the vault's settings (the organisation that
//! signs packets, the clinic's zone, the lock delay…).

use amparo_core::{Error, json};
use clap::Subcommand;

use super::Ctx;
use crate::io::print_json;

#[derive(Subcommand)]
pub enum SettingsCmd {
    /// All settings as JSON, or one setting's value
    Get { key: Option<String> },
    /// Set one setting (org_name, org_address, org_signer, clinic_zone, idle_lock_minutes,
    /// max_attachment_mb, backup_reminder_days); prints all settings
    Set { key: String, value: String },
}

pub fn run(ctx: &Ctx, cmd: SettingsCmd) -> Result<(), Error> {
    match cmd {
        SettingsCmd::Get { key } => ctx.with_vault(|v| {
            let all = serde_json::to_value(v.settings()?).map_err(std::io::Error::other)?;
            match key {
                None => print_json(&all),
                Some(k) => print_json(all.get(&k).ok_or_else(|| {
                    Error::validation(k.clone(), amparo_core::error::FieldCode::UnknownField)
                })?),
            }
        }),
        SettingsCmd::Set { key, value } => ctx.with_vault(|v| {
            let current = v.settings()?;
            // A number where the setting is a number, text otherwise; anything else is refused
            // by the setting's name.
            let numeric = serde_json::to_value(&current)
                .map_err(std::io::Error::other)?
                .get(&key)
                .is_some_and(serde_json::Value::is_number);
            let typed = match value.trim().parse::<u64>() {
                Ok(n) if numeric => serde_json::Value::from(n),
                _ => serde_json::Value::from(value),
            };
            let changes = serde_json::json!({ key: typed }).to_string();
            let next = json::patch(&current, &changes)?;
            print_json(&v.save_settings(&next)?)
        }),
    }
}
