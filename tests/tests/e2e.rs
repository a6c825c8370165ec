//! End to end on the real app: the debug build of `amparo-app`, driven through tauri-driver
//! and WebKitWebDriver under Xvfb. Run by `scripts/test.sh`, which builds the app first.
//!
//! One flow, in order, as a volunteer would: create a vault, fill an intake with a child
//! under five (correcting a malformed A-number on the way), see the client in the list,
//! lock, fail with a wrong passphrase, unlock, see the client, switch to Spanish.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const PASS: &str = "tres tristes tigres 2019";
const GIVEN: &str = "Yesenia";
const FAMILY: &str = "Hernández Ordóñez";
/// Hostile text typed into free-text fields: if any screen ever rendered it as markup, the
/// image's error handler or the script would set `window.__pwned`.
const PAYLOAD_NOTES: &str = "Refiere amenazas. <img src=x onerror=\"window.__pwned='notes'\"> <script>window.__pwned='notes-script'</script>";
const PAYLOAD_ACCOUNT: &str =
    "Held for six days in Nuevo Laredo. <svg onload=\"window.__pwned='account'\"></svg>";
const PAYLOAD_NARRATIVE: &str = "Un hombre la golpeó afuera del albergue. <script>window.__pwned='narrative'</script><iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>";

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn artifacts() -> PathBuf {
    let d = workspace().join("tests/artifacts");
    std::fs::create_dir_all(&d).expect("artifacts dir");
    d
}

/// Kills what it started (tauri-driver, WebKitWebDriver and the app, one process group),
/// even when the test panics.
struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_driver(home: &std::path::Path, vault_dir: &std::path::Path, port: u16) -> Driver {
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
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("could not start {bin} ({e}); run scripts/test.sh, which installs it")
        });
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver(child)
}

