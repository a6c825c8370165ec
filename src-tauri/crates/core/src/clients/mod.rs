//! Clients (intake interviews), their family units and their consents.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::anumber;
use crate::codes::{
    ConsentKind, ConsentMethod, FamilyStatus, Lodging, Port, Relationship, Representation, Sex,
    Vulnerability,
};
use crate::dates::{PartialDate, now_rfc3339, today};
use crate::error::{Error, FieldCode, Result};
use crate::text::{fold, like_escape};
use crate::vault::Vault;

mod input;
pub(crate) use input::derived_keys;
use input::{Clean, CleanFamily, validate};

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct ClientInput {
    pub given_names: String,
    pub family_names: String,
    pub aliases: String,
    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub sex: Option<Sex>,
    /// ISO 3166-1 alpha-2 code from `NATIONALITIES`.
    pub nationality: Option<String>,
    /// Codes from `LANGUAGES`.
    pub languages: Vec<String>,
    /// Any common spelling; stored as 9 digits.
    pub a_number: Option<String>,
    pub lodging: Option<Lodging>,
    pub lodging_detail: String,
    pub city: String,
    pub phone: String,
    pub us_contact: String,
    pub returned_on: Option<String>,
    pub return_port: Option<Port>,
    /// The Mexican city the client was returned to (`city` is where they stay now).
    pub return_city: String,
    /// Its state, INEGI abbreviation (BC, CHIH, TAMPS…).
    pub return_state: Option<String>,
    pub vulnerabilities: Vec<Vulnerability>,
    /// Why they are at risk, in words: "Garifuna; targeted for being Black".
    pub risk_detail: String,
    pub representation: Representation,
    pub notes: String,
    pub family: Vec<FamilyMemberInput>,
    pub consent: ConsentInput,
}

