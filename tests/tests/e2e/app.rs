//! Launching the real app under tauri-driver (and strace), and reaching its vault from
//! outside as someone holding the key could.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

use crate::PASS;

pub(crate) fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub(crate) fn artifacts() -> PathBuf {
    let d = workspace().join("tests/artifacts");
    std::fs::create_dir_all(&d).expect("artifacts dir");
    d
}

/// Kills what it started (tauri-driver, WebKitWebDriver and the app, one process group),
/// even when the test panics. The port is where tauri-driver listens.
pub(crate) struct Driver(pub(crate) Child, pub(crate) u16);
impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first pair of ports from `from` on that nobody listens on. Another end-to-end run on
/// the same machine holds the usual ones, and its driver would take this run's session (seen:
/// "Maximum number of active sessions").
fn free_pair(from: u16) -> u16 {
    let free = |p: u16| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok();
    (from..from.saturating_add(400))
        .step_by(2)
        .find(|&p| free(p) && free(p + 1))
        .unwrap_or_else(|| panic!("no two free ports from {from} on"))
}

/// Starts tauri-driver on the first free pair of ports from `port` on; the driver says which.
pub(crate) fn start_driver(
    home: &std::path::Path,
    vault_dir: &std::path::Path,
    port: u16,
) -> Driver {
    let port = free_pair(port);
    let bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".to_owned());
    use std::os::unix::process::CommandExt;
    let child = Command::new(&bin)
        .process_group(0)
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &(port + 1).to_string(),
        ])
        .env("AMPARO_VAULT_DIR", vault_dir)
        // A fresh profile for the webview (its local storage keeps the language choice).
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("LANG", "en_US.UTF-8")
        // Driven through WebDriver, the page keeps WebKit's GPU compositing on: without it,
        // WebKitWebDriver's click waits for the next repaint, and a click that changes nothing
        // on screen never returns (a session stalled until the idle-lock warning drew). The
        // app as users start it has compositing off (src-tauri/src/display.rs); the test of
        // the app started without WebDriver (main.rs) checks that.
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "0")
        .stdout(Stdio::null())
        .stderr(driver_log(port))
        .spawn()
        .unwrap_or_else(|e| {
            panic!("could not start {bin} ({e}); run scripts/test.sh, which installs it")
        });
    // tauri-driver listens at once but starts WebKitWebDriver beside it, and forwards a new
    // session to it without waiting: asked before WebKitWebDriver listens, it drops the
    // connection (seen once in a CI run on a loaded machine, "IncompleteMessage" 7 s in). So
    // both must listen before the session is asked for.
    let deadline = Instant::now() + Duration::from_secs(20);
    for (who, p) in [("tauri-driver", port), ("WebKitWebDriver", port + 1)] {
        while TcpStream::connect(("127.0.0.1", p)).is_err() {
            assert!(Instant::now() < deadline, "{who} did not listen on {p}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    Driver(child, port)
}

/// Where tauri-driver, WebKitWebDriver, the app and its web process write what they say:
/// tests/artifacts/driver-<port>.log, its tail printed when a scene fails (a web process
/// that died says so there, and nowhere else).
pub(crate) fn driver_log_path(port: u16) -> PathBuf {
    artifacts().join(format!("driver-{port}.log"))
}

/// When this run started its first driver: older logs are another run's.
static FIRST_DRIVER: std::sync::LazyLock<std::time::SystemTime> =
    std::sync::LazyLock::new(std::time::SystemTime::now);

fn driver_log(port: u16) -> Stdio {
    let _ = *FIRST_DRIVER;
    std::fs::File::create(driver_log_path(port))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

/// The last lines of every driver log, for a failing scene's message.
pub(crate) fn driver_logs_tail() -> String {
    let mut out = String::new();
    let Ok(dir) = std::fs::read_dir(artifacts()) else {
        return out;
    };
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let this_run = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= *FIRST_DRIVER);
        if !(name.starts_with("driver-") && name.ends_with(".log") && this_run) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        // GLib's complaints about a missing session bus say nothing about the failure.
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.contains("dconf-WARNING"))
            .collect();
        let tail = &lines[lines.len().saturating_sub(30)..];
        out.push_str(&format!(
            "--- {name} (last {} lines)\n{}\n",
            tail.len(),
            tail.join("\n")
        ));
    }
    out
}

pub(crate) fn app_binary() -> PathBuf {
    let app = std::env::var("AMPARO_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target/debug/amparo-app"));
    assert!(
        app.exists(),
        "{} is missing: run scripts/test.sh (it builds the app)",
        app.display()
    );
    app.canonicalize().expect("app path")
}

