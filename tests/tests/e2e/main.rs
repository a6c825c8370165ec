//! End to end on the real app: the debug build of `amparo-app`, driven through tauri-driver
//! and WebKitWebDriver under Xvfb. Run by `scripts/test.sh`, which builds the app first.
//!
//! One launch, one volunteer's session, told in named scenes (`scenes/`): each scene starts
//! where the one before left the app, and a failure says which scene it was in. Helpers:
//! `app` (launch, strace, the vault from outside), `ui` (typing, clicking, reading, dialogs),
//! `evidence` (files whose bytes must never reach the disk), `memory` (what lock leaves).
//! After the session, `walk` takes a new volunteer's path on the demo vault in both
//! languages at two window sizes, photographing each step.

mod app;
mod evidence;
mod memory;
mod scenes;
mod ui;
mod walk;

use std::future::Future;
use std::path::PathBuf;
use std::process::Command;

use app::World;
use ui::{click, fill};

pub(crate) const PASS: &str = "tres tristes tigres 2019";
pub(crate) const GIVEN: &str = "Yesenia";
pub(crate) const FAMILY: &str = "Hernández Ordóñez";
/// Hostile text typed into free-text fields: if any screen ever rendered it as markup, the
/// image's error handler or the script would set `window.__pwned`.
pub(crate) const PAYLOAD_NOTES: &str = "Refiere amenazas. <img src=x onerror=\"window.__pwned='notes'\"> <script>window.__pwned='notes-script'</script>";
pub(crate) const PAYLOAD_ACCOUNT: &str =
    "Held for six days in Nuevo Laredo. <svg onload=\"window.__pwned='account'\"></svg>";
pub(crate) const PAYLOAD_NARRATIVE: &str = "Un hombre la golpeó afuera del albergue. <script>window.__pwned='narrative'</script><iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>";

/// The package as a user gets it: installed with dpkg, started from where it was installed,
/// it opens on the unlock screen of an existing vault and unlocks it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the installed package: scripts/check-bundle.sh installs it, then runs this"]
async fn the_installed_package_opens_on_the_unlock_screen() {
    let app = PathBuf::from(
        std::env::var("AMPARO_INSTALLED_APP").unwrap_or_else(|_| "/usr/bin/amparo-app".into()),
    );
    assert!(app.exists(), "{} is not installed", app.display());
    let tmp = tempfile::tempdir().expect("tmp");
    let vault_dir = tmp.path().join("vault");
    let kdf = amparo_core::KdfChoice::Fixed(amparo_core::KdfParams::MINIMUM);
    amparo_core::Vault::create(&vault_dir, PASS, kdf, "installer")
        .and_then(amparo_core::Vault::lock)
        .expect("a vault to open");
    let port = 4464;
    let driver = app::start_driver(tmp.path(), &vault_dir, port);
    let c = app::connect(driver.1, &app).await;
    ui::wait_css(&c, "[data-testid=unlock-passphrase]").await;
    ui::shot(&c, "installed-unlock.png").await;
    ui::fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    ui::click(&c, "[data-testid=unlock-submit]").await;
    ui::wait_css(&c, "[data-testid=nav-clients]").await;
    c.close().await.expect("close session");
    drop(driver);
}

/// The app as shipped (no WebDriver: its webview is incognito) started on a fresh home, left on
/// its unlock screen for a moment, then stopped: the webview wrote nothing to disk, no profile,
/// cache or local storage. Only the backend's own `ui.json` may appear (the language, once
/// chosen; not here).
#[test]
fn the_webview_keeps_nothing_on_disk() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(app::app_binary())
        .process_group(0)
        .env("AMPARO_VAULT_DIR", tmp.path().join("vault"))
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env_remove("TAURI_WEBVIEW_AUTOMATION")
        .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the app");
    let pid = child.id().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let out = Command::new("xdotool")
            .args(["search", "--sync", "--pid", &pid, "--name", "Amparo"])
            .output()
            .expect("xdotool");
        if out.status.success() && !out.stdout.is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the app showed no window"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // Long enough for the page to load and ask the backend for its state.
    std::thread::sleep(std::time::Duration::from_secs(4));
    // Started as a user starts it, the app runs with WebKit's GPU compositing off (it starts
    // itself again with the switch set: src-tauri/src/display.rs), and the page's process
    // inherits it.
    let family = memory::processes_under(child.id());
    for name in ["amparo-app", "WebKitWebProcess"] {
        let (pid, _) = family
            .iter()
            .find(|(_, exe)| exe.file_name().is_some_and(|f| f == name))
            .unwrap_or_else(|| panic!("no {name} process among {family:?}"));
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        assert!(
            environ
                .split(|b| *b == 0)
                .any(|v| v == b"WEBKIT_DISABLE_COMPOSITING_MODE=1"),
            "{name} runs with GPU compositing on"
        );
    }
    only_the_page_loads_a_gl_driver(&family);
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{pid}")])
        .status();
    let _ = child.wait();
    let found = scenes::traces::files_under(tmp.path());
    eprintln!("files the app left in a fresh home: {found:?}");
    let kept: Vec<&String> = found
        .iter()
        .filter(|f| !scenes::traces::content_free(f))
        .collect();
    assert!(kept.is_empty(), "the webview kept files on disk: {kept:?}");
}

