//! An intake's input: checked and cleaned before it is written (`validate`), made again from
//! a record (what an edit starts from), and a family member's date of birth from an age told.

use chrono::Datelike;

use super::{ClientDetail, ClientInput, ConsentInput, FamilyMember, FamilyMemberInput, json_list};
use crate::codes::{FamilyStatus, LANGUAGES, NATIONALITIES, Relationship, Sex};
use crate::dates::{optional_past_date, today};
use crate::error::{FieldCode, FieldError, Result};
use crate::text::fold;
use crate::validate;

impl ClientDetail {
    /// The record as an input again: what an edit starts from (`amparo clients edit`).
    pub fn to_input(&self) -> ClientInput {
        ClientInput {
            given_names: self.given_names.clone(),
            family_names: self.family_names.clone(),
            aliases: self.aliases.clone(),
            date_of_birth: self.date_of_birth.clone(),
            sex: self.sex,
            nationality: self.nationality.clone(),
            languages: self.languages.clone(),
            a_number: self.a_number.clone(),
            lodging: self.lodging,
            lodging_detail: self.lodging_detail.clone(),
            city: self.city.clone(),
            phone: self.phone.clone(),
            us_contact: self.us_contact.clone(),
            returned_on: self.returned_on.clone(),
            return_port: self.return_port,
            return_city: self.return_city.clone(),
            return_state: self.return_state.clone(),
            vulnerabilities: self.vulnerabilities.clone(),
            risk_detail: self.risk_detail.clone(),
            representation: self.representation,
            notes: self.notes.clone(),
            family: self.family.iter().map(FamilyMember::to_input).collect(),
            consent: ConsentInput {
                representation: self.consent.representation,
                share_with_oversight: self.consent.share_with_oversight,
                publish_deidentified: self.consent.publish_deidentified,
                method: self
                    .consent
                    .method
                    .unwrap_or(ConsentInput::default().method),
            },
        }
    }
}

impl FamilyMember {
    fn to_input(&self) -> FamilyMemberInput {
        FamilyMemberInput {
            id: Some(self.id.clone()),
            given_names: self.given_names.clone(),
            family_names: self.family_names.clone(),
            aliases: self.aliases.clone(),
            relationship: self.relationship,
            date_of_birth: self.date_of_birth.clone(),
            sex: self.sex,
            a_number: self.a_number.clone(),
            nationality: self.nationality.clone(),
            travels_with: self.travels_with,
            vulnerabilities: self.vulnerabilities.clone(),
            notes: self.notes.clone(),
            consent_share_with_oversight: self.consent_share_with_oversight,
            status: self.status,
            status_on: self.status_on.clone(),
            dob_estimated: self.dob_estimated,
            age_years: None,
        }
    }
}

/// A family member's date of birth as recorded, or the year an age told puts it in (marked
/// as an estimate); both given at once is refused on the age.
fn birth_of(
    m: &FamilyMemberInput,
    f: &dyn Fn(&str) -> String,
    e: &mut Vec<FieldError>,
) -> (Option<String>, bool) {
    let dob = optional_past_date(&f("date_of_birth"), m.date_of_birth.as_deref(), true, e);
    match m.age_years {
        None => (dob, m.dob_estimated && m.date_of_birth.is_some()),
        Some(_) if dob.is_some() => {
            e.push(FieldError::new(
                f("age_years"),
                FieldCode::AgeWithDateOfBirth,
            ));
            (dob, false)
        }
        Some(age) if age > 120 => {
            e.push(FieldError::new(f("age_years"), FieldCode::OutOfRange));
            (None, false)
        }
        Some(age) => {
            let year = today().year() - i32::try_from(age).unwrap_or(0);
            (Some(format!("{year:04}")), true)
        }
    }
}

pub(super) struct CleanFamily {
    pub(super) id: Option<String>,
    pub(super) given_names: String,
    pub(super) family_names: String,
    pub(super) aliases: String,
    pub(super) relationship: Relationship,
    pub(super) date_of_birth: Option<String>,
    pub(super) sex: Option<Sex>,
    pub(super) a_number: Option<String>,
    pub(super) nationality: Option<String>,
    pub(super) travels_with: bool,
    pub(super) vulnerabilities: String,
    pub(super) notes: String,
    pub(super) consent: bool,
    pub(super) status: Option<FamilyStatus>,
    pub(super) status_on: Option<String>,
    pub(super) dob_estimated: bool,
}

