//! An encrypted backup through the real dialog.

use crate::GIVEN;
use crate::app::World;
use crate::ui::*;

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
}
