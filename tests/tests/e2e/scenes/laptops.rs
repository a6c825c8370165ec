//! Two laptops, one record. On the coordinator's laptop (A, a vault the `amparo` command
//! filled) the Laptops panel adds a laptop and sets the sync folder; a second app (B), on a
//! laptop with no vault, joins the clinic vault from the seed and chooses the same folder. An edit on A appears on B; the same
//! field changed on both lands in B's "Needs review" queue, is resolved there, and the
//! resolution reaches A. Locking sends the last changes, or says why it could not.

use std::path::Path;
use std::process::Command;

use fantoccini::Client;

use crate::PASS;
use crate::app::{self, Driver, workspace};
use crate::ui::{
    answer_folder_dialog, answer_open_dialog, answer_save_dialog, click, click_until, fill,
    open_client, shot, text_of, wait_css, wait_text,
};

const ME: &str = "CO";

fn amparo(vault: &Path, args: &[&str]) {
    let bin = workspace().join("target/debug/amparo");
    let out = Command::new(&bin)
        .args(args)
        .env("AMPARO_VAULT_DIR", vault)
        .env("AMPARO_PASSPHRASE", PASS)
        .env("AMPARO_MEMBER", ME)
        .output()
        .unwrap_or_else(|e| panic!("{} ({e}): scripts/test.sh builds it", bin.display()));
    assert!(
        out.status.success(),
        "amparo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn launch(home: &Path, vault: &Path, port: u16) -> (Client, Driver) {
    std::fs::create_dir_all(home).expect("home");
    let driver = app::start_driver(home, vault, port);
    let c = app::connect(driver.1, &app::app_binary()).await;
    (c, driver)
}

/// A round with the sync folder, asked for on the Laptops panel; waits until it is reported.
async fn sync_now(c: &Client) {
    click(c, "[data-testid=nav-settings]").await;
    wait_css(c, "[data-testid=sync-now]").await;
    let seq = || async {
        c.execute(
            "const e = document.querySelector('[data-testid=sync-last-round]');
             return e ? e.dataset.seq : '0';",
            vec![],
        )
        .await
        .map(|v| v.as_str().unwrap_or("0").to_owned())
        .unwrap_or_default()
    };
    let before = seq().await;
    click(c, "[data-testid=sync-now]").await;
    for _ in 0..150 {
        if seq().await != before {
            let said = text_of(c, "[data-testid=sync-last-round]").await;
            assert!(
                said.contains("Last sync") && !said.contains("not brought in"),
                "the round failed: {said}"
            );
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the sync round was never reported");
}

/// Opens the client whose family names are `family` from the list's filter.
async fn rename_family(c: &Client, to: &str) {
    click(c, "[data-testid=edit-client]").await;
    fill(c, "#family_names", to).await;
    click(c, "[data-testid=intake-save]").await;
    wait_text(c, "[data-testid=client-name]", to).await;
}

pub(crate) async fn two_laptops() {
    let tmp = tempfile::tempdir().expect("tmp");
    let shared = tmp.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared folder");
    let a_vault = tmp.path().join("a/vault");
    let seed = tmp.path().join("shelter.amparo-laptop");
    amparo(&a_vault, &["create", "--fast-kdf"]);
    amparo(&a_vault, &["seed", "--clients", "3", "--seed", "5"]);

    // A: the coordinator adds a laptop and chooses the sync folder, all on the Laptops panel.
    let (a, a_driver) = launch(&tmp.path().join("a"), &a_vault, 4484).await;
    fill(&a, "[data-testid=unlock-passphrase]", PASS).await;
    fill(&a, "[data-testid=unlock-actor]", ME).await;
    click(&a, "[data-testid=unlock-submit]").await;
    wait_css(&a, "[data-testid=nav-home]").await;
    click(&a, "[data-testid=nav-settings]").await;
    fill(&a, "[data-testid=new-laptop-name]", "Shelter laptop").await;
    click(&a, "[data-testid=sync-add]").await;
    answer_save_dialog("Save the file for the new laptop", &seed);
    wait_text(&a, "[data-testid=sync-message]", "Join a clinic vault").await;
    assert!(seed.exists(), "the seed was written where the dialog said");
    fill(&a, "[data-testid=laptop-name]", "Office laptop").await;
    click(&a, "[data-testid=laptop-name-save]").await;
    wait_text(&a, "[data-testid=sync-message]", "name was saved").await;
    click(&a, "[data-testid=sync-folder-choose]").await;
    answer_folder_dialog("Choose the sync folder", &shared);
    wait_text(&a, "[data-testid=sync-folder]", "shared").await;

    // B: a laptop with no vault joins the clinic's from the seed.
    let (b, b_driver) = launch(&tmp.path().join("b"), &tmp.path().join("b/vault"), 4474).await;
    click(&b, "[data-testid=join-instead]").await;
    click(&b, "[data-testid=join-pick]").await;
    answer_open_dialog("Choose the file your coordinator made", &seed);
    wait_css(&b, "[data-testid=join-file]").await;
    fill(&b, "[data-testid=join-passphrase]", PASS).await;
    fill(&b, "[data-testid=join-actor]", ME).await;
    click(&b, "[data-testid=join-submit]").await;
    wait_css(&b, "[data-testid=nav-home]").await;
    click(&b, "[data-testid=nav-settings]").await;
    click(&b, "[data-testid=sync-folder-choose]").await;
    answer_folder_dialog("Choose the sync folder", &shared);
    wait_text(&b, "[data-testid=sync-folder]", "shared").await;
    wait_text(&b, "[data-testid=sync-peers]", "Office laptop").await;
    shot(&b, "e2e-laptops-panel.png").await;

    // An edit on A appears on B.
    click(&a, "[data-testid=nav-clients]").await;
    click_until(
        &a,
        "[data-testid=client-row-name]",
        "[data-testid=edit-client]",
    )
    .await;
    rename_family(&a, "Desde-A").await;
    sync_now(&a).await;
    sync_now(&b).await;
    open_client(&b, "Desde-A").await;

    // The same field changed on both: B's review queue, resolved there for A's version.
    open_client(&a, "Desde-A").await;
    rename_family(&a, "Clash-A").await;
    sync_now(&a).await;
    rename_family(&b, "Clash-B").await;
    sync_now(&b).await;
    click(&b, "[data-testid=nav-review]").await;
    wait_css(&b, "[data-testid=clash]").await;
    let queue = text_of(&b, "[data-testid=review-queue]").await;
    assert!(
        queue.contains("Clash-A") && queue.contains("Clash-B") && queue.contains("Office laptop"),
        "both versions and the laptops are shown: {queue}"
    );
    shot(&b, "e2e-review-queue.png").await;
    let keep = b
        .execute(
            "const rows = [...document.querySelectorAll('[data-testid=clash-version]')];
             return rows.findIndex((r) => r.textContent.includes('Clash-A')) + 1;",
            vec![],
        )
        .await
        .expect("rows");
    let n = keep.as_u64().expect("index");
    assert!(n > 0, "A's version is in the queue");
    click(
        &b,
        &format!("[data-testid=clash-version]:nth-of-type({n}) [data-testid=clash-keep]"),
    )
    .await;
    wait_css(&b, "[data-testid=review-empty]").await;
    assert!(
        b.find(fantoccini::Locator::Css("[data-testid=nav-review]"))
            .await
            .is_err(),
        "the review queue's button is gone once it is empty"
    );

    // The resolution is a change that travels: A shows the kept version, nothing to review.
    sync_now(&b).await;
    sync_now(&a).await;
    open_client(&a, "Clash-A").await;
    assert!(
        a.find(fantoccini::Locator::Css("[data-testid=nav-review]"))
            .await
            .is_err(),
        "A has nothing to review"
    );
    open_client(&b, "Clash-A").await;

    // Locking sends what is left, and the unlock screen says so: A's last edit leaves with
    // A's lock. B's stick is taken out before B locks: B's screen says its changes stayed in
    // its vault for the next round.
    rename_family(&a, "Al-cerrar").await;
    click(&a, "[data-testid=lock]").await;
    wait_text(&a, "[data-testid=lock-sent]", "sent to the sync folder").await;
    rename_family(&b, "Sin-carpeta").await;
    std::fs::rename(&shared, tmp.path().join("stick-out")).expect("take the stick out");
    click(&b, "[data-testid=lock]").await;
    let said = wait_text(
        &b,
        "[data-testid=lock-send-failed]",
        "did not reach the sync folder",
    )
    .await;
    assert!(
        said.contains("USB stick"),
        "the folder is named as why: {said}"
    );
    shot(&b, "e2e-lock-send-failed.png").await;

    a.close().await.expect("close A");
    b.close().await.expect("close B");
    drop(a_driver);
    drop(b_driver);
}
