//! The vault itself: create, check, back up, restore, change the passphrase.

use std::path::Path;
use std::time::Instant;

use amparo_core::clients::ClientFilter;
use amparo_core::{Error, KdfChoice, KdfParams, Vault};

use super::Ctx;
use crate::io::{passphrase, print_json};

pub fn create(ctx: &Ctx, fast_kdf: bool) -> Result<(), Error> {
    let p = passphrase("AMPARO_PASSPHRASE", "New vault passphrase: ")?;
    let kdf = if fast_kdf {
        KdfChoice::Fixed(KdfParams::MINIMUM)
    } else {
        KdfChoice::Calibrate
    };
    let mut v = Vault::create(&ctx.dir, &p, kdf, &ctx.actor)?;
    // Shown once: print it and keep it in a safe place (`amparo recovery` takes it).
    let code = v.take_recovery_code();
    print_json(&serde_json::json!({
        "created": v.dir(),
        "recovery_code": code.as_ref().map(|c| c.as_str()),
    }))?;
    v.lock()
}

/// Unlocks, runs the full check and prints what it found; an error if the vault is damaged or
/// its history does not hold.
pub fn check(ctx: &Ctx) -> Result<(), Error> {
    let started = Instant::now();
    let v = ctx.unlock()?;
    let unlock_ms = started.elapsed().as_millis();
    let checked = Instant::now();
    let report = v.full_check()?;
    let check_ms = checked.elapsed().as_millis();
    let clients = if report.damaged() {
        None
    } else {
        Some(v.list_clients(&ClientFilter::default(), 0, 1)?.total)
    };
    let chain = report.chain.as_ref();
    print_json(&serde_json::json!({
        "unlocked": true,
        "unlock_ms": unlock_ms,
        "check_ms": check_ms,
        "clients": clients,
        "pages_ok": report.pages_ok,
        "structure_ok": report.structure_ok,
        "integrity_ok": report.pages_ok && report.structure_ok,
        "audit_entries": chain.map(|c| c.entries),
        "audit_first_bad_seq": chain.and_then(|c| c.first_bad_seq),
        "audit_bad_signature": chain.map(|c| c.bad_signature),
        "audit_altered_records": chain.map(|c| c.altered_records),
        "audit_first_altered": chain.and_then(|c| c.first_altered.clone()),
        "audit_unrecorded_records": chain.map(|c| c.unrecorded_records),
        "audit_first_unrecorded_kind": chain.and_then(|c| c.first_unrecorded_kind.clone()),
        "writes": v.writes(),
        "last_change_before_unlock": v.found_at_unlock(),
    }))?;
    v.lock()?;
    if report.damaged() {
        return Err(Error::VaultDamaged);
    }
    if !report.holds() {
        return Err(Error::VaultTampered);
    }
    Ok(())
}

/// Opens a vault that a check closed to writes, writing the decision and its reason into the
/// history first (a restore from a backup is the other way out).
pub fn accept_damage(ctx: &Ctx, reason: &str) -> Result<(), Error> {
    let mut v = ctx.unlock()?;
    let was = v.writes();
    v.accept_closed_writes(reason)?;
    print_json(&serde_json::json!({ "was": was, "writes": v.writes() }))?;
    v.lock()
}

pub fn backup(ctx: &Ctx, out: &Path) -> Result<(), Error> {
    ctx.with_vault(|v| print_json(&v.backup_to(out)?))
}

pub fn restore(ctx: &Ctx, from: &Path) -> Result<(), Error> {
    let p = passphrase("AMPARO_PASSPHRASE", "Passphrase of the backup: ")?;
    let (v, report) = amparo_core::backup::restore(from, &ctx.dir, &p, &ctx.actor)?;
    print_json(&report)?;
    v.lock()
}

/// A new passphrase, and with it a new data key: the whole database is re-encrypted.
pub fn passwd(ctx: &Ctx) -> Result<(), Error> {
    let old = passphrase("AMPARO_PASSPHRASE", "Current passphrase: ")?;
    let new = passphrase("AMPARO_NEW_PASSPHRASE", "New passphrase: ")?;
    let shown = crate::io::progress("new key");
    Vault::rotate_key(
        &ctx.dir,
        &ctx.actor,
        &old,
        &new,
        KdfChoice::Calibrate,
        &shown,
    )?;
    print_json(&serde_json::json!({ "changed": true, "key_rotated": true }))
}

/// A new data key under the same passphrase ("my passphrase may be known": change it with
/// `passwd`; "an old copy of the key file may be out there": this).
pub fn rotate_key(ctx: &Ctx) -> Result<(), Error> {
    let p = passphrase("AMPARO_PASSPHRASE", "Passphrase: ")?;
    let shown = crate::io::progress("new key");
    Vault::rotate_key(&ctx.dir, &ctx.actor, &p, &p, KdfChoice::Calibrate, &shown)?;
    print_json(&serde_json::json!({ "key_rotated": true }))
}
