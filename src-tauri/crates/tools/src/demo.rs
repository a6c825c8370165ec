//! Realistic synthetic case data for demos and benchmarks. A fixed seed always gives the same
//! people. Every person here is invented; names are drawn from common regional names.

use chrono::{Datelike, Days, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use amparo_core::clients::{ClientInput, ConsentInput, FamilyMemberInput};
use amparo_core::codes::{
    Act, ConsentMethod, Court, FearExpressedTo, HearingOutcome, HearingType, HearingVenue,
    IncidentSource, InterviewConduct, InterviewMode, Lodging, MissedReason, Perpetrator, PlaceKind,
    Port, Relationship, Representation, ScreeningOutcome, Sex, Vulnerability,
};
use amparo_core::dates::today;
use amparo_core::error::Result;
use amparo_core::hearings::HearingInput;
use amparo_core::incidents::IncidentInput;
use amparo_core::records::PersonRef;
use amparo_core::screenings::ScreeningInput;
use amparo_core::vault::Vault;

const FEMALE: &[&str] = &[
    "María", "Ana", "Yesenia", "Dania", "Karla", "Glenda", "Rosa", "Sofía", "Yasmin", "Lourdes",
    "Marisol", "Daniela", "Iris", "Wendy", "Keila", "Ingrid", "Reina", "Esther", "Nayeli", "Lucía",
];
const MALE: &[&str] = &[
    "José", "Juan", "Carlos", "Luis", "Óscar", "Jesús", "Wilmer", "Kevin", "Érick", "Darwin",
    "Nelson", "Mario", "Selvin", "Marvin", "Yordi", "Andrés", "Ángel", "Raúl", "Edwin", "Julio",
];
const FAMILY: &[&str] = &[
    "Hernández",
    "López",
    "Martínez",
    "García",
    "Rodríguez",
    "Pérez",
    "Ramírez",
    "Flores",
    "Cruz",
    "Reyes",
    "Morales",
    "Gómez",
    "Mejía",
    "Castillo",
    "Orellana",
    "Chávez",
    "Ixcoy",
    "Tzul",
    "Batz",
    "Álvarez",
    "Núñez",
    "Peña",
    "Zelaya",
    "Murillo",
    "Guevara",
    "Ordóñez",
];
/// (nationality, weight, languages)
const NATIONS: &[(&str, u32, &[&str])] = &[
    ("HN", 30, &["es"]),
    ("GT", 22, &["es", "quc"]),
    ("CU", 14, &["es"]),
    ("SV", 10, &["es"]),
    ("EC", 6, &["es"]),
    ("VE", 6, &["es"]),
    ("NI", 5, &["es"]),
    ("HT", 3, &["ht", "fr"]),
    ("BR", 2, &["pt"]),
    ("CM", 2, &["fr", "en"]),
];
/// (city, state, port the city's returnees use, court)
const CITIES: &[(&str, &str, Port, Court)] = &[
    ("Tijuana", "BC", Port::SanYsidro, Court::SanDiego),
    ("Mexicali", "BC", Port::CalexicoWest, Court::Calexico),
    ("Ciudad Juárez", "CHIH", Port::ElPasoPdn, Court::ElPaso),
    ("Nuevo Laredo", "TAMPS", Port::Laredo, Court::LaredoTent),
    (
        "Matamoros",
        "TAMPS",
        Port::BrownsvilleGateway,
        Court::BrownsvilleTent,
    ),
    (
        "Reynosa",
        "TAMPS",
        Port::BrownsvilleGateway,
        Court::BrownsvilleTent,
    ),
    ("Piedras Negras", "COAH", Port::EaglePass, Court::SanAntonio),
    ("Nogales", "SON", Port::Nogales, Court::ElPaso),
];
const SHELTERS: &[&str] = &[
    "Albergue Juventud 2000",
    "Casa del Migrante",
    "Ejército de Salvación",
    "Pro Amore Dei",
    "Campamento junto al puente",
    "Albergue Senda de Vida",
    "Casa Nazaret",
];
const NARRATIVES: &[&str] = &[
    "Fue interceptada al salir de la terminal de autobuses; la subieron a una camioneta y pidieron dinero a su hermano en Houston.",
    "Al regresar de la audiencia, dos hombres armados los siguieron desde el puerto y les quitaron sus documentos.",
    "Policías municipales lo detuvieron en un retén, le quitaron el dinero y amenazaron con entregarlo al cártel.",
    "Recibieron llamadas exigiendo pago; dijeron conocer el albergue donde se quedan y el nombre de su hija.",
    "Un taxista los llevó a una casa de seguridad donde estuvieron retenidos varios días hasta que la familia pagó.",
    "La agredieron sexualmente cerca de la oficina del INM; no denunció por miedo a represalias.",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, xs: &'a [T]) -> &'a T {
    xs.choose(rng).unwrap_or(&xs[0])
}

fn date_between(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1) as u64;
    from + Days::new(rng.random_range(0..span))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// What `seed` wrote.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct SeedCounts {
    pub clients: u32,
    pub family_members: u32,
    pub hearings: u32,
    pub screenings: u32,
    pub incidents: u32,
}

/// How much history each seeded client gets: a number of hearings and of incidents, each
/// drawn evenly from its range.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub max_hearings: u32,
    pub max_incidents: u32,
}

