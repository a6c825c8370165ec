-- Forms being typed, kept as they are typed so that a lock, a crash or a power cut loses
-- nothing: one per person (the name given at unlock), form and record. Encrypted with the
-- vault like everything else; not records, so not in the audit history, and never sent to
-- another laptop.
CREATE TABLE drafts (
    actor TEXT NOT NULL,
    form TEXT NOT NULL,
    record_id TEXT NOT NULL,
    body TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (actor, form, record_id)
);
