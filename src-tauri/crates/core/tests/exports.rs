//! Exports go where the person chose, whole or not at all, and never into the vault's folder.

mod support;

use amparo_core::error::{Error, FieldCode};
use support::vault;

fn refused(r: amparo_core::error::Result<u64>) -> bool {
    matches!(r, Err(Error::Validation(f)) if f.len() == 1 && f[0].field == "path" && f[0].code == FieldCode::PathUnusable)
}

#[test]
fn an_export_is_written_whole_beside_nothing_else() {
    let (_t, v) = vault();
    let out = tempfile::tempdir().expect("out");
    let path = out.path().join("packet.pdf");
    std::fs::write(&path, b"an older packet").expect("older");
    assert_eq!(v.write_export(&path, b"%PDF-1.7 new").expect("write"), 12);
    assert_eq!(std::fs::read(&path).expect("read"), b"%PDF-1.7 new");
    let names: Vec<_> = std::fs::read_dir(out.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec!["packet.pdf"], "no partial file left");
}

#[test]
fn an_export_aimed_into_the_vault_folder_is_refused_and_writes_nothing() {
    let (_t, v) = vault();
    let dir = v.dir().to_owned();
    let before: Vec<(String, Vec<u8>)> = ["vault.json", "vault.db"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(dir.join(f)).expect("read")))
        .collect();
    std::fs::create_dir_all(dir.join("inner")).expect("inner");
    for target in [
        dir.join("vault.json"),
        dir.join("vault.db"),
        dir.join("inner").join("x.ics"),
        dir.join("inner").join("..").join("vault.json"),
    ] {
        assert!(
            refused(v.write_export(&target, b"overwritten")),
            "{target:?}"
        );
    }
    // Through a link to the vault's folder, too.
    #[cfg(unix)]
    {
        let elsewhere = tempfile::tempdir().expect("elsewhere");
        let link = elsewhere.path().join("looks-harmless");
        std::os::unix::fs::symlink(&dir, &link).expect("link");
        assert!(refused(
            v.write_export(&link.join("vault.json"), b"overwritten")
        ));
    }
    for (f, bytes) in before {
        assert_eq!(
            std::fs::read(dir.join(&f)).expect("read"),
            bytes,
            "{f} unchanged"
        );
    }
    // A folder, a missing folder, no file name: refused too.
    let out = tempfile::tempdir().expect("out");
    assert!(refused(v.write_export(out.path(), b"x")));
    assert!(refused(
        v.write_export(&out.path().join("missing").join("a.pdf"), b"x")
    ));
    assert!(refused(v.write_export(std::path::Path::new("/"), b"x")));
}

#[test]
fn an_export_is_logged_only_if_its_file_was_written_and_its_file_kept_only_if_logged() {
    use amparo_core::ics::{IcsLang, IcsOptions};
    let (_t, mut v) = vault();
    let out = tempfile::tempdir().expect("out");
    let opts = IcsOptions {
        days: 7,
        include_names: false,
        lang: IcsLang::En,
        scope: amparo_core::caseload::Scope::All,
    };
    let entries = |v: &amparo_core::Vault| v.audit_head().expect("head").map_or(0, |h| h.seq);
    let before = entries(&v);
    // A name the file system refuses: the write fails inside the transaction, nothing is
    // logged.
    let too_long = out.path().join(format!("{}.ics", "x".repeat(300)));
    assert!(v.save_ics(&opts, chrono::Utc::now(), &too_long).is_err());
    assert_eq!(
        entries(&v),
        before,
        "an export that never reached the disk was logged"
    );
    // Written and logged together.
    let path = out.path().join("week.ics");
    v.save_ics(&opts, chrono::Utc::now(), &path).expect("save");
    assert!(path.is_file());
    assert_eq!(entries(&v), before + 1);
    assert_eq!(v.history("hearings", "ics_initials").expect("h").len(), 1);
}
