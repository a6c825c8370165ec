//! Tauri commands, one file per noun. Each takes typed input, calls the core, maps the error.
//! No SQL and no rules here.

pub mod attachments;
pub mod backup;
pub mod clients;
pub mod dialogs;
pub mod drafts;
pub mod hearings;
pub mod home;
pub mod incidents;
pub mod members;
pub mod packets;
pub mod prefs;
pub mod screenings;
pub mod search;
pub mod settings;
pub mod sync;
pub mod timeline;
pub mod vault;
