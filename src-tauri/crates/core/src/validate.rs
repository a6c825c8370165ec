//! Small field checks shared by every record kind; each pushes a `FieldError` and never
//! echoes the value.

use crate::error::{FieldCode, FieldError};

/// Names and short fields.
pub const SHORT_MAX: usize = 200;
/// Notes and narratives: generous, but a multi-megabyte paste is refused, not stored.
pub const LONG_MAX: usize = 100_000;

pub fn required(field: &str, v: &str, errors: &mut Vec<FieldError>) -> String {
    let t = v.trim();
    if t.is_empty() {
        errors.push(FieldError::new(field, FieldCode::Required));
    }
    limited(field, t, SHORT_MAX, errors)
}

pub fn short(field: &str, v: &str, errors: &mut Vec<FieldError>) -> String {
    limited(field, v.trim(), SHORT_MAX, errors)
}

pub fn long(field: &str, v: &str, errors: &mut Vec<FieldError>) -> String {
    limited(field, v.trim(), LONG_MAX, errors)
}

/// Line ends become `\n` (a paste from Windows keeps its lines); any other control character
/// (NUL, ESC, BEL, form feed…) is refused: invisible, it would reach a packet or collide
/// with the marks search puts around a hit.
fn limited(field: &str, v: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let v = v.replace("\r\n", "\n").replace('\r', "\n");
    if v.chars().count() > max {
        errors.push(FieldError::new(field, FieldCode::TooLong));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        errors.push(FieldError::new(field, FieldCode::ControlCharacter));
    }
    v
}

pub fn code_in(
    field: &str,
    v: Option<&str>,
    allowed: &[&str],
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    if allowed.contains(&v) {
        Some(v.to_owned())
    } else {
        errors.push(FieldError::new(field, FieldCode::UnknownCode));
        None
    }
}

pub fn a_number(field: &str, v: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match crate::anumber::normalize(v) {
        Ok(d) => Some(d),
        Err(code) => {
            errors.push(FieldError::new(field, code));
            None
        }
    }
}

pub fn finish(errors: Vec<FieldError>) -> crate::error::Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::error::Error::Validation(errors))
    }
}
