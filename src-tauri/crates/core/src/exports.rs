//! Writing an export (a packet, a calendar, a copy of an exhibit) where the person chose: never
//! into the vault's own folder (a page tricked into naming `vault.json` or `vault.db` must not
//! overwrite them), and never half a file: the bytes go to a hidden file beside the target,
//! are synced, then renamed over it, so a crash leaves the old file or the new one. An export
//! is logged in the same transaction that writes its file, committed only once the file is
//! in place: no file leaves unlogged because the log failed, no log names a file never written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, FieldCode, Result};
use crate::vault::Vault;

impl Vault {
    /// Writes `bytes` to `path`; returns how many. A path in the vault's folder (or below it,
    /// or reaching it through a link), a folder, or a path without a file name is refused as
    /// `path_unusable`, with nothing written.
    pub fn write_export(&self, path: &Path, bytes: &[u8]) -> Result<u64> {
        let target = self.export_target(path)?;
        write_in_place(&target, bytes)
    }

    /// [`Vault::write_export`] inside the change `log` makes (the export's audit entry, its
    /// disclosure record): the file is written before the commit, and a failure of either
    /// undoes the other as far as it can (a file written whose commit then fails is removed).
    pub(crate) fn export_logged<T>(
        &mut self,
        path: &Path,
        bytes: &[u8],
        log: impl FnOnce(&mut crate::store::Write<'_>) -> Result<T>,
    ) -> Result<(T, u64)> {
        let target = self.export_target(path)?;
        let mut wrote = false;
        let out = self.write(|w| {
            let logged = log(w)?;
            // Refused before the file is written: nothing leaves, nothing there is replaced.
            w.check_allowed()?;
            let n = write_in_place(&target, bytes)?;
            wrote = true;
            Ok((logged, n))
        });
        if out.is_err() && wrote {
            let _ = fs::remove_file(&target);
        }
        out
    }

    /// The target with its folder resolved (links followed), if it may be written.
    fn export_target(&self, path: &Path) -> Result<PathBuf> {
        let unusable = || Error::validation("path", FieldCode::PathUnusable);
        let name = path.file_name().ok_or_else(unusable)?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let folder = folder.canonicalize().map_err(|_| unusable())?;
        if folder.starts_with(self.dir().canonicalize()?) {
            return Err(unusable());
        }
        let target = folder.join(name);
        if target.is_dir() {
            return Err(unusable());
        }
        Ok(target)
    }
}

/// The bytes to a hidden file beside `target`, synced, renamed over it, the folder synced.
fn write_in_place(target: &Path, bytes: &[u8]) -> Result<u64> {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let partial = target.with_file_name(format!(".{name}.amparo-partial"));
    let written = write_synced(&partial, bytes).and_then(|()| Ok(fs::rename(&partial, target)?));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written?;
    if let Some(folder) = target.parent() {
        crate::vault::sync_dir(folder)?;
    }
    Ok(bytes.len() as u64)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}
