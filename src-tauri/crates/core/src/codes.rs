//! Controlled vocabularies: enums with stable snake_case codes shared by the database, the
//! IPC layer and the UI's message catalogue (`enum.<Type>.<code>`).

/// Declares an enum whose variants map one-to-one to stable string codes, with serde,
/// specta and SQLite conversions derived from that one table.
macro_rules! code_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn from_code(s: &str) -> Option<Self> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.code()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::from_code(s).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("unknown {} code", stringify!($name)).into()))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use code_enum;

code_enum! {
    /// What a member of the clinic may do (see `permissions`).
    pub enum Role {
        Coordinator = "coordinator", Attorney = "attorney", Volunteer = "volunteer",
        Interpreter = "interpreter",
    }
}

code_enum! {
    pub enum Sex { Female = "female", Male = "male", Other = "other", Unknown = "unknown" }
}

code_enum! {
    /// Where the person stays now.
    pub enum Lodging {
        Shelter = "shelter", Camp = "camp", RentedRoom = "rented_room",
        WithFamily = "with_family", Hiding = "hiding", Street = "street", Other = "other",
    }
}

code_enum! {
    /// What became of a family member, when it is not simply that they are with the client.
    pub enum FamilyStatus {
        Separated = "separated", Disappeared = "disappeared", Kidnapped = "kidnapped",
        Killed = "killed", DetainedInUs = "detained_in_us", Deported = "deported",
        Other = "other",
    }
}

code_enum! {
    pub enum Vulnerability {
        Pregnant = "pregnant", ChronicIllness = "chronic_illness", Disability = "disability",
        Lgbtq = "lgbtq", Indigenous = "indigenous", AfroDescendant = "afro_descendant",
        PriorVictimization = "prior_victimization", UnaccompaniedMinor = "unaccompanied_minor",
        Elderly = "elderly", MentalHealth = "mental_health", SingleParent = "single_parent",
        RaceOrEthnicity = "race_or_ethnicity", Other = "other",
    }
}

code_enum! {
    pub enum Representation {
        None = "none", Consultation = "consultation", Represented = "represented",
        Referred = "referred", ProSe = "pro_se",
    }
}

code_enum! {
    pub enum Relationship {
        Spouse = "spouse", Partner = "partner", Child = "child", Stepchild = "stepchild",
        Parent = "parent", Sibling = "sibling", Grandchild = "grandchild",
        OtherRelative = "other_relative", Other = "other",
    }
}

code_enum! {
    pub enum ConsentKind {
        Representation = "representation",
        ShareWithOversight = "share_with_oversight",
        PublishDeidentified = "publish_deidentified",
    }
}

code_enum! {
    pub enum ConsentMethod { Verbal = "verbal", Written = "written" }
}

code_enum! {
    /// Immigration courts that heard MPP cases; each has a fixed IANA zone.
    pub enum Court {
        SanDiego = "san_diego", Calexico = "calexico", ElPaso = "el_paso",
        LaredoTent = "laredo_tent", BrownsvilleTent = "brownsville_tent",
        Harlingen = "harlingen", SanAntonio = "san_antonio", Other = "other",
    }
}

impl Court {
    /// The court's zone; `None` for `Other`, whose zone the user names.
    pub fn zone(self) -> Option<&'static str> {
        match self {
            Court::SanDiego | Court::Calexico => Some("America/Los_Angeles"),
            Court::ElPaso => Some("America/Denver"),
            Court::LaredoTent | Court::BrownsvilleTent | Court::Harlingen | Court::SanAntonio => {
                Some("America/Chicago")
            }
            Court::Other => None,
        }
    }

    /// The port where people with hearings at this court usually report.
    pub fn usual_port(self) -> Option<Port> {
        match self {
            Court::SanDiego => Some(Port::SanYsidro),
            Court::Calexico => Some(Port::CalexicoWest),
            Court::ElPaso => Some(Port::ElPasoPdn),
            Court::LaredoTent => Some(Port::Laredo),
            Court::BrownsvilleTent | Court::Harlingen => Some(Port::BrownsvilleGateway),
            Court::SanAntonio | Court::Other => None,
        }
    }
}

code_enum! {
    /// U.S. ports of entry where people report before MPP hearings.
    pub enum Port {
        SanYsidro = "san_ysidro", CalexicoWest = "calexico_west", ElPasoPdn = "el_paso_pdn",
        Laredo = "laredo", BrownsvilleGateway = "brownsville_gateway", EaglePass = "eagle_pass",
        Nogales = "nogales", Other = "other",
    }
}

