-- A member whose passphrase a coordinator reset gets new keys: the signing keys they had
-- before stay with them, each for the entries up to where it was retired, so their earlier
-- history still verifies and the old key signs nothing after. JSON: [{"public", "until_seq"}].
ALTER TABLE members ADD COLUMN retired_keys TEXT NOT NULL DEFAULT '';
