-- Nicknames and other names a family member goes by: searched, and scrubbed from packets that
-- do not identify them. Left out of a record's audit digest while empty (see `LATE_COLUMNS` in
-- audit.rs), so the history written before this column existed still verifies.
ALTER TABLE family_members ADD COLUMN aliases TEXT NOT NULL DEFAULT '';

-- The search index reads the aliases too.
DROP TRIGGER family_members_search_insert;
DROP TRIGGER family_members_search_update;
CREATE TRIGGER family_members_search_insert AFTER INSERT ON family_members BEGIN
    INSERT INTO search_docs (rowid, kind, record_id, client_id) VALUES ((SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'family_member', NEW.id, NEW.client_id);
    INSERT INTO search_fts (rowid, kind, body) VALUES (last_insert_rowid(), 'kfamilymember', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.notes,''));
END;
CREATE TRIGGER family_members_search_update AFTER UPDATE ON family_members BEGIN
    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE record_id = OLD.id);
    DELETE FROM search_docs WHERE record_id = OLD.id;
    INSERT INTO search_docs (rowid, kind, record_id, client_id) SELECT (SELECT coalesce(min(rowid), 4611686018427387904) - 1 FROM search_docs), 'family_member', NEW.id, NEW.client_id;
    INSERT INTO search_fts (rowid, kind, body) SELECT last_insert_rowid(), 'kfamilymember', coalesce(NEW.given_names,'') || ' ' || coalesce(NEW.family_names,'') || ' ' || coalesce(NEW.aliases,'') || ' ' || coalesce(NEW.a_number,'') || ' ' || coalesce(NEW.notes,'');
END;
