-- Disclosure log: every complaint packet saved, what it held and what became of it.
CREATE TABLE packets (
    id                TEXT PRIMARY KEY,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    recipient         TEXT NOT NULL,   -- oig | crcl | both
    profile           TEXT NOT NULL,   -- identified | confidential | pseudonymised
    lang              TEXT NOT NULL,   -- en | es (the client's copy)
    -- The request as built (client, incident, hearing, screening and exhibit ids; each
    -- person's treatment and any written reason for overriding missing consent). JSON.
    request           TEXT NOT NULL,
    pdf_sha256        TEXT NOT NULL,
    pages             INTEGER NOT NULL,
    pdf_a             INTEGER NOT NULL,
    sent_at           TEXT,
    complaint_number  TEXT NOT NULL DEFAULT '',
    responses         TEXT NOT NULL DEFAULT '',
    updated_at        TEXT NOT NULL
) STRICT;

CREATE TABLE packet_clients (
    packet_id         TEXT NOT NULL REFERENCES packets(id),
    client_id         TEXT NOT NULL REFERENCES clients(id),
    PRIMARY KEY (client_id, packet_id)
) STRICT, WITHOUT ROWID;