/// The window's process loads no GL driver (Mesa's maps and relocates libLLVM, 43 MiB
/// resident); the page's process, which needs EGL, finds its driver: the app hid the list of EGL
/// drivers only from itself (src-tauri/src/display.rs).
fn only_the_page_loads_a_gl_driver(family: &[(u32, std::path::PathBuf)]) {
    let pid_of = |name: &str| {
        family
            .iter()
            .find(|(_, exe)| exe.file_name().is_some_and(|f| f == name))
            .map(|(pid, _)| *pid)
            .unwrap_or_else(|| panic!("no {name} process among {family:?}"))
    };
    let mapped = |pid: u32| -> Vec<String> {
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
        let mut files: Vec<String> = maps
            .lines()
            .filter_map(|l| l.split_whitespace().nth(5).map(str::to_owned))
            .collect();
        files.dedup();
        files
    };
    let drivers = ["_dri.so", "libLLVM", "libEGL_", "libGLX_"];
    let app_gl: Vec<String> = mapped(pid_of("amparo-app"))
        .into_iter()
        .filter(|f| drivers.iter().any(|d| f.contains(d)))
        .collect();
    assert!(
        app_gl.is_empty(),
        "the window's process loaded a GL driver: {app_gl:?}"
    );
    let page = pid_of("WebKitWebProcess");
    assert!(
        mapped(page).iter().any(|f| f.contains("libEGL_")),
        "the page's process found no EGL driver (it stops without one)"
    );
    let environ = std::fs::read(format!("/proc/{page}/environ")).unwrap_or_default();
    assert!(
        !environ.split(|b| *b == 0).any(|v| {
            v.starts_with(b"__EGL_VENDOR_LIBRARY_FILENAMES=")
                || v.starts_with(b"AMPARO_EGL_DRIVERS_HIDDEN=")
        }),
        "the page's process inherited the emptied list of EGL drivers"
    );
}

/// The usability walk alone, to take the screenshots again without the whole session:
/// `AMPARO_WRITE_SCREENSHOTS=1 xvfb-run -a cargo test -p amparo-e2e --test e2e -- --ignored
/// the_usability_walk_alone` (the session test runs it too, after its scenes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by a_volunteers_session_scene_by_scene; alone only to retake the screenshots"]
async fn the_usability_walk_alone() {
    walk::usability_walk().await;
}

/// Says which scene was running when a test fails (the panic unwinds through it).
struct SceneGuard(&'static str);

impl Drop for SceneGuard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "\n*** e2e: the scene \"{}\" failed (see the message above) ***\n{}",
                self.0,
                app::driver_logs_tail()
            );
        }
    }
}

async fn scene(name: &'static str, run: impl Future<Output = ()>) {
    eprintln!("== e2e scene: {name}");
    let guard = SceneGuard(name);
    run.await;
    drop(guard);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteers_session_scene_by_scene() {
    let mut w = World::launch().await;
    scene("intake", scenes::intake::intake(&mut w)).await;
    scene("hearings", scenes::hearings::hearings(&mut w)).await;
    scene(
        "incidents and evidence",
        scenes::incidents::incidents_and_evidence(&mut w),
    )
    .await;
    scene("packets", scenes::packets::packets(&mut w)).await;
    scene(
        "the acceptance cases, entered and printed",
        scenes::cases::acceptance_cases(&mut w),
    )
    .await;
    scene("backup", scenes::backup::backup(&mut w)).await;
    scene(
        "no traces outside the vault",
        scenes::traces::traces(&mut w),
    )
    .await;
    scene("lock and unlock", scenes::lock::lock_and_unlock(&mut w)).await;
    scene(
        "a team: a volunteer added, signed in, held to the role, removed",
        scenes::team::team(&mut w),
    )
    .await;
    scene(
        "damage and restore",
        scenes::damage::damage_and_restore(&mut w),
    )
    .await;
    scene("no network", scenes::network::no_network(w)).await;
    scene(
        "the usability walk on the demo vault (a second launch)",
        walk::usability_walk(),
    )
    .await;
    scene(
        "two laptops sharing a sync folder (two more launches)",
        scenes::laptops::two_laptops(),
    )
    .await;
}

/// The two laptops alone, for working on sync's screens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "part of the session above; run alone to work on sync's screens"]
async fn two_laptops_alone() {
    scene(
        "two laptops sharing a sync folder",
        scenes::laptops::two_laptops(),
    )
    .await;
}

/// The acceptance cases on a new vault, without the session before them: for working on a
/// case or the forms it fills.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "part of the session above; run alone to work on the cases"]
async fn the_acceptance_cases_alone() {
    let mut w = World::launch().await;
    fill(&w.c, "#new-passphrase", PASS).await;
    fill(&w.c, "#confirm-passphrase", PASS).await;
    fill(&w.c, "#create-actor", "LS").await;
    click(&w.c, "[data-testid=create-submit]").await;
    w.recovery_code = scenes::intake::keep_recovery_code(&w.c).await;
    scene(
        "the acceptance cases",
        scenes::cases::acceptance_cases(&mut w),
    )
    .await;
    w.close().await;
}

/// The calendar date `n` days from now in Tijuana (the clinic's default zone), YYYY-MM-DD.
pub(crate) fn date_in_days(n: i64) -> String {
    let out = Command::new("date")
        .args(["+%Y-%m-%d", "-d", &format!("+{n} days")])
        .env("TZ", "America/Tijuana")
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

pub(crate) fn current_year() -> i32 {
    // Days since the epoch are enough for a year boundary that is months away.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    1970 + (secs / 31_556_952) as i32
}
