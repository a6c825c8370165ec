//! Several laptops, one record: adding and removing laptops, joining a clinic vault, the sync
//! folder and its rounds, changes carried by hand, and the records waiting for review. The
//! rules live in the core's `sync` module; paths come from the dialogs' tokens only.

use amparo_core::sync::{
    Clash, ExportReport, FolderRound, ImportReport, SeedReport, SyncStatus, Take,
};
use serde::{Deserialize, Serialize};
use tauri::State;
use zeroize::Zeroizing;

use crate::commands::dialogs::DialogPurpose;
use crate::commands::vault::{UnlockInfo, hold};
use crate::state::{AppState, CmdResult, lock};

#[tauri::command(async)]
#[specta::specta]
pub fn sync_status(state: State<'_, AppState>) -> CmdResult<SyncStatus> {
    state.with_vault(|v| v.sync_status())
}

/// "Add a laptop" (coordinators): the seed the new laptop joins with, named `name` there.
#[tauri::command(async)]
#[specta::specta]
pub fn add_laptop(
    state: State<'_, AppState>,
    chosen: String,
    name: String,
) -> CmdResult<SeedReport> {
    let path = state.take_path(&chosen, DialogPurpose::SaveReplicaSeed)?;
    state.with_vault(|v| v.replica_seed(&path, &name))
}

/// "Join a clinic vault", from the first screen of a laptop with no vault: the seed becomes
/// the vault in the default folder, opened with the member's own passphrase.
#[tauri::command(async)]
#[specta::specta]
pub fn join_clinic_vault(
    state: State<'_, AppState>,
    chosen: String,
    passphrase: String,
    actor: String,
) -> CmdResult<UnlockInfo> {
    let ticket = state.lock_ticket();
    let passphrase = Zeroizing::new(passphrase);
    let seed = state.peek_path(&chosen, DialogPurpose::OpenReplicaSeed)?;
    state.with_session(|s| s.close())?;
    let v = lock(&state.throttle).guard(|| {
        amparo_core::Vault::join_replica(
            &seed,
            &amparo_core::default_vault_dir(),
            &passphrase,
            &actor,
        )
    })?;
    let _ = state.take_path(&chosen, DialogPurpose::OpenReplicaSeed);
    hold(&state, ticket, v)
}

/// "Remove a laptop" (coordinators): lost or retired, it reads nothing made from now on.
#[tauri::command(async)]
#[specta::specta]
pub fn remove_laptop(state: State<'_, AppState>, device: String) -> CmdResult<SyncStatus> {
    state.with_vault(|v| {
        v.remove_replica(&device)?;
        v.sync_status()
    })
}

#[tauri::command(async)]
#[specta::specta]
pub fn name_this_laptop(state: State<'_, AppState>, name: String) -> CmdResult<SyncStatus> {
    state.with_vault(|v| {
        v.set_device_name(&name)?;
        v.sync_status()
    })
}

/// The sync folder, chosen in the folder dialog; none: changes travel by hand only.
#[tauri::command(async)]
#[specta::specta]
pub fn set_sync_folder(
    state: State<'_, AppState>,
    chosen: Option<String>,
) -> CmdResult<SyncStatus> {
    let folder = chosen
        .map(|c| state.take_path(&c, DialogPurpose::SyncFolder))
        .transpose()?;
    state.with_vault(|v| {
        v.set_sync_folder(folder.as_deref())?;
        v.sync_status()
    })
}

/// One round with the sync folder (on unlock, every few minutes, and on asking):
/// nothing when no folder is set.
#[tauri::command(async)]
#[specta::specta]
pub fn sync_round(state: State<'_, AppState>) -> CmdResult<FolderRound> {
    state.with_vault(|v| v.sync_folder_round())
}

/// "Export changes…": every change the other laptops may lack, for a USB stick.
#[tauri::command(async)]
#[specta::specta]
pub fn export_changes(state: State<'_, AppState>, chosen: String) -> CmdResult<ExportReport> {
    let path = state.take_path(&chosen, DialogPurpose::SaveSyncBundle)?;
    state.with_vault(|v| v.sync_export(&path))
}

/// "Import changes…": a bundle another laptop exported.
#[tauri::command(async)]
#[specta::specta]
pub fn import_changes(state: State<'_, AppState>, chosen: String) -> CmdResult<ImportReport> {
    let path = state.take_path(&chosen, DialogPurpose::OpenSyncBundle)?;
    state.with_vault(|v| v.sync_import(&path))
}

/// The "Needs review" queue: the same field changed on two laptops, or a record deleted on
/// one and edited on another.
#[tauri::command(async)]
#[specta::specta]
pub fn sync_clashes(state: State<'_, AppState>) -> CmdResult<Vec<Clash>> {
    state.with_vault(|v| v.sync_clashes())
}

/// Which version settles a clash.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(tag = "take", content = "value", rename_all = "snake_case")]
pub enum ClashChoice {
    /// This laptop's version.
    Local,
    /// The newest version made on another laptop.
    Remote,
    /// A value typed by the person, of the versions' kind.
    Value(String),
}

/// Settles a clash; the choice is itself a change that travels to every laptop.
#[tauri::command(async)]
#[specta::specta]
pub fn resolve_clash(
    state: State<'_, AppState>,
    id: String,
    choice: ClashChoice,
) -> CmdResult<Clash> {
    let take = match choice {
        ClashChoice::Local => Take::Local,
        ClashChoice::Remote => Take::Remote,
        ClashChoice::Value(v) => Take::Value(v),
    };
    state.with_vault(|v| v.sync_resolve(&id, &take))
}
