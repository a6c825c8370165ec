use amparo_core::audit::AuditEntry;
use amparo_core::clients::{ClientDetail, ClientFilter, ClientInput, ClientPage};
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn list_clients(
    state: State<'_, AppState>,
    filter: ClientFilter,
    offset: u32,
    limit: u32,
) -> CmdResult<ClientPage> {
    state.with_vault(|v| v.list_clients(&filter, offset, limit))
}

#[tauri::command(async)]
#[specta::specta]
pub fn get_client(state: State<'_, AppState>, id: String) -> CmdResult<ClientDetail> {
    state.with_vault(|v| v.client(&id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_client(state: State<'_, AppState>, input: ClientInput) -> CmdResult<ClientDetail> {
    state.with_vault(|v| v.create_client(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_client(
    state: State<'_, AppState>,
    id: String,
    input: ClientInput,
) -> CmdResult<ClientDetail> {
    state.with_vault(|v| v.update_client(&id, &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn delete_client(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state.with_vault(|v| v.delete_client(&id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn client_history(state: State<'_, AppState>, id: String) -> CmdResult<Vec<AuditEntry>> {
    state.with_vault(|v| v.history("client", &id))
}

/// The members a client is assigned to.
#[tauri::command(async)]
#[specta::specta]
pub fn client_assignees(
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<Vec<amparo_core::caseload::Assignee>> {
    state.with_vault(|v| v.assignees(&id))
}

/// Assigns a client to exactly these members (coordinators and attorneys).
#[tauri::command(async)]
#[specta::specta]
pub fn set_client_assignees(
    state: State<'_, AppState>,
    id: String,
    handles: Vec<String>,
) -> CmdResult<Vec<amparo_core::caseload::Assignee>> {
    state.with_vault(|v| v.set_assignees(&id, &handles))
}

/// Changes a client's notes alone (what an interpreter writes).
#[tauri::command(async)]
#[specta::specta]
pub fn set_client_notes(
    state: State<'_, AppState>,
    id: String,
    notes: String,
) -> CmdResult<ClientDetail> {
    state.with_vault(|v| v.set_client_notes(&id, &notes))
}