impl Shape {
    /// About 2 hearings and 1 incident per client (the demo, the earlier benchmarks).
    pub const DEMO: Shape = Shape {
        max_hearings: 3,
        max_incidents: 2,
    };
    /// About 3 hearings and 2 incidents per client: the benchmark's "large clinic" (50,000 clients,
    /// ~150,000 hearings, ~100,000 incidents).
    pub const LARGE_CLINIC: Shape = Shape {
        max_hearings: 5,
        max_incidents: 4,
    };
}

/// Adds `clients` synthetic clients with families, hearings, screenings and incidents.
/// `progress` is called after each client with the number done so far.
pub fn seed(
    vault: &mut Vault,
    clients: u32,
    seed: u64,
    progress: impl FnMut(u32),
) -> Result<SeedCounts> {
    seed_shaped(vault, clients, seed, Shape::DEMO, progress)
}

/// [`seed`] with a chosen amount of history per client.
pub fn seed_shaped(
    vault: &mut Vault,
    clients: u32,
    seed: u64,
    shape: Shape,
    mut progress: impl FnMut(u32),
) -> Result<SeedCounts> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = SeedCounts::default();
    let now = today();
    vault.mark_synthetic()?;
    vault.bulk_mode(true)?;
    let result = (|| {
        for i in 0..clients {
            let (input, returned) = synthetic_intake(&mut rng, now);
            let client = vault.create_client(&input)?;
            counts.clients += 1;
            counts.family_members += client.family.len() as u32;
            add_history(vault, &mut rng, &client, returned, shape, &mut counts)?;
            progress(i + 1);
        }
        Ok(counts)
    })();
    vault.bulk_mode(false)?;
    result
}

