-- The audit keys of earlier data keys. Rotating the vault key (a passphrase change, or "my
-- passphrase may be known") derives a new audit key; the history written before keeps the MACs
-- of the key it was written under. Entries up to `until_seq` verify under `key`; the entry
-- right after, the rotation, is MAC'd by the new key over the old chain's last MAC, so
-- neither key alone can rewrite the history on the other side. Encrypted with the vault.
CREATE TABLE audit_epochs (
    until_seq INTEGER PRIMARY KEY,
    key BLOB NOT NULL
);
