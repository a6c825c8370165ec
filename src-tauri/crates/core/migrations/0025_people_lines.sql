-- A person's line (name, A-number, birth date) read from an index alone: the printed week list
-- names every person of every hearing of the week (2,000 on a large clinic), and a lookup by
-- the primary key finds the row's place in one index and then reads it from the table, two
-- descents for each person. Queries name these indexes (INDEXED BY): SQLite's planner prefers
-- the primary key's unique index for an equality on the id.
CREATE INDEX clients_lines ON clients(id, given_names, family_names, a_number, date_of_birth);
CREATE INDEX family_members_lines
    ON family_members(id, given_names, family_names, a_number, date_of_birth);