/// A made-up client as an intake would record them, and the day they were returned.
fn synthetic_intake(rng: &mut ChaCha8Rng, now: NaiveDate) -> (ClientInput, NaiveDate) {
    let total_weight: u32 = NATIONS.iter().map(|n| n.1).sum();
    let mut w = rng.random_range(0..total_weight);
    let nation = NATIONS
        .iter()
        .find(|n| {
            if w < n.1 {
                true
            } else {
                w -= n.1;
                false
            }
        })
        .unwrap_or(&NATIONS[0]);
    let female = rng.random_bool(0.55);
    let given = if female {
        pick(rng, FEMALE)
    } else {
        pick(rng, MALE)
    };
    let surname = format!("{} {}", pick(rng, FAMILY), pick(rng, FAMILY));
    let (city, _, port, _) = *pick(rng, CITIES);
    let dob = date_between(rng, ymd(1965, 1, 1), ymd(2005, 12, 31));
    let returned = date_between(rng, ymd(2019, 2, 1), now - Days::new(30));
    let family = synthetic_family(rng, female, &surname, nation.0, now);
    let mut vulnerabilities = Vec::new();
    for (v, p) in [
        (Vulnerability::Pregnant, if female { 0.08 } else { 0.0 }),
        (Vulnerability::ChronicIllness, 0.1),
        (Vulnerability::Lgbtq, 0.05),
        (
            Vulnerability::Indigenous,
            if nation.0 == "GT" { 0.6 } else { 0.03 },
        ),
        (Vulnerability::PriorVictimization, 0.3),
    ] {
        if rng.random_bool(p) {
            vulnerabilities.push(v);
        }
    }
    let input = ClientInput {
        given_names: (*given).to_owned(),
        family_names: surname.clone(),
        date_of_birth: Some(dob.to_string()),
        sex: Some(if female { Sex::Female } else { Sex::Male }),
        nationality: Some(nation.0.to_owned()),
        languages: nation.2.iter().map(|s| (*s).to_owned()).collect(),
        a_number: Some(format!(
            "{}",
            rng.random_range(200_000_000..=220_000_000u32)
        )),
        lodging: Some(*pick(
            rng,
            &[
                Lodging::Shelter,
                Lodging::Camp,
                Lodging::RentedRoom,
                Lodging::Hiding,
            ],
        )),
        lodging_detail: (*pick(rng, SHELTERS)).to_owned(),
        city: city.to_owned(),
        phone: format!(
            "+52 664 {:03} {:04}",
            rng.random_range(100..999),
            rng.random_range(0..9999)
        ),
        returned_on: Some(returned.to_string()),
        return_port: Some(port),
        vulnerabilities,
        representation: *pick(
            rng,
            &[
                Representation::None,
                Representation::Consultation,
                Representation::Represented,
            ],
        ),
        family,
        consent: ConsentInput {
            representation: rng.random_bool(0.6),
            share_with_oversight: rng.random_bool(0.7),
            publish_deidentified: rng.random_bool(0.5),
            method: ConsentMethod::Verbal,
        },
        ..ClientInput::default()
    };
    (input, returned)
}

/// A spouse for about one client in three, and up to three children.
fn synthetic_family(
    rng: &mut ChaCha8Rng,
    female: bool,
    surname: &str,
    nationality: &str,
    now: NaiveDate,
) -> Vec<FamilyMemberInput> {
    let mut family = Vec::new();
    if rng.random_bool(0.3) {
        family.push(FamilyMemberInput {
            given_names: (*pick(rng, if female { MALE } else { FEMALE })).to_owned(),
            family_names: surname.to_owned(),
            relationship: Relationship::Spouse,
            date_of_birth: Some(date_between(rng, ymd(1965, 1, 1), ymd(2004, 1, 1)).to_string()),
            sex: Some(if female { Sex::Male } else { Sex::Female }),
            nationality: Some(nationality.to_owned()),
            consent_share_with_oversight: rng.random_bool(0.7),
            ..FamilyMemberInput::default()
        });
    }
    for _ in 0..rng.random_range(0..=3u32) {
        let girl = rng.random_bool(0.5);
        let born = date_between(rng, now - Days::new(17 * 365), now - Days::new(20));
        family.push(FamilyMemberInput {
            given_names: (*pick(rng, if girl { FEMALE } else { MALE })).to_owned(),
            family_names: surname.to_owned(),
            relationship: Relationship::Child,
            date_of_birth: Some(born.to_string()),
            sex: Some(if girl { Sex::Female } else { Sex::Male }),
            a_number: rng
                .random_bool(0.6)
                .then(|| format!("{}", rng.random_range(200_000_000..=220_000_000u32))),
            nationality: Some(nationality.to_owned()),
            ..FamilyMemberInput::default()
        });
    }
    family
}

