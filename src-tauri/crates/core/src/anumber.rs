//! A-numbers (alien registration numbers): stored as 9 digits, shown as A-123-456-789.

use crate::error::{Error, FieldCode, Result};

/// Normalises any common spelling ("A123456789", "a-123-456-789", "123 456 789",
/// "A12345678") to 9 digits. Eight-digit numbers are older A-numbers and get a leading zero.
pub fn normalize(input: &str) -> Result<String, FieldCode> {
    let trimmed = input.trim();
    let rest = trimmed
        .strip_prefix('A')
        .or_else(|| trimmed.strip_prefix('a'))
        .unwrap_or(trimmed);
    let mut digits = String::with_capacity(9);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | ' ' | '.' | '#' => {}
            _ => return Err(FieldCode::ANumberFormat),
        }
    }
    match digits.len() {
        9 => Ok(digits),
        8 => Ok(format!("0{digits}")),
        _ => Err(FieldCode::ANumberFormat),
    }
}

/// "123456789" → "A-123-456-789". Input must already be normalised.
pub fn display(digits: &str) -> String {
    if digits.len() != 9 {
        return digits.to_owned();
    }
    format!("A-{}-{}-{}", &digits[0..3], &digits[3..6], &digits[6..9])
}

/// Normalises an optional field, mapping failure to a field error.
pub fn normalize_field(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => normalize(v)
            .map(Some)
            .map_err(|code| Error::validation(field, code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        for s in [
            "A123456789",
            "a-123-456-789",
            "123 456 789",
            "123-456-789",
            " A 123.456.789 ",
        ] {
            assert_eq!(normalize(s).as_deref(), Ok("123456789"), "{s}");
        }
        assert_eq!(normalize("A12345678").as_deref(), Ok("012345678"));
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "A1234567",
            "A1234567890",
            "B123456789",
            "12345678x9",
            "A-12-34",
        ] {
            assert_eq!(normalize(s), Err(FieldCode::ANumberFormat), "{s}");
        }
    }

    #[test]
    fn displays_with_dashes() {
        assert_eq!(display("123456789"), "A-123-456-789");
    }
}
