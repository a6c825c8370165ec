-- Several laptops, one clinic record. Each laptop holds a replica of the vault; every change
-- committed on one is kept as a row-level change (which rows, which columns, what they became
-- and the versions they replaced), stamped with the laptop, a hybrid logical clock and the
-- member, and travels to the others in encrypted bundles.

-- This replica: its device id (fresh for each laptop a seed was made for), its name, the
-- counter of its own changes, the last hybrid-clock reading, the changes it holds (device →
-- highest counter), whether changes are recorded
-- (from the first "Add a laptop" on), its own X25519 secret (a new epoch's key is sealed to
-- it), the device id, name and secret a seed being written carries, and the folder its
-- bundles go to (a laptop's own choice: this row does not travel).
CREATE TABLE sync_self (
    only          INTEGER PRIMARY KEY CHECK (only = 1),
    device        TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    counter       INTEGER NOT NULL DEFAULT 0,
    hlc           INTEGER NOT NULL DEFAULT 0,
    holds         TEXT NOT NULL DEFAULT '{}',
    enabled       INTEGER NOT NULL DEFAULT 0,
    secret        BLOB,
    seed_device   TEXT,
    seed_name     TEXT,
    seed_secret   BLOB,
    folder        TEXT
) STRICT;
INSERT INTO sync_self (only, device) VALUES (1, lower(hex(randomblob(8))));

-- Every change this replica holds, its own and the others' (one committed transaction each):
-- `deps` the versions its maker held (device → counter), `body` its rows and history entries.
CREATE TABLE sync_log (
    device        TEXT NOT NULL,
    counter       INTEGER NOT NULL,
    hlc           INTEGER NOT NULL,
    member        TEXT NOT NULL,
    deps          TEXT NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (device, counter)
) STRICT, WITHOUT ROWID;

-- The versions of a field (or, under column '', of a row) no later change has replaced: one
-- is the field's value; two or more are a clash for review. A field never edited since its
-- row was made has no entry.
CREATE TABLE sync_fields (
    tbl           TEXT NOT NULL,
    key           TEXT NOT NULL,
    col           TEXT NOT NULL,
    frontier      TEXT NOT NULL,
    clash         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tbl, key, col)
) STRICT, WITHOUT ROWID;
CREATE INDEX sync_fields_clashes ON sync_fields (clash) WHERE clash = 1;

-- The other laptops this one has heard of: their name, when a bundle of theirs was last read,
-- what they held then (device → counter), so a bundle carries only what they lack, their
-- X25519 public key, and whether they were removed.
CREATE TABLE sync_peers (
    device        TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    seen_at       TEXT,
    holds         TEXT NOT NULL DEFAULT '{}',
    public        TEXT,
    removed_at    TEXT
) STRICT;

-- The keys bundles are sealed under, by epoch: the first made with the first seed (and carried
-- in it), a new one each time a laptop is removed. Old ones stay, to read bundles a laptop
-- wrote before it heard of the new one.
CREATE TABLE sync_keys (
    epoch         INTEGER PRIMARY KEY,
    key           BLOB NOT NULL,
    made_at       TEXT NOT NULL
) STRICT;

-- A new epoch's key sealed to each laptop that keeps it, signed by the coordinator who removed
-- a laptop: carried in the clear part of every bundle, so the others can open what follows.
CREATE TABLE sync_rekeys (
    epoch         INTEGER PRIMARY KEY,
    body          TEXT NOT NULL
) STRICT;
