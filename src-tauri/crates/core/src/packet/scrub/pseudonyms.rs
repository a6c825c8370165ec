//! Pseudonyms: one per person per vault, never a word of a real name in the packet.

use std::collections::{HashMap, HashSet};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::lists::{ANY, FEMALE, MALE};
use super::name_words;
use crate::codes::Sex;
use crate::text::fold;

/// Pseudonyms for one packet. A person who already has one in the vault keeps it, whoever else
/// is in the packet. Someone without one gets the first free name from a point derived from the
/// vault's key and their id: never a name another person of the vault holds, never a word of a
/// real name in this packet; the names are reused with a number ("Rosa 2*") once all are taken.
/// What was assigned is kept in the vault when the packet is saved ([`Pseudonyms::assigned`]).
pub struct Pseudonyms {
    key: Vec<u8>,
    /// Folded names held by anyone in the vault or given out in this packet.
    taken: HashSet<String>,
    forbidden: HashSet<String>,
    /// Person id → pseudonym (without the asterisk): the vault's, then this packet's.
    held: HashMap<String, String>,
}

impl Pseudonyms {
    /// `held`: the pseudonyms the vault already keeps, by person id.
    pub fn new(
        vault_key: &[u8; 32],
        real_names: &[String],
        held: HashMap<String, String>,
    ) -> Pseudonyms {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(vault_key).expect("any key length");
        mac.update(b"amparo-pseudonym-v1");
        Pseudonyms {
            key: mac.finalize().into_bytes().to_vec(),
            taken: held.values().map(|n| fold(n)).collect(),
            forbidden: real_names.iter().flat_map(|n| name_words(n)).collect(),
            held,
        }
    }

    pub fn for_person(&mut self, person_id: &str, sex: Option<Sex>) -> String {
        if let Some(name) = self.held.get(person_id) {
            return format!("{name}*");
        }
        let list = match sex {
            Some(Sex::Female) => FEMALE,
            Some(Sex::Male) => MALE,
            _ => ANY,
        };
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(person_id.as_bytes());
        let h = mac.finalize().into_bytes();
        let start = usize::from(u16::from_le_bytes([h[0], h[1]])) % list.len();
        let all: Vec<&str> = list
            .iter()
            .chain(FEMALE)
            .chain(MALE)
            .chain(ANY)
            .copied()
            .collect();
        let name = (1u32..)
            .flat_map(|round| {
                all.iter()
                    .cycle()
                    .skip(start)
                    .take(all.len())
                    .map(move |n| {
                        if round == 1 {
                            (*n).to_owned()
                        } else {
                            format!("{n} {round}")
                        }
                    })
            })
            .find(|n| {
                let f = fold(n);
                !self.taken.contains(&f) && !self.forbidden.contains(&f)
            })
            .unwrap_or_else(|| format!("P{}", self.taken.len() + 1));
        self.taken.insert(fold(&name));
        self.held.insert(person_id.to_owned(), name.clone());
        format!("{name}*")
    }
}
