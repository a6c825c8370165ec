//! Tampering and damage behind the app's back, found and refused; the backup restored.

use fantoccini::Locator;

use crate::app::World;
use crate::app::behind_the_app;
use crate::ui::*;
use crate::{FAMILY, GIVEN, PASS};

pub(crate) async fn damage_and_restore(w: &mut World) {
    let c = &w.c;
    let tmp = &w.tmp;
    let vault_dir = &w.vault_dir;
    let _evidence = &w.evidence;
    let backup = &w.backup;
    // 10b. Someone with the key edits the history behind the app's back (as with the
    // SQLCipher shell): on the next unlock the app verifies the chain and names the first
    // bad entry.
    behind_the_app(vault_dir, |v| {
        v.connection_for_tools()
            .execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2", [])
            .expect("tamper")
    });
    fill(c, "[data-testid=unlock-passphrase]", PASS).await;
    click(c, "[data-testid=unlock-submit]").await;
    let alert = wait_text(c, "[data-testid=audit-alert]", "2").await;
    assert!(alert.contains("historial"), "{alert}");
    shot(c, "e2e-5b-audit-alert.png").await;
    // And it takes no changes: saving the settings is refused with the reason.
    click(c, "[data-testid=nav-settings]").await;
    click(c, "form.panel button[type=submit]").await;
    wait_text(c, "p.error[role=alert]", "no acepta cambios").await;
    click(c, "[data-testid=lock]").await;
    wait_css(c, "[data-testid=unlock-passphrase]").await;

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
    fill(c, "[data-testid=unlock-passphrase]", PASS).await;
    click(c, "[data-testid=unlock-submit]").await;
    let err = wait_text(c, "[data-testid=unlock-error]", "dañad").await;
    assert!(
        !err.contains("no abre"),
        "not called a wrong passphrase: {err}"
    );
    wait_text(
        c,
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
    click(c, "[data-testid=restore-open]").await;
    answer_open_dialog("Elija una copia de Amparo", backup);
    wait_css(c, "[data-testid=restore-panel]").await;
    fill(c, "[data-testid=unlock-passphrase]", PASS).await;
    click(c, "[data-testid=restore-confirm]").await;
    click(c, "[data-testid=restore-submit]").await;
    click(c, "[data-testid=nav-clients]").await;
    wait_text(c, "[data-testid=client-list]", GIVEN).await;
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
    shot(c, "e2e-6-restored.png").await;
    assert_inert(c, "after the whole session", None).await;

    // 12. A record edited behind the app's back (the audit log untouched): the background
    // check compares each record with what its newest history entry says of it.
    click(c, "[data-testid=lock]").await;
    wait_css(c, "[data-testid=unlock-passphrase]").await;
    let changed = behind_the_app(vault_dir, |v| {
        v.connection_for_tools()
            .execute(
                "UPDATE clients SET given_names = 'Mallory' WHERE family_names = ?1",
                [FAMILY],
            )
            .expect("tamper")
    });
    assert_eq!(changed, 1);
    fill(c, "[data-testid=unlock-passphrase]", PASS).await;
    click(c, "[data-testid=unlock-submit]").await;
    let alert = wait_text(c, "[data-testid=audit-alert]", "fuera de Amparo").await;
    assert!(alert.contains("Un registro"), "{alert}");
    click(c, "[data-testid=lock]").await;
    wait_css(c, "[data-testid=unlock-passphrase]").await;

    // 13. Damage deep in the file, in a page unlocking does not read: the vault opens, the
    // background check finds it, says so, and the vault takes no changes.
    // The page chosen holds the evidence files (read only when they are opened).
    {
        let page: i64 = behind_the_app(vault_dir, |v| {
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
    fill(c, "[data-testid=unlock-passphrase]", PASS).await;
    click(c, "[data-testid=unlock-submit]").await;
    wait_text(c, "[data-testid=audit-alert]", "dañado").await;
    shot(c, "e2e-7-damage-found-after-unlock.png").await;
    click(c, "[data-testid=nav-settings]").await;
    click(c, "form.panel button[type=submit]").await;
    wait_text(c, "p.error[role=alert]", "dañad").await;
}
