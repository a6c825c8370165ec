//! Complaint packets: plan (consent gate), build in memory, preview, save where the user
//! chose, and follow up. The core gathers the document under the session's lock; the pdf
//! crate typesets it outside the lock, so a long packet does not hold up other screens. The
//! last built packet is held in the session until it is saved, replaced or the vault locks.

use amparo_core::ErrorReport;
use amparo_core::packet::{
    BuiltPacketInfo, PacketFollowUp, PacketPlan, PacketRecord, PacketRequest,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use tauri::State;

use crate::commands::attachments::Preview;
use crate::commands::dialogs::DialogPurpose;
use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn packet_plan(state: State<'_, AppState>, request: PacketRequest) -> CmdResult<PacketPlan> {
    state.with_vault(|v| v.packet_plan(&request))
}

#[tauri::command(async)]
#[specta::specta]
pub fn build_packet(
    state: State<'_, AppState>,
    request: PacketRequest,
) -> CmdResult<BuiltPacketInfo> {
    let doc = state.with_vault(|v| v.packet_document(&request, chrono::Utc::now()))?;
    let built = amparo_pdf::build_packet(doc)
        .map_err(|e| ErrorReport::from(amparo_core::Error::from(e)))?;
    state.with_session(|s| s.hold_packet(built))
}

/// The last built packet's bytes, for the in-app preview (memory only).
#[tauri::command(async)]
#[specta::specta]
pub fn packet_preview(state: State<'_, AppState>, id: String) -> CmdResult<Preview> {
    state.with_session(|s| {
        Ok(Preview {
            media_type: "application/pdf".to_owned(),
            data_base64: STANDARD.encode(&s.held_packet(&id)?.pdf),
        })
    })
}

/// Writes the last built packet where the person chose in the save dialog (`chosen`: its
/// token, see `dialogs`), logged in the same transaction.
#[tauri::command(async)]
#[specta::specta]
pub fn save_packet(
    state: State<'_, AppState>,
    id: String,
    chosen: String,
) -> CmdResult<PacketRecord> {
    let path = state.take_path(&chosen, DialogPurpose::SavePacket)?;
    state.with_session(|s| {
        let built = s.held_packet(&id)?.clone();
        s.vault()?.save_packet(&built, &path)
    })
}

#[tauri::command(async)]
#[specta::specta]
pub fn list_packets(state: State<'_, AppState>, client_id: String) -> CmdResult<Vec<PacketRecord>> {
    state.with_vault(|v| v.packets_for_client(&client_id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_packet_follow_up(
    state: State<'_, AppState>,
    id: String,
    follow_up: PacketFollowUp,
) -> CmdResult<PacketRecord> {
    state.with_vault(|v| v.update_packet_follow_up(&id, &follow_up))
}
