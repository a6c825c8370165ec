//! The system's save and open dialogs, opened from here and not by the page. The page asks
//! for a dialog by purpose (with a translated title and a suggested file name) and gets back
//! a one-time token and the chosen file's name; the path itself stays here, and the command
//! that writes (or reads) takes the token, once. A page that was made to misbehave (a decoder
//! bug in an evidence image) can therefore only make the person face a dialog: it cannot name
//! `~/.config/autostart`, `vault.json`, or any other path itself.

use std::path::PathBuf;

use amparo_core::{Error, FieldCode};
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use crate::state::{AppState, CmdResult, lock};

/// What the dialog is for: whether it saves or opens, and which files it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DialogPurpose {
    SaveBackup,
    SavePacket,
    SaveCalendar,
    SaveAttachmentCopy,
    OpenBackup,
    /// "Add a laptop": where the new laptop's seed is written.
    SaveReplicaSeed,
    /// "Join a clinic vault": the seed a coordinator made for this laptop.
    OpenReplicaSeed,
    /// "Export changes…": a bundle for a USB stick.
    SaveSyncBundle,
    /// "Import changes…": bundles brought from other laptops.
    OpenSyncBundle,
    /// The sync folder: a folder, not a file.
    SyncFolder,
}

impl DialogPurpose {
    fn picks(self) -> Picks {
        match self {
            DialogPurpose::OpenBackup
            | DialogPurpose::OpenReplicaSeed
            | DialogPurpose::OpenSyncBundle => Picks::File,
            DialogPurpose::SyncFolder => Picks::Folder,
            _ => Picks::SaveAs,
        }
    }
}

enum Picks {
    SaveAs,
    File,
    Folder,
}

/// A path the person chose, known to the page only by its token and file name.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ChosenPath {
    pub token: String,
    pub file_name: String,
}

fn filter(purpose: DialogPurpose) -> Option<(&'static str, &'static [&'static str])> {
    match purpose {
        DialogPurpose::SaveBackup | DialogPurpose::OpenBackup => {
            Some(("Amparo backup", &["amparo"]))
        }
        DialogPurpose::SavePacket => Some(("PDF", &["pdf"])),
        DialogPurpose::SaveCalendar => Some(("iCalendar", &["ics"])),
        DialogPurpose::SaveReplicaSeed | DialogPurpose::OpenReplicaSeed => {
            Some(("Amparo laptop", &["amparo-laptop"]))
        }
        DialogPurpose::SaveSyncBundle | DialogPurpose::OpenSyncBundle => {
            Some(("Amparo changes", &["amparo-sync"]))
        }
        DialogPurpose::SaveAttachmentCopy | DialogPurpose::SyncFolder => None,
    }
}

/// Opens the dialog; `None` when the person cancels it.
#[tauri::command(async)]
#[specta::specta]
pub fn choose_path(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    purpose: DialogPurpose,
    title: String,
    suggested_name: Option<String>,
) -> Option<ChosenPath> {
    let mut dialog = app.dialog().file().set_title(title);
    if let Some((name, exts)) = filter(purpose) {
        // An open dialog also lists every file: an older backup may lack the extension.
        dialog = dialog.add_filter(name, exts);
    }
    // Only a file name is taken from the page, never a folder.
    if let Some(name) = suggested_name
        .as_deref()
        .and_then(|n| std::path::Path::new(n).file_name())
    {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    let picked = match purpose.picks() {
        Picks::File => dialog.blocking_pick_file(),
        Picks::Folder => dialog.blocking_pick_folder(),
        Picks::SaveAs => dialog.blocking_save_file(),
    }?;
    let path = picked.into_path().ok()?;
    let file_name = path.file_name()?.to_string_lossy().into_owned();
    let token = state.remember_path(purpose, path);
    Some(ChosenPath { token, file_name })
}

impl AppState {
    fn remember_path(&self, purpose: DialogPurpose, path: PathBuf) -> String {
        let token = amparo_core::records::fresh_token();
        lock(&self.chosen).insert(token.clone(), (purpose, path));
        token
    }

    /// The path behind `token` for `purpose`, kept for another try (a restore whose
    /// passphrase was mistyped); [`AppState::take_path`] when it is done with.
    pub fn peek_path(&self, token: &str, purpose: DialogPurpose) -> CmdResult<PathBuf> {
        match lock(&self.chosen).get(token) {
            Some((p, path)) if *p == purpose => Ok(path.clone()),
            _ => Err((&Error::validation("path", FieldCode::PathUnusable)).into()),
        }
    }

    /// The path behind `token`, for `purpose`, once: anything else (a path typed by the page,
    /// a token used twice or for another purpose) is refused as `path_unusable`.
    pub fn take_path(&self, token: &str, purpose: DialogPurpose) -> CmdResult<PathBuf> {
        match lock(&self.chosen).remove(token) {
            Some((p, path)) if p == purpose => Ok(path),
            _ => Err((&Error::validation("path", FieldCode::PathUnusable)).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_path_is_used_once_for_its_purpose_and_nothing_else_passes() {
        let state = AppState::default();
        let token = state.remember_path(DialogPurpose::SavePacket, "/tmp/a.pdf".into());
        assert!(
            state
                .take_path(
                    "/home/u/.config/autostart/x.desktop",
                    DialogPurpose::SavePacket
                )
                .is_err()
        );
        assert!(
            state.take_path(&token, DialogPurpose::SaveBackup).is_err(),
            "another purpose"
        );
        let token = state.remember_path(DialogPurpose::SavePacket, "/tmp/a.pdf".into());
        assert_eq!(
            state
                .take_path(&token, DialogPurpose::SavePacket)
                .expect("once"),
            PathBuf::from("/tmp/a.pdf")
        );
        assert!(
            state.take_path(&token, DialogPurpose::SavePacket).is_err(),
            "twice"
        );
    }
}
