//! The desktop shell: builds the state, registers the commands, runs the window. Nothing else.

mod commands;
mod display;
mod harden;
mod sleep;
mod state;
mod watch;

use tauri_specta::{Builder, collect_commands, collect_events};

/// The command set, shared by `run` and by the test that keeps `ui/src/lib/bindings.ts` in
/// step with the Rust types.
pub fn specta_builder() -> Builder<tauri::Wry> {
    use commands::{
        attachments, backup, clients, dialogs, drafts, hearings, home, incidents, members, packets,
        prefs, screenings, search, settings, sync, timeline, vault,
    };
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            vault::vault_status,
            vault::create_vault,
            vault::unlock_vault,
            vault::lock_vault,
            vault::activity,
            vault::vault_check,
            vault::change_passphrase,
            vault::rotate_vault_key,
            vault::rotation_progress,
            clients::list_clients,
            clients::get_client,
            clients::create_client,
            clients::update_client,
            clients::delete_client,
            clients::client_history,
            clients::client_assignees,
            clients::set_client_assignees,
            clients::set_client_notes,
            settings::get_settings,
            settings::save_settings,
            settings::vocabularies,
            members::list_members,
            members::add_member,
            members::set_member_role,
            members::remove_member,
            members::reset_member_passphrase,
            members::has_recovery_code,
            members::make_recovery_code,
            members::replace_recovery_code,
            home::home,
            home::home_page,
            home::week,
            hearings::get_hearing,
            hearings::add_hearing,
            hearings::update_hearing,
            hearings::delete_hearing,
            hearings::export_ics,
            timeline::timeline,
            screenings::save_screening,
            timeline::record_history,
            incidents::get_incident,
            incidents::save_incident,
            incidents::delete_incident,
            search::search,
            attachments::list_attachments,
            attachments::add_attachment,
            attachments::attachment_preview,
            attachments::save_attachment_copy,
            attachments::delete_attachment,
            packets::packet_plan,
            packets::build_packet,
            packets::packet_preview,
            packets::save_packet,
            packets::list_packets,
            packets::update_packet_follow_up,
            backup::backup_status,
            backup::backup_vault,
            backup::backup_progress,
            backup::restore_backup,
            dialogs::choose_path,
            prefs::ui_prefs,
            prefs::set_ui_lang,
            prefs::set_ui_port,
            drafts::save_draft,
            drafts::get_draft,
            drafts::list_drafts,
            drafts::discard_draft,
            sync::sync_status,
            sync::add_laptop,
            sync::join_clinic_vault,
            sync::remove_laptop,
            sync::name_this_laptop,
            sync::set_sync_folder,
            sync::sync_round,
            sync::export_changes,
            sync::import_changes,
            sync::sync_clashes,
            sync::resolve_clash,
        ])
        .events(collect_events![watch::VaultLocked])
}

/// Writes the TypeScript bindings for the UI.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default().header(
                "// Generated from the Rust types by `cargo test -p amparo-app`. Do not edit.\n",
            ),
            path,
        )
        .map_err(|e| e.to_string())
}

/// The window from `tauri.conf.json`, its webview incognito: no profile, cache or local storage
/// on disk (the language choice is kept by the backend). WebKit allows no automation in an
/// ephemeral context, so a run driven by WebDriver (the end-to-end tests, which set
/// `TAURI_WEBVIEW_AUTOMATION`) keeps the ordinary one; `the_webview_keeps_nothing_on_disk`
/// checks the shipped behaviour without WebDriver.
fn main_window(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let automated = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
    let conf = app
        .config()
        .app
        .windows
        .first()
        .cloned()
        .ok_or("no window in tauri.conf.json")?;
    let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &conf)?
        .incognito(!automated)
        .build()?;
    reload_when_the_page_dies(&window)?;
    Ok(())
}

/// A web process that dies (out of memory, a renderer fault) leaves a blank window that
/// answers nothing. The page is loaded again instead: the lock screen, as after any reload
/// (see `on_page_load` below), and the vault locked behind it.
fn reload_when_the_page_dies(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    window.with_webview(|webview| {
        use webkit2gtk::WebViewExt;
        webview
            .inner()
            .connect_web_process_terminated(|view, reason| {
                #[allow(clippy::print_stderr)]
                {
                    eprintln!(
                        "amparo: the web page's process ended ({reason:?}); loading it again"
                    );
                }
                view.reload();
            });
    })?;
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}

pub fn run() {
    display::without_gpu_compositing();
    harden::no_core_dumps();
    let builder = specta_builder();
    let commands = builder.invoke_handler();
    let result = tauri::Builder::default()
        .setup(move |app| {
            harden::no_recent_files();
            builder.mount_events(app);
            main_window(app)?;
            sleep::lock_on_sleep_or_session_lock(app.handle().clone());
            watch::watch_idle_deadline(app.handle().clone());
            Ok(())
        })
        // A page that reloads (or is reloaded by something in it) has lost its state; the
        // vault does not stay open behind it.
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                use tauri::Manager;
                webview.state::<state::AppState>().lock_now();
            }
        })
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState::default())
        .invoke_handler(commands)
        .build(tauri::generate_context!());
    match result {
        // The window closed with the vault open: it is locked (the history's end sealed,
        // the keys zeroized) and the app waits for the background check to end, which
        // would otherwise still be inside OpenSSL as the process took it down.
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager;
                app.state::<state::AppState>().lock_before_exit();
            }
        }),
        Err(e) => fail_to_run(&e),
    }
}

fn fail_to_run(e: &tauri::Error) {
    // No case data can be in this message: the app failed to start.
    #[allow(clippy::print_stderr)]
    {
        eprintln!("amparo: the app could not run: {e}");
    }
    std::process::exit(1);
}