fn app_binary() -> PathBuf {
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
fn traced_launcher(dir: &std::path::Path, log: &std::path::Path) -> PathBuf {
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
struct NetworkUse {
    families: std::collections::BTreeSet<String>,
    inet_sockets: usize,
    inet_uses_of_allowed: usize,
    elsewhere: Vec<String>,
}

fn network_use(log: &std::path::Path, allowed: &str) -> NetworkUse {
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

async fn connect(port: u16, app: &std::path::Path) -> Client {
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
        .expect("WebDriver session")
}

async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(e) => {
            let _ = std::fs::write(
                artifacts().join("e2e-failure.png"),
                c.screenshot().await.unwrap_or_default(),
            );
            let body = c
                .execute("return document.body.innerText", vec![])
                .await
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .unwrap_or_default();
            panic!("{css} never appeared: {e}; the page says: {body}")
        }
    }
}

/// No hostile payload ran and none became an element, on the screen shown now; and its text
/// is on the page as text, when `shown` names a piece of it.
async fn assert_inert(c: &Client, screen: &str, shown: Option<&str>) {
    let v = c
        .execute(
            "return [String(window.__pwned), \
             document.querySelectorAll('img[src=\"x\"], svg[onload], iframe, script:not([src])').length];",
            vec![],
        )
        .await
        .expect("probe");
    assert_eq!(v[0], "undefined", "{screen}: a payload ran: {v:?}");
    assert_eq!(v[1], 0, "{screen}: a payload became an element: {v:?}");
    if let Some(piece) = shown {
        let body = text_of(c, "body").await;
        assert!(
            body.contains(piece),
            "{screen}: the text is not shown as written"
        );
    }
}

/// Types into a field; finds it again if it was re-rendered under the cursor.
async fn fill(c: &Client, css: &str, text: &str) {
    for attempt in 0..5 {
        let e = wait_css(c, css).await;
        let typed = match e.clear().await {
            Ok(()) => e.send_keys(text).await,
            Err(err) => Err(err),
        };
        match typed {
            Ok(()) => return,
            Err(err) if attempt < 4 => {
                eprintln!("fill {css}: {err}; again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(err) => panic!("fill {css}: {err}"),
        }
    }
}

/// Runs `f` on the vault's database with the key, as someone with the SQLCipher shell could,
/// while the app has it locked.
fn behind_the_app<T>(vault_dir: &std::path::Path, f: impl FnOnce(&amparo_core::Vault) -> T) -> T {
    let v = amparo_core::Vault::unlock(vault_dir, PASS, "e2e").expect("unlock behind");
    let out = f(&v);
    v.lock().expect("lock behind");
    out
}

/// Chooses an option; tries again if the select was re-rendered between finding and choosing.
async fn select(c: &Client, css: &str, value: &str) {
    for attempt in 0..5 {
        match wait_css(c, css).await.select_by_value(value).await {
            Ok(()) => return,
            Err(e) if attempt < 4 => {
                eprintln!("select {css}: {e}; again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("select {css} = {value}: {e}"),
        }
    }
}

async fn click(c: &Client, css: &str) {
    wait_css(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// The element's rendered text. WebKitWebDriver's own "element text" leaves out rows inside
/// a scrolled container, so read `innerText` (falling back to `textContent`) directly.
async fn text_of(c: &Client, css: &str) -> String {
    let el = wait_css(c, css).await;
    let v = c
        .execute(
            "return arguments[0].innerText || arguments[0].textContent || '';",
            vec![serde_json::to_value(&el).expect("element ref")],
        )
        .await
        .expect("read text");
    v.as_str().unwrap_or_default().to_owned()
}

async fn wait_text(c: &Client, css: &str, want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = text_of(c, css).await;
        if got.contains(want) {
            return got;
        }
        if Instant::now() > deadline {
            shot(c, "e2e-failure.png").await;
            let body = text_of(c, "body").await;
            panic!("{css} shows {got:?}, never {want:?}; the page says: {body}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Files with a byte pattern made fresh for this run, so it can occur nowhere else on disk.
struct Evidence {
    pattern: Vec<u8>,
    /// Where the source files are (and the checkout, which may itself sit in the system temp
    /// dir): not scanned. The app never writes there.
    skip: Vec<PathBuf>,
    png: PathBuf,
    pdf: PathBuf,
    empty: PathBuf,
}

impl Evidence {
    fn new() -> Evidence {
        let mut pattern = b"AMPARO-EVIDENCE-".to_vec();
        let mut random = [0u8; 24];
        let mut f = std::fs::File::open("/dev/urandom").expect("urandom");
        std::io::Read::read_exact(&mut f, &mut random).expect("random");
        pattern.extend(
            random
                .iter()
                .map(|b| b"abcdefghijklmnopqrstuvwxyz012345"[usize::from(b % 32)]),
        );
        // Outside the system temp dir, which the test scans.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-evidence");
        std::fs::create_dir_all(&dir).expect("evidence dir");
        let png = dir.join("ransom-message.png");
        std::fs::write(&png, png_with_text(&pattern)).expect("png");
        let pdf = dir.join("medical-report.pdf");
        std::fs::write(&pdf, pdf_with_text(&pattern)).expect("pdf");
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, b"").expect("empty");
        let skip = [dir.clone(), workspace()]
            .into_iter()
            .map(|p| p.canonicalize().unwrap_or(p))
            .collect();
        Evidence {
            pattern,
            skip,
            png,
            pdf,
            empty,
        }
    }

    /// Fails if the pattern is in any readable file under the roots (skipping the source files).
    fn assert_nowhere(&self, roots: &[PathBuf], when: &str) {
        let mut stack: Vec<PathBuf> = roots.to_vec();
        let mut files = 0;
        while let Some(p) = stack.pop() {
            let real = p.canonicalize().unwrap_or_else(|_| p.clone());
            if self.skip.iter().any(|s| real.starts_with(s)) {
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                if let Ok(rd) = std::fs::read_dir(&p) {
                    stack.extend(rd.flatten().map(|e| e.path()));
                }
            } else if meta.is_file() && meta.len() < 512 * 1024 * 1024 {
                if let Ok(bytes) = std::fs::read(&p) {
                    files += 1;
                    assert!(
                        !bytes
                            .windows(self.pattern.len())
                            .any(|w| w == self.pattern.as_slice()),
                        "{when}: the evidence's bytes are in plaintext in {}",
                        p.display()
                    );
                }
            }
        }
        assert!(files > 0, "{when}: scanned nothing");
    }
}

/// A valid 1x1 PNG carrying `text` in a tEXt chunk.
fn png_with_text(text: &[u8]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    let mut t = b"Comment\0".to_vec();
    t.extend(text);
    chunk(&mut out, b"tEXt", &t);
    // zlib stream of one scanline: filter 0 + one red pixel.
    chunk(
        &mut out,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x04, 0x00, 0xfb, 0xff, 0x00, 0xff, 0x00, 0x00, 0x03, 0x01, 0x01,
            0x00,
        ],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A one-page PDF that shows `text` (pdf.js tolerates the approximate cross-reference table).
fn pdf_with_text(text: &[u8]) -> Vec<u8> {
    let content = format!(
        "BT /F1 18 Tf 40 700 Td ({}) Tj ET",
        String::from_utf8_lossy(text)
    );
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Picks a file in the attachments' file input, as the system file chooser would.
async fn attach(c: &Client, path: &std::path::Path) {
    let input = wait_css(c, "[data-testid=attachment-input]").await;
    c.execute(
        "arguments[0].classList.remove('visually-hidden');",
        vec![serde_json::to_value(&input).expect("ref")],
    )
    .await
    .expect("show input");
    input
        .send_keys(&path.display().to_string())
        .await
        .expect("choose file");
}

/// Sets an input's value the way typing would (date and time inputs do not take keystrokes
/// reliably in WebKitGTK).
async fn set_value(c: &Client, css: &str, value: &str) {
    let el = wait_css(c, css).await;
    c.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        vec![serde_json::to_value(&el).expect("element ref"), value.into()],
    )
    .await
    .expect("set value");
}

/// Every process descended from `root`, with its executable.
fn processes_under(root: u32) -> Vec<(u32, PathBuf)> {
    let mut parent_of = Vec::new();
    for e in std::fs::read_dir("/proc").expect("proc").flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name (which may hold spaces) start after ") ".
        let after = stat.rsplit_once(") ").map_or("", |(_, a)| a);
        let ppid = after.split(' ').nth(1).and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut family = vec![root];
    let mut i = 0;
    while i < family.len() {
        let p = family[i];
        family.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    family
        .into_iter()
        .filter_map(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe"))
                .ok()
                .map(|exe| (pid, exe))
        })
        .collect()
}

/// How many times each needle occurs in the readable memory of `pid` (the same bytes a core
/// dump would hold).
fn scan_memory(pid: u32, needles: &[(&str, Vec<u8>)]) -> Vec<(String, usize)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut counts = vec![0usize; needles.len()];
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    let (Ok(mut mem), Ok(mut pagemap)) = (
        std::fs::File::open(format!("/proc/{pid}/mem")),
        std::fs::File::open(format!("/proc/{pid}/pagemap")),
    ) else {
        return Vec::new();
    };
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = line.split_whitespace().nth(5).unwrap_or("");
        if !perms.starts_with('r') || name.starts_with("[v") {
            continue;
        }
        let Some((a, b)) = range.split_once('-') else {
            continue;
        };
        let (Ok(a), Ok(b)) = (u64::from_str_radix(a, 16), u64::from_str_radix(b, 16)) else {
            continue;
        };
        // Mapped files that are not writable (code, fonts, locales) cannot hold secrets.
        if !perms.contains('w') && !name.is_empty() && !name.starts_with('[') {
            continue;
        }
        // Only the pages that are really there (a JavaScript engine reserves tens of
        // gigabytes it never touches): runs of present pages, from /proc/<pid>/pagemap.
        for (start, end) in present_runs(&mut pagemap, a, b) {
            let mut at = start;
            while at < end {
                // Chunks overlap by a needle's length, so none is missed at a boundary.
                let len = (end - at).min(16 << 20);
                let mut buf = vec![0u8; len as usize];
                if mem.seek(SeekFrom::Start(at)).is_err() || mem.read_exact(&mut buf).is_err() {
                    break;
                }
                for (i, (_, n)) in needles.iter().enumerate() {
                    counts[i] += buf.windows(n.len()).filter(|w| *w == n.as_slice()).count();
                }
                if at + len >= end {
                    break;
                }
                at += len - 64;
            }
        }
    }
    needles
        .iter()
        .zip(counts)
        .map(|((name, _), n)| ((*name).to_owned(), n))
        .collect()
}

/// The runs of pages in `[a, b)` that are in memory or swapped out (bits 63 and 62 of each
/// page's pagemap entry).
fn present_runs(pagemap: &mut std::fs::File, a: u64, b: u64) -> Vec<(u64, u64)> {
    use std::io::{Read, Seek, SeekFrom};
    const PAGE: u64 = 4096;
    let mut runs: Vec<(u64, u64)> = Vec::new();
    let mut page = a / PAGE;
    while page < b / PAGE {
        let n = (b / PAGE - page).min(1 << 16);
        let mut entries = vec![0u8; (n * 8) as usize];
        if pagemap.seek(SeekFrom::Start(page * 8)).is_err()
            || pagemap.read_exact(&mut entries).is_err()
        {
            break;
        }
        for (i, e) in entries.chunks_exact(8).enumerate() {
            let v = u64::from_le_bytes(e.try_into().unwrap_or([0; 8]));
            if v & (3 << 62) != 0 {
                let addr = (page + i as u64) * PAGE;
                match runs.last_mut() {
                    Some(r) if r.1 == addr => r.1 += PAGE,
                    _ => runs.push((addr, addr + PAGE)),
                }
            }
        }
        page += n;
    }
    runs
}

/// Answers the real GTK "save" dialog the app opened: waits for its window, focuses it, and
/// types the full path into its name field (xdotool, through the X server, as a user would).
fn answer_save_dialog(title: &str, path: &std::path::Path) {
    answer_file_dialog(title, path, "ctrl+a");
}

/// Answers the real GTK "open" dialog: Ctrl+L opens its location field, then the path.
fn answer_open_dialog(title: &str, path: &std::path::Path) {
    answer_file_dialog(title, path, "ctrl+l");
}

fn answer_file_dialog(title: &str, path: &std::path::Path, first_key: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let window = loop {
        let out = Command::new("xdotool")
            .args(["search", "--name", title])
            .output()
            .expect("xdotool (installed by scripts/setup-debian.sh)");
        let found = String::from_utf8_lossy(&out.stdout);
        if let Some(id) = found.lines().next().filter(|l| !l.trim().is_empty()) {
            break id.trim().to_owned();
        }
        assert!(Instant::now() < deadline, "no save dialog titled {title:?}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let xdo = |args: &[&str]| {
        let ok = Command::new("xdotool")
            .args(args)
            .status()
            .expect("xdotool");
        assert!(ok.success(), "xdotool {args:?}");
    };
    xdo(&["windowfocus", "--sync", &window]);
    std::thread::sleep(Duration::from_millis(500));
    xdo(&["key", first_key]);
    std::thread::sleep(Duration::from_millis(300));
    xdo(&["type", "--delay", "15", &path.display().to_string()]);
    std::thread::sleep(Duration::from_millis(300));
    xdo(&["key", "Return"]);
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(artifacts().join(name), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_lock_unlock_and_spanish() {
    let tmp = tempfile::tempdir().expect("tmp");
    let vault_dir = tmp.path().join("vault");
    let port: u16 = std::env::var("AMPARO_E2E_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4444);
    let driver = start_driver(tmp.path(), &vault_dir, port);
    let strace_log = tmp.path().join("sockets.strace");
    let c = connect(port, &traced_launcher(tmp.path(), &strace_log)).await;

    // 1. No vault yet: the app offers to create one.
    fill(&c, "#new-passphrase", PASS).await;
    fill(&c, "#confirm-passphrase", PASS).await;
    fill(&c, "#create-actor", "LS").await;
    click(&c, "[data-testid=create-submit]").await;
    wait_css(&c, "[data-testid=nav-clients]").await;
    assert!(vault_dir.join("vault.json").exists() && vault_dir.join("vault.db").exists());

    // 2. Intake with a malformed A-number: the error shows next to the field, nothing saved.
    click(&c, "[data-testid=nav-new]").await;
    fill(&c, "#given_names", GIVEN).await;
    fill(&c, "#family_names", FAMILY).await;
    fill(&c, "#a_number", "12-34").await;
    fill(&c, "#date_of_birth", "1994-03-02").await;
    click(&c, "[data-testid=add-member]").await;
    fill(&c, "[id='family.0.given_names']", "Dania").await;
    let three_years_ago = format!("{}-06-01", current_year() - 3);
    fill(&c, "[id='family.0.date_of_birth']", &three_years_ago).await;
    fill(&c, "#notes", PAYLOAD_NOTES).await;
    click(&c, "[data-testid=consent-share]").await;
    click(&c, "[data-testid=intake-save]").await;
    let err = text_of(&c, "[id='err-a_number']").await;
    assert!(err.contains("9 digits"), "field error: {err:?}");
    let invalid = wait_css(&c, "#a_number")
        .await
        .attr("aria-invalid")
        .await
        .expect("attr");
    assert_eq!(invalid.as_deref(), Some("true"));
    shot(&c, "e2e-1-field-error.png").await;

    // 3. Corrected, saved: the client page shows the child under five.
    fill(&c, "#a_number", "A123456789").await;
    click(&c, "[data-testid=intake-save]").await;
    wait_text(&c, "[data-testid=client-name]", GIVEN).await;
    let family = text_of(&c, "[data-testid=family-table]").await;
    assert!(
        family.contains("Dania") && family.contains("under 5"),
        "{family}"
    );
    assert!(text_of(&c, "body").await.contains("A-123-456-789"));
    assert_inert(&c, "client page", Some("<img src=x onerror=")).await;
    shot(&c, "e2e-2-client.png").await;

    // 3b. A hearing at the Laredo tent court (Central time) in two days, reporting at the port.
    let day = date_in_days(2);
    click(&c, "[data-testid=add-hearing]").await;
    select(&c, "#court", "laredo_tent").await;
    set_value(&c, "#h-date", &day).await;
    set_value(&c, "#h-time", "08:00").await;
    select(&c, "#port", "laredo").await;
    set_value(&c, "#r-time", "05:00").await;
    click(&c, "[data-testid=hearing-save]").await;
    wait_text(&c, "[data-testid=timeline]", "Laredo tent court").await;

    // 3c. The home screen shows it under its day and port, on both clocks, with the A-number.
    click(&c, "[data-testid=nav-home]").await;
    let group = format!("[data-testid=day-group][data-date='{day}']");
    let shown = wait_text(&c, &group, "Laredo").await;
    assert!(shown.contains("08:00 C"), "court time in Central: {shown}");
    assert!(shown.contains("06:00 P"), "clinic time in Tijuana: {shown}");
    assert!(
        shown.contains("Report at Laredo") && shown.contains("05:00 C"),
        "{shown}"
    );
    assert!(
        shown.contains("A-123-456-789") && shown.contains(GIVEN),
        "{shown}"
    );
    shot(&c, "e2e-2b-home.png").await;

    // 3d. Recorded as missed (kidnapped) with an in-absentia order: the deadline appears.
    click(&c, &format!("{group} button.link")).await;
    wait_text(&c, "[data-testid=timeline]", "Laredo").await;
    click(&c, "[data-testid=timeline] .tl-hearing button.link").await;
    select(&c, "[data-testid=hearing-outcome]", "removed_in_absentia").await;
    select(&c, "[data-testid=missed-reason]", "kidnapped_or_held").await;
    fill(&c, "#missed_account", PAYLOAD_ACCOUNT).await;
    click(&c, "[data-testid=hearing-save]").await;
    let deadline = wait_text(&c, "[data-testid=reopen-deadline]", "motion to reopen").await;
    assert!(
        deadline.contains(&(current_year() + 1).to_string())
            || deadline.contains(&current_year().to_string()),
        "{deadline}"
    );
    wait_text(&c, "[data-testid=timeline]", "Missed: Kidnapped or held").await;
    assert_inert(&c, "timeline after the missed hearing", None).await;
    click(&c, "[data-testid=nav-home]").await;
    let absentia = wait_text(&c, "[data-testid=absentia-list]", "days left").await;
    assert!(absentia.contains(GIVEN), "{absentia}");

    // 3e. A fear screening appears on the timeline.
    click(&c, "[data-testid=absentia-list] button.link").await;
    click(&c, "[data-testid=add-screening]").await;
    fill(&c, "#screened_on", "2019-07").await;
    select(&c, "[data-testid=screening-conduct]", "refused").await;
    click(&c, "[data-testid=screening-save]").await;
    let tl = wait_text(&c, "[data-testid=timeline]", "Fear screening").await;
    assert!(
        tl.contains("Refused") && tl.contains("a CBP officer"),
        "{tl}"
    );
    shot(&c, "e2e-2c-timeline.png").await;

    // 3f. The printable week list for the port carries the report time and the A-numbers.
    click(&c, "[data-testid=nav-home]").await;
    click(&c, "[data-testid=print-week]").await;
    let week = wait_text(&c, ".week-table", GIVEN).await;
    assert!(
        week.contains("05:00 CST") && week.contains("A-123-456-789"),
        "{week}"
    );
    let title = text_of(&c, ".print-page h1").await;
    assert!(title.contains("Laredo"), "{title}");
    shot(&c, "e2e-2d-week-list.png").await;

    // 3g. Search finds the client from the top bar; an incident that made her miss the hearing,
    // with a photo and a PDF as evidence, previewed inside the app.
    fill(&c, "[data-testid=search-box]", "hernandez").await;
    wait_text(&c, "[data-testid=search-group][data-kind=client]", GIVEN).await;
    click(
        &c,
        "[data-testid=search-group][data-kind=client] button.hit",
    )
    .await;
    click(&c, "[data-testid=add-incident]").await;
    let incident_year = current_year() - 1;
    fill(&c, "#date_start", &format!("{incident_year}-11")).await;
    select(&c, "#state", "TAMPS").await;
    fill(&c, "#inc-city", "Nuevo Laredo").await;
    click(&c, "[data-testid=act-kidnapping]").await;
    click(&c, "[data-testid=act-extortion]").await;
    // Dania, three years old, was with her.
    click(&c, "[data-testid=victim-family_member-0]").await;
    c.execute(
        "const s = document.querySelector('[data-testid=missed-hearing]'); s.selectedIndex = 1; s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await
    .expect("pick the hearing");
    fill(
        &c,
        "#narrative",
        "Los retuvieron en una bodega cerca del puente.",
    )
    .await;
    click(&c, "[data-testid=incident-save]").await;
    wait_css(&c, "[data-testid=incident-saved]").await;

    let evidence = Evidence::new();
    let scan_roots = [tmp.path().to_path_buf(), std::env::temp_dir()];
    evidence.assert_nowhere(&scan_roots, "before attaching");
    attach(&c, &evidence.png).await;
    wait_text(&c, "[data-testid=attachments]", "image/png").await;
    attach(&c, &evidence.pdf).await;
    wait_text(&c, "[data-testid=attachments]", "application/pdf").await;
    evidence.assert_nowhere(&scan_roots, "after attaching");

    click(
        &c,
        "[data-testid=attachment-row]:nth-child(1) [data-testid=preview]",
    )
    .await;
    wait_css(&c, "[data-testid=preview-image]").await;
    shot(&c, "e2e-2e-preview-image.png").await;
    click(&c, "[data-testid=preview-close]").await;
    click(
        &c,
        "[data-testid=attachment-row]:nth-child(2) [data-testid=preview]",
    )
    .await;
    wait_css(&c, "[data-testid=preview-pdf] canvas").await;
    shot(&c, "e2e-2f-preview-pdf.png").await;
    click(&c, "[data-testid=preview-close]").await;
    evidence.assert_nowhere(&scan_roots, "after previewing");

    // An empty file is refused with a clear message and nothing is stored.
    attach(&c, &evidence.empty).await;
    let refused = wait_text(&c, "[data-testid=attachment-error]", "empty").await;
    assert!(refused.contains("empty.txt"), "{refused}");
    let rows = c
        .find_all(Locator::Css("[data-testid=attachment-row]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);

    // The hearing shows the incident that made her miss it; the timeline shows the month-only
    // date as a month (never a day), both acts and the child; search finds the narrative.
    click(&c, "[data-testid=incident-save]").await;
    wait_text(&c, "[data-testid=linked-incident]", "Kidnapping, Extortion").await;
    let tl = text_of(&c, "[data-testid=timeline]").await;
    let month = format!("November {incident_year}");
    assert!(
        tl.contains(&month) && !tl.contains(&format!("November 1, {incident_year}")),
        "{tl}"
    );
    assert!(tl.contains("1 child harmed"), "{tl}");
    fill(&c, "[data-testid=search-box]", "bodega").await;
    wait_text(&c, "[data-testid=search-group][data-kind=incident]", GIVEN).await;
    shot(&c, "e2e-2g-search.png").await;

    // 4. In the list, found by an accent-free filter.
    click(&c, "[data-testid=nav-clients]").await;
    wait_text(&c, "[data-testid=client-list]", FAMILY).await;
    fill(&c, "[data-testid=client-filter]", "hernandez ordonez").await;
    wait_text(&c, "[data-testid=client-count]", "1 client").await;
    wait_text(&c, "[data-testid=client-list]", GIVEN).await;
    shot(&c, "e2e-3-list.png").await;

    // 4b. A complaint packet: a second incident, then the builder for this client with both
    // incidents and the photo, built, previewed from memory, saved through the real system
    // dialog, found where it was saved, and listed in the client's disclosure log.
    fill(&c, "[data-testid=search-box]", "hernandez").await;
    wait_text(&c, "[data-testid=search-group][data-kind=client]", GIVEN).await;
    click(
        &c,
        "[data-testid=search-group][data-kind=client] button.hit",
    )
    .await;
    click(&c, "[data-testid=add-incident]").await;
    fill(&c, "#date_start", &format!("{incident_year}-12-02")).await;
    fill(&c, "#inc-city", "Ciudad Juárez").await;
    click(&c, "[data-testid=act-physical_assault]").await;
    fill(&c, "#narrative", PAYLOAD_NARRATIVE).await;
    click(&c, "[data-testid=incident-save]").await;
    wait_css(&c, "[data-testid=incident-saved]").await;
    click(&c, "[data-testid=incident-save]").await;
    assert_inert(&c, "client page with the incident", None).await;
    click(&c, "[data-testid=new-packet]").await;
    wait_css(&c, "[data-testid=packet-people]").await;
    click(&c, "[data-testid=profile-identified]").await;
    // Dania's consent does not cover DHS oversight: the builder says so.
    let lacking = wait_text(&c, "[data-testid=packet-lacking]", "consent").await;
    assert!(lacking.contains('1'), "{lacking}");
    let incidents = c
        .find_all(Locator::Css("[data-testid=packet-incident]"))
        .await
        .expect("incidents");
    assert_eq!(incidents.len(), 2);
    let exhibits = c
        .find_all(Locator::Css("[data-testid=packet-exhibit]"))
        .await
        .expect("exhibits");
    assert_eq!(
        exhibits.len(),
        2,
        "the photo and the PDF are offered as exhibits"
    );
    shot(&c, "e2e-3a-packet-builder.png").await;
    click(&c, "[data-testid=packet-build]").await;
    wait_css(&c, "[data-testid=packet-preview] canvas").await;
    let built = wait_text(&c, "[data-testid=packet-built]", "pages").await;
    assert!(built.contains("SHA-256"), "{built}");
    shot(&c, "e2e-3b-packet-preview.png").await;
    assert_inert(&c, "packet builder and preview", None).await;
    evidence.assert_nowhere(&scan_roots, "after building a packet");
    let out_dir = tmp.path().join("exports");
    std::fs::create_dir_all(&out_dir).expect("exports dir");
    let out = out_dir.join("queja-crcl.pdf");
    click(&c, "[data-testid=packet-save]").await;
    answer_save_dialog("Save the complaint packet", &out);
    wait_css(&c, "[data-testid=packet-saved]").await;
    let pdf = std::fs::read(&out).expect("the packet is where the dialog saved it");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    // Compared without whitespace: a line may break between any two words.
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains(GIVEN) && flat.contains("NuevoLaredo"),
        "{text}"
    );
    assert!(flat.contains("CiudadJuárez") && flat.contains("Physicalassault"));
    // The narrative's markup is printed in the PDF as the words it is.
    assert!(
        flat.contains("<script>window.__pwned='narrative'</script>"),
        "{text}"
    );
    assert!(
        !text.contains("Dania"),
        "a child without consent is not named"
    );
    click(&c, "[data-testid=packet-back]").await;
    wait_text(&c, "[data-testid=packet-log]", "Identified").await;
    let rows = c
        .find_all(Locator::Css("[data-testid=packet-row]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    // Search results quote the narrative around the words found: still text.
    fill(&c, "[data-testid=search-box]", "golpeó albergue").await;
    wait_text(&c, "[data-testid=search-group][data-kind=incident]", GIVEN).await;
    assert_inert(&c, "search results", None).await;

    // 4c. An encrypted backup, saved through the real dialog: one file, no case text in it.
    click(&c, "[data-testid=nav-settings]").await;
    wait_text(&c, "[data-testid=backup-last]", "No backup yet").await;
    let backup = out_dir.join("amparo.backup");
    click(&c, "[data-testid=backup-now]").await;
    answer_save_dialog("Save an encrypted backup", &backup);
    wait_text(&c, "[data-testid=backup-last]", "Last backup").await;
    let bytes = std::fs::read(&backup).expect("the backup is where the dialog saved it");
    assert!(bytes.starts_with(b"AMPARO-BACKUP-1"));
    for plain in [GIVEN.as_bytes(), "Nuevo Laredo".as_bytes(), b"bodega"] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain),
            "plaintext in the backup"
        );
    }

    // 5. Lock: back to the unlock screen, and the page holds no case data.
    click(&c, "[data-testid=lock]").await;
    wait_css(&c, "[data-testid=unlock-passphrase]").await;
    let source = c.source().await.expect("source");
    assert!(
        !source.contains(GIVEN) && !source.contains("Dania"),
        "case data left in the locked UI"
    );
    // 5a. After lock, the data key is nowhere in the app's memory (read whole, as a core dump
    // would hold it, from /proc/<pid>/mem): not raw, not as the hex SQLCipher was keyed with.
    // What remains of the passphrase is reported per process (see docs/SECURITY.md).
    {
        let key = amparo_core::vault::header::Header::read(&vault_dir)
            .expect("header")
            .open(PASS.as_bytes())
            .expect("key");
        let hex_lower: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let needles: [(&str, Vec<u8>); 4] = [
            ("data key", key.to_vec()),
            ("data key (hex)", hex_lower.clone().into_bytes()),
            ("data key (HEX)", hex_lower.to_uppercase().into_bytes()),
            ("passphrase", PASS.as_bytes().to_vec()),
        ];
        let app = app_binary();
        let mut scanned = 0;
        for (pid, exe) in processes_under(driver.0.id()) {
            let found = scan_memory(pid, &needles);
            let is_app = exe == app;
            scanned += usize::from(is_app);
            eprintln!(
                "memory after lock: {} (pid {pid}): {found:?}",
                exe.display()
            );
            if is_app {
                for (name, n) in &found {
                    assert!(
                        !name.starts_with("data key") || *n == 0,
                        "after lock the app's memory still holds the {name} ({n} times)"
                    );
                }
            }
        }
        assert_eq!(scanned, 1, "the app's process was found and read");
    }

    // 6. Wrong passphrase: a clear error, still locked.
    fill(&c, "[data-testid=unlock-passphrase]", "not the passphrase").await;
    click(&c, "[data-testid=unlock-submit]").await;
    let err = text_of(&c, "[data-testid=unlock-error]").await;
    assert!(err.contains("does not open"), "{err}");
    shot(&c, "e2e-4-wrong-passphrase.png").await;

    // 7. Right passphrase: the home screen, then the client is there again.
    fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    click(&c, "[data-testid=unlock-submit]").await;
    wait_css(&c, "[data-testid=day-group]").await;
    click(&c, "[data-testid=nav-clients]").await;
    wait_text(&c, "[data-testid=client-list]", GIVEN).await;

    // 8. Spanish: the list's labels change.
    click(&c, "[data-testid=nav-settings]").await;
    select(&c, "[data-testid=lang-switch]", "es").await;
    click(&c, "[data-testid=nav-clients]").await;
    wait_text(&c, ".list-head h1", "Clientes").await;
    wait_text(&c, "[data-testid=client-count]", "1 cliente").await;
    wait_text(&c, ".table-head", "Nombre").await;
    wait_text(&c, ".table-head", "Nacionalidad").await;
    let filter_ph = wait_css(&c, "[data-testid=client-filter]")
        .await
        .attr("placeholder")
        .await
        .expect("attr");
    assert_eq!(filter_ph.as_deref(), Some("Nombre, alias o número A"));
    wait_text(&c, "[data-testid=lock]", "Bloquear").await;
    shot(&c, "e2e-5-spanish-list.png").await;

    // 9. A half-typed intake is not lost to a stray click: leaving asks first.
    click(&c, "[data-testid=nav-new]").await;
    fill(&c, "#given_names", "Borrador").await;
    click(&c, "[data-testid=nav-clients]").await;
    wait_css(&c, "[data-testid=discard]").await;
    let kept = wait_css(&c, "#given_names")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("Borrador"));
    click(&c, "[data-testid=discard]").await;
    wait_text(&c, "[data-testid=client-list]", GIVEN).await;

    // 10. The keyboard shortcut locks too.
    c.execute(
        "window.dispatchEvent(new KeyboardEvent('keydown', {key: 'l', ctrlKey: true}))",
        vec![],
    )
    .await
    .expect("shortcut");
    wait_css(&c, "[data-testid=unlock-passphrase]").await;
    assert!(!c.source().await.expect("source").contains(GIVEN));

    // 10b. Someone with the key edits the history behind the app's back (as with the
    // SQLCipher shell): on the next unlock the app verifies the chain and names the first
    // bad entry.
    behind_the_app(&vault_dir, |v| {
        v.connection_for_tools()
            .execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2", [])
            .expect("tamper")
    });
    fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    click(&c, "[data-testid=unlock-submit]").await;
    let alert = wait_text(&c, "[data-testid=audit-alert]", "2").await;
    assert!(alert.contains("historial"), "{alert}");
    shot(&c, "e2e-5b-audit-alert.png").await;
    // And it takes no changes: saving the settings is refused with the reason.
    click(&c, "[data-testid=nav-settings]").await;
    click(&c, "form.panel button[type=submit]").await;
    wait_text(&c, "p.error[role=alert]", "no acepta cambios").await;
    click(&c, "[data-testid=lock]").await;
    wait_css(&c, "[data-testid=unlock-passphrase]").await;

    // 10c. Damage: bytes flipped in the database's first page. Unlocking names the problem
    // (a damaged vault, not a wrong passphrase) and offers the backup; nothing is written.
    {
        let db = vault_dir.join("vault.db");
        let mut bytes = std::fs::read(&db).expect("vault.db");
        for b in &mut bytes[200..260] {
            *b ^= 0x5a;
        }
        std::fs::write(&db, &bytes).expect("damage");
    }
    let damaged = std::fs::read(vault_dir.join("vault.db")).expect("read");
    fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    click(&c, "[data-testid=unlock-submit]").await;
    let err = wait_text(&c, "[data-testid=unlock-error]", "dañad").await;
    assert!(
        !err.contains("no abre"),
        "not called a wrong passphrase: {err}"
    );
    wait_text(
        &c,
        "[data-testid=restore-offer]",
        "No se puede leer la bóveda",
    )
    .await;
    assert_eq!(
        std::fs::read(vault_dir.join("vault.db")).expect("read"),
        damaged,
        "a vault that could not be verified is not written to"
    );

    // 11. Restore the backup from the unlock screen (in Spanish now): the current vault is
    // moved aside, not deleted, and the restored one opens with the client in it.
    click(&c, "[data-testid=restore-open]").await;
    answer_open_dialog("Elija una copia de Amparo", &backup);
    wait_css(&c, "[data-testid=restore-panel]").await;
    fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    click(&c, "[data-testid=restore-confirm]").await;
    click(&c, "[data-testid=restore-submit]").await;
    click(&c, "[data-testid=nav-clients]").await;
    wait_text(&c, "[data-testid=client-list]", GIVEN).await;
    let aside = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("vault.replaced-")
        });
    assert!(aside, "the previous vault was moved aside");
    assert!(
        c.find(Locator::Css("[data-testid=audit-alert]"))
            .await
            .is_err(),
        "the restored vault verifies"
    );
    shot(&c, "e2e-6-restored.png").await;
    assert_inert(&c, "after the whole session", None).await;

    // 12. A record edited behind the app's back (the audit log untouched): the background
    // check compares each record with what its newest history entry says of it.
    click(&c, "[data-testid=lock]").await;
    wait_css(&c, "[data-testid=unlock-passphrase]").await;
    let changed = behind_the_app(&vault_dir, |v| {
        v.connection_for_tools()
            .execute("UPDATE clients SET given_names = 'Mallory'", [])
            .expect("tamper")
    });
    assert_eq!(changed, 1);
    fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    click(&c, "[data-testid=unlock-submit]").await;
    let alert = wait_text(&c, "[data-testid=audit-alert]", "fuera de Amparo").await;
    assert!(alert.contains("Un registro"), "{alert}");
    click(&c, "[data-testid=lock]").await;
    wait_css(&c, "[data-testid=unlock-passphrase]").await;

    // 13. Damage deep in the file, in a page unlocking does not read: the vault opens, the
    // background check finds it, says so, and the vault takes no changes.
    // The page chosen holds the evidence files (read only when they are opened).
    {
        let page: i64 = behind_the_app(&vault_dir, |v| {
            v.connection_for_tools()
                .query_row(
                    "SELECT max(pageno) FROM dbstat WHERE name = 'attachments'",
                    [],
                    |r| r.get(0),
                )
                .expect("dbstat")
        });
        let db = vault_dir.join("vault.db");
        let mut bytes = std::fs::read(&db).expect("vault.db");
        let at = (page as usize - 1) * 4096 + 1000;
        for b in &mut bytes[at..at + 10] {
            *b ^= 0xa5;
        }
        std::fs::write(&db, &bytes).expect("damage");
    }
    fill(&c, "[data-testid=unlock-passphrase]", PASS).await;
    click(&c, "[data-testid=unlock-submit]").await;
    wait_text(&c, "[data-testid=audit-alert]", "dañado").await;
    shot(&c, "e2e-7-damage-found-after-unlock.png").await;
    click(&c, "[data-testid=nav-settings]").await;
    click(&c, "form.panel button[type=submit]").await;
    wait_text(&c, "p.error[role=alert]", "dañad").await;

    c.close().await.expect("close session");
    drop(driver);

    // 14. No network: everything the app and its WebKit processes did with sockets during the
    // whole session, recorded by strace. Local (Unix) sockets only: X11, D-Bus, WebKit's own
    // IPC; no Internet socket was even opened, so none could connect anywhere.
    // Under WebDriver (only then), WebKitWebDriver hands the app an automation endpoint in
    // WEBKIT_INSPECTOR_SERVER, and WebKit listens there on the loopback interface: that is
    // the one Internet-family address allowed, and only on 127.0.0.1.
    let inspector = std::fs::read_to_string(format!("{}.inspector", strace_log.display()))
        .expect("the launcher recorded the automation endpoint");
    let inspector = inspector.trim();
    assert!(
        inspector.starts_with("127.0.0.1:"),
        "automation endpoint {inspector:?}"
    );
    let net = network_use(&strace_log, inspector);
    eprintln!(
        "sockets of the app and its WebKit processes: families {:?}; {} Internet sockets, {} binds/connects, all to WebDriver's automation endpoint {inspector}",
        net.families, net.inet_sockets, net.inet_uses_of_allowed
    );
    assert!(
        net.families.contains("AF_UNIX"),
        "strace recorded the app's sockets: {:?}",
        net.families
    );
    assert!(
        net.elsewhere.is_empty(),
        "the app reached out: {:#?}",
        net.elsewhere
    );
    assert!(
        net.inet_sockets <= net.inet_uses_of_allowed,
        "an Internet socket was opened for something else"
    );
    for f in &net.families {
        assert!(
            ["AF_UNIX", "AF_NETLINK", "AF_INET"].contains(&f.as_str()),
            "the app opened a socket of family {f}"
        );
    }
}

/// The calendar date `n` days from now in Tijuana (the clinic's default zone), YYYY-MM-DD.
fn date_in_days(n: i64) -> String {
    let out = Command::new("date")
        .args(["+%Y-%m-%d", "-d", &format!("+{n} days")])
        .env("TZ", "America/Tijuana")
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn current_year() -> i32 {
    // Days since the epoch are enough for a year boundary that is months away.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    1970 + (secs / 31_556_952) as i32
}
