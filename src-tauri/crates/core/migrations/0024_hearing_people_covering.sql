-- The people of a hearing read from the index alone: the printed week list reads every
-- hearing of the week with its people (2,000 on a large clinic), and a lookup in the old index
-- on the hearing alone then read each row from the table as well, a second page for each.
-- The new index holds the same prefix, so it replaces the old one.
CREATE INDEX hearing_people_by_hearing ON hearing_people(hearing_id, client_id, family_member_id);
DROP INDEX hearing_people_hearing;
