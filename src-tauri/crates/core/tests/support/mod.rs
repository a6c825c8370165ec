//! What the core's integration tests share: a real vault, with the minimum KDF, in a
//! temporary folder.
#![allow(dead_code)]

use std::path::Path;

use amparo_core::{KdfChoice, KdfParams, Vault};

pub const PASS: &str = "correct horse battery";

/// A new vault in `dir` (created if missing).
pub fn vault_in(dir: &Path, actor: &str) -> Vault {
    Vault::create(dir, PASS, KdfChoice::Fixed(KdfParams::MINIMUM), actor).expect("create")
}

/// A new vault in a temporary folder, removed when the returned guard is dropped.
pub fn vault() -> (tempfile::TempDir, Vault) {
    let tmp = tempfile::tempdir().expect("tmp");
    let v = vault_in(tmp.path(), "tester");
    (tmp, v)
}
