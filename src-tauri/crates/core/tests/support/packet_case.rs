//! A complaint-packet case shared by the core's packet tests (the document as data) and the
//! pdf crate's (the document in print): one client, her child, a missed hearing, incidents, a
//! screening and a photo exhibit, in a real vault.
#![allow(dead_code)]

use amparo_core::clients::{ClientInput, ConsentInput, FamilyMemberInput};
use amparo_core::codes::*;
use amparo_core::hearings::HearingInput;
use amparo_core::incidents::IncidentInput;
use amparo_core::packet::labels::DocLang;
use amparo_core::packet::*;
use amparo_core::records::PersonRef;
use amparo_core::screenings::ScreeningInput;
use amparo_core::settings::VaultSettings;
use amparo_core::{KdfChoice, KdfParams, Vault};
use sha2::{Digest, Sha256};

pub struct Case {
    pub _tmp: tempfile::TempDir,
    pub v: Vault,
    pub client: String,
    pub child: String,
    pub incidents: Vec<String>,
    pub hearing: String,
    pub screening: String,
    pub photo: String,
    pub photo_sha: String,
}

/// A client with a child (no consent for DHS), a missed hearing, two incidents (one a
/// kidnapping that caused the missed hearing), a screening and `photo` attached to the first
/// incident as `marisela_quintanilla_brazo.jpg`.
pub fn case(photo_bytes: Vec<u8>) -> Case {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = Vault::create(
        tmp.path(),
        "correct horse battery",
        KdfChoice::Fixed(KdfParams::MINIMUM),
        "Ana (volunteer)",
    )
    .expect("create");
    v.save_settings(&VaultSettings {
        org_name: "Clínica Fronteriza".into(),
        org_address: "Calle 5 #100\nTijuana, B.C.".into(),
        org_signer: "Lic. Ana Ruiz".into(),
        ..VaultSettings::default()
    })
    .expect("settings");
    let c = v
        .create_client(&ClientInput {
            given_names: "Marisela".into(),
            family_names: "Quintanilla Obregón".into(),
            date_of_birth: Some("1991-07-14".into()),
            sex: Some(Sex::Female),
            nationality: Some("HN".into()),
            a_number: Some("201234567".into()),
            phone: "+52 664 555 0199".into(),
            city: "Ciudad Juárez".into(),
            returned_on: Some("2026-01-10".into()),
            return_port: Some(Port::ElPasoPdn),
            consent: ConsentInput {
                share_with_oversight: true,
                ..Default::default()
            },
            family: vec![FamilyMemberInput {
                given_names: "Dilcia".into(),
                family_names: "Quintanilla".into(),
                relationship: Relationship::Child,
                date_of_birth: Some("2021-02-03".into()),
                consent_share_with_oversight: false,
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("client");
    let child = c.family[0].id.clone();
    let hearing = v
        .add_hearing(&HearingInput {
            client_id: c.id.clone(),
            people: vec![],
            court: Court::ElPaso,
            court_zone: None,
            venue: HearingVenue::InPerson,
            hearing_type: HearingType::MasterCalendar,
            scheduled_local: "2026-03-16T08:00".into(),
            port: Some(Port::ElPasoPdn),
            report_local: Some("2026-03-16T04:30".into()),
            judge: String::new(),
            interpreter_language: None,
            attendees: String::new(),
            outcome: HearingOutcome::RemovedInAbsentia,
            next_date: None,
            missed_reason: Some(MissedReason::KidnappedOrHeld),
            missed_account: "Marisela estaba secuestrada ese día.".into(),
            notes: String::new(),
        })
        .expect("hearing");
    let incident =
        |acts: Vec<Act>, date: &str, narrative: &str, victims: Vec<PersonRef>| IncidentInput {
            client_id: c.id.clone(),
            date_start: date.into(),
            date_end: None,
            state: Some("CHIH".into()),
            city: "Ciudad Juárez".into(),
            place_kind: Some(PlaceKind::BusTerminal),
            acts,
            perpetrators: vec![Perpetrator::CriminalOrganisation],
            victims,
            ransom_demanded_minor: Some(300_000),
            ransom_paid_minor: None,
            ransom_paid: None,
            ransom_paid_by: String::new(),
            held_days: None,
            date_unknown: false,
            date_after: None,
            date_before: None,
            other_victims: Vec::new(),
            perpetrator_detail: String::new(),
            ransom_currency: Some("USD".into()),
            reported_to_authorities: Some(false),
            report_number: String::new(),
            authority_response: String::new(),
            injuries: String::new(),
            medical_care: String::new(),
            on_way_to_hearing: false,
            missed_hearing_id: None,
            narrative: narrative.into(),
            source: IncidentSource::ClientInterview,
            taken_by: "Ana".into(),
        };
    let mut first = incident(
        vec![Act::Kidnapping, Act::Extortion],
        "2026-03-14",
        "Marisela Quintanilla y su hija Dilcia fueron llevadas de la central de autobuses. \
         Le quitaron su papel con el número A-201-234-567 y llamaron a su hermano al 664 555 0199.",
        vec![
            PersonRef::Client(c.id.clone()),
            PersonRef::FamilyMember(child.clone()),
        ],
    );
    first.missed_hearing_id = Some(hearing.id.clone());
    let i1 = v.add_incident(&first).expect("incident 1");
    let i2 = v
        .add_incident(&incident(
            vec![Act::PhysicalAssault],
            "2026-04",
            "Un agente la golpeó cerca de la garita.",
            vec![],
        ))
        .expect("incident 2");
    let screening = v
        .add_screening(&ScreeningInput {
            client_id: c.id.clone(),
            screened_on: "2026-01-10".into(),
            fear_expressed_to: FearExpressedTo::CbpOfficer,
            interview_held: true,
            interview_mode: Some(InterviewMode::Phone),
            location: String::new(),
            duration_minutes: Some(12),
            counsel_allowed: Some(false),
            conduct: Some(InterviewConduct::Cursory),
            outcome: ScreeningOutcome::ReturnedToMexico,
            notes: "The officer interrupted Marisela repeatedly.".into(),
        })
        .expect("screening");
    let bytes = photo_bytes;
    let photo_sha = hex::encode(Sha256::digest(&bytes));
    let photo = v
        .attach(
            AttachmentOwner::Incident,
            &i1.id,
            "marisela_quintanilla_brazo.jpg",
            &bytes,
        )
        .expect("photo");
    Case {
        _tmp: tmp,
        v,
        client: c.id,
        child,
        incidents: vec![i1.id, i2.id],
        hearing: hearing.id,
        screening: screening.id,
        photo: photo.id,
        photo_sha,
    }
}

pub fn request(c: &Case, profile: Profile, lang: DocLang) -> PacketRequest {
    PacketRequest {
        recipient: Recipient::Both,
        profile,
        lang,
        requests: vec![
            RequestedAction::Investigation,
            RequestedAction::RemovalFromMpp,
        ],
        clients: vec![PacketSelection {
            client_id: c.client.clone(),
            incident_ids: c.incidents.clone(),
            hearing_ids: vec![c.hearing.clone()],
            screening_ids: vec![c.screening.clone()],
            exhibit_ids: vec![c.photo.clone()],
        }],
        choices: vec![],
        facts: FactPrecision::default(),
        confirmed: vec![],
    }
}
