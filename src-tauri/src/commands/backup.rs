//! Encrypted backups of the open vault, the reminder, and restoring a backup from the unlock
//! screen (the current vault, if any, is moved aside, never deleted).

use std::sync::atomic::Ordering;

use amparo_core::backup::{BackupInfo, BackupStatus, RestoreReport};
use serde::{Deserialize, Serialize};
use tauri::State;
use zeroize::Zeroizing;

use crate::commands::dialogs::DialogPurpose;
use crate::commands::vault::{UnlockInfo, hold};
use crate::state::{AppState, CmdResult, lock};

#[tauri::command(async)]
#[specta::specta]
pub fn backup_status(state: State<'_, AppState>) -> CmdResult<BackupStatus> {
    state.with_vault(|v| v.backup_status(chrono::Utc::now()))
}

/// A backup to the path chosen in the save dialog (progress from `backup_progress`).
#[tauri::command(async)]
#[specta::specta]
pub fn backup_vault(state: State<'_, AppState>, chosen: String) -> CmdResult<BackupInfo> {
    let path = state.take_path(&chosen, DialogPurpose::SaveBackup)?;
    state.backup.store(0, Ordering::SeqCst);
    let progress = |p: u8| state.backup.store(p, Ordering::SeqCst);
    state.with_vault(|v| v.backup_telling(&path, &progress))
}

/// How far the backup under way has got, 0–100.
#[tauri::command]
#[specta::specta]
pub fn backup_progress(state: State<'_, AppState>) -> u8 {
    state.backup.load(Ordering::SeqCst)
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
    chosen: String,
    passphrase: String,
    actor: String,
    move_existing_aside: bool,
) -> CmdResult<Restored> {
    let ticket = state.lock_ticket();
    let passphrase = Zeroizing::new(passphrase);
    let backup = state.peek_path(&chosen, DialogPurpose::OpenBackup)?;
    // Only reachable from the unlock screen; make sure nothing holds the old vault open.
    state.with_session(|s| s.close())?;
    let (v, report, moved_aside) = lock(&state.throttle).guard(|| {
        amparo_core::backup::restore_replacing(
            &backup,
            &amparo_core::default_vault_dir(),
            &passphrase,
            &actor,
            move_existing_aside,
        )
    })?;
    let _ = state.take_path(&chosen, DialogPurpose::OpenBackup);
    Ok(Restored {
        unlock: hold(&state, ticket, v)?,
        report,
        moved_aside: moved_aside.map(|p| p.display().to_string()),
    })
}