/// A client's hearings, fear screening and incidents, drawn in this order from the one
/// generator (the same seed gives the same vault).
fn add_history(
    vault: &mut Vault,
    rng: &mut ChaCha8Rng,
    client: &amparo_core::clients::ClientDetail,
    returned: NaiveDate,
    shape: Shape,
    counts: &mut SeedCounts,
) -> Result<()> {
    let case = Case {
        client,
        returned,
        now: today(),
        city: CITIES
            .iter()
            .find(|c| c.0 == client.city)
            .copied()
            .unwrap_or(CITIES[0]),
    };
    let hearing_ids = add_hearings(vault, rng, &case, shape, counts)?;
    add_screening(vault, rng, &case, counts)?;
    add_incidents(vault, rng, &case, shape, &hearing_ids, counts)
}

/// One client's story as the seed tells it: who, returned when, to which city.
struct Case<'a> {
    client: &'a amparo_core::clients::ClientDetail,
    returned: NaiveDate,
    now: NaiveDate,
    city: (&'static str, &'static str, Port, Court),
}

/// The client's hearings, mostly past: their ids and outcomes.
fn add_hearings(
    vault: &mut Vault,
    rng: &mut ChaCha8Rng,
    case: &Case<'_>,
    shape: Shape,
    counts: &mut SeedCounts,
) -> Result<Vec<(String, HearingOutcome)>> {
    let Case {
        client,
        returned,
        now,
        city,
    } = *case;
    let mut people = vec![PersonRef::Client(client.id.clone())];
    people.extend(
        client
            .family
            .iter()
            .map(|m| PersonRef::FamilyMember(m.id.clone())),
    );
    let mut hearing_ids = Vec::new();
    for n in 0..rng.random_range(1..=shape.max_hearings) {
        // Most hearings are past; about one in thirty lies in the coming six weeks.
        let day = if rng.random_bool(0.03) {
            now + Days::new(rng.random_range(0..45))
        } else {
            date_between(rng, returned, now).max(returned)
        };
        let past = day < now;
        let hour = *pick(rng, &[8u32, 9, 10, 13]);
        let outcome = if !past {
            HearingOutcome::Scheduled
        } else {
            *pick(
                rng,
                &[
                    HearingOutcome::Continued,
                    HearingOutcome::Continued,
                    HearingOutcome::RemovedInAbsentia,
                    HearingOutcome::RemovalOrdered,
                    HearingOutcome::ReliefDenied,
                    HearingOutcome::Terminated,
                    HearingOutcome::Scheduled,
                ],
            )
        };
        let h = vault.add_hearing(&HearingInput {
            client_id: client.id.clone(),
            people: people.clone(),
            court: city.3,
            court_zone: None,
            venue: if matches!(city.3, Court::LaredoTent | Court::BrownsvilleTent) {
                HearingVenue::PortTent
            } else {
                HearingVenue::InPerson
            },
            hearing_type: if n == 0 {
                HearingType::MasterCalendar
            } else {
                HearingType::Individual
            },
            scheduled_local: format!("{}T{hour:02}:00", day.format("%Y-%m-%d")),
            port: Some(city.2),
            report_local: Some(format!(
                "{}T{:02}:30",
                day.format("%Y-%m-%d"),
                hour.saturating_sub(4)
            )),
            judge: String::new(),
            interpreter_language: client.languages.first().cloned(),
            attendees: String::new(),
            missed_reason: (outcome == HearingOutcome::RemovedInAbsentia).then(|| {
                *pick(
                    rng,
                    &[
                        MissedReason::KidnappedOrHeld,
                        MissedReason::NoTransport,
                        MissedReason::NoticeWrongOrMissing,
                    ],
                )
            }),
            outcome,
            next_date: None,
            missed_account: String::new(),
            notes: String::new(),
        })?;
        counts.hearings += 1;
        hearing_ids.push((h.id, outcome));
    }
    Ok(hearing_ids)
}

