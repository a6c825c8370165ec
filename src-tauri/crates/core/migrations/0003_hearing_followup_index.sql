-- The home screen asks for past hearings still marked "scheduled" and for in-absentia orders;
-- at 150,000 hearings those must not scan the table.
CREATE INDEX hearings_outcome ON hearings(outcome, scheduled_at) WHERE deleted_at IS NULL;
