//! An encrypted backup through the real dialog.

use crate::app::World;
use crate::ui::*;
use crate::{GIVEN, PASS};

pub(crate) async fn backup(w: &mut World) {
    let c = &w.c;
    let backup = &w.backup;
    // 4c. An encrypted backup, saved through the real dialog: one file, no case text in it.
    click(c, "[data-testid=nav-settings]").await;
    wait_text(c, "[data-testid=backup-last]", "No backup yet").await;
    click(c, "[data-testid=backup-now]").await;
    answer_save_dialog("Save an encrypted backup", backup);
    wait_text(c, "[data-testid=backup-last]", "Last backup").await;
    let bytes = std::fs::read(backup).expect("the backup is where the dialog saved it");
    assert!(bytes.starts_with(b"AMPARO-BACKUP-1"));
    for plain in [GIVEN.as_bytes(), "Nuevo Laredo".as_bytes(), b"bodega"] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain),
            "plaintext in the backup"
        );
    }

    // A new key for the vault, from the settings: the old key file no longer opens it, and
    // the session carries on under the new key.
    let old_header = std::fs::read(w.vault_dir.join("vault.json")).expect("header");
    fill(c, "#rk-current", PASS).await;
    click(c, "[data-testid=rotate-key]").await;
    wait_text(c, "[data-testid=rotate-result]", "new key").await;
    let copy = tempfile::tempdir().expect("copy");
    std::fs::write(copy.path().join("vault.json"), &old_header).expect("copy");
    let old_key = amparo_core::vault::header::OnDisk::read(copy.path())
        .expect("old header")
        .open("LS", PASS.as_bytes())
        .expect("the old header still unwraps its key")
        .data_key;
    assert!(
        amparo_core::db::open_keyed(&w.vault_dir, &old_key, false).is_err(),
        "the old key still opens the database"
    );
    click(c, "[data-testid=nav-home]").await;
}
