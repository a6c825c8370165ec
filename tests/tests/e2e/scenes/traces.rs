//! What the session leaves outside the vault: no recent-files entry for what the dialogs
//! chose, and no core dump should the app or its web processes crash.

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

pub(crate) async fn traces(w: &mut World) {
    no_recent_files_entry(w);
    no_core_dumps(w);
}
