-- What a person's record could not say: the Mexican city and state a client was returned to
-- (`city` is where they stay now), what became of a family member and since when, and that a
-- date of birth is an estimate from an age told ("my three-year-old son").
ALTER TABLE clients ADD COLUMN return_city TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN return_state TEXT;
ALTER TABLE family_members ADD COLUMN status TEXT;
ALTER TABLE family_members ADD COLUMN status_on TEXT;
ALTER TABLE family_members ADD COLUMN dob_estimated INTEGER NOT NULL DEFAULT 0;
