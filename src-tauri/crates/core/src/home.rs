//! The home screen's three lists: hearings coming in the next days (by day and port), past
//! hearings still awaiting an outcome, and in-absentia orders that can still be reopened. The
//! screen asks for one page of each with its total ([`Vault::home`]) and for further pages as
//! the volunteer asks for them ([`Vault::home_page`]), so it never builds or renders more
//! lines than it shows. [`Vault::week`] gives every coming line at once, for the printed
//! week list and the calendar export; [`Vault::upcoming`] all three lists whole, for the CLI.
//! Each takes a [`Scope`]: everyone's hearings, or the acting member's caseload ("My
//! hearings"; an interpreter's are always theirs).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::caseload::{Scope, in_caseload};
use crate::codes::{Port, code_enum};
use crate::error::Result;
use crate::hearings::{HearingLine, MAX_LINES, REOPEN_DAYS, reopen_deadline};
use crate::vault::Vault;
use crate::zoned::{parse_utc, utc_string};

/// Lines in one page of a home-screen list.
pub const HOME_PAGE: u32 = 25;

/// An order still shown this many days after its reopen deadline passed.
const SHOWN_AFTER_DEADLINE: i64 = 30;

code_enum! {
    /// One of the home screen's lists.
    pub enum HomeList {
        Coming = "coming", NeedsOutcome = "needs_outcome", InAbsentia = "in_absentia",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct PortGroup {
    pub port: Option<Port>,
    pub lines: Vec<HearingLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct DayGroup {
    /// The day on the clinic's clock, "YYYY-MM-DD".
    pub date: String,
    pub ports: Vec<PortGroup>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct AbsentiaLine {
    pub line: HearingLine,
    pub deadline: String,
    /// Negative once the deadline has passed.
    pub days_left: i32,
}

/// The home screen: the first page of each list, and how many lines each list holds.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Home {
    pub clinic_zone: String,
    pub coming: Vec<DayGroup>,
    pub coming_total: u32,
    /// Past hearings still marked "scheduled": someone must find out what happened.
    pub needs_outcome: Vec<HearingLine>,
    pub needs_outcome_total: u32,
    /// Deadlines still ahead first, nearest first; then those passed, most recent first.
    pub in_absentia: Vec<AbsentiaLine>,
    pub in_absentia_total: u32,
    /// How many of them are past their deadline (they come after the others).
    pub in_absentia_passed: u32,
}

/// A further page of one list (the other two are empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct HomePage {
    pub coming: Vec<DayGroup>,
    pub needs_outcome: Vec<HearingLine>,
    pub in_absentia: Vec<AbsentiaLine>,
}

/// Every hearing of the next days (up to [`MAX_LINES`]), grouped by day and port: the printed
/// week list and the calendar export.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Week {
    pub clinic_zone: String,
    pub days: Vec<DayGroup>,
    /// More hearings matched than [`MAX_LINES`].
    pub truncated: bool,
}

/// The three lists whole (up to [`MAX_LINES`] coming, 200 awaiting an outcome, every open
/// order): `amparo hearings upcoming`.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Upcoming {
    pub clinic_zone: String,
    pub days: Vec<DayGroup>,
    pub needs_outcome: Vec<HearingLine>,
    pub in_absentia: Vec<AbsentiaLine>,
    /// More hearings matched than [`MAX_LINES`].
    pub truncated: bool,
}

/// The window of the coming list: from `now` to `days` days later (1–90), as stored strings.
fn window(days: u32, now: DateTime<Utc>) -> (String, String) {
    let days = i64::from(days.clamp(1, 90));
    (
        utc_string(&now),
        utc_string(&(now + chrono::Duration::days(days))),
    )
}

const COMING: &str = "h.scheduled_at >= ?1 AND h.scheduled_at < ?2";
const NEEDS_OUTCOME: &str = "h.outcome = 'scheduled' AND h.scheduled_at < ?1";

/// Which hearings a list reads: `base` with its arguments, narrowed to a member's caseload
/// when `me` names one (their handle the parameter after the others).
struct Which<'a> {
    sql: String,
    args: Vec<&'a dyn rusqlite::ToSql>,
}