impl Default for ClientInput {
    fn default() -> Self {
        ClientInput {
            given_names: String::new(),
            family_names: String::new(),
            aliases: String::new(),
            date_of_birth: None,
            sex: None,
            nationality: None,
            languages: Vec::new(),
            a_number: None,
            lodging: None,
            lodging_detail: String::new(),
            city: String::new(),
            phone: String::new(),
            us_contact: String::new(),
            returned_on: None,
            return_port: None,
            return_city: String::new(),
            return_state: None,
            risk_detail: String::new(),
            vulnerabilities: Vec::new(),
            representation: Representation::None,
            notes: String::new(),
            family: Vec::new(),
            consent: ConsentInput::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct FamilyMemberInput {
    /// Set when editing an existing member; absent for a new one.
    pub id: Option<String>,
    pub given_names: String,
    pub family_names: String,
    /// Nicknames and other names the person goes by ("Lupita", "la Güera"): searched, and
    /// scrubbed from packets that do not identify them.
    pub aliases: String,
    pub relationship: Relationship,
    pub date_of_birth: Option<String>,
    pub sex: Option<Sex>,
    pub a_number: Option<String>,
    pub nationality: Option<String>,
    pub travels_with: bool,
    pub vulnerabilities: Vec<Vulnerability>,
    pub notes: String,
    pub consent_share_with_oversight: bool,
    /// What became of them (disappeared, kidnapped, killed, separated…), if anything.
    pub status: Option<FamilyStatus>,
    /// Since when: a partial date ("2019-04").
    pub status_on: Option<String>,
    /// The date of birth is an estimate, from an age told.
    pub dob_estimated: bool,
    /// An age told when the date of birth is not known ("my three-year-old"): kept as an
    /// estimated year of birth.
    pub age_years: Option<u32>,
}

impl Default for FamilyMemberInput {
    fn default() -> Self {
        FamilyMemberInput {
            id: None,
            given_names: String::new(),
            family_names: String::new(),
            aliases: String::new(),
            relationship: Relationship::Child,
            date_of_birth: None,
            sex: None,
            a_number: None,
            nationality: None,
            travels_with: true,
            vulnerabilities: Vec::new(),
            notes: String::new(),
            consent_share_with_oversight: false,
            status: None,
            status_on: None,
            dob_estimated: false,
            age_years: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentInput {
    pub representation: bool,
    pub share_with_oversight: bool,
    pub publish_deidentified: bool,
    pub method: ConsentMethod,
}

impl Default for ConsentInput {
    fn default() -> Self {
        ConsentInput {
            representation: false,
            share_with_oversight: false,
            publish_deidentified: false,
            method: ConsentMethod::Verbal,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ClientDetail {
    pub id: String,
    pub given_names: String,
    pub family_names: String,
    pub aliases: String,
    pub date_of_birth: Option<String>,
    pub age: Option<u32>,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    pub languages: Vec<String>,
    /// Shown as A-123-456-789.
    pub a_number: Option<String>,
    pub lodging: Option<Lodging>,
    pub lodging_detail: String,
    pub city: String,
    pub phone: String,
    pub us_contact: String,
    pub returned_on: Option<String>,
    pub return_port: Option<Port>,
    pub return_city: String,
    pub return_state: Option<String>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub risk_detail: String,
    pub representation: Representation,
    pub notes: String,
    pub family: Vec<FamilyMember>,
    pub consent: ConsentState,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct FamilyMember {
    pub id: String,
    pub given_names: String,
    pub family_names: String,
    pub aliases: String,
    pub relationship: Relationship,
    pub date_of_birth: Option<String>,
    pub age: Option<u32>,
    pub sex: Option<Sex>,
    pub a_number: Option<String>,
    pub nationality: Option<String>,
    pub travels_with: bool,
    pub vulnerabilities: Vec<Vulnerability>,
    pub notes: String,
    pub consent_share_with_oversight: bool,
    pub status: Option<FamilyStatus>,
    pub status_on: Option<String>,
    /// The year of birth is an estimate from an age told: the age shown is "about".
    pub dob_estimated: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ConsentState {
    pub representation: bool,
    pub share_with_oversight: bool,
    pub publish_deidentified: bool,
    pub method: Option<ConsentMethod>,
    pub recorded_at: Option<String>,
    pub recorded_by: Option<String>,
}

/// One line of the client list: what the list shows, nothing more.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ClientRow {
    pub id: String,
    pub given_names: String,
    pub family_names: String,
    pub a_number: Option<String>,
    pub nationality: Option<String>,
    pub city: String,
    pub family_count: u32,
    pub children_count: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct ClientFilter {
    /// Words matched against names, aliases and A-number, accent- and case-insensitively.
    pub text: String,
    pub nationality: Option<String>,
    /// Everyone's clients, or the acting member's caseload ("My clients").
    pub scope: crate::caseload::Scope,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ClientPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ClientRow>,
}

/// The most rows one page may ask for.
pub const MAX_PAGE: u32 = 500;

fn json_list<T: Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

/// Turns an A-number-like search word ("a-123-456", "123.456") into its digits.
fn search_word(word: &str) -> String {
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    let a_number_like = word
        .trim_start_matches('a')
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | ' '));
    if a_number_like && digits.len() >= 2 {
        digits
    } else {
        word.to_owned()
    }
}

fn age_of(dob: Option<&str>) -> Option<u32> {
    dob.and_then(PartialDate::parse)
        .and_then(|d| d.age_on(today()))
}

fn parse_list<T: for<'de> Deserialize<'de>>(s: String) -> Vec<T> {
    serde_json::from_str(&s).unwrap_or_default()
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Vault {
    /// Saves a new intake (client, family unit, consents) in one transaction with its audit
    /// entry.
    pub fn create_client(&mut self, input: &ClientInput) -> Result<ClientDetail> {
        let c = validate(input)?;
        let id = new_id();
        let now = now_rfc3339();
        self.write(|tx| {
        tx.execute(
            "INSERT INTO clients (id, given_names, family_names, aliases, date_of_birth, sex,
               nationality, languages, a_number, lodging, lodging_detail, city, phone, us_contact,
               returned_on, return_port, vulnerabilities, representation, notes, search_text,
               sort_key, created_at, updated_at, return_city, return_state, risk_detail)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?22,
               ?23,?24,?25)",
            params![
                id, c.given_names, c.family_names, c.aliases, c.date_of_birth, input.sex,
                c.nationality, c.languages, c.a_number, input.lodging, c.lodging_detail, c.city,
                c.phone, c.us_contact, c.returned_on, input.return_port, c.vulnerabilities,
                input.representation, c.notes, c.search_text, c.sort_key, now, c.return_city,
                c.return_state, c.risk_detail
            ],
        )?;
        let member_ids = write_family(tx, &id, &c.family, &now)?;
        write_consents(
            tx,
            &id,
            &input.consent,
            &c.family,
            &member_ids,
            tx.actor(),
            &now,
            true,
        )?;
        tx.record("create", "client", &id, &[]);
        Ok(())
        })?;
        self.client(&id)
    }

    /// Replaces a client's intake with `input`. Family members keep their ids when the input
    /// carries them; members missing from the input are removed. Consents that changed get a
    /// new dated row, so their history is kept.
    pub fn update_client(&mut self, id: &str, input: &ClientInput) -> Result<ClientDetail> {
        let c = validate(input)?;
        let before = self.client(id)?;
        for (i, m) in c.family.iter().enumerate() {
            if let Some(mid) = &m.id
                && !before.family.iter().any(|f| &f.id == mid)
            {
                return Err(Error::validation(
                    format!("family.{i}"),
                    FieldCode::UnknownMember,
                ));
            }
        }
        let now = now_rfc3339();
        let changed = changed_fields(&before, &c, input);
        self.write(|tx| {
            tx.execute(
                "UPDATE clients SET given_names=?2, family_names=?3, aliases=?4, date_of_birth=?5,
               sex=?6, nationality=?7, languages=?8, a_number=?9, lodging=?10, lodging_detail=?11,
               city=?12, phone=?13, us_contact=?14, returned_on=?15, return_port=?16,
               vulnerabilities=?17, representation=?18, notes=?19, search_text=?20, sort_key=?21,
               updated_at=?22, return_city=?23, return_state=?24, risk_detail=?25
             WHERE id=?1 AND deleted_at IS NULL",
                params![
                    id,
                    c.given_names,
                    c.family_names,
                    c.aliases,
                    c.date_of_birth,
                    input.sex,
                    c.nationality,
                    c.languages,
                    c.a_number,
                    input.lodging,
                    c.lodging_detail,
                    c.city,
                    c.phone,
                    c.us_contact,
                    c.returned_on,
                    input.return_port,
                    c.vulnerabilities,
                    input.representation,
                    c.notes,
                    c.search_text,
                    c.sort_key,
                    now,
                    c.return_city,
                    c.return_state,
                    c.risk_detail
                ],
            )?;
            // Members not named in the input are gone from the family unit.
            let keep: Vec<&str> = c.family.iter().filter_map(|m| m.id.as_deref()).collect();
            let existing: Vec<String> = before.family.iter().map(|m| m.id.clone()).collect();
            for old in &existing {
                if !keep.contains(&old.as_str()) {
                    tx.execute("DELETE FROM family_members WHERE id = ?1", [old])?;
                }
            }
            let member_ids = write_family(tx, id, &c.family, &now)?;
            write_consents(
                tx,
                id,
                &input.consent,
                &c.family,
                &member_ids,
                tx.actor(),
                &now,
                false,
            )?;
            let fields: Vec<&str> = changed.iter().map(String::as_str).collect();
            tx.record("update", "client", id, &fields);
            Ok(())
        })?;
        self.client(id)
    }

    /// Changes a client's notes alone: what an interpreter may write, on the clients assigned
    /// to them.
    pub fn set_client_notes(&mut self, id: &str, notes: &str) -> Result<ClientDetail> {
        let input = ClientInput {
            notes: notes.to_owned(),
            ..self.client(id)?.to_input()
        };
        self.update_client(id, &input)
    }

    /// Marks a client deleted (kept for the audit trail, gone from every list).
    pub fn delete_client(&mut self, id: &str) -> Result<()> {
        self.soft_delete("clients", "client", id)
    }

    pub fn client(&self, id: &str) -> Result<ClientDetail> {
        self.may_read(id)?;
        let mut detail = self
            .conn
            .query_row(
                "SELECT id, given_names, family_names, aliases, date_of_birth, sex, nationality,
                   languages, a_number, lodging, lodging_detail, city, phone, us_contact,
                   returned_on, return_port, vulnerabilities, representation, notes, created_at,
                   updated_at, return_city, return_state, risk_detail
                 FROM clients WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                client_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, given_names, family_names, relationship, date_of_birth, sex, a_number,
               nationality, travels_with, vulnerabilities, notes, aliases, status, status_on,
               dob_estimated
             FROM family_members WHERE client_id = ?1 ORDER BY created_at, id",
        )?;
        detail.family = stmt
            .query_map([id], family_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        // The latest row per (person, kind) is in force.
        let mut stmt = self.conn.prepare(
            "SELECT family_member_id, kind, granted, method, recorded_at, recorded_by
             FROM consents WHERE client_id = ?1 ORDER BY recorded_at, rowid",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            let member: Option<String> = r.get(0)?;
            let kind: ConsentKind = r.get(1)?;
            let granted: bool = r.get(2)?;
            match member {
                None => {
                    let s = &mut detail.consent;
                    match kind {
                        ConsentKind::Representation => s.representation = granted,
                        ConsentKind::ShareWithOversight => s.share_with_oversight = granted,
                        ConsentKind::PublishDeidentified => s.publish_deidentified = granted,
                    }
                    s.method = Some(r.get(3)?);
                    s.recorded_at = Some(r.get(4)?);
                    s.recorded_by = Some(r.get(5)?);
                }
                Some(m) => {
                    if kind == ConsentKind::ShareWithOversight
                        && let Some(fm) = detail.family.iter_mut().find(|f| f.id == m)
                    {
                        fm.consent_share_with_oversight = granted;
                    }
                }
            }
        }
        Ok(detail)
    }

    /// One page of the client list, ordered by family name, filtered accent- and
    /// case-insensitively. Every word of the filter must match.
    pub fn list_clients(
        &self,
        filter: &ClientFilter,
        offset: u32,
        limit: u32,
    ) -> Result<ClientPage> {
        let limit = limit.clamp(1, MAX_PAGE);
        let mut clauses = vec!["c.deleted_at IS NULL".to_owned()];
        let mut args: Vec<String> = Vec::new();
        for word in fold(&filter.text).split(' ').filter(|w| !w.is_empty()) {
            args.push(format!("%{}%", like_escape(&search_word(word))));
            clauses.push(format!("c.search_text LIKE ?{} ESCAPE '\\'", args.len()));
        }
        if let Some(n) = filter.nationality.as_deref().filter(|n| !n.is_empty()) {
            args.push(n.to_owned());
            clauses.push(format!("c.nationality = ?{}", args.len()));
        }
        if let Some(me) = self.caseload(filter.scope) {
            args.push(me);
            clauses.push(crate::caseload::in_caseload("c.id", args.len()));
        }
        let where_ = clauses.join(" AND ");
        let filter_args = args.len();
        let child_cutoff = (today() - chrono::Months::new(12 * 18))
            .format("%Y-%m-%d")
            .to_string();
        args.push(child_cutoff);
        let cutoff = args.len();
        let sql = format!(
            "SELECT c.id, c.given_names, c.family_names, c.a_number, c.nationality, c.city,
               (SELECT count(*) FROM family_members f WHERE f.client_id = c.id),
               (SELECT count(*) FROM family_members f WHERE f.client_id = c.id
                  AND f.date_of_birth IS NOT NULL AND f.date_of_birth > ?{cutoff})
             FROM clients c WHERE {where_}
             ORDER BY c.sort_key, c.id LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(ClientRow {
                    id: r.get(0)?,
                    given_names: r.get(1)?,
                    family_names: r.get(2)?,
                    a_number: r.get::<_, Option<String>>(3)?.map(|a| anumber::display(&a)),
                    nationality: r.get(4)?,
                    city: r.get(5)?,
                    family_count: r.get(6)?,
                    children_count: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<ClientRow>>>()?;
        // A page that is not full ends the list, so it gives the total; only a full page needs
        // the matches counted (a second pass over the clients for a filter).
        let total = if rows.len() < limit as usize && (offset == 0 || !rows.is_empty()) {
            offset + rows.len() as u32
        } else {
            self.conn.query_row(
                &format!("SELECT count(*) FROM clients c WHERE {where_}"),
                rusqlite::params_from_iter(args.iter().take(filter_args)),
                |r| r.get(0),
            )?
        };
        Ok(ClientPage {
            total,
            offset,
            rows,
        })
    }
}

fn changed_fields(before: &ClientDetail, c: &Clean, input: &ClientInput) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |name: &str, changed: bool| {
        if changed {
            out.push(name.to_owned());
        }
    };
    check("given_names", before.given_names != c.given_names);
    check("family_names", before.family_names != c.family_names);
    check("aliases", before.aliases != c.aliases);
    check("date_of_birth", before.date_of_birth != c.date_of_birth);
    check("sex", before.sex != input.sex);
    check("nationality", before.nationality != c.nationality);
    check("languages", before.languages != input.languages);
    check(
        "a_number",
        before.a_number != c.a_number.as_deref().map(anumber::display),
    );
    check("lodging", before.lodging != input.lodging);
    check("lodging_detail", before.lodging_detail != c.lodging_detail);
    check("city", before.city != c.city);
    check("phone", before.phone != c.phone);
    check("us_contact", before.us_contact != c.us_contact);
    check("returned_on", before.returned_on != c.returned_on);
    check("return_port", before.return_port != input.return_port);
    check("return_city", before.return_city != c.return_city);
    check("return_state", before.return_state != c.return_state);
    check("risk_detail", before.risk_detail != c.risk_detail);
    check(
        "vulnerabilities",
        before.vulnerabilities != input.vulnerabilities,
    );
    check(
        "representation",
        before.representation != input.representation,
    );
    check("notes", before.notes != c.notes);
    check(
        "family",
        before.family.len() != c.family.len() || c.family.iter().any(|m| m.id.is_none()),
    );
    let s = &before.consent;
    check(
        "consent",
        s.representation != input.consent.representation
            || s.share_with_oversight != input.consent.share_with_oversight
            || s.publish_deidentified != input.consent.publish_deidentified,
    );
    out
}

/// Writes the family unit and returns each member's id, in input order.
fn write_family(
    tx: &Transaction<'_>,
    client_id: &str,
    family: &[CleanFamily],
    now: &str,
) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(family.len());
    for m in family {
        match &m.id {
            Some(id) => {
                ids.push(id.clone());
                tx.execute(
                    "UPDATE family_members SET given_names=?2, family_names=?3, relationship=?4,
                       date_of_birth=?5, sex=?6, a_number=?7, nationality=?8, travels_with=?9,
                       vulnerabilities=?10, notes=?11, updated_at=?12, aliases=?14, status=?15,
                       status_on=?16, dob_estimated=?17
                     WHERE id=?1 AND client_id=?13",
                    params![
                        id,
                        m.given_names,
                        m.family_names,
                        m.relationship,
                        m.date_of_birth,
                        m.sex,
                        m.a_number,
                        m.nationality,
                        m.travels_with,
                        m.vulnerabilities,
                        m.notes,
                        now,
                        client_id,
                        m.aliases,
                        m.status,
                        m.status_on,
                        m.dob_estimated
                    ],
                )?;
            }
            None => {
                let id = new_id();
                tx.execute(
                    "INSERT INTO family_members (id, client_id, given_names, family_names,
                       relationship, date_of_birth, sex, a_number, nationality, travels_with,
                       vulnerabilities, notes, created_at, updated_at, aliases, status, status_on,
                       dob_estimated)
                     VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13,?14,?15,?16,?17)",
                    params![
                        id,
                        client_id,
                        m.given_names,
                        m.family_names,
                        m.relationship,
                        m.date_of_birth,
                        m.sex,
                        m.a_number,
                        m.nationality,
                        m.travels_with,
                        m.vulnerabilities,
                        m.notes,
                        now,
                        m.aliases,
                        m.status,
                        m.status_on,
                        m.dob_estimated
                    ],
                )?;
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// Records the consents in force. On creation every kind is written; on update only the
/// kinds whose value changed, so the table is the history of what was agreed and when.
#[allow(clippy::too_many_arguments)]
fn write_consents(
    tx: &Transaction<'_>,
    client_id: &str,
    consent: &ConsentInput,
    family: &[CleanFamily],
    member_ids: &[String],
    actor: &str,
    now: &str,
    creating: bool,
) -> Result<()> {
    let current = |member: Option<&str>, kind: ConsentKind| -> Result<Option<bool>> {
        Ok(tx
            .query_row(
                "SELECT granted FROM consents WHERE client_id=?1 AND family_member_id IS ?2
                   AND kind=?3 ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
                params![client_id, member, kind],
                |r| r.get(0),
            )
            .optional()?)
    };
    let write = |member: Option<&str>, kind: ConsentKind, granted: bool| -> Result<()> {
        if !creating && current(member, kind)? == Some(granted) {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO consents (id, client_id, family_member_id, kind, granted, method,
               recorded_at, recorded_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![
                new_id(),
                client_id,
                member,
                kind,
                granted,
                consent.method,
                now,
                actor
            ],
        )?;
        Ok(())
    };
    write(None, ConsentKind::Representation, consent.representation)?;
    write(
        None,
        ConsentKind::ShareWithOversight,
        consent.share_with_oversight,
    )?;
    write(
        None,
        ConsentKind::PublishDeidentified,
        consent.publish_deidentified,
    )?;
    for (m, id) in family.iter().zip(member_ids) {
        write(Some(id), ConsentKind::ShareWithOversight, m.consent)?;
    }
    Ok(())
}

fn client_from_row(r: &Row<'_>) -> rusqlite::Result<ClientDetail> {
    let dob: Option<String> = r.get(4)?;
    Ok(ClientDetail {
        id: r.get(0)?,
        given_names: r.get(1)?,
        family_names: r.get(2)?,
        aliases: r.get(3)?,
        age: age_of(dob.as_deref()),
        date_of_birth: dob,
        sex: r.get(5)?,
        nationality: r.get(6)?,
        languages: parse_list(r.get(7)?),
        a_number: r.get::<_, Option<String>>(8)?.map(|a| anumber::display(&a)),
        lodging: r.get(9)?,
        lodging_detail: r.get(10)?,
        city: r.get(11)?,
        phone: r.get(12)?,
        us_contact: r.get(13)?,
        returned_on: r.get(14)?,
        return_port: r.get(15)?,
        return_city: r.get(21)?,
        return_state: r.get(22)?,
        risk_detail: r.get(23)?,
        vulnerabilities: parse_list(r.get(16)?),
        representation: r.get(17)?,
        notes: r.get(18)?,
        family: Vec::new(),
        consent: ConsentState {
            representation: false,
            share_with_oversight: false,
            publish_deidentified: false,
            method: None,
            recorded_at: None,
            recorded_by: None,
        },
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

fn family_from_row(r: &Row<'_>) -> rusqlite::Result<FamilyMember> {
    let dob: Option<String> = r.get(4)?;
    Ok(FamilyMember {
        id: r.get(0)?,
        given_names: r.get(1)?,
        family_names: r.get(2)?,
        relationship: r.get(3)?,
        age: age_of(dob.as_deref()),
        date_of_birth: dob,
        sex: r.get(5)?,
        a_number: r.get::<_, Option<String>>(6)?.map(|a| anumber::display(&a)),
        nationality: r.get(7)?,
        travels_with: r.get(8)?,
        vulnerabilities: parse_list(r.get(9)?),
        notes: r.get(10)?,
        aliases: r.get(11)?,
        consent_share_with_oversight: false,
        status: r.get(12)?,
        status_on: r.get(13)?,
        dob_estimated: r.get(14)?,
    })
}
