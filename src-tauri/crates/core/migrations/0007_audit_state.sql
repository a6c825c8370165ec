-- Each audit entry may carry a digest of the record it speaks of, as it stood right after the
-- change (covered by the entry's MAC). Verifying compares each record's newest digest with the
-- record as it is now: an edit made behind the app's back, with the key but without the
-- chain, shows up. Entries written before this version carry none.
ALTER TABLE audit_log ADD COLUMN state BLOB;
