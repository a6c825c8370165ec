//! Encrypted backups of the open vault, the reminder, and restoring a backup from the unlock
//! screen (the current vault, if any, is moved aside, never deleted).

use std::path::PathBuf;

use amparo_core::backup::{BackupInfo, BackupStatus, RestoreReport};
use amparo_core::{Error, ErrorReport};
use serde::{Deserialize, Serialize};
use tauri::State;
use zeroize::Zeroizing;

use crate::commands::vault::{UnlockInfo, hold};
use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn backup_status(state: State<'_, AppState>) -> CmdResult<BackupStatus> {
    state.with_vault(|v| v.backup_status(chrono::Utc::now()))
}

#[tauri::command(async)]
#[specta::specta]
pub fn backup_vault(state: State<'_, AppState>, path: String) -> CmdResult<BackupInfo> {
    state.with_vault(|v| v.backup_to(std::path::Path::new(&path)))
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Restored {
    pub unlock: UnlockInfo,
    pub report: RestoreReport,
    /// Where the vault that was there before now lives, if there was one.
    pub moved_aside: Option<String>,
}

/// Restores `backup` into the default vault folder and opens it. A vault already there is
/// renamed to `vault.replaced-<time>` only when `move_existing_aside` is set.
#[tauri::command(async)]
#[specta::specta]
pub fn restore_backup(
    state: State<'_, AppState>,
    backup: String,
    passphrase: String,
    actor: String,
    move_existing_aside: bool,
) -> CmdResult<Restored> {
    let passphrase = Zeroizing::new(passphrase);
    let dir = amparo_core::default_vault_dir();
    let mut moved_aside = None;
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map_err(Error::from)?
            .next()
            .is_some()
    {
        if !move_existing_aside {
            return Err(ErrorReport::from(Error::VaultExists));
        }
        state.close()?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let aside = PathBuf::from(format!("{}.replaced-{stamp}", dir.display()));
        std::fs::rename(&dir, &aside).map_err(Error::from)?;
        moved_aside = Some(aside.display().to_string());
    }
    let restored =
        amparo_core::backup::restore(std::path::Path::new(&backup), &dir, &passphrase, &actor);
    let (v, report) = match restored {
        Ok(r) => r,
        Err(e) => {
            // Put the previous vault back where it was.
            if let Some(aside) = &moved_aside {
                let _ = std::fs::remove_dir(&dir);
                let _ = std::fs::rename(aside, &dir);
            }
            return Err(ErrorReport::from(e));
        }
    };
    Ok(Restored {
        unlock: hold(&state, v)?,
        report,
        moved_aside,
    })
}
