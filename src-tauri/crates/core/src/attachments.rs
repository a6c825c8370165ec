//! Attachments: bytes inside the encrypted database, never a loose file.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::codes::AttachmentOwner;
use crate::dates::now_rfc3339;
use crate::error::{Error, FieldCode, Result};
use crate::records::new_id;
use crate::vault::Vault;

/// Default upper bound for one attachment (50 MB).
pub const MAX_ATTACHMENT_BYTES: usize = 50 * 1024 * 1024;

/// A record's files, from the index alone (`attachments_listed`): a row's columns after the
/// file's bytes are read only by walking all of the file's pages.
pub(crate) const FOR_OWNER_SQL: &str =
    "SELECT id, owner_kind, owner_id, file_name, media_type, size_bytes, sha256, added_by,
       added_at FROM attachments WHERE owner_kind = ?1 AND owner_id = ?2
       AND deleted_at IS NULL ORDER BY added_at, id";

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct AttachmentMeta {
    pub id: String,
    pub owner_kind: AttachmentOwner,
    pub owner_id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u32,
    pub sha256: String,
    pub added_by: String,
    pub added_at: String,
}

/// The longest stored name, in characters.
const NAME_MAX: usize = 200;
/// Names Windows keeps for devices, whatever follows their first dot ("CON.jpg").
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A name that is safe to save a copy under on any system: only the last path component, no
/// control characters or characters Windows refuses (`<>:"|?*` become `_`), no leading dots
/// and no trailing dots or spaces, a device name ("CON", "LPT1") given a `_`, and a long name
/// cut in its stem so the extension stays.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let trimmed = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .to_owned();
    if trimmed.is_empty() {
        return "attachment".to_owned();
    }
    let (stem, ext) = match trimmed.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=10).contains(&ext.chars().count())
                && ext.chars().all(char::is_alphanumeric) =>
        {
            (stem.to_owned(), format!(".{ext}"))
        }
        _ => (trimmed, String::new()),
    };
    let room = NAME_MAX - ext.chars().count();
    let mut stem: String = stem.chars().take(room).collect();
    stem = stem.trim_end_matches(['.', ' ']).to_owned();
    let device = stem.split('.').next().unwrap_or_default().trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)) {
        stem.insert(device.len(), '_');
        if stem.chars().count() + ext.chars().count() > NAME_MAX {
            stem = stem.chars().take(room).collect();
        }
    }
    if stem.is_empty() {
        stem = "attachment".to_owned();
    }
    format!("{stem}{ext}")
}

/// What the bytes are, from their first bytes, never from the name a file came with: the
/// preview decides how to show a file by this.
pub fn sniff_media_type(bytes: &[u8]) -> &'static str {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => "image/webp",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        _ if std::str::from_utf8(bytes).is_ok() => "text/plain",
        _ => "application/octet-stream",
    }
}

impl Vault {
    /// Stores a file the user picked, under the vault's size limit, typed by its content.
    pub fn attach(
        &mut self,
        owner_kind: AttachmentOwner,
        owner_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<AttachmentMeta> {
        let max = self.settings()?.max_attachment_mb as usize * 1024 * 1024;
        let media = sniff_media_type(bytes);
        self.add_attachment(owner_kind, owner_id, file_name, media, bytes, max)
    }

    pub fn delete_attachment(&mut self, id: &str) -> Result<()> {
        self.soft_delete("attachments", "attachment", id)
    }

    /// Writes a decrypted copy to the path the user chose (after being warned), and records
    /// the export in the audit trail.
    pub fn save_attachment_copy(&mut self, id: &str, path: &std::path::Path) -> Result<u64> {
        let bytes = self.attachment_bytes(id)?;
        let ((), written) = self.export_logged(path, &bytes, |tx| {
            tx.record("export", "attachment", id, &[]);
            Ok(())
        })?;
        Ok(written)
    }

    pub fn add_attachment(
        &mut self,
        owner_kind: AttachmentOwner,
        owner_id: &str,
        file_name: &str,
        media_type: &str,
        bytes: &[u8],
        max_bytes: usize,
    ) -> Result<AttachmentMeta> {
        if bytes.is_empty() {
            return Err(Error::validation("file", FieldCode::FileEmpty));
        }
        if bytes.len() > max_bytes {
            return Err(Error::validation("file", FieldCode::FileTooLarge));
        }
        self.check_owner(owner_kind, owner_id)?;
        let id = new_id();
        let sha = hex::encode(Sha256::digest(bytes));
        let name = clean_file_name(file_name);
        let media = media_type
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect::<String>();
        let now = now_rfc3339();
        self.write(|tx| {
            tx.execute(
            "INSERT INTO attachments (id, owner_kind, owner_id, file_name, media_type, size_bytes,
               sha256, content, added_by, added_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                id,
                owner_kind,
                owner_id,
                name,
                media,
                bytes.len() as i64,
                sha,
                bytes,
                tx.actor(),
                now
            ],
        )?;
            tx.record("create", "attachment", &id, &[]);
            Ok(())
        })?;
        self.attachments_for(owner_kind, owner_id)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(Error::NotFound)
    }

