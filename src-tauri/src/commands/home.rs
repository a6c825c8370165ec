//! The home screen: one page of each list with its total, further pages on request, and the
//! whole week for the printed list.

use amparo_core::caseload::Scope;
use amparo_core::home::{Home, HomeList, HomePage, Week};
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn home(state: State<'_, AppState>, days: u32, scope: Scope) -> CmdResult<Home> {
    state.with_vault(|v| v.home(days, chrono::Utc::now(), scope))
}

#[tauri::command(async)]
#[specta::specta]
pub fn home_page(
    state: State<'_, AppState>,
    list: HomeList,
    days: u32,
    offset: u32,
    limit: u32,
    scope: Scope,
) -> CmdResult<HomePage> {
    state.with_vault(|v| v.home_page(list, days, offset, limit, chrono::Utc::now(), scope))
}

#[tauri::command(async)]
#[specta::specta]
pub fn week(state: State<'_, AppState>, days: u32, scope: Scope) -> CmdResult<Week> {
    state.with_vault(|v| v.week(days, chrono::Utc::now(), scope))
}
