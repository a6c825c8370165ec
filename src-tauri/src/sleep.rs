//! Locks the vault the moment the system goes to sleep or the desktop session locks, from
//! logind's signals on D-Bus (where there is a system bus: not in every container). Keys must
//! not stay in memory through a suspend, and a locked screen must not leave the vault open.
//!
//! logind suspends as soon as it has sent `PrepareForSleep`, unless a program holds a *delay*
//! inhibitor: then it waits until that program lets go (at most `InhibitDelayMaxSec`, 5 s by
//! default). The app holds one while it runs, lets it go once the vault is locked, and takes a
//! new one on waking. The lock takes milliseconds: it stops whatever task was under way first.

/// Subscribes to logind's `PrepareForSleep` (system about to suspend) and the session's `Lock`
/// signals; both lock the vault. Call from the app's setup (the GLib main loop delivers them).
pub fn lock_on_sleep_or_session_lock(app: tauri::AppHandle) {
    #[cfg(target_os = "linux")]
    {
        use gtk::gio;
        use tauri::Manager;

        use crate::state::AppState;
        let Ok(bus) = gio::bus_get_sync(gio::BusType::System, gio::Cancellable::NONE) else {
            return;
        };
        linux::watch_logind(&bus, move || {
            if app.state::<AppState>().lock_now() {
                crate::watch::tell_page(&app);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(target_os = "linux")]
pub(crate) mod linux {
    use std::cell::RefCell;
    use std::rc::Rc;

    use gtk::gio::{self, DBusCallFlags, DBusSignalFlags, UnixFDList};
    use gtk::glib::{ToVariant, VariantTy};

    pub(crate) const LOGIND: &str = "org.freedesktop.login1";
    pub(crate) const LOGIND_PATH: &str = "/org/freedesktop/login1";
    pub(crate) const MANAGER: &str = "org.freedesktop.login1.Manager";
    pub(crate) const SESSION: &str = "org.freedesktop.login1.Session";

    /// logind's delay inhibitor for sleep: a file descriptor; the suspend waits until it is
    /// closed (dropping the list that holds it closes it).
    struct DelayInhibitor {
        bus: gio::DBusConnection,
        held: RefCell<Option<UnixFDList>>,
    }

    impl DelayInhibitor {
        fn take(&self) {
            let asked = self.bus.call_with_unix_fd_list_sync(
                Some(LOGIND),
                LOGIND_PATH,
                MANAGER,
                "Inhibit",
                Some(
                    &(
                        "sleep",
                        "Amparo",
                        "Locks the vault before the system sleeps",
                        "delay",
                    )
                        .to_variant(),
                ),
                VariantTy::new("(h)").ok(),
                DBusCallFlags::NONE,
                2_000,
                None::<&UnixFDList>,
                gio::Cancellable::NONE,
            );
            // Without one (no logind, or it refused) the signal still locks, only unwaited for.
            *self.held.borrow_mut() = asked.ok().map(|(_, fds)| fds);
        }

        fn release(&self) {
            self.held.borrow_mut().take();
        }
    }

    /// Holds a delay inhibitor on `bus` and calls `lock` on `PrepareForSleep(true)` (then lets
    /// the suspend go on) and on a session's `Lock`. For the life of the app: never
    /// unsubscribed.
    pub(crate) fn watch_logind(bus: &gio::DBusConnection, lock: impl Fn() + 'static) {
        let inhibitor = Rc::new(DelayInhibitor {
            bus: bus.clone(),
            held: RefCell::default(),
        });
        inhibitor.take();
        let lock = Rc::new(lock);
        for (interface, member) in [(MANAGER, "PrepareForSleep"), (SESSION, "Lock")] {
            let (inhibitor, lock) = (Rc::clone(&inhibitor), Rc::clone(&lock));
            let _id = bus.signal_subscribe(
                Some(LOGIND),
                Some(interface),
                Some(member),
                None,
                None,
                DBusSignalFlags::NONE,
                move |_, _, _, _, signal, params| {
                    if signal != "PrepareForSleep" {
                        lock();
                    } else if params.child_value(0).get::<bool>().unwrap_or(true) {
                        // About to suspend: the keys go first, then the suspend may go on.
                        lock();
                        inhibitor.release();
                    } else {
                        // Awake again.
                        inhibitor.take();
                    }
                },
            );
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests;