impl Port {
    pub fn zone(self) -> Option<&'static str> {
        match self {
            Port::SanYsidro | Port::CalexicoWest => Some("America/Los_Angeles"),
            Port::ElPasoPdn => Some("America/Denver"),
            Port::Laredo | Port::BrownsvilleGateway | Port::EaglePass => Some("America/Chicago"),
            // Arizona keeps Mountain Standard Time all year.
            Port::Nogales => Some("America/Phoenix"),
            Port::Other => None,
        }
    }

    /// The court whose hearings people usually report at this port for.
    pub fn usual_court(self) -> Option<Court> {
        match self {
            Port::SanYsidro => Some(Court::SanDiego),
            Port::CalexicoWest => Some(Court::Calexico),
            Port::ElPasoPdn => Some(Court::ElPaso),
            Port::Laredo => Some(Court::LaredoTent),
            Port::BrownsvilleGateway => Some(Court::BrownsvilleTent),
            Port::EaglePass | Port::Nogales | Port::Other => None,
        }
    }
}

/// A court as the hearing form needs it: its zone and the port it usually goes with.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct CourtInfo {
    pub court: Court,
    pub zone: Option<String>,
    pub usual_port: Option<Port>,
}

/// A port as the hearing form needs it: its zone and the court it usually goes with.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct PortInfo {
    pub port: Port,
    pub zone: Option<String>,
    pub usual_court: Option<Court>,
}

code_enum! {
    pub enum HearingVenue { PortTent = "port_tent", InPerson = "in_person", Video = "video" }
}

code_enum! {
    pub enum HearingType { MasterCalendar = "master_calendar", Individual = "individual", Other = "other" }
}

code_enum! {
    pub enum HearingOutcome {
        Scheduled = "scheduled", Continued = "continued", ReliefGranted = "relief_granted",
        ReliefDenied = "relief_denied", RemovalOrdered = "removal_ordered",
        RemovedInAbsentia = "removed_in_absentia", Terminated = "terminated",
        CaseClosed = "case_closed", Other = "other",
    }
}

code_enum! {
    pub enum MissedReason {
        KidnappedOrHeld = "kidnapped_or_held", Ill = "ill", NoTransport = "no_transport",
        NoticeWrongOrMissing = "notice_wrong_or_missing", FearOfTravel = "fear_of_travel",
        Other = "other",
    }
}

code_enum! {
    pub enum FearExpressedTo {
        CbpOfficer = "cbp_officer", AsylumOfficer = "asylum_officer",
        ImmigrationJudge = "immigration_judge", Other = "other", NotExpressed = "not_expressed",
    }
}

code_enum! {
    pub enum InterviewMode { InPerson = "in_person", Phone = "phone", Video = "video" }
}

code_enum! {
    /// How the non-refoulement interview was conducted, as reported.
    pub enum InterviewConduct {
        Refused = "refused", Cursory = "cursory", Adversarial = "adversarial",
        Adequate = "adequate", NotGiven = "not_given",
    }
}

code_enum! {
    pub enum ScreeningOutcome {
        ReturnedToMexico = "returned_to_mexico", RemovedFromMpp = "removed_from_mpp",
        Pending = "pending", Unknown = "unknown",
    }
}

code_enum! {
    /// Acts, coded to stay mappable onto the HURIDOCS events vocabulary.
    pub enum Act {
        Kidnapping = "kidnapping", AttemptedKidnapping = "attempted_kidnapping",
        ExpressKidnappingPolice = "express_kidnapping_police", Extortion = "extortion",
        Rape = "rape", SexualAssault = "sexual_assault", Torture = "torture",
        PhysicalAssault = "physical_assault", Robbery = "robbery", Murder = "murder",
        Disappearance = "disappearance", Trafficking = "trafficking", Threats = "threats",
        Other = "other",
    }
}

code_enum! {
    pub enum Perpetrator {
        CriminalOrganisation = "criminal_organisation", MexicanPolice = "mexican_police",
        NationalGuard = "national_guard", InmAgents = "inm_agents",
        UsOfficials = "us_officials", Unknown = "unknown", Other = "other",
    }
}

code_enum! {
    pub enum PlaceKind {
        BusTerminal = "bus_terminal", TaxiOrCar = "taxi_or_car", NearInmOffice = "near_inm_office",
        InsideInmOffice = "inside_inm_office", Shelter = "shelter", Street = "street",
        WayToOrFromHearing = "way_to_or_from_hearing", JustAfterReturn = "just_after_return",
        WaitingForTransport = "waiting_for_transport", OutsideShelter = "outside_shelter",
        WhereStaying = "where_staying", AtWork = "at_work", Other = "other",
    }
}

code_enum! {
    pub enum IncidentSource {
        ClientInterview = "client_interview", OtherPerson = "other_person", Document = "document",
    }
}

code_enum! {
    pub enum AttachmentOwner { Client = "client", Incident = "incident" }
}

