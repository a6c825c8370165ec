//! Locks the vault the moment the system goes to sleep or the desktop session locks, from
//! logind's signals on D-Bus (where there is a system bus: not in every container). Keys must
//! not stay in memory through a suspend, and a locked screen must not leave the vault open.

/// Subscribes to logind's `PrepareForSleep` (system about to suspend) and the session's `Lock`
/// signals; both lock the vault. Call from the app's setup (the GLib main loop delivers them).
pub fn lock_on_sleep_or_session_lock(app: tauri::AppHandle) {
    #[cfg(target_os = "linux")]
    linux::subscribe(app);
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(target_os = "linux")]
mod linux {
    use gtk::gio::{self, DBusSignalFlags};
    use tauri::Manager;

    use crate::state::AppState;

    pub(super) fn subscribe(app: tauri::AppHandle) {
        let Ok(bus) = gio::bus_get_sync(gio::BusType::System, gio::Cancellable::NONE) else {
            return;
        };
        for (interface, member) in [
            ("org.freedesktop.login1.Manager", "PrepareForSleep"),
            ("org.freedesktop.login1.Session", "Lock"),
        ] {
            let app = app.clone();
            // Kept for the life of the app: never unsubscribed.
            let _id = bus.signal_subscribe(
                Some("org.freedesktop.login1"),
                Some(interface),
                Some(member),
                None,
                None,
                DBusSignalFlags::NONE,
                move |_, _, _, _, signal, params| {
                    // PrepareForSleep(true) before suspending, (false) after waking.
                    let going = signal != "PrepareForSleep"
                        || params.child_value(0).get::<bool>().unwrap_or(true);
                    if going && app.state::<AppState>().lock_now() {
                        crate::watch::tell_page(&app);
                    }
                },
            );
        }
    }
}
