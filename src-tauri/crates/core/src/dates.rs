//! Dates that may be only partly known ("2019", "2019-07", "2019-07-14") and UTC instants.

use chrono::{Datelike, NaiveDate, Utc};

use crate::error::{Error, FieldCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl PartialDate {
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y] => Some(PartialDate::Year(i32::try_from(num(y, 4)?).ok()?)),
            [y, m] => {
                let (y, m) = (i32::try_from(num(y, 4)?).ok()?, num(m, 2)?);
                (1..=12).contains(&m).then_some(PartialDate::Month(y, m))
            }
            [y, m, d] => {
                NaiveDate::from_ymd_opt(i32::try_from(num(y, 4)?).ok()?, num(m, 2)?, num(d, 2)?)
                    .map(PartialDate::Day)
            }
            _ => None,
        }
        .filter(|p| p.first_day().year() >= 1900)
    }

    /// The earliest day the date could mean.
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Day(d) => Some(d),
        }
        .unwrap_or(NaiveDate::MIN)
    }

    /// The latest day the date could mean.
    pub fn last_day(&self) -> NaiveDate {
        match *self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1)
                .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                .and_then(|d| d.pred_opt()),
            PartialDate::Day(d) => Some(d),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    pub fn precision(&self) -> &'static str {
        match self {
            PartialDate::Year(_) => "year",
            PartialDate::Month(..) => "month",
            PartialDate::Day(_) => "day",
        }
    }

    /// Age in whole years on `on`, counted from the earliest day the date could mean.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        on.years_since(self.first_day())
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Validates an optional partial date field: well formed, and (if `past_only`) not after today.
pub fn optional_past_date(
    field: &str,
    value: Option<&str>,
    past_only: bool,
    errors: &mut Vec<crate::error::FieldError>,
) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    match PartialDate::parse(v) {
        None => {
            errors.push(crate::error::FieldError::new(field, FieldCode::DateFormat));
            None
        }
        Some(d) if past_only && d.first_day() > today() => {
            errors.push(crate::error::FieldError::new(
                field,
                FieldCode::DateInFuture,
            ));
            None
        }
        Some(d) => Some(d.to_string()),
    }
}

pub fn parse_required(field: &str, value: &str) -> Result<PartialDate> {
    PartialDate::parse(value).ok_or_else(|| Error::validation(field, FieldCode::DateFormat))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(PartialDate::parse("2019"), Some(PartialDate::Year(2019)));
        assert_eq!(
            PartialDate::parse("2019-07"),
            Some(PartialDate::Month(2019, 7))
        );
        assert_eq!(
            PartialDate::parse("2019-07-14").map(|d| d.to_string()),
            Some("2019-07-14".into())
        );
        for bad in [
            "19",
            "2019-13",
            "2019-02-30",
            "2019/07/14",
            "abcd",
            "1850",
            "2019-7-1",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn future_dates_of_birth_are_refused() {
        let mut errs = Vec::new();
        let tomorrow = (today() + chrono::Days::new(1))
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!(
            optional_past_date("dob", Some(&tomorrow), true, &mut errs),
            None
        );
        assert_eq!(errs[0].code.code(), "date_in_future");
        let mut errs = Vec::new();
        assert_eq!(
            optional_past_date("dob", Some("2020-02-29"), true, &mut errs).as_deref(),
            Some("2020-02-29")
        );
        assert!(errs.is_empty());
    }

    #[test]
    fn age_counts_whole_years() {
        let d = PartialDate::parse("2020-06-15").expect("date");
        let on = NaiveDate::from_ymd_opt(2024, 6, 14).expect("on");
        assert_eq!(d.age_on(on), Some(3));
        assert_eq!(d.age_on(on.succ_opt().expect("succ")), Some(4));
    }
}
