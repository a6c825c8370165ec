//! How the page is drawn on Linux: by the CPU, with WebKit's GPU compositing off, and the
//! window's process without a GL driver.
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
//! With compositing off, the window's process (this one) receives the page as plain images and
//! draws nothing with GL; yet GTK probes GLX for its visuals and WebKit opens an EGL display,
//! and each loads the system's GL driver: Mesa's, which maps and relocates `libLLVM` (43 MiB of
//! it resident, and the driver's own heap). So the restart also asks GTK not to use GL
//! (`GDK_GL=disable`) and gives the EGL loader (libglvnd) an empty list of drivers; this
//! process then makes the loader read that list at once, and takes the variable out again
//! before WebKit starts the page's process, which needs EGL (it stops when it finds none) and
//! so finds the drivers as usual. Where EGL is not libglvnd's, the variable means nothing and
//! the driver is loaded as before. Only on X11 (this process on the large vault under Xvfb,
//! 196 → 140 MiB; docs/benchmarks.md): a Wayland session keeps its drivers.
//!
//! The end-to-end tests drive the page with compositing on (set to `0`): with it off,
//! WebKitWebDriver's click waits for a repaint that a click changing nothing never brings.
//! Nothing of the above happens then.

#[cfg(target_os = "linux")]
const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// libglvnd's list of EGL driver descriptions; empty, no driver.
#[cfg(target_os = "linux")]
const EGL_DRIVERS: &str = "__EGL_VENDOR_LIBRARY_FILENAMES";
/// Set by the restart when it emptied [`EGL_DRIVERS`], so that the restarted process knows to
/// put it back.
#[cfg(target_os = "linux")]
const EGL_HIDDEN: &str = "AMPARO_EGL_DRIVERS_HIDDEN";

/// Starts this program again, same arguments, with GPU compositing off and no GL driver for the
/// window's process, unless the compositing variable is already set (a user who wants
/// compositing sets it to `0`). Returns when the variable was set already (after undoing, in
/// the restarted process, what only this process was meant to see) or when the restart failed;
/// the app then runs as it is.
pub fn without_gpu_compositing() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os(SWITCH).is_some() {
            page_process_finds_egl();
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
        again.args(args).env(SWITCH, "1");
        // Only on X11: a Wayland session's window reaches the screen through the compositor's
        // EGL (not tried there). A user's own choice of either (a machine with two vendors,
        // say) is left alone.
        let x11 = std::env::var_os("WAYLAND_DISPLAY").is_none();
        if x11 && std::env::var_os("GDK_GL").is_none() {
            again.env("GDK_GL", "disable");
        }
        if x11 && std::env::var_os(EGL_DRIVERS).is_none() {
            again.env(EGL_DRIVERS, "").env(EGL_HIDDEN, "1");
        }
        // `exec` replaces this process (same pid, same open files); it returns only on failure.
        let error = again.exec();
        #[allow(clippy::print_stderr)]
        {
            eprintln!("amparo: could not start again with GPU compositing off: {error}");
        }
    }
}

/// In the restarted process, before GTK or WebKit start: makes libglvnd read its (empty) list of
/// EGL drivers now, then removes the list from the environment, which the page's process
/// inherits when WebKit starts it.
#[cfg(target_os = "linux")]
fn page_process_finds_egl() {
    if std::env::var_os(EGL_HIDDEN).is_none() {
        return;
    }
    // Asking for the client extensions is what makes libglvnd load its drivers; with none, the
    // answer is an error, which is the point.
    let egl = khronos_egl::Instance::new(khronos_egl::Static);
    let _ = egl.query_string(None, khronos_egl::EXTENSIONS);
    gtk::glib::unsetenv(EGL_DRIVERS);
    gtk::glib::unsetenv(EGL_HIDDEN);
}
