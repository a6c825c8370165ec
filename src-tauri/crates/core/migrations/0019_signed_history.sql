-- Each history entry is signed by the member whose session wrote it: Ed25519 over the entry's
-- MAC and their handle (see audit.rs), verified by the full check against the key the members
-- table holds for them. Entries written before this carry neither.
ALTER TABLE audit_log ADD COLUMN signer TEXT;
ALTER TABLE audit_log ADD COLUMN signature BLOB;
