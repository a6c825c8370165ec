-- Amparo vault schema, version 1: every record kind of the domain.
-- Ids are UUIDv7 text (time-ordered, safe to merge between laptops).
-- Instants are RFC 3339 UTC text; a zoned time also stores the IANA zone it was given in.
-- Partly known dates are 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': the length is the precision.
-- Enumerations are stable snake_case codes (see model.rs), lists are JSON arrays of codes.

CREATE TABLE clients (
    id                TEXT PRIMARY KEY,
    given_names       TEXT NOT NULL,
    family_names      TEXT NOT NULL,
    aliases           TEXT NOT NULL DEFAULT '',
    date_of_birth     TEXT,
    sex               TEXT,
    nationality       TEXT,
    languages         TEXT NOT NULL DEFAULT '[]',
    a_number          TEXT,
    lodging           TEXT,
    lodging_detail    TEXT NOT NULL DEFAULT '',
    city              TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    us_contact        TEXT NOT NULL DEFAULT '',
    returned_on       TEXT,
    return_port       TEXT,
    vulnerabilities   TEXT NOT NULL DEFAULT '[]',
    representation    TEXT NOT NULL DEFAULT 'none',
    notes             TEXT NOT NULL DEFAULT '',
    -- folded (lower-case, no accents) names, aliases and A-number: the list filter's haystack
    search_text       TEXT NOT NULL,
    -- folded "family given" for ordering the list
    sort_key          TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
) STRICT;
CREATE INDEX clients_sort ON clients(sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX clients_a_number ON clients(a_number);
CREATE INDEX clients_nationality ON clients(nationality, sort_key);

CREATE TABLE family_members (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    given_names       TEXT NOT NULL,
    family_names      TEXT NOT NULL DEFAULT '',
    relationship      TEXT NOT NULL,
    date_of_birth     TEXT,
    sex               TEXT,
    a_number          TEXT,
    nationality       TEXT,
    travels_with      INTEGER NOT NULL DEFAULT 1,
    vulnerabilities   TEXT NOT NULL DEFAULT '[]',
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX family_members_client ON family_members(client_id);

-- One row per person and kind of consent; the latest row for (person, kind) is in force.
CREATE TABLE consents (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    family_member_id  TEXT REFERENCES family_members(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,   -- representation | share_with_oversight | publish_deidentified
    granted           INTEGER NOT NULL,
    method            TEXT NOT NULL,   -- verbal | written
    recorded_at       TEXT NOT NULL,
    recorded_by       TEXT NOT NULL
) STRICT;
CREATE INDEX consents_client ON consents(client_id, kind, recorded_at);

CREATE TABLE hearings (
    id                    TEXT PRIMARY KEY,
    client_id             TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    court                 TEXT NOT NULL,
    court_zone            TEXT NOT NULL,   -- IANA zone of the court
    venue                 TEXT NOT NULL,   -- port_tent | in_person | video
    hearing_type          TEXT NOT NULL,   -- master_calendar | individual | other
    scheduled_at          TEXT NOT NULL,   -- UTC instant
    port                  TEXT,
    report_at             TEXT,            -- UTC instant
    report_zone           TEXT,            -- IANA zone of the port
    judge                 TEXT NOT NULL DEFAULT '',
    interpreter_language  TEXT,
    attendees             TEXT NOT NULL DEFAULT '',
    outcome               TEXT NOT NULL DEFAULT 'scheduled',
    next_date             TEXT,
    missed_reason         TEXT,
    missed_account        TEXT NOT NULL DEFAULT '',
    notes                 TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT
) STRICT;
CREATE INDEX hearings_when ON hearings(scheduled_at) WHERE deleted_at IS NULL;
CREATE INDEX hearings_client ON hearings(client_id, scheduled_at);

-- Which people a hearing concerns (a hearing may cover several family members).
CREATE TABLE hearing_people (
    hearing_id        TEXT NOT NULL REFERENCES hearings(id) ON DELETE CASCADE,
    family_member_id  TEXT REFERENCES family_members(id) ON DELETE CASCADE,
    client_id         TEXT REFERENCES clients(id) ON DELETE CASCADE,
    CHECK ((family_member_id IS NULL) <> (client_id IS NULL))
) STRICT;
CREATE INDEX hearing_people_hearing ON hearing_people(hearing_id);

CREATE TABLE screenings (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    screened_on       TEXT NOT NULL,   -- partial date
    fear_expressed_to TEXT NOT NULL,   -- cbp_officer | asylum_officer | immigration_judge | other | not_expressed
    interview_held    INTEGER NOT NULL,
    interview_mode    TEXT,            -- in_person | phone | video
    location          TEXT NOT NULL DEFAULT '',
    duration_minutes  INTEGER,
    counsel_allowed   INTEGER,         -- NULL: unknown
    conduct           TEXT,            -- refused | cursory | adversarial | adequate | not_given
    outcome           TEXT NOT NULL,   -- returned_to_mexico | removed_from_mpp | pending | unknown
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
) STRICT;
CREATE INDEX screenings_client ON screenings(client_id, screened_on);

CREATE TABLE incidents (
    id                      TEXT PRIMARY KEY,
    client_id               TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    date_start              TEXT NOT NULL,   -- partial date
    date_end                TEXT,            -- partial date, for a range
    state                   TEXT,            -- Mexican state code (INEGI abbreviation)
    city                    TEXT NOT NULL DEFAULT '',
    place_kind              TEXT,
    acts                    TEXT NOT NULL DEFAULT '[]',
    perpetrators            TEXT NOT NULL DEFAULT '[]',
    ransom_demanded_minor   INTEGER,         -- amounts in minor units (cents)
    ransom_paid_minor       INTEGER,
    ransom_currency         TEXT,            -- ISO 4217
    reported_to_authorities INTEGER,         -- NULL: unknown
    report_number           TEXT NOT NULL DEFAULT '',
    authority_response      TEXT NOT NULL DEFAULT '',
    injuries                TEXT NOT NULL DEFAULT '',
    medical_care            TEXT NOT NULL DEFAULT '',
    on_way_to_hearing       INTEGER NOT NULL DEFAULT 0,
    missed_hearing_id       TEXT REFERENCES hearings(id) ON DELETE SET NULL,
    narrative               TEXT NOT NULL DEFAULT '',
    source                  TEXT NOT NULL,   -- client_interview | other_person | document
    taken_by                TEXT NOT NULL DEFAULT '',
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT
) STRICT;
CREATE INDEX incidents_client ON incidents(client_id, date_start);
CREATE INDEX incidents_hearing ON incidents(missed_hearing_id);

CREATE TABLE incident_victims (
    incident_id       TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    client_id         TEXT REFERENCES clients(id) ON DELETE CASCADE,
    family_member_id  TEXT REFERENCES family_members(id) ON DELETE CASCADE,
    CHECK ((family_member_id IS NULL) <> (client_id IS NULL))
) STRICT;
CREATE INDEX incident_victims_incident ON incident_victims(incident_id);

-- Evidence lives inside the encrypted database, never as loose files.
CREATE TABLE attachments (
    id                TEXT PRIMARY KEY,
    owner_kind        TEXT NOT NULL,   -- client | incident
    owner_id          TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    media_type        TEXT NOT NULL,
    size_bytes        INTEGER NOT NULL,
    sha256            TEXT NOT NULL,
    content           BLOB NOT NULL,
    added_by          TEXT NOT NULL,
    added_at          TEXT NOT NULL,
    deleted_at        TEXT
) STRICT;
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);

-- Append-only history. Each entry's MAC (keyed from the vault's data key) covers the entry
-- and the previous entry's MAC, so deleting, editing or reordering entries is detectable.
CREATE TABLE audit_log (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    at                TEXT NOT NULL,
    actor             TEXT NOT NULL,
    action            TEXT NOT NULL,   -- create | update | delete | export | ...
    entity_kind       TEXT NOT NULL,
    entity_id         TEXT NOT NULL,
    changed_fields    TEXT NOT NULL DEFAULT '[]',
    mac               TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity_kind, entity_id, seq);

-- Per-vault settings (idle lock, clinic time zone...). Values are JSON.
CREATE TABLE settings (
    key               TEXT PRIMARY KEY,
    value             TEXT NOT NULL
) STRICT;
