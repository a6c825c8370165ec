//! What the session leaves outside the vault, and what the page cannot reach: no recent-files
//! entry for what the dialogs chose, no core dump should the app or its web processes crash,
//! and no file written or read at a path the page names itself.

use crate::app::World;

/// GTK's file chooser records every file it opens or saves in `recently-used.xbel` unless the
/// app turns that off; the backup and the packet went through the real dialogs before this.
fn no_recent_files_entry(w: &World) {
    let xbel = w.tmp.path().join("data/recently-used.xbel");
    let text = std::fs::read_to_string(&xbel).unwrap_or_default();
    let mut chosen = vec![w.backup.clone()];
    chosen.extend(
        std::fs::read_dir(&w.out_dir)
            .expect("exports folder")
            .filter_map(|e| e.ok().map(|e| e.path())),
    );
    assert!(
        chosen.len() >= 2,
        "the backup and the packet were saved: {chosen:?}"
    );
    for path in chosen {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            !text.contains(&name),
            "{name} is in {}: the chooser left a trail",
            xbel.display()
        );
    }
}

/// Every process of this session (the app and WebKit's, found by the vault folder in their
/// environment) may write no core file.
fn no_core_dumps(w: &World) {
    let marker = format!("AMPARO_VAULT_DIR={}", w.vault_dir.display());
    let mut checked = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let dir = entry.path();
        let Ok(comm) = std::fs::read_to_string(dir.join("comm")) else {
            continue;
        };
        let comm = comm.trim().to_owned();
        // (Names cut at 15 characters; WebKitWebDriver is the test's, not the app's.)
        if !["amparo-app", "WebKitWebProces", "WebKitNetworkPr"].contains(&comm.as_str()) {
            continue;
        }
        let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
        if !environ.split(|b| *b == 0).any(|kv| kv == marker.as_bytes()) {
            continue;
        }
        let limits = std::fs::read_to_string(dir.join("limits")).unwrap_or_default();
        let core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or("");
        let fields: Vec<&str> = core.split_whitespace().collect();
        assert_eq!(
            fields.get(4..6),
            Some(&["0", "0"][..]),
            "{comm} may dump core: {core:?}"
        );
        checked.push(comm);
    }
    assert!(
        checked.iter().any(|c| c == "amparo-app") && checked.iter().any(|c| c == "WebKitWebProces"),
        "the app and its web process were checked: {checked:?}"
    );
}

/// What a script in the page (a decoder bug in an evidence image, say) could try: every command
/// that writes or reads a file the person chose, given a path of its own (the autostart folder,
/// the vault's key file) instead of a dialog's token, is refused, and nothing is written; the
/// page cannot open a dialog itself either.
async fn no_path_from_the_page(w: &World) {
    let c = &w.c;
    let autostart = w.tmp.path().join("config/autostart/evil.desktop");
    let key_file = w.vault_dir.join("vault.json");
    let key_before = std::fs::read(&key_file).expect("vault.json");
    let invoke = |cmd: &str, args: String| {
        format!(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('{cmd}', {args})
               .then(() => done('accepted'), (e) => done(JSON.stringify(e)));"
        )
    };
    for target in [&autostart, &key_file] {
        let t = serde_json::to_string(&target.display().to_string()).expect("json");
        let attempts = [
            ("backup_vault", format!("{{chosen: {t}}}")),
            ("save_packet", format!("{{id: 'x', chosen: {t}}}")),
            (
                "export_ics",
                format!("{{chosen: {t}, options: {{days: 7, include_names: true, lang: 'en'}}}}"),
            ),
            ("save_attachment_copy", format!("{{id: 'x', chosen: {t}}}")),
            (
                "restore_backup",
                format!("{{chosen: {t}, passphrase: 'x', actor: 'x', moveExistingAside: true}}"),
            ),
        ];
        for (cmd, args) in attempts {
            let answer = c
                .execute_async(&invoke(cmd, args), vec![])
                .await
                .expect("invoke");
            let answer = answer.as_str().unwrap_or_default().to_owned();
            assert!(
                answer.contains("path_unusable"),
                "{cmd} with {}: {answer}",
                target.display()
            );
        }
    }
    assert!(
        !autostart.exists(),
        "something was written to the autostart folder"
    );
    assert_eq!(std::fs::read(&key_file).expect("vault.json"), key_before);
    // Nor may the page open a dialog of its own (the plugin's commands are not granted to it).
    let answer = c
        .execute_async(
            &invoke("plugin:dialog|save", "{options: {}}".to_owned()),
            vec![],
        )
        .await
        .expect("invoke");
    assert_ne!(
        answer.as_str(),
        Some("accepted"),
        "the page opened a save dialog"
    );
}

/// Every file a session left in the XDG folders of its fresh home, as paths below it.
pub(crate) fn files_under(home: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = ["data", "cache", "config"]
        .iter()
        .map(|d| home.join(d))
        .collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(
                std::fs::read_dir(&p)
                    .expect("dir")
                    .flatten()
                    .map(|e| e.path()),
            );
        } else if p.exists() {
            let below = p.strip_prefix(home).expect("under");
            found.push(below.display().to_string());
        }
    }
    found
}

/// Files that hold no page data: WebKit's random salts and empty HSTS list (made for any web
/// context before a page runs), Mesa's compiled shaders, GTK's settings database, and GTK's
/// recent-files list (checked for the chosen files' names in `no_recent_files_entry`).
/// Anything else under the session's home (local storage, cache entries, cookies, IndexedDB)
/// would be the page's.
pub(crate) fn content_free(path: &str) -> bool {
    path.ends_with("/salt")
        || path.ends_with("hsts-storage.sqlite")
        || path.starts_with("cache/mesa_shader_cache/")
        || path == "cache/dconf/user"
        || path == "data/recently-used.xbel"
}

/// What the session wrote under its fresh home, after it chose a language, unlocked, locked
/// and reloaded: only the backend's `ui.json` (the language) and content-free files. The
/// language used to be kept in the page's local storage.
pub(crate) fn no_webview_profile(w: &World) {
    let found = files_under(w.tmp.path());
    eprintln!("files the session left in its home: {found:?}");
    let webview: Vec<&String> = found
        .iter()
        .filter(|f| !f.ends_with("/ui.json") && !content_free(f))
        .collect();
    assert!(webview.is_empty(), "the webview kept files: {webview:?}");
    assert!(
        found.iter().any(|f| f.ends_with("/ui.json")),
        "the language choice was kept by the backend"
    );
}

pub(crate) async fn traces(w: &mut World) {
    no_recent_files_entry(w);
    no_core_dumps(w);
    no_path_from_the_page(w).await;
}
