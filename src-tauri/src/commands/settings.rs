use amparo_core::codes::Vocabularies;
use amparo_core::settings::VaultSettings;
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> CmdResult<VaultSettings> {
    state.with_vault(|v| v.settings())
}

#[tauri::command(async)]
#[specta::specta]
pub fn save_settings(
    state: State<'_, AppState>,
    settings: VaultSettings,
) -> CmdResult<VaultSettings> {
    state.with_session(|s| {
        let saved = s.vault()?.save_settings(&settings)?;
        s.set_idle_minutes(saved.idle_lock_minutes);
        Ok(saved)
    })
}

#[tauri::command]
#[specta::specta]
pub fn vocabularies() -> Vocabularies {
    amparo_core::codes::vocabularies()
}
