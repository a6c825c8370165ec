use std::path::PathBuf;

use amparo_core::settings::VaultSettings;
use amparo_core::vault::seal::{SealedState, Writes};
use amparo_core::{ErrorReport, KdfChoice, Vault};
use serde::{Deserialize, Serialize};
use tauri::State;
use zeroize::Zeroizing;

use crate::state::{AppState, CmdResult, lock};

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct VaultStatus {
    /// Where the vault is looked for unless the user names another folder.
    pub default_dir: String,
    /// Whether a vault exists at `default_dir`.
    pub exists: bool,
    pub unlocked: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct UnlockInfo {
    pub dir: String,
    pub settings: VaultSettings,
    /// Whether the vault takes writes (a check in this or an earlier session may have closed it).
    pub writes: Writes,
    /// Where the history stood when this session began: the last change (number, when, by
    /// whom) for the person to recognise.
    pub before: SealedState,
}

fn dir_or_default(dir: Option<String>) -> PathBuf {
    dir.filter(|d| !d.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(amparo_core::default_vault_dir)
}

/// Keeps the freshly opened vault in the app state and tells the UI where it is.
pub(crate) fn hold(state: &AppState, v: Vault) -> CmdResult<UnlockInfo> {
    let info = UnlockInfo {
        dir: v.dir().display().to_string(),
        settings: v.settings()?,
        writes: v.writes(),
        before: v.found_at_unlock().clone(),
    };
    state.with_session(|s| s.open(v))?;
    Ok(info)
}

#[tauri::command]
#[specta::specta]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let dir = amparo_core::default_vault_dir();
    VaultStatus {
        exists: amparo_core::vault::exists(&dir),
        default_dir: dir.display().to_string(),
        unlocked: state.is_open(),
    }
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_vault(
    state: State<'_, AppState>,
    dir: Option<String>,
    passphrase: String,
    actor: String,
) -> CmdResult<UnlockInfo> {
    let passphrase = Zeroizing::new(passphrase);
    let dir = dir_or_default(dir);
    let v = Vault::create(&dir, &passphrase, KdfChoice::Calibrate, &actor)?;
    hold(&state, v)
}

#[tauri::command(async)]
#[specta::specta]
pub fn unlock_vault(
    state: State<'_, AppState>,
    dir: Option<String>,
    passphrase: String,
    actor: String,
) -> CmdResult<UnlockInfo> {
    let passphrase = Zeroizing::new(passphrase);
    let dir = dir_or_default(dir);
    let v = lock(&state.throttle).unlock(&dir, &passphrase, &actor)?;
    hold(&state, v)
}

/// The full check started at unlock (pages, structure, audit chain, records): `null` while it
/// still runs. The UI asks until it answers.
#[tauri::command]
#[specta::specta]
pub fn vault_check(
    state: State<'_, AppState>,
) -> CmdResult<Option<amparo_core::vault::check::CheckReport>> {
    state.check_result()
}

#[tauri::command]
#[specta::specta]
pub fn lock_vault(state: State<'_, AppState>) -> CmdResult<()> {
    state.with_session(|s| s.close())
}

#[tauri::command(async)]
#[specta::specta]
pub fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    replacement: String,
) -> CmdResult<()> {
    let (old, new) = (Zeroizing::new(current), Zeroizing::new(replacement));
    let dir = state.with_vault(|v| Ok(v.dir().to_owned()))?;
    lock(&state.throttle)
        .guard(|| Vault::change_passphrase(&dir, &old, &new, KdfChoice::Calibrate))
        .map_err(ErrorReport::from)
}