/// Countries of nationality offered in the intake form (ISO 3166-1 alpha-2), most common first.
pub const NATIONALITIES: &[&str] = &[
    "HN", "GT", "CU", "SV", "EC", "VE", "NI", "HT", "BR", "CO", "PE", "MX", "CM", "CD", "AO", "ER",
    "GH", "GN", "SN", "OTHER",
];

/// Languages offered in the intake form: ISO 639 codes (K'iche' quc, Mam mam, Garifuna cab,
/// Q'eqchi' kek, Haitian Creole ht).
pub const LANGUAGES: &[&str] = &[
    "es", "en", "quc", "mam", "kek", "cab", "ht", "pt", "fr", "other",
];

/// Every controlled list the intake screens offer, in display order.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct Vocabularies {
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub sexes: Vec<Sex>,
    pub lodgings: Vec<Lodging>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub representations: Vec<Representation>,
    pub relationships: Vec<Relationship>,
    pub family_statuses: Vec<FamilyStatus>,
    pub consent_methods: Vec<ConsentMethod>,
    pub ports: Vec<Port>,
    pub courts: Vec<Court>,
    pub court_info: Vec<CourtInfo>,
    pub port_info: Vec<PortInfo>,
    pub venues: Vec<HearingVenue>,
    pub hearing_types: Vec<HearingType>,
    pub outcomes: Vec<HearingOutcome>,
    pub missed_reasons: Vec<MissedReason>,
    pub fear_expressed_to: Vec<FearExpressedTo>,
    pub interview_modes: Vec<InterviewMode>,
    pub conducts: Vec<InterviewConduct>,
    pub screening_outcomes: Vec<ScreeningOutcome>,
    pub acts: Vec<Act>,
    pub perpetrators: Vec<Perpetrator>,
    pub place_kinds: Vec<PlaceKind>,
    pub incident_sources: Vec<IncidentSource>,
    pub states: Vec<String>,
    pub recipients: Vec<crate::packet::Recipient>,
    pub profiles: Vec<crate::packet::Profile>,
    pub requested_actions: Vec<crate::packet::RequestedAction>,
}

pub fn vocabularies() -> Vocabularies {
    Vocabularies {
        nationalities: NATIONALITIES.iter().map(|s| (*s).to_owned()).collect(),
        languages: LANGUAGES.iter().map(|s| (*s).to_owned()).collect(),
        sexes: Sex::ALL.to_vec(),
        lodgings: Lodging::ALL.to_vec(),
        vulnerabilities: Vulnerability::ALL.to_vec(),
        representations: Representation::ALL.to_vec(),
        relationships: Relationship::ALL.to_vec(),
        family_statuses: FamilyStatus::ALL.to_vec(),
        consent_methods: ConsentMethod::ALL.to_vec(),
        ports: Port::ALL.to_vec(),
        courts: Court::ALL.to_vec(),
        court_info: Court::ALL
            .iter()
            .map(|c| CourtInfo {
                court: *c,
                zone: c.zone().map(str::to_owned),
                usual_port: c.usual_port(),
            })
            .collect(),
        port_info: Port::ALL
            .iter()
            .map(|p| PortInfo {
                port: *p,
                zone: p.zone().map(str::to_owned),
                usual_court: p.usual_court(),
            })
            .collect(),
        venues: HearingVenue::ALL.to_vec(),
        hearing_types: HearingType::ALL.to_vec(),
        outcomes: HearingOutcome::ALL.to_vec(),
        missed_reasons: MissedReason::ALL.to_vec(),
        fear_expressed_to: FearExpressedTo::ALL.to_vec(),
        interview_modes: InterviewMode::ALL.to_vec(),
        conducts: InterviewConduct::ALL.to_vec(),
        screening_outcomes: ScreeningOutcome::ALL.to_vec(),
        acts: Act::ALL.to_vec(),
        perpetrators: Perpetrator::ALL.to_vec(),
        place_kinds: PlaceKind::ALL.to_vec(),
        incident_sources: IncidentSource::ALL.to_vec(),
        states: crate::incidents::MEXICAN_STATES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        recipients: crate::packet::Recipient::ALL.to_vec(),
        profiles: crate::packet::Profile::ALL.to_vec(),
        requested_actions: crate::packet::RequestedAction::ALL.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_court_and_its_usual_port_keep_one_clock() {
        for c in Court::ALL {
            if let Some(p) = c.usual_port() {
                assert_eq!(c.zone(), p.zone(), "{c:?} and {p:?}");
            }
        }
        for p in Port::ALL {
            if let Some(c) = p.usual_court() {
                assert_eq!(
                    c.usual_port(),
                    Some(*p),
                    "{p:?} and {c:?} point at each other"
                );
            }
        }
    }
}
