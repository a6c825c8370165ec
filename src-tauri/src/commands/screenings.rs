//! Fear screenings (non-refoulement interviews).

use amparo_core::screenings::{Screening, ScreeningInput};
use tauri::State;

use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn save_screening(
    state: State<'_, AppState>,
    id: Option<String>,
    input: ScreeningInput,
) -> CmdResult<Screening> {
    state.with_vault(|v| v.save_screening(id.as_deref(), &input))
}
