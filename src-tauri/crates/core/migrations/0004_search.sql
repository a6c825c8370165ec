-- Full-text search over every record kind, inside the encrypted database.
-- search_docs gives each indexed record an integer rowid; search_fts holds the words under
-- that rowid. Rowids count DOWN from 2^62: the newest record has the smallest, so FTS5's
-- forward walk meets the newest matches first and the search can stop early (walking
-- backwards makes FTS5 materialise whole doclists: 10x slower over 1,000,000 notes). Triggers keep both in step with every write, in the same transaction.
-- unicode61 with remove_diacritics 2: "Juarez" finds "Juárez", case does not matter.
CREATE TABLE search_docs (
    rowid      INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL UNIQUE,
    client_id  TEXT NOT NULL
);
CREATE INDEX search_docs_client ON search_docs(client_id);
-- kind holds one token per record kind (kclient, kfamilymember, …) so each kind can be
-- searched and ranked on its own.
CREATE VIRTUAL TABLE search_fts USING fts5(kind, body, tokenize = "unicode61 remove_diacritics 2");

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'client', NEW.id, NEW.id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kclient', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.city,'') || ' ' || coalesce(NEW.lodging_detail,'') || ' ' || coalesce(NEW.us_contact,'') || ' ' || coalesce(NEW.notes,''));
END;
CREATE TRIGGER clients_search_update AFTER UPDATE ON clients BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'client', NEW.id, NEW.id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kclient', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.city,'') || ' ' || coalesce(NEW.lodging_detail,'') || ' ' || coalesce(NEW.us_contact,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
END;
CREATE TRIGGER family_members_search_insert AFTER INSERT ON family_members BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'family_member', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kfamilymember', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.notes,''));
END;
CREATE TRIGGER family_members_search_update AFTER UPDATE ON family_members BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'family_member', NEW.id, NEW.client_id;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kfamilymember', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.notes,'');
END;
CREATE TRIGGER family_members_search_delete AFTER DELETE ON family_members BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
END;
CREATE TRIGGER hearings_search_insert AFTER INSERT ON hearings WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'hearing', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'khearing', replace(NEW.court,'_',' ') || ' ' || replace(coalesce(NEW.port,''),'_',' ') || ' ' || coalesce(NEW.judge,'') || ' ' || coalesce(NEW.attendees,'') || ' ' || coalesce(NEW.missed_account,'') || ' ' || coalesce(NEW.notes,''));
END;
CREATE TRIGGER hearings_search_update AFTER UPDATE ON hearings BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'hearing', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'khearing', replace(NEW.court,'_',' ') || ' ' || replace(coalesce(NEW.port,''),'_',' ') || ' ' || coalesce(NEW.judge,'') || ' ' || coalesce(NEW.attendees,'') || ' ' || coalesce(NEW.missed_account,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER hearings_search_delete AFTER DELETE ON hearings BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
END;
CREATE TRIGGER screenings_search_insert AFTER INSERT ON screenings WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'screening', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kscreening', coalesce(NEW.location,'') || ' ' || coalesce(NEW.notes,''));
END;
CREATE TRIGGER screenings_search_update AFTER UPDATE ON screenings BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'screening', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kscreening', coalesce(NEW.location,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER screenings_search_delete AFTER DELETE ON screenings BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
END;
CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,''));
END;
CREATE TRIGGER incidents_search_update AFTER UPDATE ON incidents BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
END;
INSERT INTO search_docs (rowid, kind, record_id, client_id)
SELECT 4611686018427387904 - row_number() OVER (ORDER BY created_at, id), kind, id, client_id FROM (
    SELECT 'client' AS kind, id, id AS client_id, created_at FROM clients WHERE deleted_at IS NULL
    UNION ALL SELECT 'family_member', id, client_id, created_at FROM family_members
    UNION ALL SELECT 'hearing', id, client_id, created_at FROM hearings WHERE deleted_at IS NULL
    UNION ALL SELECT 'screening', id, client_id, created_at FROM screenings WHERE deleted_at IS NULL
    UNION ALL SELECT 'incident', id, client_id, created_at FROM incidents WHERE deleted_at IS NULL
);
INSERT INTO search_fts (rowid, kind, body) SELECT d.rowid, 'k' || replace(d.kind, '_', ''), x.body FROM search_docs d JOIN (    SELECT id, coalesce(given_names,'') || ' ' || coalesce(family_names,'') || ' ' || coalesce(aliases,'') || ' ' || coalesce(a_number,'') || ' ' || coalesce(city,'') || ' ' || coalesce(lodging_detail,'') || ' ' || coalesce(us_contact,'') || ' ' || coalesce(notes,'') AS body FROM clients
UNION ALL
    SELECT id, coalesce(given_names,'') || ' ' || coalesce(family_names,'') || ' ' || coalesce(a_number,'') || ' ' || coalesce(notes,'') AS body FROM family_members
UNION ALL
    SELECT id, replace(court,'_',' ') || ' ' || replace(coalesce(port,''),'_',' ') || ' ' || coalesce(judge,'') || ' ' || coalesce(attendees,'') || ' ' || coalesce(missed_account,'') || ' ' || coalesce(notes,'') AS body FROM hearings
UNION ALL
    SELECT id, coalesce(location,'') || ' ' || coalesce(notes,'') AS body FROM screenings
UNION ALL
    SELECT id, coalesce(city,'') || ' ' || coalesce(state,'') || ' ' || replace(replace(replace(replace(acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(report_number,'') || ' ' || coalesce(authority_response,'') || ' ' || coalesce(injuries,'') || ' ' || coalesce(medical_care,'') || ' ' || coalesce(taken_by,'') || ' ' || coalesce(narrative,'') AS body FROM incidents) x ON x.id = d.record_id;
