//! Incidents: read, save (create or edit), delete.

use amparo_core::incidents::{Incident, IncidentInput};
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn get_incident(state: State<'_, AppState>, id: String) -> CmdResult<Incident> {
    state.with_vault(|v| v.incident(&id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn save_incident(
    state: State<'_, AppState>,
    id: Option<String>,
    input: IncidentInput,
) -> CmdResult<Incident> {
    state.with_vault(|v| v.save_incident(id.as_deref(), &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn delete_incident(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state.with_vault(|v| v.delete_incident(&id))
}
