//! The one write path. Every change to the vault goes through [`Vault::write`]: it checks the
//! write gate, opens the transaction, runs the change, appends one audit entry per record the
//! change names (each with the digest of the record as the change left it), hands the
//! transaction to the change hook, and commits. Nothing else in the crate opens a write
//! transaction or appends to the audit log.

use std::ops::Deref;

use rusqlite::Transaction;

use crate::audit::{self, AuditEntry};
use crate::error::{Error, Result};
use crate::vault::{Vault, begin_write};

/// A change in progress: the open transaction (read and write through it) and the records it
/// will be audited as.
pub(crate) struct Write<'c> {
    tx: Transaction<'c>,
    actor: &'c str,
    role: crate::codes::Role,
    entries: Vec<Pending>,
}

struct Pending {
    /// Made on another laptop by this member (`handle@device`): applied by sync, already
    /// allowed by the role its maker had there.
    by: Option<String>,
    action: String,
    kind: String,
    id: String,
    fields: Vec<String>,
}

impl<'c> Deref for Write<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

impl Write<'_> {
    /// Who is making the change, as the audit log will name them.
    pub(crate) fn actor(&self) -> &str {
        self.actor
    }

    /// Whether the author's role allows every change recorded so far: checked again at commit,
    /// and asked before anything leaves the vault (an export writes its file only once it
    /// is allowed, so a refused one never touches the disk).
    pub(crate) fn check_allowed(&self) -> Result<()> {
        let allowed = self
            .entries
            .iter()
            .filter(|e| e.by.is_none())
            .all(|e| crate::permissions::may(self.role, &e.action, &e.kind, &e.fields));
        if allowed {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Audits this change as `action` on the record `kind`/`id`, naming the fields that
    /// changed. The entry is written after the change, so its digest sees the final rows.
    pub(crate) fn record(&mut self, action: &str, kind: &str, id: &str, fields: &[&str]) {
        self.entries.push(Pending {
            by: None,
            action: action.to_owned(),
            kind: kind.to_owned(),
            id: id.to_owned(),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        });
    }
}

impl Write<'_> {
    /// Audits a change another laptop made, as its maker's (`handle@device`); the entry is
    /// still this laptop's, signed by the member who brought the change in.
    pub(crate) fn record_remote(
        &mut self,
        by: String,
        action: &str,
        kind: &str,
        id: &str,
        fields: &[String],
    ) {
        self.entries.push(Pending {
            by: Some(by),
            action: action.to_owned(),
            kind: kind.to_owned(),
            id: id.to_owned(),
            fields: fields.to_vec(),
        });
    }
}

/// Sees every change on its way to disk, inside its transaction: where a later layer (sync
/// between laptops) records the rows a change touched. An error rolls the change back.
pub trait ChangeHook: Send {
    /// Called right after the transaction opens, before the change runs.
    fn begin(&mut self, _tx: &Transaction<'_>) -> Result<()> {
        Ok(())
    }
    /// Called after the change and its audit entries, just before the commit.
    fn before_commit(&mut self, _tx: &Transaction<'_>, _entries: &[AuditEntry]) -> Result<()> {
        Ok(())
    }
}

impl Vault {
    /// Runs `change` as one transaction with its audit entries; all of it is saved or none.
    /// Refused (nothing run) while the write gate is closed.
    pub(crate) fn write<T>(
        &mut self,
        change: impl FnOnce(&mut Write<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_through(true, change)
    }

    /// The one write a closed vault takes: the logged decision to accept what closed it
    /// ([`Vault::accept_closed_writes`]).
    pub(crate) fn write_past_closed_gate<T>(
        &mut self,
        change: impl FnOnce(&mut Write<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_through(false, change)
    }

    fn write_through<T>(
        &mut self,
        gated: bool,
        change: impl FnOnce(&mut Write<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.must_change {
            return Err(Error::MustChangePassphrase);
        }
        let tx = if gated {
            begin_write(&mut self.conn, &self.gate)?
        } else {
            self.conn.transaction()?
        };
        if let Some(hook) = self.hook.as_mut() {
            hook.begin(&tx)?;
        }
        let mut w = Write {
            tx,
            actor: &self.actor,
            role: self.role,
            entries: Vec::new(),
        };
        let out = change(&mut w)?;
        // The author's role, on every change the transaction holds: one refused, none made.
        w.check_allowed()?;
        let Write { tx, entries, .. } = w;
        let mut appended = Vec::with_capacity(entries.len());
        for e in entries {
            let author = audit::Author {
                key: &self.audit_key,
                actor: e.by.as_deref().unwrap_or(&self.actor),
                signer: self.signer.as_ref(),
            };
            let fields: Vec<&str> = e.fields.iter().map(String::as_str).collect();
            appended.push(audit::append(
                &tx, &author, &e.action, &e.kind, &e.id, &fields,
            )?);
        }
        if let Some(hook) = self.hook.as_mut() {
            hook.before_commit(&tx, &appended)?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Installs the hook every later change passes through (one at a time; `None` removes it).
    pub fn set_change_hook(&mut self, hook: Option<Box<dyn ChangeHook>>) {
        self.hook = hook;
    }
}
