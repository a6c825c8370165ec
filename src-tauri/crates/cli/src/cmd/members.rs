//! `amparo members list | add | role | remove | reset | recovery-code [--replace]` and
//! `amparo recovery`: the clinic's team. Adding, changing a role, resetting a passphrase,
//! removing and replacing the recovery code are a coordinator's (the core refuses anyone else
//! with `forbidden`). A removal turns the vault's key: the vault must be open nowhere else.

use amparo_core::codes::Role;
use amparo_core::members::MemberInput;
use amparo_core::{Error, Vault};
use clap::Subcommand;

use super::Ctx;
use crate::io::{passphrase, print_json};

#[derive(Subcommand)]
pub enum MembersCmd {
    /// The members as JSON: handle, name, role, when added and removed
    List,
    /// Add a member with a passphrase for once (from AMPARO_NEW_PASSPHRASE or a prompt) that
    /// they must change at their first unlock; prints the member
    Add {
        /// What they will type to say who they are: initials are best (anyone holding the
        /// laptop can read the handles)
        #[arg(long)]
        member_handle: String,
        /// coordinator, attorney, volunteer or interpreter
        #[arg(long, value_parser = role)]
        role: Role,
        /// Their name, kept encrypted
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Change a member's role; prints the member
    Role {
        handle: String,
        #[arg(value_parser = role)]
        role: Role,
    },
    /// Remove a member: their slot goes and the vault gets a new key, so their passphrase and
    /// any old copy of vault.json open nothing written after
    Remove { handle: String },
    /// Give a member who forgot their passphrase one for once (from AMPARO_NEW_PASSPHRASE or a
    /// prompt), to change at their next unlock; prints the member
    Reset { handle: String },
    /// Make the vault's recovery code, if it has none (vaults made before recovery codes);
    /// prints it once: print it and keep it in a safe place
    RecoveryCode {
        /// Replace the code the vault has (lost, or seen by someone who should not have it):
        /// the old one opens nothing from now on, here and on the other laptops once they
        /// sync. Then turn the vault's key (`amparo rotate-key`) so old copies of vault.json
        /// open nothing written after
        #[arg(long)]
        replace: bool,
    },
}

fn role(s: &str) -> Result<Role, String> {
    Role::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        format!("one of {}", all.join(", "))
    })
}

pub fn run(ctx: &Ctx, cmd: MembersCmd) -> Result<(), Error> {
    match cmd {
        MembersCmd::List => ctx.with_vault(|v| print_json(&v.members()?)),
        MembersCmd::Add {
            member_handle,
            role,
            name,
        } => {
            let once = passphrase("AMPARO_NEW_PASSPHRASE", "Their passphrase for once: ")?;
            ctx.with_vault(|v| {
                let input = MemberInput {
                    handle: member_handle,
                    name,
                    role,
                };
                print_json(&v.add_member(&input, &once)?)
            })
        }
        MembersCmd::Role { handle, role } => {
            ctx.with_vault(|v| print_json(&v.set_member_role(&handle, role)?))
        }
        MembersCmd::Remove { handle } => {
            let p = passphrase("AMPARO_PASSPHRASE", "Vault passphrase: ")?;
            let shown = crate::io::progress("removing, new key");
            Vault::remove_member(&ctx.dir, &ctx.actor, &p, &handle, &shown, None)?;
            ctx.with_vault(|v| print_json(&v.members()?))
        }
        MembersCmd::Reset { handle } => {
            let once = passphrase("AMPARO_NEW_PASSPHRASE", "Their passphrase for once: ")?;
            ctx.with_vault(|v| print_json(&v.reset_member_passphrase(&handle, &once)?))
        }
        MembersCmd::RecoveryCode { replace } => ctx.with_vault(|v| {
            let code = if replace {
                v.replace_recovery_code()?
            } else {
                v.make_recovery_code()?
            };
            print_json(&serde_json::json!({ "recovery_code": code.as_str() }))
        }),
    }
}

/// `amparo recovery`: unlocks with the recovery code (AMPARO_RECOVERY_CODE or a prompt) as
/// the coordinator it is; with `reset`, gives that member a passphrase for once (from
/// AMPARO_NEW_PASSPHRASE or a prompt). Prints the members.
pub fn recovery(ctx: &Ctx, reset: Option<String>) -> Result<(), Error> {
    let code = passphrase("AMPARO_RECOVERY_CODE", "Recovery code: ")?;
    let once = match reset {
        Some(_) => Some(passphrase(
            "AMPARO_NEW_PASSPHRASE",
            "Their passphrase for once: ",
        )?),
        None => None,
    };
    let mut v = Vault::unlock(&ctx.dir, &code, amparo_core::vault::slots::RECOVERY_HANDLE)?;
    let out = (|| {
        if let (Some(handle), Some(once)) = (&reset, &once) {
            v.reset_member_passphrase(handle, once)?;
        }
        print_json(&v.members()?)
    })();
    v.lock()?;
    out
}