/// A fear screening for about one client in three.
fn add_screening(
    vault: &mut Vault,
    rng: &mut ChaCha8Rng,
    case: &Case<'_>,
    counts: &mut SeedCounts,
) -> Result<()> {
    let Case {
        client, returned, ..
    } = *case;
    if rng.random_bool(0.35) {
        let held = rng.random_bool(0.5);
        vault.add_screening(&ScreeningInput {
            client_id: client.id.clone(),
            screened_on: returned.to_string(),
            fear_expressed_to: *pick(
                rng,
                &[
                    FearExpressedTo::CbpOfficer,
                    FearExpressedTo::AsylumOfficer,
                    FearExpressedTo::ImmigrationJudge,
                ],
            ),
            interview_held: held,
            interview_mode: held
                .then(|| *pick(rng, &[InterviewMode::Phone, InterviewMode::InPerson])),
            location: String::new(),
            duration_minutes: held.then(|| rng.random_range(5..90)),
            counsel_allowed: Some(false),
            conduct: Some(if held {
                *pick(
                    rng,
                    &[
                        InterviewConduct::Cursory,
                        InterviewConduct::Adversarial,
                        InterviewConduct::Adequate,
                    ],
                )
            } else {
                InterviewConduct::NotGiven
            }),
            outcome: *pick(
                rng,
                &[
                    ScreeningOutcome::ReturnedToMexico,
                    ScreeningOutcome::ReturnedToMexico,
                    ScreeningOutcome::RemovedFromMpp,
                    ScreeningOutcome::Pending,
                ],
            ),
            notes: String::new(),
        })?;
        counts.screenings += 1;
    }
    Ok(())
}

/// The incidents the client tells of; a kidnapping is linked to a hearing it made them miss.
fn add_incidents(
    vault: &mut Vault,
    rng: &mut ChaCha8Rng,
    case: &Case<'_>,
    shape: Shape,
    hearing_ids: &[(String, HearingOutcome)],
    counts: &mut SeedCounts,
) -> Result<()> {
    let Case {
        client,
        returned,
        now,
        city,
    } = *case;
    for _ in 0..rng.random_range(0..=shape.max_incidents) {
        let when = date_between(rng, returned, now);
        let month_only = rng.random_bool(0.25);
        let act = *pick(
            rng,
            &[
                Act::Kidnapping,
                Act::Extortion,
                Act::AttemptedKidnapping,
                Act::Robbery,
                Act::ExpressKidnappingPolice,
                Act::SexualAssault,
                Act::Threats,
                Act::PhysicalAssault,
            ],
        );
        let extortion = matches!(
            act,
            Act::Kidnapping | Act::Extortion | Act::ExpressKidnappingPolice
        );
        let missed = hearing_ids
            .iter()
            .find(|(_, o)| *o == HearingOutcome::RemovedInAbsentia)
            .map(|(id, _)| id.clone());
        let mut victims = vec![PersonRef::Client(client.id.clone())];
        if let Some(child) = client
            .family
            .iter()
            .find(|m| m.relationship == Relationship::Child)
            && rng.random_bool(0.4)
        {
            victims.push(PersonRef::FamilyMember(child.id.clone()));
        }
        vault.add_incident(&IncidentInput {
            client_id: client.id.clone(),
            date_start: if month_only {
                format!("{:04}-{:02}", when.year(), when.month())
            } else {
                when.to_string()
            },
            date_end: None,
            state: Some(city.1.to_owned()),
            city: city.0.to_owned(),
            place_kind: Some(*pick(
                rng,
                &[
                    PlaceKind::BusTerminal,
                    PlaceKind::TaxiOrCar,
                    PlaceKind::NearInmOffice,
                    PlaceKind::Street,
                    PlaceKind::WayToOrFromHearing,
                    PlaceKind::JustAfterReturn,
                ],
            )),
            acts: if extortion && act != Act::Extortion {
                vec![act, Act::Extortion]
            } else {
                vec![act]
            },
            perpetrators: vec![*pick(
                rng,
                &[
                    Perpetrator::CriminalOrganisation,
                    Perpetrator::CriminalOrganisation,
                    Perpetrator::MexicanPolice,
                    Perpetrator::Unknown,
                    Perpetrator::InmAgents,
                ],
            )],
            victims,
            ransom_demanded_minor: extortion.then(|| rng.random_range(20..200i32) * 10_000),
            ransom_paid_minor: None,
            ransom_paid: None,
            ransom_paid_by: String::new(),
            held_days: None,
            date_unknown: false,
            date_after: None,
            date_before: None,
            other_victims: Vec::new(),
            perpetrator_detail: String::new(),
            ransom_currency: extortion.then(|| "USD".to_owned()),
            reported_to_authorities: Some(rng.random_bool(0.15)),
            report_number: String::new(),
            authority_response: String::new(),
            injuries: String::new(),
            medical_care: String::new(),
            on_way_to_hearing: rng.random_bool(0.2),
            missed_hearing_id: if act == Act::Kidnapping { missed } else { None },
            narrative: (*pick(rng, NARRATIVES)).to_owned(),
            source: IncidentSource::ClientInterview,
            taken_by: String::new(),
        })?;
        counts.incidents += 1;
    }
    Ok(())
}