fn which<'a>(base: &str, args: &[&'a dyn rusqlite::ToSql], me: &'a Option<String>) -> Which<'a> {
    let mut w = Which {
        sql: base.to_owned(),
        args: args.to_vec(),
    };
    if let Some(me) = me {
        w.args.push(me);
        w.sql = format!("{base} AND {}", in_caseload("h.client_id", w.args.len()));
    }
    w
}

impl Vault {
    /// The home screen for the next `days` days, as of `now`: one page of each list.
    pub fn home(&self, days: u32, now: DateTime<Utc>, scope: Scope) -> Result<Home> {
        let clinic = self.clinic_tz()?;
        let (from, to) = window(days, now);
        let me = self.caseload(scope);
        let orders = self.open_orders(now, clinic, &me)?;
        let first = self.home_page(HomeList::Coming, days, 0, HOME_PAGE, now, scope)?;
        let outcome = self.home_page(HomeList::NeedsOutcome, days, 0, HOME_PAGE, now, scope)?;
        Ok(Home {
            clinic_zone: clinic.name().to_owned(),
            coming: first.coming,
            coming_total: self.count_hearings(&which(COMING, &[&from, &to], &me))?,
            needs_outcome: outcome.needs_outcome,
            needs_outcome_total: self.count_hearings(&which(NEEDS_OUTCOME, &[&from], &me))?,
            in_absentia: self.absentia_lines(&orders, 0, HOME_PAGE as usize)?,
            in_absentia_total: u32::try_from(orders.len()).unwrap_or(u32::MAX),
            in_absentia_passed: u32::try_from(orders.iter().filter(|o| o.2 < 0).count())
                .unwrap_or(u32::MAX),
        })
    }

    /// Lines `offset..offset + limit` (at most 200) of one home-screen list.
    pub fn home_page(
        &self,
        list: HomeList,
        days: u32,
        offset: u32,
        limit: u32,
        now: DateTime<Utc>,
        scope: Scope,
    ) -> Result<HomePage> {
        let (offset, limit) = (offset as usize, limit.min(200) as usize);
        let (from, to) = window(days, now);
        let me = self.caseload(scope);
        let mut page = HomePage::default();
        match list {
            HomeList::Coming => {
                let order = "ORDER BY h.scheduled_at, h.id";
                let w = which(COMING, &[&from, &to], &me);
                let lines = self.hearing_lines_from(&w.sql, &w.args, order, limit, offset)?;
                page.coming = group_by_day_and_port(lines);
            }
            HomeList::NeedsOutcome => {
                let order = "ORDER BY h.scheduled_at DESC, h.id";
                let w = which(NEEDS_OUTCOME, &[&from], &me);
                page.needs_outcome =
                    self.hearing_lines_from(&w.sql, &w.args, order, limit, offset)?;
            }
            HomeList::InAbsentia => {
                let clinic = self.clinic_tz()?;
                let orders = self.open_orders(now, clinic, &me)?;
                page.in_absentia = self.absentia_lines(&orders, offset, limit)?;
            }
        }
        Ok(page)
    }

    /// Every hearing in the next `days` days (1–90), grouped by day and port: the printed
    /// week list and the calendar export.
    pub fn week(&self, days: u32, now: DateTime<Utc>, scope: Scope) -> Result<Week> {
        let clinic = self.clinic_tz()?;
        let (from, to) = window(days, now);
        let order = "ORDER BY h.scheduled_at, h.id";
        let me = self.caseload(scope);
        let w = which(COMING, &[&from, &to], &me);
        let lines = self.hearing_lines(&w.sql, &w.args, order, MAX_LINES + 1)?;
        let truncated = lines.len() > MAX_LINES;
        Ok(Week {
            clinic_zone: clinic.name().to_owned(),
            days: group_by_day_and_port(lines.into_iter().take(MAX_LINES).collect()),
            truncated,
        })
    }

    /// The three lists whole: the coming days, the 200 most recent hearings awaiting an
    /// outcome, and every open in-absentia order (`amparo hearings upcoming`).
    pub fn upcoming(&self, days: u32, now: DateTime<Utc>, scope: Scope) -> Result<Upcoming> {
        let week = self.week(days, now, scope)?;
        let orders = self.open_orders(now, self.clinic_tz()?, &self.caseload(scope))?;
        let outcome = self.home_page(HomeList::NeedsOutcome, days, 0, 200, now, scope)?;
        Ok(Upcoming {
            clinic_zone: week.clinic_zone,
            days: week.days,
            needs_outcome: outcome.needs_outcome,
            in_absentia: self.absentia_lines(&orders, 0, orders.len())?,
            truncated: week.truncated,
        })
    }

