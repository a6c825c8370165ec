//! The UI's IPC types are generated from the Rust types. This test fails when they drift;
//! `AMPARO_WRITE_BINDINGS=1 cargo test -p amparo-app --test bindings` rewrites them.

use std::path::PathBuf;

#[test]
fn ui_bindings_are_up_to_date() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let tmp = tempfile::tempdir().expect("tmp");
    let fresh = tmp.path().join("bindings.ts");
    amparo_app::export_bindings(&fresh).expect("export");
    let fresh = std::fs::read_to_string(&fresh).expect("read fresh");
    if std::env::var_os("AMPARO_WRITE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh).expect("write");
        return;
    }
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/lib/bindings.ts is out of date: run AMPARO_WRITE_BINDINGS=1 cargo test -p amparo-app --test bindings"
    );
}
