use std::path::PathBuf;
use std::sync::atomic::Ordering;

use amparo_core::session::{LockReport, StopHandle};
use amparo_core::settings::VaultSettings;
use amparo_core::vault::seal::{SealedState, Writes};
use amparo_core::{ErrorReport, KdfChoice, Vault};
use serde::{Deserialize, Serialize};
use tauri::State;
use zeroize::Zeroizing;

use crate::state::{AppState, CmdResult, InterruptedTurn, KeyTurn, LockTicket, lock};

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct VaultStatus {
    /// Where the vault is looked for unless the user names another folder.
    pub default_dir: String,
    /// Whether a vault exists at `default_dir`.
    pub exists: bool,
    pub unlocked: bool,
    /// A passphrase change, key rotation or member removal that a lock cut into since the
    /// last unlock, and whether it took effect.
    pub interrupted: Option<InterruptedTurn>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct UnlockInfo {
    pub dir: String,
    pub settings: VaultSettings,
    /// Whether the vault takes writes (a check in this or an earlier session may have closed it).
    pub writes: Writes,
    /// Where the history stood when this session began: the last change (number, when, by
    /// whom) for the person to recognise.
    pub before: SealedState,
    /// The name this session's changes are logged under.
    pub actor: String,
    /// The member's role: what the screens offer (the core refuses the rest anyway).
    pub role: amparo_core::codes::Role,
    /// Unlocked with a passphrase given for once: the member chooses their own first.
    pub must_change_passphrase: bool,
    /// What the role may do, for the screens to offer only that.
    pub abilities: amparo_core::permissions::Abilities,
    /// The recovery code, once: only when the vault was just created, to be printed.
    pub recovery_code: Option<String>,
}

fn dir_or_default(dir: Option<String>) -> PathBuf {
    dir.filter(|d| !d.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(amparo_core::default_vault_dir)
}

/// Keeps the freshly opened vault in the app state and tells the UI where it is; `locked`
/// (and the vault locked again) if a lock was asked for since `ticket` was taken.
pub(crate) fn hold(state: &AppState, ticket: LockTicket, mut v: Vault) -> CmdResult<UnlockInfo> {
    let recovery_code = v.take_recovery_code().map(|c| c.as_str().to_owned());
    let info = UnlockInfo {
        dir: v.dir().display().to_string(),
        settings: v.settings()?,
        writes: v.writes(),
        before: v.found_at_unlock().clone(),
        actor: v.actor().to_owned(),
        role: v.role(),
        must_change_passphrase: v.must_change_passphrase(),
        abilities: amparo_core::permissions::Abilities::of(v.role()),
        recovery_code,
    };
    state.open_unless_locked_since(ticket, v)?;
    Ok(info)
}

#[tauri::command(async)]
#[specta::specta]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let dir = amparo_core::default_vault_dir();
    VaultStatus {
        exists: amparo_core::vault::exists(&dir),
        default_dir: dir.display().to_string(),
        unlocked: state.is_open(),
        interrupted: state.interrupted_turn(),
    }
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_vault(
    state: State<'_, AppState>,
    dir: Option<String>,
    passphrase: String,
    actor: String,
) -> CmdResult<UnlockInfo> {
    let ticket = state.lock_ticket();
    let passphrase = Zeroizing::new(passphrase);
    let dir = dir_or_default(dir);
    let v = Vault::create(&dir, &passphrase, KdfChoice::Calibrate, &actor)?;
    hold(&state, ticket, v)
}

#[tauri::command(async)]
#[specta::specta]
pub fn unlock_vault(
    state: State<'_, AppState>,
    dir: Option<String>,
    passphrase: String,
    actor: String,
) -> CmdResult<UnlockInfo> {
    let ticket = state.lock_ticket();
    let passphrase = Zeroizing::new(passphrase);
    let dir = dir_or_default(dir);
    let v = lock(&state.throttle).unlock(&dir, &passphrase, &actor)?;
    hold(&state, ticket, v)
}

/// The full check started at unlock (pages, structure, audit chain, records): `null` while it
/// still runs. The UI asks until it answers.
#[tauri::command(async)]
#[specta::specta]
pub fn vault_check(
    state: State<'_, AppState>,
) -> CmdResult<Option<amparo_core::vault::check::CheckReport>> {
    state.check_result()
}

/// Locks the vault, after writing this laptop's bundle to the sync folder (if one is set):
/// the changes of this session leave for the other laptops before the keys go; the others'
/// bundles wait for the next unlock. A folder that cannot be reached (a stick taken out) does
/// not keep the vault open; the report says so.
#[tauri::command(async)]
#[specta::specta]
pub fn lock_vault(state: State<'_, AppState>) -> CmdResult<LockReport> {
    state.lock_after_sending()
}

/// The person is using the app (the page says so at most every few seconds): the idle
/// deadline, kept here and not in the page, moves on. `locked` if it had already passed.
#[tauri::command(async)]
#[specta::specta]
pub fn activity(state: State<'_, AppState>) -> CmdResult<()> {
    state.with_session(|s| {
        s.activity();
        s.vault().map(drop)
    })
}

/// A new passphrase, and with it a new key for the whole vault (re-encrypted; progress from
/// `rotation_progress`). The vault stays open under its new key.
#[tauri::command(async)]
#[specta::specta]
pub fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    replacement: String,
) -> CmdResult<UnlockInfo> {
    let (old, new) = (Zeroizing::new(current), Zeroizing::new(replacement));
    rotate(&state, KeyTurn::PassphraseChange, &old, &new)
}

/// A new key for the whole vault under the same passphrase: copies of the old key file (an old
/// backup's, a replaced vault's) no longer open it.
#[tauri::command(async)]
#[specta::specta]
pub fn rotate_vault_key(state: State<'_, AppState>, current: String) -> CmdResult<UnlockInfo> {
    let pass = Zeroizing::new(current);
    rotate(&state, KeyTurn::KeyRotation, &pass, &pass)
}

/// How far the running rotation has copied the vault, 0–100.
#[tauri::command]
#[specta::specta]
pub fn rotation_progress(state: State<'_, AppState>) -> u8 {
    state.rotation.load(Ordering::SeqCst)
}

/// Checks the passphrase (through the unlock delays) before anything closes, closes the
/// session (the database must be open nowhere), rotates and opens the vault again. On failure
/// the vault is opened again as it was.
fn rotate(state: &AppState, what: KeyTurn, old: &str, new: &str) -> CmdResult<UnlockInfo> {
    turn_key(state, what, old, |dir, actor, progress, stop| {
        Vault::rotate_and_open(dir, old, new, KdfChoice::Calibrate, actor, progress, stop)
    })
}

/// Whatever turns the vault's key (a new passphrase, a rotation on demand, a member removed):
/// the passphrase checked through the unlock delays first, the session closed, `turn` run
/// (retried while the background check's connection closes) and the vault it opens held; on
/// failure the vault is opened again as it was, with `pass`. A lock meanwhile (the system
/// going to sleep) stops the turn: its copy is dropped, the old key and passphrase stay, and
/// the answer is `stopped`. How a turn a lock cut into ended is kept for the unlock screen.
pub(crate) fn turn_key(
    state: &AppState,
    what: KeyTurn,
    pass: &str,
    turn: impl Fn(
        &std::path::Path,
        &str,
        &(dyn Fn(u8) + Sync),
        Option<&StopHandle>,
    ) -> amparo_core::Result<Vault>,
) -> CmdResult<UnlockInfo> {
    let ticket = state.lock_ticket();
    let (dir, actor) = state.with_vault(|v| Ok((v.dir().to_owned(), v.actor().to_owned())))?;
    lock(&state.throttle).guard(|| Vault::check_passphrase(&dir, &actor, pass))?;
    state.rotation.store(0, Ordering::SeqCst);
    state.with_session(|s| s.close())?;
    let stop = state.stop_handle();
    let progress = |p: u8| state.rotation.store(p, Ordering::SeqCst);
    let turning = state.turning();
    let mut result = Err(amparo_core::Error::VaultInUse);
    // The background check's connection closes a moment after the session does.
    for _ in 0..20 {
        if state.locked_since(ticket) {
            result = Err(amparo_core::Error::Stopped);
            break;
        }
        result = turn(&dir, &actor, &progress, Some(stop));
        if !matches!(result, Err(amparo_core::Error::VaultInUse)) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    if state.locked_since(ticket) {
        // Said before the turn lets go: the lock waits for that, so the unlock screen it
        // leads to already knows.
        let took_effect = result.is_ok();
        state.record_interrupted(InterruptedTurn { what, took_effect });
    }
    drop(turning);
    // A lock asked for while the key turned finds the vault closed: it stays so, whichever
    // way the turn went (a turn that finished is held and locked at once: `locked`).
    match result {
        Ok(v) => hold(state, ticket, v),
        Err(e) if state.locked_since(ticket) => Err(ErrorReport::from(e)),
        Err(e) => {
            if let Ok(v) = Vault::unlock(&dir, pass, &actor) {
                let _ = hold(state, ticket, v);
            }
            Err(ErrorReport::from(e))
        }
    }
}
