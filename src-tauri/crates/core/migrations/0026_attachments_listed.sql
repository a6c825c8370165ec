-- A record's files listed from the index alone. Each file's bytes sit in its row before the
-- columns the list reads (who added it, when, whether it was deleted), so listing walked every
-- file's overflow pages, each one decrypted and checked: 150 ms for a client with thirty 2 MiB
-- scans, more with every scan, on every view of the client or incident and every file
-- attached. The new index begins with the old one's columns, so it replaces it.
CREATE INDEX attachments_listed ON attachments(
    owner_kind, owner_id, deleted_at, added_at, id, file_name, media_type, size_bytes, sha256,
    added_by);
DROP INDEX attachments_owner;
