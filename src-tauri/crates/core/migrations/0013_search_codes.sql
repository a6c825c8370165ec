-- The codes of an incident's kind of place and of a hearing's type, outcome and missed reason
-- join the indexed text (as words: "taxi or car", "removed in absentia"), so the search box can
-- find them by their English or Spanish labels: the search turns a label's words into the
-- code's (search::labels). Only the incident and hearing triggers change.
DROP TRIGGER incidents_search_insert;
DROP TRIGGER incidents_search_update;
CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,''));
END;
CREATE TRIGGER incidents_search_update AFTER UPDATE ON incidents BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') WHERE NEW.deleted_at IS NULL;
END;
-- The rows already indexed, again with the new words (same rowids: their order is kept).
UPDATE search_fts SET body = (SELECT coalesce(x.city,'') || ' ' || coalesce(x.state,'') || ' ' || replace(replace(replace(replace(x.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(x.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(coalesce(x.place_kind,''),'_',' ') || ' ' || coalesce(x.report_number,'') || ' ' || coalesce(x.authority_response,'') || ' ' || coalesce(x.injuries,'') || ' ' || coalesce(x.medical_care,'') || ' ' || coalesce(x.taken_by,'') || ' ' || coalesce(x.narrative,'') FROM search_docs d JOIN incidents x ON x.id = d.record_id WHERE d.rowid = search_fts.rowid)
 WHERE kind = 'kincident';
DROP TRIGGER hearings_search_insert;
DROP TRIGGER hearings_search_update;
CREATE TRIGGER hearings_search_insert AFTER INSERT ON hearings WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'hearing', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'khearing', replace(NEW.court,'_',' ') || ' ' || replace(coalesce(NEW.port,''),'_',' ') || ' ' || replace(NEW.hearing_type,'_',' ') || ' ' || replace(NEW.outcome,'_',' ') || ' ' || replace(coalesce(NEW.missed_reason,''),'_',' ') || ' ' || coalesce(NEW.judge,'') || ' ' || coalesce(NEW.attendees,'') || ' ' || coalesce(NEW.missed_account,'') || ' ' || coalesce(NEW.notes,''));
END;
CREATE TRIGGER hearings_search_update AFTER UPDATE ON hearings BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'hearing', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'khearing', replace(NEW.court,'_',' ') || ' ' || replace(coalesce(NEW.port,''),'_',' ') || ' ' || replace(NEW.hearing_type,'_',' ') || ' ' || replace(NEW.outcome,'_',' ') || ' ' || replace(coalesce(NEW.missed_reason,''),'_',' ') || ' ' || coalesce(NEW.judge,'') || ' ' || coalesce(NEW.attendees,'') || ' ' || coalesce(NEW.missed_account,'') || ' ' || coalesce(NEW.notes,'') WHERE NEW.deleted_at IS NULL;
END;
-- The rows already indexed, again with the new words (same rowids: their order is kept).
UPDATE search_fts SET body = (SELECT replace(x.court,'_',' ') || ' ' || replace(coalesce(x.port,''),'_',' ') || ' ' || replace(x.hearing_type,'_',' ') || ' ' || replace(x.outcome,'_',' ') || ' ' || replace(coalesce(x.missed_reason,''),'_',' ') || ' ' || coalesce(x.judge,'') || ' ' || coalesce(x.attendees,'') || ' ' || coalesce(x.missed_account,'') || ' ' || coalesce(x.notes,'') FROM search_docs d JOIN hearings x ON x.id = d.record_id WHERE d.rowid = search_fts.rowid)
 WHERE kind = 'khearing';
