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

async fn connect(port: u16) -> Client {
    let app = std::env::var("AMPARO_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target/debug/amparo-app"));
    assert!(
        app.exists(),
        "{} is missing: run scripts/test.sh (it builds the app)",
        app.display()
    );
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app.canonicalize().expect("app path") }),
    );
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session")
}

async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
}

async fn fill(c: &Client, css: &str, text: &str) {
    let e = wait_css(c, css).await;
    e.clear().await.expect("clear");
    e.send_keys(text).await.expect("type");
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
    let _driver = start_driver(tmp.path(), &vault_dir, port);
    let c = connect(port).await;

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
    shot(&c, "e2e-2-client.png").await;

    // 3b. A hearing at the Laredo tent court (Central time) in two days, reporting at the port.
    let day = date_in_days(2);
    click(&c, "[data-testid=add-hearing]").await;
    wait_css(&c, "#court")
        .await
        .select_by_value("laredo_tent")
        .await
        .expect("court");
    set_value(&c, "#h-date", &day).await;
    set_value(&c, "#h-time", "08:00").await;
    wait_css(&c, "#port")
        .await
        .select_by_value("laredo")
        .await
        .expect("port");
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
    wait_css(&c, "[data-testid=hearing-outcome]")
        .await
        .select_by_value("removed_in_absentia")
        .await
        .expect("outcome");
    wait_css(&c, "[data-testid=missed-reason]")
        .await
        .select_by_value("kidnapped_or_held")
        .await
        .expect("reason");
    fill(&c, "#missed_account", "Held for six days in Nuevo Laredo.").await;
    click(&c, "[data-testid=hearing-save]").await;
    let deadline = wait_text(&c, "[data-testid=reopen-deadline]", "motion to reopen").await;
    assert!(
        deadline.contains(&(current_year() + 1).to_string())
            || deadline.contains(&current_year().to_string()),
        "{deadline}"
    );
    wait_text(&c, "[data-testid=timeline]", "Missed: Kidnapped or held").await;
    click(&c, "[data-testid=nav-home]").await;
    let absentia = wait_text(&c, "[data-testid=absentia-list]", "days left").await;
    assert!(absentia.contains(GIVEN), "{absentia}");

    // 3e. A fear screening appears on the timeline.
    click(&c, "[data-testid=absentia-list] button.link").await;
    click(&c, "[data-testid=add-screening]").await;
    fill(&c, "#screened_on", "2019-07").await;
    wait_css(&c, "[data-testid=screening-conduct]")
        .await
        .select_by_value("refused")
        .await
        .expect("conduct");
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

    // 4. In the list, found by an accent-free filter.
    click(&c, "[data-testid=nav-clients]").await;
    wait_text(&c, "[data-testid=client-list]", FAMILY).await;
    fill(&c, "[data-testid=client-filter]", "hernandez ordonez").await;
    wait_text(&c, "[data-testid=client-count]", "1 client").await;
    wait_text(&c, "[data-testid=client-list]", GIVEN).await;
    shot(&c, "e2e-3-list.png").await;

    // 5. Lock: back to the unlock screen, and the page holds no case data.
    click(&c, "[data-testid=lock]").await;
    wait_css(&c, "[data-testid=unlock-passphrase]").await;
    let source = c.source().await.expect("source");
    assert!(
        !source.contains(GIVEN) && !source.contains("Dania"),
        "case data left in the locked UI"
    );

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
    wait_css(&c, "[data-testid=lang-switch]")
        .await
        .select_by_value("es")
        .await
        .expect("select es");
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

    c.close().await.expect("close session");
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