const NOTE_OPENINGS: &[&str] = &[
    "La clienta relata que",
    "El cliente explica que",
    "Según su hermana,",
    "Refiere que",
    "En la entrevista de seguimiento indicó que",
    "Cuenta que",
    "Su esposo confirma que",
    "La trabajadora del albergue informa que",
];
const NOTE_EVENTS: &[&str] = &[
    "dos hombres la siguieron desde la central camionera",
    "un taxista los llevó a una casa de seguridad",
    "la policía municipal le pidió dinero en un retén",
    "recibió llamadas con amenazas a su familia",
    "no pudo llegar al puerto antes de las cuatro de la mañana",
    "el oficial no le preguntó si tenía miedo",
    "la entrevista por teléfono duró menos de diez minutos",
    "la devolvieron a México sin sus documentos",
    "su hijo de tres años se enfermó en el campamento",
    "pagaron un rescate de dos mil dólares",
    "los agentes del INM la detuvieron afuera de la oficina",
    "le robaron el teléfono camino a la audiencia",
    "durmieron varias noches junto al puente internacional",
    "un grupo armado entró al albergue",
];
const NOTE_CLOSINGS: &[&str] = &[
    "Tiene miedo de volver a salir.",
    "Pide que no se use su nombre.",
    "Hay fotos de las lesiones.",
    "No denunció por miedo a represalias.",
    "Se le explicó la audiencia siguiente.",
    "Se refirió al médico del albergue.",
    "Quiere presentar una queja.",
    "Se programó otra cita.",
];

/// Adds `n` fear-screening notes (synthetic, Spanish) spread over the vault's clients, in
/// batches, each with its audit entry: the "1,000,000 notes and narratives" benchmark vault.
pub fn seed_notes(
    vault: &mut Vault,
    n: u32,
    seed: u64,
    mut progress: impl FnMut(u32),
) -> Result<u32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0075);
    let clients: Vec<(String, String)> = {
        let mut stmt = vault
            .connection_for_tools()
            .prepare("SELECT id, city FROM clients WHERE deleted_at IS NULL")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    if clients.is_empty() {
        return Ok(0);
    }
    vault.bulk_mode(true)?;
    let result = (|| {
        let mut done = 0u32;
        while done < n {
            let batch = (n - done).min(2_000);
            let mut notes = Vec::with_capacity(batch as usize);
            for _ in 0..batch {
                let (client, city) = pick(&mut rng, &clients);
                let text = format!(
                    "{} {} en {}. {} {}",
                    pick(&mut rng, NOTE_OPENINGS),
                    pick(&mut rng, NOTE_EVENTS),
                    if city.is_empty() { "Tijuana" } else { city },
                    pick(&mut rng, NOTE_EVENTS),
                    pick(&mut rng, NOTE_CLOSINGS),
                );
                let day = date_between(&mut rng, ymd(2019, 2, 1), today());
                notes.push((client.clone(), day.to_string(), text));
            }
            vault.add_screening_notes(&notes)?;
            done += batch;
            progress(done);
        }
        Ok(done)
    })();
    vault.bulk_mode(false)?;
    result
}
