-- An incident whose date nobody knows: its date is left empty, with what bounds it where
-- something does ("after the return in March 2019", "before the July hearing"), so no one
-- invents a year. And people harmed who are neither the client nor family (a companion killed
-- beside them): a list on the incident, each with a name if one was given, an age, and who
-- they were to the client; their names and relations join the search index, so the incident
-- triggers are made again.
ALTER TABLE incidents ADD COLUMN date_after TEXT;
ALTER TABLE incidents ADD COLUMN date_before TEXT;
ALTER TABLE incidents ADD COLUMN other_victims TEXT NOT NULL DEFAULT '[]';
DROP TRIGGER incidents_search_insert;
DROP TRIGGER incidents_search_update;
CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.perpetrator_detail,'') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.ransom_paid_by,'') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') || ' ' || coalesce((SELECT group_concat(json_extract(value,'$.name') || ' ' || json_extract(value,'$.relation'), ' ') FROM json_each(NEW.other_victims)),''));
END;
CREATE TRIGGER incidents_search_update AFTER UPDATE ON incidents BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.perpetrator_detail,'') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.ransom_paid_by,'') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') || ' ' || coalesce((SELECT group_concat(json_extract(value,'$.name') || ' ' || json_extract(value,'$.relation'), ' ') FROM json_each(NEW.other_victims)),'') WHERE NEW.deleted_at IS NULL;
END;
