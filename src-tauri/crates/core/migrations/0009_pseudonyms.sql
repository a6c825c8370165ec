-- Each person's pseudonym, kept from the first packet that disclosed them under it: the same
-- person is the same pseudonym in every packet from this vault, whoever else is in it, and no
-- two people of the vault ever share one (`folded` is the name without accents or case).
-- Rows stay when a person is deleted, so a pseudonym an office has seen is never reused.
CREATE TABLE pseudonyms (
    person_id TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    folded TEXT NOT NULL UNIQUE,
    assigned_at TEXT NOT NULL
) WITHOUT ROWID;
