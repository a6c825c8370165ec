//! The vault locks without the page's say-so when the system sleeps or the desktop session
//! locks (`sleep`), and when the page let its idle deadline pass without locking (a hung page,
//! or its timers held back): a thread here looks every few seconds. Either way the page is
//! told at once, so case data leaves the screen without waiting for someone to touch it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::state::AppState;

/// Sent to the page when the app locked the vault on its own.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct VaultLocked;

/// How often the idle watch looks; the lock comes at most this long after its time.
const EVERY: Duration = Duration::from_secs(5);

/// Tells the page the vault is locked (it shows the unlock screen and drops what it held).
pub fn tell_page(app: &AppHandle) {
    // A page that is gone or reloading learns it from its next request instead.
    let _ = VaultLocked.emit(app);
}

/// Starts the idle watch for the life of the app.
pub fn watch_idle_deadline(app: AppHandle) {
    let started = std::thread::Builder::new()
        .name("amparo-idle-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(EVERY);
                if app.state::<AppState>().lock_if_abandoned() {
                    tell_page(&app);
                }
            }
        });
    if started.is_err() {
        // The page's own timer and the deadline checked on every request still lock it.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("amparo: the idle watch could not start");
        }
    }
}
