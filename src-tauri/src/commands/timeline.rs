//! A client's timeline and any record's edit history.

use amparo_core::timeline::TimelineItem;
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn timeline(state: State<'_, AppState>, client_id: String) -> CmdResult<Vec<TimelineItem>> {
    state.with_vault(|v| v.timeline(&client_id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn record_history(
    state: State<'_, AppState>,
    kind: String,
    id: String,
) -> CmdResult<Vec<amparo_core::audit::AuditEntry>> {
    state.with_vault(|v| v.history(&kind, &id))
}
