//! The clinic's team, for the Members screen: thin over the core, which refuses anyone but a
//! coordinator. Removing a member turns the key, so it closes and reopens the session.

use amparo_core::Vault;
use amparo_core::codes::Role;
use amparo_core::members::{Member, MemberInput};
use tauri::State;
use zeroize::Zeroizing;

use super::vault::{UnlockInfo, turn_key};
use crate::state::{AppState, CmdResult, KeyTurn};

#[tauri::command(async)]
#[specta::specta]
pub fn list_members(state: State<'_, AppState>) -> CmdResult<Vec<Member>> {
    state.with_vault(|v| v.members())
}

/// Adds a member with a passphrase for once, which they change at their first unlock.
#[tauri::command(async)]
#[specta::specta]
pub fn add_member(
    state: State<'_, AppState>,
    member: MemberInput,
    once: String,
) -> CmdResult<Member> {
    let once = Zeroizing::new(once);
    state.with_vault(|v| v.add_member(&member, &once))
}

#[tauri::command(async)]
#[specta::specta]
pub fn set_member_role(
    state: State<'_, AppState>,
    handle: String,
    role: Role,
) -> CmdResult<Member> {
    state.with_vault(|v| v.set_member_role(&handle, role))
}

/// Removes a member and turns the key (progress from `rotation_progress`); the session goes
/// on under the new key.
#[tauri::command(async)]
#[specta::specta]
pub fn remove_member(
    state: State<'_, AppState>,
    handle: String,
    current: String,
) -> CmdResult<UnlockInfo> {
    let pass = Zeroizing::new(current);
    turn_key(
        &state,
        KeyTurn::MemberRemoval,
        &pass,
        |dir, actor, progress, stop| {
            Vault::remove_member(dir, actor, &pass, &handle, progress, stop)?;
            Vault::unlock(dir, &pass, actor)
        },
    )
}

/// Gives a member who forgot their passphrase one for once, which they change at their next
/// unlock.
#[tauri::command(async)]
#[specta::specta]
pub fn reset_member_passphrase(
    state: State<'_, AppState>,
    handle: String,
    once: String,
) -> CmdResult<Member> {
    let once = Zeroizing::new(once);
    state.with_vault(|v| v.reset_member_passphrase(&handle, &once))
}

/// Whether the vault has a recovery code (one made before recovery codes has none).
#[tauri::command(async)]
#[specta::specta]
pub fn has_recovery_code(state: State<'_, AppState>) -> CmdResult<bool> {
    state.with_vault(|v| v.has_recovery_code())
}

/// Makes the vault's recovery code, for a vault that has none; shown once.
#[tauri::command(async)]
#[specta::specta]
pub fn make_recovery_code(state: State<'_, AppState>) -> CmdResult<String> {
    state.with_vault(|v| Ok(v.make_recovery_code()?.as_str().to_owned()))
}

/// A new recovery code in place of the old one, which opens nothing from now on; shown once.
#[tauri::command(async)]
#[specta::specta]
pub fn replace_recovery_code(state: State<'_, AppState>) -> CmdResult<String> {
    state.with_vault(|v| Ok(v.replace_recovery_code()?.as_str().to_owned()))
}
