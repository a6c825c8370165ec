//! Hearings: read, add, edit, delete, and the calendar export.

use amparo_core::hearings::{Hearing, HearingInput};
use amparo_core::ics::IcsOptions;
use tauri::State;

use crate::commands::dialogs::DialogPurpose;
use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn get_hearing(state: State<'_, AppState>, id: String) -> CmdResult<Hearing> {
    state.with_vault(|v| v.hearing(&id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn add_hearing(state: State<'_, AppState>, input: HearingInput) -> CmdResult<Hearing> {
    state.with_vault(|v| v.add_hearing(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_hearing(
    state: State<'_, AppState>,
    id: String,
    input: HearingInput,
) -> CmdResult<Hearing> {
    state.with_vault(|v| v.update_hearing(&id, &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn delete_hearing(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state.with_vault(|v| v.delete_hearing(&id))
}

/// Writes the calendar where the person chose in the save dialog (`chosen`: its token).
#[tauri::command(async)]
#[specta::specta]
pub fn export_ics(
    state: State<'_, AppState>,
    chosen: String,
    options: IcsOptions,
) -> CmdResult<u32> {
    let path = state.take_path(&chosen, DialogPurpose::SaveCalendar)?;
    state.with_vault(|v| Ok(v.save_ics(&options, chrono::Utc::now(), &path)?.0.events))
}
