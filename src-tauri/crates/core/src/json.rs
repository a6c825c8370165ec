//! JSON from outside (the `amparo` command's standard input, files people write by hand),
//! read strictly: an unknown field is refused by its name, a missing one is `required`, a
//! value of the wrong kind says what was expected, a code not in a list is `unknown_code`.
//! Every error names the field by its path in the input (`family.0.sex`). The value found is
//! never repeated: it may be a client's data.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::{Error, FieldCode, FieldError};

/// Parses `raw` as a `T`, or says which field is wrong and how.
pub fn from_str<T: DeserializeOwned>(raw: &str) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(raw);
    let parsed: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::Validation(vec![field_error(&dotted(e.path()), e.inner())]))?;
    // Nothing but white space may follow the value.
    de.end()
        .map_err(|e| Error::Validation(vec![field_error(&[], &e)]))?;
    Ok(parsed)
}

/// `current` with the fields named in `raw` (a JSON object) replaced: an edit that names only
/// what changes. The result is read as strictly as any input, so a field the record does not
/// have is refused by its name.
pub fn patch<T: Serialize + DeserializeOwned>(current: &T, raw: &str) -> Result<T, Error> {
    let changes: serde_json::Map<String, serde_json::Value> = from_str(raw)?;
    let mut merged = serde_json::to_value(current)
        .map_err(|_| Error::validation("json", FieldCode::JsonMalformed))?;
    if let serde_json::Value::Object(fields) = &mut merged {
        fields.extend(changes);
    }
    from_str(&merged.to_string())
}

fn dotted(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}

fn field_error(path: &[String], e: &serde_json::Error) -> FieldError {
    let mut path = path.to_vec();
    // serde's message, without where in the text it happened.
    let full = e.to_string();
    let msg = full.split(" at line ").next().unwrap_or_default();
    let named = |prefix: &str| {
        msg.strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let expected = msg.split_once(", expected ").map(|(_, x)| x.to_owned());
    let (code, expected) = match e.classify() {
        Category::Data => {
            if let Some(name) = named("unknown field `") {
                push_name(&mut path, name);
                (FieldCode::UnknownField, None)
            } else if let Some(name) = named("missing field `") {
                push_name(&mut path, name);
                (FieldCode::Required, None)
            } else if msg.starts_with("unknown variant") {
                (FieldCode::UnknownCode, expected)
            } else if msg.starts_with("invalid") {
                (FieldCode::WrongType, expected)
            } else {
                (FieldCode::JsonMalformed, None)
            }
        }
        Category::Syntax | Category::Eof | Category::Io => {
            let at = format!("line {}, column {}", e.line(), e.column());
            return FieldError {
                field: "json".to_owned(),
                code: FieldCode::JsonMalformed,
                expected: Some(at),
            };
        }
    };
    FieldError {
        field: if path.is_empty() {
            "json".to_owned()
        } else {
            path.join(".")
        },
        code,
        expected,
    }
}

/// The field an error names goes at the end of the path, unless the path already ends there.
fn push_name(path: &mut Vec<String>, name: String) {
    if path.last() != Some(&name) {
        path.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::ClientInput;
    use crate::hearings::HearingInput;

    fn refused<T: DeserializeOwned + std::fmt::Debug>(raw: &str) -> FieldError {
        match from_str::<T>(raw) {
            Err(Error::Validation(mut f)) if f.len() == 1 => f.remove(0),
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn an_unknown_field_is_refused_by_its_name_at_any_depth() {
        let f = refused::<ClientInput>(r#"{"given_names":"Ana","nationalty":"HN"}"#);
        assert_eq!(
            (f.field.as_str(), f.code),
            ("nationalty", FieldCode::UnknownField)
        );
        let f =
            refused::<ClientInput>(r#"{"family":[{"given_names":"Kevin","relationshp":"child"}]}"#);
        assert_eq!(
            (f.field.as_str(), f.code),
            ("family.0.relationshp", FieldCode::UnknownField)
        );
        let f = refused::<ClientInput>(r#"{"consent":{"share":true}}"#);
        assert_eq!(f.field, "consent.share");
    }

    #[test]
    fn a_missing_field_is_required_and_optional_text_may_be_left_out() {
        let f = refused::<HearingInput>(r#"{"client_id":"c"}"#);
        assert_eq!(f.code, FieldCode::Required);
        assert!(!f.field.is_empty() && f.field != "json", "{f:?}");
        // The required parts only: no judge, attendees, notes, people or port.
        let ok: HearingInput = from_str(
            r#"{"client_id":"c","court":"san_diego","venue":"in_person",
                "hearing_type":"master_calendar","scheduled_local":"2026-05-05T09:30",
                "outcome":"scheduled"}"#,
        )
        .expect("the required fields are enough");
        assert!(ok.judge.is_empty() && ok.people.is_empty() && ok.port.is_none());
    }

    #[test]
    fn a_wrong_kind_or_code_says_what_was_expected_and_never_the_value() {
        let f = refused::<ClientInput>(r#"{"languages":"es"}"#);
        assert_eq!(
            (f.field.as_str(), f.code),
            ("languages", FieldCode::WrongType)
        );
        assert!(
            f.expected
                .as_deref()
                .is_some_and(|x| x.contains("sequence")),
            "{f:?}"
        );
        let f = refused::<ClientInput>(r#"{"family":[{"sex":"fem"}]}"#);
        assert_eq!(
            (f.field.as_str(), f.code),
            ("family.0.sex", FieldCode::UnknownCode)
        );
        let expected = f.expected.clone().unwrap_or_default();
        assert!(
            expected.contains("female") && !expected.contains("fem`,"),
            "{f:?}"
        );
        let f = refused::<ClientInput>(r#"{"given_names":["María Hernández"]}"#);
        assert_eq!(
            (f.field.as_str(), f.code),
            ("given_names", FieldCode::WrongType)
        );
        let said = serde_json::to_string(&f).expect("json");
        assert!(!said.contains("María"), "{said}");
    }

    #[test]
    fn text_that_is_not_json_says_where() {
        let f = refused::<ClientInput>("{\n  \"given_names\": \"Ana\",\n");
        assert_eq!(
            (f.field.as_str(), f.code),
            ("json", FieldCode::JsonMalformed)
        );
        assert!(
            f.expected
                .as_deref()
                .is_some_and(|x| x.starts_with("line 3")),
            "{f:?}"
        );
        let f = refused::<ClientInput>(r#"{"given_names":"Ana"} trailing"#);
        assert_eq!(f.code, FieldCode::JsonMalformed);
    }
}
