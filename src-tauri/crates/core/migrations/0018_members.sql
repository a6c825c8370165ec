-- The clinic's members: who each handle in the header is, their role, and the key their
-- history entries are verified with. Inside the encrypted database: the header shows only
-- handles. A removed member keeps their row (their entries still name them).
CREATE TABLE members (
    handle          TEXT PRIMARY KEY COLLATE NOCASE,
    name            TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL,
    signing_public  TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    removed_at      TEXT
) STRICT;