    /// The client or incident a file belongs to exists (and is not deleted), or `not_found`.
    fn check_owner(&self, owner_kind: AttachmentOwner, owner_id: &str) -> Result<()> {
        let (kind, table) = match owner_kind {
            AttachmentOwner::Client => ("client", "clients"),
            AttachmentOwner::Incident => ("incident", "incidents"),
        };
        self.conn
            .query_row(
                &format!("SELECT 1 FROM {table} WHERE id = ?1 AND deleted_at IS NULL"),
                [owner_id],
                |_| Ok(()),
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        self.may_read_record(kind, owner_id)
    }

    pub fn attachments_for(
        &self,
        owner_kind: AttachmentOwner,
        owner_id: &str,
    ) -> Result<Vec<AttachmentMeta>> {
        self.check_owner(owner_kind, owner_id)?;
        let mut stmt = self.conn.prepare_cached(FOR_OWNER_SQL)?;
        let rows = stmt.query_map(params![owner_kind, owner_id], |r| {
            Ok(AttachmentMeta {
                id: r.get(0)?,
                owner_kind: r.get(1)?,
                owner_id: r.get(2)?,
                file_name: r.get(3)?,
                media_type: r.get(4)?,
                size_bytes: r.get(5)?,
                sha256: r.get(6)?,
                added_by: r.get(7)?,
                added_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored bytes, for an in-memory preview or a copy the user asked for.
    pub fn attachment_bytes(&self, id: &str) -> Result<Vec<u8>> {
        self.may_read_record("attachment", id)?;
        self.conn
            .query_row(
                "SELECT content FROM attachments WHERE id = ?1 AND deleted_at IS NULL",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound)
    }
}

#[cfg(test)]
mod name_tests {
    use super::clean_file_name;

    #[test]
    fn a_long_name_keeps_its_extension() {
        let long = format!("{}.jpeg", "declaración ".repeat(30));
        let c = clean_file_name(&long);
        assert!(c.ends_with(".jpeg") && c.chars().count() <= 200, "{c}");
        let dotted = format!("{}.pdf", "a.b".repeat(100));
        assert!(clean_file_name(&dotted).ends_with(".pdf"));
    }

    #[test]
    fn names_windows_keeps_for_devices_get_a_suffix() {
        assert_eq!(clean_file_name("CON.jpg"), "CON_.jpg");
        assert_eq!(clean_file_name("lpt1.tar.gz"), "lpt1_.tar.gz");
        assert_eq!(clean_file_name("nul"), "nul_");
        assert_eq!(clean_file_name("CONSTANCIA.pdf"), "CONSTANCIA.pdf");
        assert_eq!(clean_file_name("aux .txt"), "aux_.txt");
    }

    #[test]
    fn characters_windows_refuses_and_trailing_dots_go() {
        assert_eq!(clean_file_name("acta: 3/4?.pdf"), "4_.pdf");
        assert_eq!(clean_file_name("foto <1>|\"x\"*.png"), "foto _1___x__.png");
        assert_eq!(clean_file_name("nota. . "), "nota");
        assert_eq!(clean_file_name("..."), "attachment");
    }
}
