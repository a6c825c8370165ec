//! How the page is drawn on Linux: by the CPU, with WebKit's GPU compositing off.
//!
//! The app's screens are forms and lists; GPU compositing buys them nothing visible and costs
//! the web page about 140 MiB on the large-clinic vault (338 MiB steady with it, 198 without,
//! measured with `scripts/bench-app-memory.sh`; docs/benchmarks.md), and it is what users of
//! WebKitGTK apps are told to switch off when a window comes up blank on some graphics
//! drivers. WebKit reads its switch, `WEBKIT_DISABLE_COMPOSITING_MODE`, from the environment
//! before the first page is drawn, and the web process inherits it; Tauri builds the window and
//! loads the page before the app can reach the page's settings. So the program starts itself
//! again, once, with the variable set, before anything else runs.
//!
//! The end-to-end tests drive the page with compositing on (set to `0`): with it off,
//! WebKitWebDriver's click waits for a repaint that a click changing nothing never brings.

/// Starts this program again, same arguments, with GPU compositing off, unless the variable is
/// already set (a user who wants compositing sets it to `0`). Returns only when the variable was
/// set already or the restart failed; the app then runs as it is.
pub fn without_gpu_compositing() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        if std::env::var_os(SWITCH).is_some() {
            return;
        }
        let Ok(me) = std::env::current_exe() else {
            return;
        };
        let mut args = std::env::args_os();
        let mut again = std::process::Command::new(me);
        if let Some(name) = args.next() {
            again.arg0(name);
        }
        // `exec` replaces this process (same pid, same open files); it returns only on failure.
        let error = again.args(args).env(SWITCH, "1").exec();
        #[allow(clippy::print_stderr)]
        {
            eprintln!("amparo: could not start again with GPU compositing off: {error}");
        }
    }
}
