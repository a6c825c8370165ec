//! Wall-clock times in named IANA zones, stored as UTC instants plus the zone.

use chrono::{DateTime, Datelike, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::{OffsetName, Tz};

use crate::error::{FieldCode, FieldError};

pub fn parse_zone(field: &str, zone: &str, errors: &mut Vec<FieldError>) -> Option<Tz> {
    match zone.parse::<Tz>() {
        Ok(z) => Some(z),
        Err(_) => {
            errors.push(FieldError::new(field, FieldCode::UnknownZone));
            None
        }
    }
}

/// "2019-11-03T08:00" in `zone` → UTC. A time that does not exist (skipped by a DST change)
/// is an error; an ambiguous one (repeated hour) takes the earlier instant.
pub fn local_to_utc(
    field: &str,
    local: &str,
    zone: Tz,
    errors: &mut Vec<FieldError>,
) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%d %H:%M"));
    let Ok(naive) = naive else {
        errors.push(FieldError::new(field, FieldCode::DatetimeFormat));
        return None;
    };
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => {
            errors.push(FieldError::new(field, FieldCode::TimeSkippedByDst));
            None
        }
    }
}

/// UTC instant → "YYYY-MM-DDTHH:MM" in `zone`, and the zone's abbreviation (PST, CDT…).
/// Written digit by digit: `format!` and chrono's patterns cost the printed week, which
/// converts four times per hearing, a tenth of its time.
pub fn utc_to_local(utc: &DateTime<Utc>, zone: Tz) -> (String, String) {
    let t = utc.with_timezone(&zone);
    let mut local = String::with_capacity(16);
    push_digits(&mut local, t.year().unsigned_abs(), 4);
    for (sep, value) in [
        ('-', t.month()),
        ('-', t.day()),
        ('T', t.hour()),
        (':', t.minute()),
    ] {
        local.push(sep);
        push_digits(&mut local, value, 2);
    }
    let abbrev = match t.offset().abbreviation() {
        Some(a) => a.to_owned(),
        None => t.format("%Z").to_string(),
    };
    (local, abbrev)
}

/// `value`'s last `width` decimal digits, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

pub fn parse_utc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn utc_string(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_tijuana(local: &str, zone: &str) -> String {
        let mut e = Vec::new();
        let z: Tz = zone.parse().expect("zone");
        let utc = local_to_utc("t", local, z, &mut e).expect("utc");
        utc_to_local(&utc, chrono_tz::America::Tijuana).0
    }

    #[test]
    fn chicago_to_tijuana_across_dst() {
        // Both zones follow U.S. rules: two hours apart all year.
        assert_eq!(
            to_tijuana("2020-01-15T08:00", "America/Chicago"),
            "2020-01-15T06:00"
        );
        assert_eq!(
            to_tijuana("2020-07-15T08:00", "America/Chicago"),
            "2020-07-15T06:00"
        );
    }

    #[test]
    fn skipped_hour_is_refused() {
        let mut e = Vec::new();
        let z: Tz = "America/Chicago".parse().expect("zone");
        assert!(local_to_utc("t", "2020-03-08T02:30", z, &mut e).is_none());
        assert_eq!(e[0].code.code(), "time_skipped_by_dst");
    }

    #[test]
    fn local_times_are_written_as_chrono_writes_them() {
        let zones = [
            chrono_tz::America::Tijuana,
            chrono_tz::America::Chicago,
            chrono_tz::America::Mexico_City,
            chrono_tz::Asia::Kolkata,
            chrono_tz::UTC,
        ];
        let start = parse_utc("2019-12-31T23:59:00Z").expect("start");
        // Every 7 hours and 13 minutes across two years: every month, day, hour and minute
        // turns up, on both sides of each daylight-saving change.
        for step in 0..2_500 {
            let utc = start + chrono::Duration::minutes(step * 433);
            for zone in zones {
                let expected = utc
                    .with_timezone(&zone)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string();
                assert_eq!(utc_to_local(&utc, zone).0, expected);
            }
        }
    }
}
