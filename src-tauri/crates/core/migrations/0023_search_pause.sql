-- The search index can be paused for the length of one transaction: while search_paused holds
-- its row, inserts and updates of indexed records leave search_docs and search_fts alone, and
-- the writer indexes the rows it touched with one statement before it commits (one flush of
-- FTS5's pending terms instead of one per row: an import of another laptop's changes). The
-- row is taken out in the same transaction, so a crash never leaves the index paused.
-- Deletes are never paused: a cascade removes rows the writer did not name.
CREATE TABLE search_paused (only INTEGER PRIMARY KEY CHECK (only = 1));
DROP TRIGGER clients_search_insert;
CREATE TRIGGER clients_search_insert AFTER INSERT ON clients WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'client', NEW.id, NEW.id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kclient', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.city,'') || ' ' || coalesce(NEW.lodging_detail,'') || ' ' || coalesce(NEW.us_contact,'') || ' ' || coalesce(NEW.notes,''));
END;
DROP TRIGGER clients_search_update;
CREATE TRIGGER clients_search_update AFTER UPDATE ON clients WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'client', NEW.id, NEW.id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kclient', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.city,'') || ' ' || coalesce(NEW.lodging_detail,'') || ' ' || coalesce(NEW.us_contact,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
DROP TRIGGER family_members_search_insert;
CREATE TRIGGER family_members_search_insert AFTER INSERT ON family_members WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'family_member', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kfamilymember', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.notes,''));
END;
DROP TRIGGER family_members_search_update;
CREATE TRIGGER family_members_search_update AFTER UPDATE ON family_members WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'family_member', NEW.id, NEW.client_id;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kfamilymember', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.notes,'');
END;
DROP TRIGGER hearings_search_insert;
CREATE TRIGGER hearings_search_insert AFTER INSERT ON hearings WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'hearing', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'khearing', replace(NEW.court,'_',' ') || ' ' || replace(coalesce(NEW.port,''),'_',' ') || ' ' || replace(NEW.hearing_type,'_',' ') || ' ' || replace(NEW.outcome,'_',' ') || ' ' || replace(coalesce(NEW.missed_reason,''),'_',' ') || ' ' || coalesce(NEW.judge,'') || ' ' || coalesce(NEW.attendees,'') || ' ' || coalesce(NEW.missed_account,'') || ' ' || coalesce(NEW.notes,''));
END;
DROP TRIGGER hearings_search_update;
CREATE TRIGGER hearings_search_update AFTER UPDATE ON hearings WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'hearing', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'khearing', replace(NEW.court,'_',' ') || ' ' || replace(coalesce(NEW.port,''),'_',' ') || ' ' || replace(NEW.hearing_type,'_',' ') || ' ' || replace(NEW.outcome,'_',' ') || ' ' || replace(coalesce(NEW.missed_reason,''),'_',' ') || ' ' || coalesce(NEW.judge,'') || ' ' || coalesce(NEW.attendees,'') || ' ' || coalesce(NEW.missed_account,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
DROP TRIGGER screenings_search_insert;
CREATE TRIGGER screenings_search_insert AFTER INSERT ON screenings WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'screening', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kscreening', coalesce(NEW.location,'') || ' ' || coalesce(NEW.notes,''));
END;
DROP TRIGGER screenings_search_update;
CREATE TRIGGER screenings_search_update AFTER UPDATE ON screenings WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'screening', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kscreening', coalesce(NEW.location,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
DROP TRIGGER incidents_search_insert;
CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.perpetrator_detail,'') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.ransom_paid_by,'') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') || ' ' || coalesce((SELECT group_concat(json_extract(value,'$.name') || ' ' || json_extract(value,'$.relation'), ' ') FROM json_each(NEW.other_victims)),''));
END;
DROP TRIGGER incidents_search_update;
CREATE TRIGGER incidents_search_update AFTER UPDATE ON incidents WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.perpetrator_detail,'') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.ransom_paid_by,'') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') || ' ' || coalesce((SELECT group_concat(json_extract(value,'$.name') || ' ' || json_extract(value,'$.relation'), ' ') FROM json_each(NEW.other_victims)),'') WHERE NEW.deleted_at IS NULL;
END;
