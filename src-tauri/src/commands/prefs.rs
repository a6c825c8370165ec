//! This laptop's interface preferences, remembered by the backend in `<config dir>/ui.json`
//! (the config dir is per user, e.g. `~/.config/org.amparo.desktop`): the language, needed
//! before unlocking, and the port the volunteer works at, shown first on the home screen.
//! Neither is case data; keeping them here lets the webview run without any storage of its
//! own (incognito: no profile, cache or local storage on disk).

use std::path::PathBuf;

use amparo_core::codes::Port;
use amparo_core::{Error, FieldCode};
use serde::{Deserialize, Serialize};
use tauri::Manager;

use crate::state::CmdResult;

const LANGS: [&str; 2] = ["en", "es"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct UiPrefs {
    /// "en" or "es"; `None` until the person chooses (the system's language decides).
    pub lang: Option<String>,
    /// The port this volunteer works at: its hearings come first on the home screen.
    #[serde(default)]
    pub port: Option<Port>,
}

fn prefs_file(app: &tauri::AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join("ui.json"))
}

#[tauri::command]
#[specta::specta]
pub fn ui_prefs(app: tauri::AppHandle) -> UiPrefs {
    prefs_file(&app)
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice::<UiPrefs>(&b).ok())
        .filter(|p| p.lang.as_deref().is_none_or(|l| LANGS.contains(&l)))
        .unwrap_or_default()
}

#[tauri::command]
#[specta::specta]
pub fn set_ui_lang(app: tauri::AppHandle, lang: String) -> CmdResult<()> {
    if !LANGS.contains(&lang.as_str()) {
        return Err((&Error::validation("lang", FieldCode::UnknownCode)).into());
    }
    change_prefs(&app, |p| p.lang = Some(lang))
}

#[tauri::command]
#[specta::specta]
pub fn set_ui_port(app: tauri::AppHandle, port: Option<Port>) -> CmdResult<()> {
    change_prefs(&app, |p| p.port = port)
}

/// Reads the preferences, changes one, and writes them back atomically.
fn change_prefs(app: &tauri::AppHandle, change: impl FnOnce(&mut UiPrefs)) -> CmdResult<()> {
    let io = |e: std::io::Error| (&Error::Io(e)).into();
    let path = prefs_file(app).ok_or_else(|| io(std::io::ErrorKind::NotFound.into()))?;
    let mut prefs = ui_prefs(app.clone());
    change(&mut prefs);
    let json = serde_json::to_vec(&prefs).map_err(|e| io(std::io::Error::other(e)))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("json.new");
    std::fs::write(&tmp, json).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}
