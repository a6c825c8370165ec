//! Argon2id key derivation with per-vault parameters, calibrated when a vault is created.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The floor no vault may go below: m = 64 MiB, t = 3 (the requirement, and above
/// OWASP's argon2id minimum).
pub const MIN_M_COST_KIB: u32 = 64 * 1024;
pub const MIN_T_COST: u32 = 3;
/// Calibration aims for an unlock between these two durations on the creating machine.
pub const TARGET_LOW: Duration = Duration::from_millis(500);
pub const TARGET_HIGH: Duration = Duration::from_millis(1000);
/// Memory is raised before time, but never past this (a cheap shared laptop has 4 GiB).
const MAX_M_COST_KIB: u32 = 256 * 1024;
const MAX_T_COST: u32 = 40;
/// The most a header may ask for before anything is derived: four times the most this app ever
/// chooses, and t = 64. A crafted `vault.json` or backup asking for more would hang the unlock
/// or abort the app on allocating the memory.
pub const CEILING_M_COST_KIB: u32 = 1024 * 1024;
pub const CEILING_T_COST: u32 = 64;
pub const CEILING_P_COST: u32 = 16;
const _: () = assert!(MAX_M_COST_KIB <= CEILING_M_COST_KIB && MAX_T_COST <= CEILING_T_COST);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Always "argon2id" for format version 1.
    pub algorithm: KdfAlgorithm,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KdfAlgorithm {
    Argon2id,
}

impl KdfParams {
    pub const MINIMUM: KdfParams = KdfParams {
        algorithm: KdfAlgorithm::Argon2id,
        m_cost_kib: MIN_M_COST_KIB,
        t_cost: MIN_T_COST,
        p_cost: 1,
    };

    /// Whether these parameters meet the floor. A header that asks for less is treated as
    /// tampered with: an attacker who lowers the cost must not make guessing cheaper.
    pub fn is_at_least_minimum(&self) -> bool {
        self.m_cost_kib >= MIN_M_COST_KIB && self.t_cost >= MIN_T_COST && self.p_cost >= 1
    }

    /// Whether these parameters stay under the ceiling ([`CEILING_M_COST_KIB`], …).
    pub fn is_at_most_ceiling(&self) -> bool {
        self.m_cost_kib <= CEILING_M_COST_KIB
            && self.t_cost <= CEILING_T_COST
            && self.p_cost <= CEILING_P_COST
    }

    /// Derives a 32-byte key-encryption key from the passphrase and salt.
    pub fn derive(&self, passphrase: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let params = Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32))
            .map_err(|_| Error::HeaderDamaged("kdf_params"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase, salt, out.as_mut())
            .map_err(|_| Error::Crypto("argon2"))?;
        Ok(out)
    }
}

/// How to choose the KDF parameters of a new vault.
#[derive(Debug, Clone, Copy)]
pub enum KdfChoice {
    /// Measure this machine and aim for 0.5–1 s (the default for real vaults).
    Calibrate,
    /// Use these parameters (raised to the minimum, lowered to the ceiling). Tests and benchmarks use
    /// `KdfParams::MINIMUM` to keep many vault creations quick.
    Fixed(KdfParams),
}

impl KdfChoice {
    pub fn resolve(self) -> Result<KdfParams> {
        match self {
            KdfChoice::Fixed(p) => Ok(KdfParams {
                algorithm: KdfAlgorithm::Argon2id,
                m_cost_kib: p.m_cost_kib.clamp(MIN_M_COST_KIB, CEILING_M_COST_KIB),
                t_cost: p.t_cost.clamp(MIN_T_COST, CEILING_T_COST),
                p_cost: p.p_cost.clamp(1, CEILING_P_COST),
            }),
            KdfChoice::Calibrate => calibrate(),
        }
    }
}

fn time_once(params: &KdfParams) -> Result<Duration> {
    let salt = [7u8; 16];
    let start = Instant::now();
    params.derive(b"calibration passphrase", &salt)?;
    Ok(start.elapsed())
}

/// Raises memory (64 → 128 → 256 MiB) and then passes until one derivation takes at least
/// `TARGET_LOW`, keeping it under `TARGET_HIGH` where the step size allows.
pub fn calibrate() -> Result<KdfParams> {
    let mut p = KdfParams::MINIMUM;
    let mut took = time_once(&p)?;
    while took < TARGET_LOW && p.m_cost_kib < MAX_M_COST_KIB {
        let doubled = KdfParams {
            m_cost_kib: p.m_cost_kib * 2,
            ..p
        };
        let t = time_once(&doubled)?;
        if t > TARGET_HIGH {
            break;
        }
        p = doubled;
        took = t;
    }
    if took < TARGET_LOW {
        // Time scales linearly with passes: aim for the middle of the window.
        let per_pass = took.as_secs_f64() / f64::from(p.t_cost);
        let mid = (TARGET_LOW + TARGET_HIGH).as_secs_f64() / 2.0;
        let wanted = (mid / per_pass.max(1e-6)).ceil();
        p.t_cost = (wanted as u32).clamp(MIN_T_COST, MAX_T_COST);
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_choice_never_goes_below_the_floor() {
        let weak = KdfParams {
            algorithm: KdfAlgorithm::Argon2id,
            m_cost_kib: 1024,
            t_cost: 1,
            p_cost: 0,
        };
        let p = KdfChoice::Fixed(weak).resolve().expect("resolve");
        assert!(p.is_at_least_minimum());
        assert_eq!(p, KdfParams::MINIMUM);
    }

    #[test]
    fn calibration_meets_the_floor_and_targets_half_a_second() {
        let p = calibrate().expect("calibrate");
        assert!(p.is_at_least_minimum(), "{p:?}");
        let took = time_once(&p).expect("time");
        // Generous bounds: CI machines are noisy, but an order of magnitude off is a bug.
        assert!(took >= Duration::from_millis(250), "{took:?} with {p:?}");
        assert!(took <= Duration::from_millis(4000), "{took:?} with {p:?}");
    }

    #[test]
    fn derivation_depends_on_passphrase_and_salt() {
        let p = KdfParams::MINIMUM;
        let a = p.derive(b"one passphrase", &[1; 16]).expect("a");
        let b = p.derive(b"two passphrase", &[1; 16]).expect("b");
        let c = p.derive(b"one passphrase", &[2; 16]).expect("c");
        assert_ne!(*a, *b);
        assert_ne!(*a, *c);
        assert_eq!(*a, *p.derive(b"one passphrase", &[1; 16]).expect("a2"));
    }
}
