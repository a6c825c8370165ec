//! A complaint packet: the consent step, built and previewed in memory, saved through the real
//! dialog, read back, logged.

use fantoccini::Locator;

use crate::PAYLOAD_NARRATIVE;
use crate::app::World;
use crate::ui::*;
use crate::{GIVEN, current_year};
use std::process::Command;

pub(crate) async fn packets(w: &mut World) {
    let c = &w.c;
    let evidence = &w.evidence;
    let scan_roots = &w.scan_roots;
    let out_dir = &w.out_dir;
    let incident_year = current_year() - 1;
    // 4b. A complaint packet: a second incident, then the builder for this client with both
    // incidents and the photo, built, previewed from memory, saved through the real system
    // dialog, found where it was saved, and listed in the client's disclosure log.
    search_for(c, "hernandez").await;
    wait_text(c, "[data-testid=search-group][data-kind=client]", GIVEN).await;
    click(c, "[data-testid=search-group][data-kind=client] button.hit").await;
    click(c, "[data-testid=add-incident]").await;
    fill(c, "#date_start", &format!("{incident_year}-12-02")).await;
    fill(c, "#inc-city", "Ciudad Juárez").await;
    click(c, "[data-testid=act-physical_assault]").await;
    // What an incident can now say: who the perpetrators looked like, how long she was held,
    // a ransom paid by a relative, amount unknown.
    fill(
        c,
        "#perpetrator_detail",
        "hombres con uniformes de la policía federal",
    )
    .await;
    fill(c, "#held_days", "7").await;
    select(c, "#paidq", "yes").await;
    fill(c, "#paid_by", "su hermano en Houston").await;
    // The child without consent wrote from an address carrying her name: it goes too.
    let narrative = format!("{PAYLOAD_NARRATIVE} Dania escribió desde dania.h@gmail.com.");
    fill(c, "#narrative", &narrative).await;
    click(c, "[data-testid=incident-save]").await;
    wait_css(c, "[data-testid=incident-saved]").await;
    click(c, "[data-testid=incident-save]").await;
    assert_inert(c, "client page with the incident", None).await;
    click_until(c, "[data-testid=new-packet]", "[data-testid=packet-people]").await;
    wait_css(c, "[data-testid=packet-people]").await;
    set_checked(c, "[data-testid=profile-identified]", true).await;
    // Dania's consent does not cover DHS oversight: the builder says so.
    let lacking = wait_text(c, "[data-testid=packet-lacking]", "consent").await;
    assert!(lacking.contains('1'), "{lacking}");
    let incidents = c
        .find_all(Locator::Css("[data-testid=packet-incident]"))
        .await
        .expect("incidents");
    assert_eq!(incidents.len(), 2);
    let exhibits = c
        .find_all(Locator::Css("[data-testid=packet-exhibit]"))
        .await
        .expect("exhibits");
    assert_eq!(
        exhibits.len(),
        2,
        "the photo and the PDF are offered as exhibits"
    );
    shot(c, "e2e-3a-packet-builder.png").await;
    click(c, "[data-testid=packet-build]").await;
    // No organisation or signer yet: the builder asks before printing a letter without them.
    wait_css(c, "[data-testid=org-ask]").await;
    fill(c, "[data-testid=ask-org-name]", "Clínica Fronteriza").await;
    fill(c, "[data-testid=ask-org-signer]", "Lic. Ana Ruiz").await;
    click(c, "[data-testid=org-ask-save]").await;
    wait_css(c, "[data-testid=packet-preview] canvas").await;
    let built = wait_text(c, "[data-testid=packet-built]", "pages").await;
    // What was built comes into view, not below the fold.
    assert_in_view(c, "[data-testid=packet-built]", false).await;
    assert!(built.contains("SHA-256"), "{built}");
    shot(c, "e2e-3b-packet-preview.png").await;
    // What the scrubber took out is shown, each replacement beside what it replaced.
    let review = wait_text(c, "[data-testid=scrub-replaced]", "dania.h@gmail.com").await;
    assert!(review.contains("[contact withheld]"), "{review}");
    c.execute(
        "document.querySelector('[data-testid=scrub-review]').scrollIntoView({block: 'center'})",
        vec![],
    )
    .await
    .expect("scroll");
    shot(c, "e2e-3c-scrub-review.png").await;
    assert_top_bar_stays(c, "packet builder").await;
    assert_inert(c, "packet builder and preview", None).await;
    evidence.assert_nowhere(scan_roots, "after building a packet");
    let out = out_dir.join("queja-crcl.pdf");
    click(c, "[data-testid=packet-save]").await;
    answer_save_dialog("Save the complaint packet", &out);
    wait_css(c, "[data-testid=packet-saved]").await;
    let pdf = std::fs::read(&out).expect("the packet is where the dialog saved it");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    // Compared without whitespace: a line may break between any two words.
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains(GIVEN) && flat.contains("NuevoLaredo"),
        "{text}"
    );
    assert!(flat.contains("CiudadJuárez") && flat.contains("Physicalassault"));
    for said in [
        "hombresconuniformesdelapolicíafederal",
        "Heldfor7days",
        "Ransomorextortionpaid",
        "paidbyoraskedof:suhermanoenHouston",
    ] {
        assert!(flat.contains(said), "{said} missing: {text}");
    }
    // The narrative's markup is printed in the PDF as the words it is.
    assert!(
        flat.contains("<script>window.__pwned='narrative'</script>"),
        "{text}"
    );
    assert!(
        !text.contains("Dania") && !flat.contains("dania.h@gmail.com"),
        "a child without consent is not named"
    );
    assert!(flat.contains("[contactwithheld]"), "{text}");
    assert!(
        flat.contains("ClínicaFronteriza") && flat.contains("Lic.AnaRuiz"),
        "the letterhead and the signer asked for are printed: {text}"
    );
    assert!(!text.contains("set it in Settings"), "{text}");
    click(c, "[data-testid=packet-back]").await;
    wait_text(c, "[data-testid=packet-log]", "Identified").await;
    let rows = c
        .find_all(Locator::Css("[data-testid=packet-row]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    // Search results quote the narrative around the words found: still text.
    search_for(c, "golpeó albergue").await;
    wait_text(c, "[data-testid=search-group][data-kind=incident]", GIVEN).await;
    assert_inert(c, "search results", None).await;
}
