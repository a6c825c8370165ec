//! What the process does to itself before it shows anything: no core dumps (a crash must not
//! write the unlocked keys and case text to disk), and no recent-files trail from GTK's file
//! chooser (it records every file it opens or saves in `recently-used.xbel`, evidence file
//! names included).

/// Core dumps off for this process and every process it starts afterwards (WebKit's web and
/// network processes inherit the limit); the hard limit too, so none of them can raise it.
pub fn no_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let none = Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        if setrlimit(Resource::Core, none).is_err() {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("amparo: could not turn core dumps off");
            }
        }
    }
}

/// Turns GTK's recent-files recording off for this process (call on the main thread, after GTK
/// started: from the app's setup).
pub fn no_recent_files() {
    #[cfg(target_os = "linux")]
    {
        use gtk::prelude::*;
        if let Some(settings) = gtk::Settings::default() {
            settings.set_gtk_recent_files_enabled(false);
            settings.set_gtk_recent_files_max_age(0);
        }
    }
}
