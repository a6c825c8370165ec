//! Complaint packets: plan (consent gate), build in memory, preview, save where the user
//! chose, and follow up. The last built packet is held in memory only until it is saved,
//! replaced or the vault locks.

use amparo_core::packet::{
    BuiltPacketInfo, PacketFollowUp, PacketPlan, PacketRecord, PacketRequest,
};
use amparo_core::{Error, ErrorReport};
use base64::{Engine, engine::general_purpose::STANDARD};
use tauri::State;

use crate::commands::incidents::Preview;
use crate::state::{AppState, CmdResult, lock};

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
    let built = state.with_vault(|v| v.build_packet(&request, chrono::Utc::now()))?;
    let info = built.info();
    *lock(&state.packet) = Some(built);
    Ok(info)
}

/// The last built packet's bytes, for the in-app preview (memory only).
#[tauri::command(async)]
#[specta::specta]
pub fn packet_preview(state: State<'_, AppState>, id: String) -> CmdResult<Preview> {
    let guard = lock(&state.packet);
    let built = guard
        .as_ref()
        .filter(|b| b.id == id && state.is_open())
        .ok_or_else(|| ErrorReport::from(Error::NotFound))?;
    Ok(Preview {
        media_type: "application/pdf".to_owned(),
        data_base64: STANDARD.encode(&built.pdf),
    })
}

/// Writes the last built packet to the path the user chose, then logs it.
#[tauri::command(async)]
#[specta::specta]
pub fn save_packet(
    state: State<'_, AppState>,
    id: String,
    path: String,
) -> CmdResult<PacketRecord> {
    let built = lock(&state.packet)
        .as_ref()
        .filter(|b| b.id == id)
        .cloned()
        .ok_or_else(|| ErrorReport::from(Error::NotFound))?;
    state.with_vault(|v| {
        amparo_core::ics::write_export(std::path::Path::new(&path), &built.pdf)?;
        v.record_packet(&built)
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
