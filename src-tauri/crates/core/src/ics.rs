//! Upcoming hearings as an iCalendar file. Instants are written in UTC, which every calendar
//! app turns into the reader's local time. By default an event names people only by initials
//! and the last three digits of the A-number; full names need an explicit choice.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use serde::{Deserialize, Serialize};

use crate::codes::{Court, Port};
use crate::error::Result;
use crate::hearings::{HearingLine, PersonLine};
use crate::vault::Vault;
use crate::zoned::parse_utc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum IcsLang {
    En,
    Es,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct IcsOptions {
    /// How many days ahead (1–90).
    pub days: u32,
    /// Full names instead of initials: only when the user explicitly asks.
    pub include_names: bool,
    pub lang: IcsLang,
    /// Everyone's hearings, or the acting member's caseload.
    #[serde(default)]
    pub scope: crate::caseload::Scope,
}

/// What went into the file, for the UI to confirm.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct IcsExport {
    pub events: u32,
    pub text: String,
}

pub fn court_name(c: Court) -> &'static str {
    match c {
        Court::SanDiego => "San Diego",
        Court::Calexico => "Calexico",
        Court::ElPaso => "El Paso",
        Court::LaredoTent => "Laredo (MPP tent court)",
        Court::BrownsvilleTent => "Brownsville (MPP tent court)",
        Court::Harlingen => "Harlingen",
        Court::SanAntonio => "San Antonio",
        Court::Other => "—",
    }
}

pub fn port_name(p: Port) -> &'static str {
    match p {
        Port::SanYsidro => "San Ysidro",
        Port::CalexicoWest => "Calexico West",
        Port::ElPasoPdn => "El Paso (Paso del Norte)",
        Port::Laredo => "Laredo",
        Port::BrownsvilleGateway => "Brownsville (Gateway)",
        Port::EaglePass => "Eagle Pass",
        Port::Nogales => "Nogales",
        Port::Other => "—",
    }
}

/// "Glenda María Reyes" → "G. M. R."; "A-201-234-567" → "…567".
pub fn initials_and_digits(p: &PersonLine) -> String {
    let initials: Vec<String> = p
        .name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect();
    match p.a_number.as_deref() {
        Some(a) if a.len() >= 3 => format!("{} (…{})", initials.join(" "), &a[a.len() - 3..]),
        _ => initials.join(" "),
    }
}

fn event_for(line: &HearingLine, include_names: bool, lang: IcsLang) -> Option<Event> {
    let h = &line.hearing;
    let start: DateTime<Utc> = parse_utc(&h.scheduled_at_utc)?;
    let who: Vec<String> = line
        .people
        .iter()
        .map(|p| {
            if include_names {
                match &p.a_number {
                    Some(a) => format!("{} ({a})", p.name),
                    None => p.name.clone(),
                }
            } else {
                initials_and_digits(p)
            }
        })
        .collect();
    let (title, court_l, report_l, people_l, zone_l) = match lang {
        IcsLang::En => ("MPP hearing", "Court", "Report to", "People", "court time"),
        IcsLang::Es => (
            "Audiencia MPP",
            "Corte",
            "Presentarse en",
            "Personas",
            "hora de la corte",
        ),
    };
    let mut description = format!(
        "{court_l}: {} ({} {zone_l}: {} {})\n{people_l}: {}",
        court_name(h.court),
        h.court_zone,
        h.at_court.local.replace('T', " "),
        h.at_court.abbrev,
        who.join("; ")
    );
    if let (Some(port), Some(r)) = (h.port, &h.report_at_port) {
        description.push_str(&format!(
            "\n{report_l} {}: {} {}",
            port_name(port),
            r.local.replace('T', " "),
            r.abbrev
        ));
    }
    Some(
        Event::new()
            .uid(&format!("{}@amparo", h.id))
            .timestamp(start)
            .summary(&format!(
                "{title}: {} — {}",
                who.join(", "),
                court_name(h.court)
            ))
            .description(&description)
            .location(court_name(h.court))
            .starts(start)
            .ends(start + Duration::hours(1))
            .done(),
    )
}

impl Vault {
    /// Builds the calendar and records the export in the audit trail. The caller writes the
    /// text only to the place the user chose.
    pub fn export_ics(&mut self, opts: &IcsOptions, now: DateTime<Utc>) -> Result<IcsExport> {
        let ics = self.calendar(opts, now)?;
        self.write(|tx| log_calendar(tx, opts))?;
        Ok(ics)
    }

    /// The calendar written to `path`, logged in the transaction that writes it.
    pub fn save_ics(
        &mut self,
        opts: &IcsOptions,
        now: DateTime<Utc>,
        path: &std::path::Path,
    ) -> Result<(IcsExport, u64)> {
        let ics = self.calendar(opts, now)?;
        let ((), n) = self.export_logged(path, ics.text.as_bytes(), |tx| log_calendar(tx, opts))?;
        Ok((ics, n))
    }

    fn calendar(&self, opts: &IcsOptions, now: DateTime<Utc>) -> Result<IcsExport> {
        let up = self.week(opts.days, now, opts.scope)?;
        let mut cal = Calendar::new();
        cal.name(match opts.lang {
            IcsLang::En => "MPP hearings (Amparo)",
            IcsLang::Es => "Audiencias MPP (Amparo)",
        });
        let mut events = 0u32;
        for line in up
            .days
            .iter()
            .flat_map(|d| d.ports.iter())
            .flat_map(|p| p.lines.iter())
        {
            if let Some(e) = event_for(line, opts.include_names, opts.lang) {
                cal.push(e);
                events += 1;
            }
        }
        Ok(IcsExport {
            events,
            text: cal.done().to_string(),
        })
    }
}

fn log_calendar(tx: &mut crate::store::Write<'_>, opts: &IcsOptions) -> Result<()> {
    let what = if opts.include_names {
        "ics_with_names"
    } else {
        "ics_initials"
    };
    tx.record("export", "hearings", what, &[]);
    Ok(())
}