/// A launcher that runs the app under strace, recording every socket it and its WebKit
/// processes create, connect or bind (seccomp-bpf: only those calls stop, so the app runs at
/// nearly full speed).
pub(crate) fn traced_launcher(dir: &std::path::Path, log: &std::path::Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let launcher = dir.join("amparo-under-strace");
    std::fs::write(
        &launcher,
        format!(
            "#!/bin/sh\necho \"$WEBKIT_INSPECTOR_SERVER\" > '{}.inspector'\nexec strace -f --seccomp-bpf -qq -e trace=socket,connect,bind,sendto,sendmsg -e signal=none -o '{}' -- '{}' \"$@\"\n",
            log.display(),
            log.display(),
            app_binary().display()
        ),
    )
    .expect("launcher");
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    launcher
}

/// What the traced processes did with sockets: every address family they opened one in, how
/// many Internet sockets they opened, and every Internet address they bound, connected or
/// sent to other than `allowed` (WebKit's automation endpoint, see below).
pub(crate) struct NetworkUse {
    pub(crate) families: std::collections::BTreeSet<String>,
    pub(crate) inet_sockets: usize,
    pub(crate) inet_uses_of_allowed: usize,
    pub(crate) elsewhere: Vec<String>,
}

pub(crate) fn network_use(log: &std::path::Path, allowed: &str) -> NetworkUse {
    let text = std::fs::read_to_string(log).expect("strace log");
    let (host, port) = allowed.rsplit_once(':').unwrap_or(("", ""));
    let mut u = NetworkUse {
        families: std::collections::BTreeSet::new(),
        inet_sockets: 0,
        inet_uses_of_allowed: 0,
        elsewhere: Vec::new(),
    };
    for line in text.lines() {
        if let Some(rest) = line.split("socket(").nth(1) {
            let family = rest.split(',').next().unwrap_or("").to_owned();
            u.inet_sockets += usize::from(family.starts_with("AF_INET"));
            u.families.insert(family);
        } else if line.contains("sa_family=AF_INET") {
            let to_allowed = line.contains(&format!("sin_port=htons({port})"))
                && line.contains(&format!("inet_addr(\"{host}\")"));
            if to_allowed {
                u.inet_uses_of_allowed += 1;
            } else {
                u.elsewhere.push(line.to_owned());
            }
        }
    }
    u
}

pub(crate) async fn connect(port: u16, app: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app }),
    );
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("WebDriver session: {e:?}\n{}", driver_logs_tail()))
}

/// Runs `f` on the vault's database with the key, as someone with the SQLCipher shell could,
/// while the app has it locked.
pub(crate) fn behind_the_app<T>(
    vault_dir: &std::path::Path,
    f: impl FnOnce(&amparo_core::Vault) -> T,
) -> T {
    let v = amparo_core::Vault::unlock(vault_dir, PASS, "e2e").expect("unlock behind");
    let out = f(&v);
    v.lock().expect("lock behind");
    out
}

/// The app as launched for the session, and what the scenes pass on to each other.
pub(crate) struct World {
    pub(crate) c: Client,
    pub(crate) driver: Driver,
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) vault_dir: PathBuf,
    /// Every socket call of the app and its WebKit processes (see `traced_launcher`).
    pub(crate) strace_log: PathBuf,
    pub(crate) evidence: crate::evidence::Evidence,
    /// Where plaintext evidence must never appear: the session's folder and the temp dir.
    pub(crate) scan_roots: [PathBuf; 2],
    /// Where the user saves exports (packets, backups) through the dialogs.
    pub(crate) out_dir: PathBuf,
    pub(crate) backup: PathBuf,
    /// The vault's recovery code, as the page after its creation showed it.
    pub(crate) recovery_code: String,
}

impl World {
    /// Starts tauri-driver and the app (under strace) on a fresh profile with no vault.
    pub(crate) async fn launch() -> World {
        let tmp = tempfile::tempdir().expect("tmp");
        let vault_dir = tmp.path().join("vault");
        let port: u16 = std::env::var("AMPARO_E2E_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(4444);
        let driver = start_driver(tmp.path(), &vault_dir, port);
        let strace_log = tmp.path().join("sockets.strace");
        let c = connect(driver.1, &traced_launcher(tmp.path(), &strace_log)).await;
        let out_dir = tmp.path().join("exports");
        std::fs::create_dir_all(&out_dir).expect("exports dir");
        World {
            c,
            driver,
            vault_dir,
            strace_log,
            evidence: crate::evidence::Evidence::new(),
            scan_roots: [tmp.path().to_path_buf(), std::env::temp_dir()],
            backup: out_dir.join("amparo.backup"),
            recovery_code: String::new(),
            out_dir,
            tmp,
        }
    }

    /// Ends the WebDriver session and stops the drivers and the app; the session's folder
    /// (with the strace log) lives on in what is returned.
    pub(crate) async fn close(self) -> tempfile::TempDir {
        self.c.close().await.expect("close session");
        drop(self.driver);
        self.tmp
    }
}
