//! Evidence on incidents and clients: list, add (bytes from the page's memory), preview from
//! memory, save a copy where the user chose, delete.

use amparo_core::attachments::AttachmentMeta;
use amparo_core::codes::AttachmentOwner;
use amparo_core::error::FieldCode;
use amparo_core::{Error, ErrorReport};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::commands::dialogs::DialogPurpose;
use crate::state::{AppState, CmdResult};

#[tauri::command(async)]
#[specta::specta]
pub fn list_attachments(
    state: State<'_, AppState>,
    owner_kind: AttachmentOwner,
    owner_id: String,
) -> CmdResult<Vec<AttachmentMeta>> {
    state.with_vault(|v| v.attachments_for(owner_kind, &owner_id))
}

/// The file's bytes arrive base64-encoded from the page (read from the file the user picked,
/// in memory only).
#[tauri::command(async)]
#[specta::specta]
pub fn add_attachment(
    state: State<'_, AppState>,
    owner_kind: AttachmentOwner,
    owner_id: String,
    file_name: String,
    data_base64: String,
) -> CmdResult<AttachmentMeta> {
    let bytes = STANDARD
        .decode(data_base64.as_bytes())
        .map_err(|_| ErrorReport::from(Error::validation("file", FieldCode::FileUnreadable)))?;
    state.with_vault(|v| v.attach(owner_kind, &owner_id, &file_name, &bytes))
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Preview {
    pub media_type: String,
    pub data_base64: String,
}

/// The bytes for an in-app preview; they go to the page's memory, never to a file.
#[tauri::command(async)]
#[specta::specta]
pub fn attachment_preview(state: State<'_, AppState>, id: String) -> CmdResult<Preview> {
    state.with_vault(|v| {
        let bytes = v.attachment_bytes(&id)?;
        Ok(Preview {
            media_type: amparo_core::attachments::sniff_media_type(&bytes).to_owned(),
            data_base64: STANDARD.encode(bytes),
        })
    })
}

#[tauri::command(async)]
#[specta::specta]
pub fn save_attachment_copy(
    state: State<'_, AppState>,
    id: String,
    chosen: String,
) -> CmdResult<u32> {
    let path = state.take_path(&chosen, DialogPurpose::SaveAttachmentCopy)?;
    state.with_vault(|v| v.save_attachment_copy(&id, &path).map(|n| n as u32))
}

#[tauri::command(async)]
#[specta::specta]
pub fn delete_attachment(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state.with_vault(|v| v.delete_attachment(&id))
}