pub(super) struct Clean {
    pub(super) given_names: String,
    pub(super) family_names: String,
    pub(super) aliases: String,
    pub(super) date_of_birth: Option<String>,
    pub(super) nationality: Option<String>,
    pub(super) languages: String,
    pub(super) a_number: Option<String>,
    pub(super) lodging_detail: String,
    pub(super) city: String,
    pub(super) phone: String,
    pub(super) us_contact: String,
    pub(super) returned_on: Option<String>,
    pub(super) return_city: String,
    pub(super) return_state: Option<String>,
    pub(super) vulnerabilities: String,
    pub(super) risk_detail: String,
    pub(super) notes: String,
    pub(super) search_text: String,
    pub(super) sort_key: String,
    pub(super) family: Vec<CleanFamily>,
}

pub(super) fn validate(input: &ClientInput) -> Result<Clean> {
    let mut e: Vec<FieldError> = Vec::new();
    let given_names = validate::required("given_names", &input.given_names, &mut e);
    let family_names = validate::required("family_names", &input.family_names, &mut e);
    let aliases = validate::short("aliases", &input.aliases, &mut e);
    let date_of_birth = optional_past_date(
        "date_of_birth",
        input.date_of_birth.as_deref(),
        true,
        &mut e,
    );
    let nationality = validate::code_in(
        "nationality",
        input.nationality.as_deref(),
        NATIONALITIES,
        &mut e,
    );
    for (i, l) in input.languages.iter().enumerate() {
        if !LANGUAGES.contains(&l.as_str()) {
            e.push(FieldError::new(
                format!("languages.{i}"),
                FieldCode::UnknownCode,
            ));
        }
    }
    let a_number = validate::a_number("a_number", input.a_number.as_deref(), &mut e);
    let lodging_detail = validate::short("lodging_detail", &input.lodging_detail, &mut e);
    let city = validate::short("city", &input.city, &mut e);
    let phone = validate::short("phone", &input.phone, &mut e);
    let us_contact = validate::long("us_contact", &input.us_contact, &mut e);
    let returned_on = optional_past_date("returned_on", input.returned_on.as_deref(), true, &mut e);
    let return_city = validate::short("return_city", &input.return_city, &mut e);
    let risk_detail = validate::short("risk_detail", &input.risk_detail, &mut e);
    let return_state = validate::code_in(
        "return_state",
        input.return_state.as_deref(),
        crate::incidents::MEXICAN_STATES,
        &mut e,
    );
    let notes = validate::long("notes", &input.notes, &mut e);
    let mut family = Vec::with_capacity(input.family.len());
    for (i, m) in input.family.iter().enumerate() {
        let f = |name: &str| format!("family.{i}.{name}");
        let (birth, dob_estimated) = birth_of(m, &f, &mut e);
        family.push(CleanFamily {
            id: m.id.clone().filter(|s| !s.is_empty()),
            given_names: validate::required(&f("given_names"), &m.given_names, &mut e),
            family_names: validate::short(&f("family_names"), &m.family_names, &mut e),
            aliases: validate::short(&f("aliases"), &m.aliases, &mut e),
            relationship: m.relationship,
            date_of_birth: birth,
            dob_estimated,
            status: m.status,
            status_on: optional_past_date(&f("status_on"), m.status_on.as_deref(), true, &mut e),
            sex: m.sex,
            a_number: validate::a_number(&f("a_number"), m.a_number.as_deref(), &mut e),
            nationality: validate::code_in(
                &f("nationality"),
                m.nationality.as_deref(),
                NATIONALITIES,
                &mut e,
            ),
            travels_with: m.travels_with,
            vulnerabilities: json_list(&m.vulnerabilities),
            notes: validate::long(&f("notes"), &m.notes, &mut e),
            consent: m.consent_share_with_oversight,
        });
    }
    validate::finish(e)?;
    let (search_text, sort_key) =
        derived_keys(&given_names, &family_names, &aliases, a_number.as_deref());
    Ok(Clean {
        given_names,
        family_names,
        aliases,
        date_of_birth,
        nationality,
        languages: json_list(&input.languages),
        a_number,
        lodging_detail,
        city,
        phone,
        us_contact,
        returned_on,
        return_city,
        return_state,
        vulnerabilities: json_list(&input.vulnerabilities),
        risk_detail,
        notes,
        search_text,
        sort_key,
        family,
    })
}

/// The list filter's haystack and the list's order, made from the names and A-number (never
/// typed; a replica makes them again from the fields another laptop changed).
pub(crate) fn derived_keys(
    given_names: &str,
    family_names: &str,
    aliases: &str,
    a_number: Option<&str>,
) -> (String, String) {
    let search_text = fold(&format!(
        "{given_names} {family_names} {aliases} {}",
        a_number.unwrap_or("")
    ));
    (search_text, fold(&format!("{family_names} {given_names}")))
}
