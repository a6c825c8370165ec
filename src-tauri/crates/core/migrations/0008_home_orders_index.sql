-- The home screen counts and pages the in-absentia orders of the last seven months: for each it
-- needs the hearing's time, court zone (the deadline is dated on the court's calendar) and id.
-- This index holds all three, so the orders are read from the index alone instead of one table
-- lookup per order (5,000 orders on a 150,000-hearing vault). It has the old index's leading
-- columns, so it also serves the "awaiting an outcome" list, and replaces it.
CREATE INDEX hearings_by_outcome ON hearings(outcome, scheduled_at, court_zone, id)
    WHERE deleted_at IS NULL;
DROP INDEX hearings_outcome;
