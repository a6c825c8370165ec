//! A hearing at a tent court: the home screen on both clocks, a missed hearing with its reopen
//! deadline, a fear screening, the printed week list.

use crate::PAYLOAD_ACCOUNT;
use crate::app::World;
use crate::ui::*;
use crate::{GIVEN, current_year, date_in_days};

pub(crate) async fn hearings(w: &mut World) {
    let c = &w.c;
    // 3b. A hearing at the Laredo tent court (Central time) in two days, reporting at the port.
    let day = date_in_days(2);
    click(c, "[data-testid=add-hearing]").await;
    // Court and port go together: choosing the court proposes its port, and a port on another
    // clock than the court is pointed out.
    select(c, "#court", "laredo_tent").await;
    let port = wait_css(c, "#port")
        .await
        .prop("value")
        .await
        .expect("port");
    assert_eq!(
        port.as_deref(),
        Some("laredo"),
        "the court proposed its port"
    );
    select(c, "#port", "nogales").await;
    let differ = wait_text(c, "[data-testid=zones-differ]", "court").await;
    assert!(
        (differ.contains("Central") || differ.contains("Chicago"))
            && (differ.contains("Mountain") || differ.contains("Phoenix")),
        "{differ}"
    );
    select(c, "#port", "laredo").await;
    assert!(
        c.find(fantoccini::Locator::Css("[data-testid=zones-differ]"))
            .await
            .is_err(),
        "one clock, no warning"
    );
    set_value(c, "#h-date", &day).await;
    // Typed as people type it: "0800" is eight in the morning, read back on both clocks.
    set_value(c, "#h-time", "0800").await;
    set_value(c, "#r-time", "5.00").await;
    let said = wait_text(c, "[data-testid=hearing-readback]", "08:00 at the court").await;
    assert!(said.contains("06:00 in Tijuana"), "{said}");
    let report = wait_text(c, "[data-testid=report-readback]", "05:00").await;
    assert!(report.contains("03:00 in Tijuana"), "{report}");
    click(c, "[data-testid=hearing-save]").await;
    wait_text(c, "[data-testid=timeline]", "Laredo tent court").await;

    // 3c. The home screen shows it under its day and port, on both clocks, with the A-number.
    click(c, "[data-testid=nav-home]").await;
    let group = format!("[data-testid=day-group][data-date='{day}']");
    let shown = wait_text(c, &group, "Laredo").await;
    assert!(shown.contains("08:00 C"), "court time in Central: {shown}");
    assert!(shown.contains("06:00 P"), "clinic time in Tijuana: {shown}");
    assert!(
        shown.contains("Report at Laredo") && shown.contains("05:00 C"),
        "{shown}"
    );
    assert!(
        shown.contains("A-123-456-789") && shown.contains(GIVEN),
        "{shown}"
    );
    // The first hearing of the week is in view without scrolling.
    assert_in_view(c, "[data-testid=hearing-line]", false).await;
    shot(c, "e2e-2b-home.png").await;
    assert_top_bar_stays(c, "home").await;

    // 3d. Recorded as missed (kidnapped) with an in-absentia order: the deadline appears.
    click(c, &format!("{group} button.link")).await;
    wait_text(c, "[data-testid=timeline]", "Laredo").await;
    click(c, "[data-testid=timeline] .tl-hearing button.link").await;
    select(c, "[data-testid=hearing-outcome]", "removed_in_absentia").await;
    select(c, "[data-testid=missed-reason]", "kidnapped_or_held").await;
    fill(c, "#missed_account", PAYLOAD_ACCOUNT).await;
    click(c, "[data-testid=hearing-save]").await;
    let deadline = wait_text(c, "[data-testid=reopen-deadline]", "motion to reopen").await;
    assert!(
        deadline.contains(&(current_year() + 1).to_string())
            || deadline.contains(&current_year().to_string()),
        "{deadline}"
    );
    wait_text(c, "[data-testid=timeline]", "Missed: Kidnapped or held").await;
    assert_inert(c, "timeline after the missed hearing", None).await;
    click(c, "[data-testid=nav-home]").await;
    // Deadlines are a tab of their own, counted; the coming hearings stay first.
    let tab = wait_text(c, "[data-testid=tab-in_absentia]", "(1)").await;
    assert!(tab.contains("reopen"), "{tab}");
    click(c, "[data-testid=tab-in_absentia]").await;
    let absentia = wait_text(c, "[data-testid=absentia-list]", "days left").await;
    assert!(absentia.contains(GIVEN), "{absentia}");

    // 3e. A fear screening appears on the timeline.
    click(c, "[data-testid=absentia-list] button.link").await;
    click(c, "[data-testid=add-screening]").await;
    fill(c, "#screened_on", "2019-07").await;
    select(c, "[data-testid=screening-conduct]", "refused").await;
    click(c, "[data-testid=screening-save]").await;
    let tl = wait_text(c, "[data-testid=timeline]", "Fear screening").await;
    assert!(
        tl.contains("Refused") && tl.contains("a CBP officer"),
        "{tl}"
    );
    shot(c, "e2e-2c-timeline.png").await;

    // 3f. The printable week list for the port carries the report time and the A-numbers.
    click(c, "[data-testid=nav-home]").await;
    click(c, "[data-testid=print-week]").await;
    let week = wait_text(c, ".week-table", GIVEN).await;
    assert!(
        week.contains("05:00 CST") && week.contains("A-123-456-789"),
        "{week}"
    );
    let title = text_of(c, ".print-page h1").await;
    assert!(title.contains("Laredo"), "{title}");
    shot(c, "e2e-2d-week-list.png").await;
}
