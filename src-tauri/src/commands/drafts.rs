//! Drafts of forms, kept in the vault as they are typed (see `amparo_core::drafts`).

use amparo_core::drafts::{Draft, DraftKey};
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn save_draft(state: State<'_, AppState>, key: DraftKey, body: String) -> CmdResult<()> {
    state.with_vault(|v| v.save_draft(&key, &body))
}

#[tauri::command(async)]
#[specta::specta]
pub fn get_draft(state: State<'_, AppState>, key: DraftKey) -> CmdResult<Option<Draft>> {
    state.with_vault(|v| v.draft(&key))
}

#[tauri::command(async)]
#[specta::specta]
pub fn list_drafts(state: State<'_, AppState>) -> CmdResult<Vec<Draft>> {
    state.with_vault(|v| v.drafts())
}

#[tauri::command(async)]
#[specta::specta]
pub fn discard_draft(state: State<'_, AppState>, key: DraftKey) -> CmdResult<()> {
    state.with_vault(|v| v.discard_draft(&key))
}
