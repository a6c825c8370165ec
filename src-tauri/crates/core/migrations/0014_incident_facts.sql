-- What an incident could not say: how long the person was held, that a ransom was paid when
-- the amount is not known, who paid it or was called for it (a relative in the U.S.), and what
-- marked the perpetrators (a uniform, a vehicle, how many). The two texts join the search
-- index, so the incident triggers are made again (rows written before hold neither).
ALTER TABLE incidents ADD COLUMN held_days INTEGER;
ALTER TABLE incidents ADD COLUMN ransom_paid INTEGER;
ALTER TABLE incidents ADD COLUMN ransom_paid_by TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN perpetrator_detail TEXT NOT NULL DEFAULT '';
DROP TRIGGER incidents_search_insert;
DROP TRIGGER incidents_search_update;
CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.perpetrator_detail,'') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.ransom_paid_by,'') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,''));
END;
CREATE TRIGGER incidents_search_update AFTER UPDATE ON incidents BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'incident', NEW.id, NEW.client_id WHERE NEW.deleted_at IS NULL;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kincident', coalesce(NEW.city,'') || ' ' || coalesce(NEW.state,'') || ' ' || replace(replace(replace(replace(NEW.acts,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || replace(replace(replace(replace(NEW.perpetrators,'_',' '),'"',' '),'[',' '),']',' ') || ' ' || coalesce(NEW.perpetrator_detail,'') || ' ' || replace(coalesce(NEW.place_kind,''),'_',' ') || ' ' || coalesce(NEW.ransom_paid_by,'') || ' ' || coalesce(NEW.report_number,'') || ' ' || coalesce(NEW.authority_response,'') || ' ' || coalesce(NEW.injuries,'') || ' ' || coalesce(NEW.medical_care,'') || ' ' || coalesce(NEW.taken_by,'') || ' ' || coalesce(NEW.narrative,'') WHERE NEW.deleted_at IS NULL;
END;
