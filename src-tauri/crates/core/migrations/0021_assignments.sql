-- The caseload: which members a client is assigned to. An interpreter reads only the clients
-- assigned to them. The set of a client's assignees is one record of its own kind
-- ("assignment", its id the client's), so the clients' own digests do not change.
CREATE TABLE assignments (
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    handle       TEXT NOT NULL COLLATE NOCASE,
    assigned_at  TEXT NOT NULL,
    PRIMARY KEY (client_id, handle)
) STRICT, WITHOUT ROWID;
CREATE INDEX assignments_by_member ON assignments (handle, client_id);
