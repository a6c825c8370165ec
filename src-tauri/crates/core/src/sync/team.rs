//! The team travels with the changes. Members' rows travel like any record; their slots in the
//! header (their keys under their passphrase, the data key sealed to them) travel in every
//! bundle, so a member added on one laptop unlocks the others once a bundle arrives, a reset
//! passphrase reaches every laptop, and a member removed on one laptop loses their slot on
//! every laptop that hears of it.

use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::vault::Vault;
use crate::vault::header::OnDisk;
use crate::vault::seal::HeaderLock;
use crate::vault::slots::Slot;

impl Vault {
    /// This laptop's slots, for a bundle.
    pub(crate) fn team_slots(&self) -> Result<Vec<Slot>> {
        Ok(match OnDisk::read(self.dir())? {
            OnDisk::Team(h) => h.members,
            OnDisk::Single(_) => Vec::new(),
        })
    }

    /// Takes up the slots a bundle carried, as the members' rows (already merged) say: a slot
    /// for a member this laptop has no slot for; the newer slot of a member whose keys changed
    /// (a reset); no slot for a removed member. Returns whether the header changed.
    pub(crate) fn merge_slots(&self, slots: &[Slot]) -> Result<bool> {
        let _held = HeaderLock::take(self.dir())?;
        let OnDisk::Team(mut header) = OnDisk::read(self.dir())? else {
            return Ok(false);
        };
        let mut member = self.conn.prepare(
            "SELECT signing_public, removed_at IS NOT NULL FROM members WHERE handle = ?1",
        )?;
        let mut changed = false;
        for slot in slots {
            // The slot as it came holds the sending laptop's database key; this laptop seals
            // its own to the member instead (a passphrase change turns each laptop's key apart).
            let mut slot = slot.clone();
            slot.rewrap(&self.data_key)?;
            let slot = &slot;
            let Some((public, removed)) = member
                .query_row([&slot.handle], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
                })
                .optional()?
            else {
                continue;
            };
            let mine = header.slot(&slot.handle).map(|s| s.signing_public.clone());
            match mine {
                Some(_) if removed => {
                    header.remove(&slot.handle)?;
                    changed = true;
                }
                None if !removed && slot.signing_public == public => {
                    header.add(slot.clone())?;
                    changed = true;
                }
                Some(m) if !removed && m != public && slot.signing_public == public => {
                    if let Some(s) = header.slot_mut(&slot.handle) {
                        *s = slot.clone();
                        changed = true;
                    }
                }
                _ => {}
            }
        }
        if changed {
            header.write_atomically(self.dir())?;
        }
        Ok(changed)
    }
}