    fn count_hearings(&self, w: &Which<'_>) -> Result<u32> {
        let sql = format!(
            "SELECT count(*) FROM hearings h WHERE h.deleted_at IS NULL AND {}",
            w.sql
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(w.args.as_slice(), |r| r.get(0))?)
    }

    /// In-absentia orders whose reopen deadline is ahead or passed within the last 30 days:
    /// (hearing id, deadline, days left), those still ahead first, the nearest first, then
    /// those passed, the most recent first (what can still be filed comes before what cannot). Reads three columns per order, so the
    /// exact count costs little; lines are built only for the page shown.
    fn open_orders(
        &self,
        now: DateTime<Utc>,
        clinic: Tz,
        me: &Option<String>,
    ) -> Result<Vec<(String, NaiveDate, i32)>> {
        let span = REOPEN_DAYS as i64 + SHOWN_AFTER_DEADLINE + 1;
        let oldest = utc_string(&(now - chrono::Duration::days(span)));
        let today = now.with_timezone(&clinic).date_naive();
        let w = which(
            "h.outcome = 'removed_in_absentia' AND h.scheduled_at >= ?1",
            &[&oldest],
            me,
        );
        // Read from the index hearings_by_outcome alone, in its order.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT h.id, h.scheduled_at, h.court_zone FROM hearings h
             WHERE h.deleted_at IS NULL AND {} ORDER BY h.scheduled_at, h.court_zone, h.id",
            w.sql
        ))?;
        let rows = stmt.query_map(w.args.as_slice(), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, zone) = row?;
            let court: Tz = zone.parse().unwrap_or(chrono_tz::UTC);
            let Some(at) = parse_utc(&at) else { continue };
            // The order is dated on the court's calendar, as the hearing's own deadline is.
            let deadline = reopen_deadline(at.with_timezone(&court).date_naive());
            let days_left = (deadline - today).num_days();
            if days_left >= -SHOWN_AFTER_DEADLINE {
                out.push((id, deadline, i32::try_from(days_left).unwrap_or(i32::MAX)));
            }
        }
        out.sort_by_key(|o| (o.2 < 0, o.2.abs()));
        Ok(out)
    }

    fn absentia_lines(
        &self,
        orders: &[(String, NaiveDate, i32)],
        offset: usize,
        limit: usize,
    ) -> Result<Vec<AbsentiaLine>> {
        let page: Vec<&(String, NaiveDate, i32)> = orders.iter().skip(offset).take(limit).collect();
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(&page.iter().map(|o| &o.0).collect::<Vec<_>>())
            .map_err(|_| crate::error::Error::Crypto("encode"))?;
        let mut lines: HashMap<String, HearingLine> = self
            .hearing_lines(
                "h.id IN (SELECT value FROM json_each(?1))",
                &[&ids],
                "",
                limit,
            )?
            .into_iter()
            .map(|line| (line.hearing.id.clone(), line))
            .collect();
        // In the orders' own order, so pages follow on from each other.
        Ok(page
            .iter()
            .filter_map(|(id, deadline, days_left)| {
                Some(AbsentiaLine {
                    line: lines.remove(id)?,
                    deadline: deadline.format("%Y-%m-%d").to_string(),
                    days_left: *days_left,
                })
            })
            .collect())
    }
}

/// Lines in time order, grouped by their day on the clinic's clock, then by port in order of
/// first appearance.
fn group_by_day_and_port(lines: Vec<HearingLine>) -> Vec<DayGroup> {
    let mut groups: Vec<DayGroup> = Vec::new();
    for line in lines {
        let date = line.hearing.at_clinic.local[..10].to_owned();
        if groups.last().is_none_or(|g| g.date != date) {
            groups.push(DayGroup {
                date,
                ports: Vec::new(),
            });
        }
        let Some(day) = groups.last_mut() else {
            continue;
        };
        match day.ports.iter_mut().find(|p| p.port == line.hearing.port) {
            Some(p) => p.lines.push(line),
            None => day.ports.push(PortGroup {
                port: line.hearing.port,
                lines: vec![line],
            }),
        }
    }
    groups
}
