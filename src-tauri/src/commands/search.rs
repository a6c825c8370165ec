//! The search box.

use amparo_core::search::SearchResults;
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn search(state: State<'_, AppState>, query: String) -> CmdResult<SearchResults> {
    state.with_vault(|v| v.search(&query))
}
