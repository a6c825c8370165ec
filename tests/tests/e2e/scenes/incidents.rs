//! An incident with its evidence: stored encrypted, previewed from memory, found by search.

use fantoccini::Locator;

use crate::app::World;
use crate::ui::*;
use crate::{GIVEN, current_year};

pub(crate) async fn incidents_and_evidence(w: &mut World) {
    let c = &w.c;
    let evidence = &w.evidence;
    let scan_roots = &w.scan_roots;
    // 3g. Search finds the client from the top bar; an incident that made her miss the hearing,
    // with a photo and a PDF as evidence, previewed inside the app.
    search_for(c, "hernandez").await;
    wait_text(c, "[data-testid=search-group][data-kind=client]", GIVEN).await;
    click(c, "[data-testid=search-group][data-kind=client] button.hit").await;
    click(c, "[data-testid=add-incident]").await;
    let incident_year = current_year() - 1;
    fill(c, "#date_start", &format!("{incident_year}-11")).await;
    select(c, "#state", "TAMPS").await;
    fill(c, "#inc-city", "Nuevo Laredo").await;
    click(c, "[data-testid=act-kidnapping]").await;
    click(c, "[data-testid=act-extortion]").await;
    // Dania, three years old, was with her.
    click(c, "[data-testid=victim-family_member-0]").await;
    c.execute(
        "const s = document.querySelector('[data-testid=missed-hearing]'); s.selectedIndex = 1; s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await
    .expect("pick the hearing");
    fill(
        c,
        "#narrative",
        "Los retuvieron en una bodega cerca del puente.",
    )
    .await;
    click(c, "[data-testid=incident-save]").await;
    wait_css(c, "[data-testid=incident-saved]").await;
    // The note and the place to attach evidence come into view after the first save.
    assert_in_view(c, "[data-testid=incident-saved]", true).await;

    evidence.assert_nowhere(scan_roots, "before attaching");
    attach(c, &evidence.png).await;
    wait_text(c, "[data-testid=attachments]", "image/png").await;
    attach(c, &evidence.pdf).await;
    wait_text(c, "[data-testid=attachments]", "application/pdf").await;
    evidence.assert_nowhere(scan_roots, "after attaching");

    click(
        c,
        "[data-testid=attachment-row]:nth-child(1) [data-testid=preview]",
    )
    .await;
    wait_css(c, "[data-testid=preview-image]").await;
    shot(c, "e2e-2e-preview-image.png").await;
    click(c, "[data-testid=preview-close]").await;
    click(
        c,
        "[data-testid=attachment-row]:nth-child(2) [data-testid=preview]",
    )
    .await;
    wait_css(c, "[data-testid=preview-pdf] canvas").await;
    shot(c, "e2e-2f-preview-pdf.png").await;
    click(c, "[data-testid=preview-close]").await;
    evidence.assert_nowhere(scan_roots, "after previewing");

    // An empty file is refused with a clear message and nothing is stored.
    attach(c, &evidence.empty).await;
    let refused = wait_text(c, "[data-testid=attachment-error]", "empty").await;
    assert!(refused.contains("empty.txt"), "{refused}");
    let rows = c
        .find_all(Locator::Css("[data-testid=attachment-row]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);

    // The hearing shows the incident that made her miss it; the timeline shows the month-only
    // date as a month (never a day), both acts and the child; search finds the narrative.
    click(c, "[data-testid=incident-save]").await;
    wait_text(c, "[data-testid=linked-incident]", "Kidnapping, Extortion").await;
    let tl = text_of(c, "[data-testid=timeline]").await;
    let month = format!("November {incident_year}");
    assert!(
        tl.contains(&month) && !tl.contains(&format!("November 1, {incident_year}")),
        "{tl}"
    );
    assert!(tl.contains("1 child harmed"), "{tl}");
    search_for(c, "bodega").await;
    wait_text(c, "[data-testid=search-group][data-kind=incident]", GIVEN).await;
    shot(c, "e2e-2g-search.png").await;
}
