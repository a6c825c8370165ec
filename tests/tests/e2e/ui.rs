//! Driving the page as a person would: wait, type, choose, click, read, answer the system's
//! file dialogs, and take screenshots into tests/artifacts/.

use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::app::artifacts;

pub(crate) async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
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
pub(crate) async fn assert_inert(c: &Client, screen: &str, shown: Option<&str>) {
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
pub(crate) async fn fill(c: &Client, css: &str, text: &str) {
    for attempt in 0..5 {
        let e = wait_css(c, css).await;
        let typed = match e.clear().await {
            Ok(()) => e.send_keys(text).await,
            Err(err) => Err(err),
        };
        // What the field holds now: a key lost to a re-render is typed again, not saved short.
        let landed = match typed {
            Ok(()) => match e.prop("value").await {
                Ok(Some(v)) if v == text => return,
                Ok(v) => format!("holds {v:?}"),
                Err(err) => err.to_string(),
            },
            Err(err) => err.to_string(),
        };
        if attempt == 4 {
            panic!("fill {css} with {text:?}: {landed}");
        }
        eprintln!("fill {css}: {landed}; again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Ticks or unticks a checkbox (or picks a radio) until it reads back as `want`: a click
/// computed before the page moved can land beside it without an error.
/// Clicks `css` once the page around it has stopped moving, and again until `then` appears:
/// for a button on a page whose parts load one after another (a click computed before a
/// part above it arrived lands beside it, without an error).
pub(crate) async fn click_until(c: &Client, css: &str, then: &str) {
    for _ in 0..5 {
        let mut last = String::new();
        for _ in 0..20 {
            let rect = c
                .execute(
                    "const e = document.querySelector(arguments[0]);
                     return e ? JSON.stringify(e.getBoundingClientRect()) : '';",
                    vec![serde_json::json!(css)],
                )
                .await
                .map(|v| v.to_string())
                .unwrap_or_default();
            if !rect.is_empty() && rect == last {
                break;
            }
            last = rect;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        click(c, css).await;
        for _ in 0..10 {
            if c.find(fantoccini::Locator::Css(then)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        eprintln!("click {css}: {then} did not appear; again");
    }
    wait_css(c, then).await;
}

pub(crate) const DOWN: char = '\u{e015}';
pub(crate) const ENTER: char = '\u{e007}';
pub(crate) const BACKSPACE: char = '\u{e003}';

/// Presses `keys` one after the other on whatever has the focus as each comes, as a person
/// does. An element's `send_keys` focuses that element first: Enter sent to the row that was
/// focused a moment ago lands there even after the page moved the focus on.
pub(crate) async fn press(c: &Client, keys: &[char]) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut typed = KeyActions::new("keyboard".to_owned());
    for &k in keys {
        typed = typed
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
    }
    c.perform_actions(typed).await.expect("keys pressed");
}

/// Opens the client the list's filter finds by `name` the way a quick typist does: the name,
/// then at once Down into the list and Enter, sooner than the list reloads (150 ms after the
/// last key). The keys must wait for the reloaded rows: on the rows the reload replaces they
/// opened whoever was first before the filter. A coordinator's or attorney's view: it waits
/// for the client's edit button.
pub(crate) async fn open_client(c: &Client, name: &str) {
    click(c, "[data-testid=nav-clients]").await;
    fill(c, "[data-testid=client-filter]", name).await;
    press(c, &[DOWN, ENTER]).await;
    wait_text(c, "[data-testid=client-name]", name).await;
    wait_css(c, "[data-testid=edit-client]").await;
}

/// Opens the first hit of the top bar's search for `query` the way a quick typist does, with
/// the results for `before` on the screen: `before` erased, `query` typed, then at once Down
/// to the first hit and Enter, all sooner than the search runs (120 ms after the last key).
/// Waits for the client page of `name`: keys that landed on the results for `before` would
/// open someone else.
pub(crate) async fn open_first_hit(c: &Client, before: &str, query: &str, name: &str) {
    search_for(c, before).await;
    click(c, "[data-testid=search-box]").await;
    // One chain of keys, with no round trip between them.
    let keys: Vec<char> = std::iter::repeat_n(BACKSPACE, before.chars().count())
        .chain(query.chars())
        .chain([DOWN, ENTER])
        .collect();
    press(c, &keys).await;
    wait_text(c, "[data-testid=client-name]", name).await;
    wait_css(c, "[data-testid=edit-client]").await;
}

pub(crate) async fn set_checked(c: &Client, css: &str, want: bool) {
    for _ in 0..5 {
        let is = wait_css(c, css)
            .await
            .is_selected()
            .await
            .expect("checked?");
        if is == want {
            return;
        }
        click(c, css).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!(
        "{css} never became {}",
        if want { "ticked" } else { "unticked" }
    );
}

/// Chooses an option; tries again if the select was re-rendered between finding and choosing,
/// or was under something when the option was clicked (brought to the middle first).
pub(crate) async fn select(c: &Client, css: &str, value: &str) {
    for attempt in 0..5 {
        match wait_css(c, css).await.select_by_value(value).await {
            Ok(()) => return,
            Err(e) if attempt < 4 => {
                eprintln!("select {css}: {e:?}; again");
                centre(c, css).await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("select {css} = {value}: {e:?}"),
        }
    }
}

/// Scrolls the element to the middle of its scroller.
async fn centre(c: &Client, css: &str) {
    let _ = c
        .execute(
            "const e = document.querySelector(arguments[0]);
             if (e) e.scrollIntoView({block: 'center'});",
            vec![serde_json::json!(css)],
        )
        .await;
}

/// Clicks an element; finds it again if it was re-rendered between finding and clicking, and
/// brings it to the middle of its scroller when the page moved under the pointer (a list that
/// finished loading above it). After ten seconds of refusals it fails, saying what lies over
/// the element's centre.
pub(crate) async fn click(c: &Client, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let err = match wait_css(c, css).await.click().await {
            Ok(()) => return,
            Err(e) => e,
        };
        if Instant::now() > deadline {
            let _ = std::fs::write(
                artifacts().join("e2e-failure.png"),
                c.screenshot().await.unwrap_or_default(),
            );
            let over = c
                .execute(
                    "const e = document.querySelector(arguments[0]);
                     if (!e) return 'gone';
                     const r = e.getBoundingClientRect();
                     const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                     return JSON.stringify({rect: [r.x, r.y, r.width, r.height],
                       viewport: [innerWidth, innerHeight],
                       over: top ? top.outerHTML.slice(0, 200) : null});",
                    vec![serde_json::json!(css)],
                )
                .await
                .map(|v| v.to_string())
                .unwrap_or_default();
            panic!("click {css}: {err:?}; at its centre: {over}");
        }
        eprintln!("click {css}: {err:?}; again");
        centre(c, css).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The element's rendered text. WebKitWebDriver's own "element text" leaves out rows inside
/// a scrolled container, so read `innerText` (falling back to `textContent`) directly, by
/// selector inside the page: an element re-rendered after it was found is read afresh.
pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    for _ in 0..5 {
        wait_css(c, css).await;
        let v = c
            .execute(
                "const e = document.querySelector(arguments[0]);
                 return e ? (e.innerText || e.textContent || '') : null;",
                vec![serde_json::json!(css)],
            )
            .await
            .expect("read text");
        if let Some(text) = v.as_str() {
            return text.to_owned();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} kept disappearing while being read")
}

pub(crate) async fn wait_text(c: &Client, css: &str, want: &str) -> String {
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

/// Picks a file in the attachments' file input, as the system file chooser would.
pub(crate) async fn attach(c: &Client, path: &std::path::Path) {
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
pub(crate) async fn set_value(c: &Client, css: &str, value: &str) {
    let el = wait_css(c, css).await;
    c.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        vec![serde_json::to_value(&el).expect("element ref"), value.into()],
    )
    .await
    .expect("set value");
}

/// Answers the real GTK "save" dialog the app opened: waits for its window, focuses it, and
/// types the full path into its name field (xdotool, through the X server, as a user would).
pub(crate) fn answer_save_dialog(title: &str, path: &std::path::Path) {
    answer_file_dialog(title, path, "ctrl+a");
}

/// Answers the real GTK "open" dialog: Ctrl+L opens its location field, then the path.
pub(crate) fn answer_open_dialog(title: &str, path: &std::path::Path) {
    answer_file_dialog(title, path, "ctrl+l");
}

/// Answers the GTK folder chooser: the path typed in its location field, then Return; a
/// chooser that went into the folder instead of choosing it is answered with Return again
/// (which chooses the folder it shows).
pub(crate) fn answer_folder_dialog(title: &str, path: &std::path::Path) {
    answer_file_dialog(title, path, "ctrl+l");
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(800));
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .output()
            .expect("xdotool");
        let Some(id) = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_owned())
        else {
            return;
        };
        let _ = Command::new("xdotool")
            .args(["windowfocus", "--sync", &id])
            .status();
        let _ = Command::new("xdotool").args(["key", "Return"]).status();
    }
}

pub(crate) fn answer_file_dialog(title: &str, path: &std::path::Path, first_key: &str) {
    // A dialog answered before may linger unmapped under the same title: only a visible one
    // that takes the focus is the one just opened.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .output()
            .expect("xdotool (installed by scripts/setup-debian.sh)");
        let found = String::from_utf8_lossy(&out.stdout);
        let focused = found.lines().filter(|l| !l.trim().is_empty()).any(|id| {
            Command::new("xdotool")
                .args(["windowfocus", "--sync", id.trim()])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        if focused {
            break;
        }
        assert!(Instant::now() < deadline, "no save dialog titled {title:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let xdo = |args: &[&str]| {
        let ok = Command::new("xdotool")
            .args(args)
            .status()
            .expect("xdotool");
        assert!(ok.success(), "xdotool {args:?}");
    };
    std::thread::sleep(Duration::from_millis(500));
    xdo(&["key", first_key]);
    std::thread::sleep(Duration::from_millis(300));
    xdo(&["type", "--delay", "15", &path.display().to_string()]);
    std::thread::sleep(Duration::from_millis(300));
    xdo(&["key", "Return"]);
}

pub(crate) async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(artifacts().join(name), png).expect("write screenshot");
}

/// Scrolls the screen as far as it goes (the content pane and the page itself, as a wheel
/// past the end would): the top bar, with the search box and Lock, stays at the top.
pub(crate) async fn assert_top_bar_stays(c: &Client, screen: &str) {
    let v = c
        .execute(
            "const content = document.querySelector('.content');
             if (content) content.scrollTop = content.scrollHeight;
             window.scrollTo(0, 100000);
             document.scrollingElement.scrollTop = 100000;
             const bar = document.querySelector('.topbar').getBoundingClientRect();
             return [bar.top, document.scrollingElement.scrollTop, window.scrollY];",
            vec![],
        )
        .await
        .expect("scroll");
    let got: Vec<f64> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect();
    assert_eq!(
        got,
        [0.0, 0.0, 0.0],
        "{screen}: the top bar scrolled away ({got:?})"
    );
}

/// The element is inside the window and, with `below_header`, not under the form's sticky
/// header.
pub(crate) async fn assert_in_view(c: &Client, css: &str, below_header: bool) {
    let v = c
        .execute(
            "const el = document.querySelector(arguments[0]);
             const head = arguments[1] ? document.querySelector('.form-head') : null;
             const r = el.getBoundingClientRect();
             const top = head ? head.getBoundingClientRect().bottom : 0;
             return r.top >= top - 1 && r.bottom <= window.innerHeight + 1;",
            vec![serde_json::json!(css), serde_json::json!(below_header)],
        )
        .await
        .expect("in view");
    assert_eq!(
        v.as_bool(),
        Some(true),
        "{css} is not in view below the header"
    );
}

/// Types into the top bar's search box and waits until the results are for the whole query:
/// every keystroke has reached the page, so none arrives after the next click and takes the
/// app back to the results.
pub(crate) async fn search_for(c: &Client, query: &str) {
    fill(c, "[data-testid=search-box]", query).await;
    wait_text(c, "[data-testid=search-results] h1", &format!("“{query}”")).await;
}
