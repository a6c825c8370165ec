//! Tauri commands, one file per noun. Each takes typed input, calls the core, maps the error.
//! No SQL and no rules here.
//!
//! Every command that touches the session is `async` (run on a worker thread): a long task (a
//! backup, a sync round) holds the session, and a command run on the main thread would freeze
//! the window until it ends. The few plain ones read settings files or fixed lists only.

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
