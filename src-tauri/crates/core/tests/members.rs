//! A clinic's team: members added by a coordinator with a passphrase for once, each unlocking
//! with their own, their role enforced by the core on every write, a removed member's
//! passphrase and old header opening nothing written after.

use std::time::{Duration, Instant};

use amparo_core::clients::ClientInput;
use amparo_core::codes::Role;
use amparo_core::members::MemberInput;
use amparo_core::settings::VaultSettings;
use amparo_core::{Error, KdfChoice, KdfParams, Vault};

const COORD: &str = "coordinator passphrase";
const FAST: KdfChoice = KdfChoice::Fixed(KdfParams::MINIMUM);

fn client(name: &str) -> ClientInput {
    ClientInput {
        given_names: name.into(),
        family_names: "Pérez".into(),
        ..ClientInput::default()
    }
}

fn member(handle: &str, role: Role) -> MemberInput {
    MemberInput {
        handle: handle.into(),
        name: format!("{handle} full name"),
        role,
    }
}

#[test]
fn a_volunteer_joins_chooses_a_passphrase_and_is_held_to_the_role() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut v = Vault::create(dir, COORD, FAST, "AR").expect("create");
    assert_eq!(v.role(), Role::Coordinator);
    v.add_member(&member("LS", Role::Volunteer), "given for once 123")
        .expect("add");
    let names: Vec<String> = v
        .members()
        .expect("members")
        .into_iter()
        .map(|m| m.handle)
        .filter(|h| h != "recovery")
        .collect();
    assert_eq!(names, ["AR", "LS"]);
    v.lock().expect("lock");

    // A team of two: the handle is asked, and a wrong one is a wrong passphrase.
    assert!(matches!(
        Vault::unlock(dir, "given for once 123", "AR"),
        Err(Error::WrongPassphrase)
    ));
    let mut once = Vault::unlock(dir, "given for once 123", "ls").expect("the one-time passphrase");
    assert!(once.must_change_passphrase());
    assert!(matches!(
        once.create_client(&client("Ana")),
        Err(Error::MustChangePassphrase)
    ));
    once.lock().expect("lock");
    Vault::change_passphrase(dir, "LS", "given for once 123", "my own passphrase", FAST)
        .expect("own passphrase");

    let mut vol = Vault::unlock(dir, "my own passphrase", "LS").expect("unlock");
    assert!(!vol.must_change_passphrase());
    assert_eq!((vol.role(), vol.actor()), (Role::Volunteer, "LS"));
    let ana = vol
        .create_client(&client("Ana"))
        .expect("volunteers take intakes");
    // The history names the member who wrote each entry.
    let history = vol.history("client", &ana.id).expect("history");
    assert_eq!(history[0].actor, "LS");
    assert_eq!(history[0].actor_name.as_deref(), Some("LS full name"));
    let before = vol.verify_audit_chain().expect("chain").entries;
    for refused in [
        vol.delete_client(&ana.id).map(drop),
        vol.save_settings(&VaultSettings {
            org_name: "Otra".into(),
            ..vol.settings().expect("settings")
        })
        .map(drop),
        vol.add_member(&member("XX", Role::Coordinator), "another one 1234")
            .map(drop),
    ] {
        assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    }
    assert_eq!(
        vol.verify_audit_chain().expect("chain").entries,
        before,
        "a refused change writes nothing"
    );
    // Evidence a volunteer may add, not take out: the refusal comes before any file is
    // written, so a file already at that place is left as it was, and a backup makes none.
    let note = vol
        .attach(
            amparo_core::codes::AttachmentOwner::Client,
            &ana.id,
            "nota.txt",
            b"Ana told us where she sleeps.",
        )
        .expect("volunteers add evidence");
    let out = tempfile::tempdir().expect("out");
    let there = out.path().join("nota.txt");
    std::fs::write(&there, "already here").expect("existing file");
    assert!(matches!(
        vol.save_attachment_copy(&note.id, &there),
        Err(Error::Forbidden)
    ));
    assert_eq!(
        std::fs::read_to_string(&there).expect("kept"),
        "already here"
    );
    let backup = out.path().join("copy.amparo");
    assert!(matches!(vol.backup_to(&backup), Err(Error::Forbidden)));
    assert_eq!(
        std::fs::read_dir(out.path()).expect("dir").count(),
        1,
        "no file made"
    );
    let history = vol.history("client", &ana.id).expect("history");
    assert_eq!(history[0].actor, "LS");
    vol.lock().expect("lock");
    // A new key on demand is a coordinator's to ask for; a member's own new passphrase
    // turns it too, and carrying on after it keeps their role.
    assert!(matches!(
        Vault::rotate_key(
            dir,
            "LS",
            "my own passphrase",
            "my own passphrase",
            FAST,
            &|_| {}
        ),
        Err(Error::Forbidden)
    ));
    let mut carried = Vault::rotate_and_open(
        dir,
        "my own passphrase",
        "my newer passphrase",
        FAST,
        "LS",
        &|_| {},
        None,
    )
    .expect("rotate and carry on");
    assert_eq!(carried.role(), Role::Volunteer);
    assert!(matches!(
        carried.delete_client(&ana.id),
        Err(Error::Forbidden)
    ));
    carried.lock().expect("lock");

    // The coordinator removes the volunteer: the key turns, and the volunteer's passphrase, or
    // an old header with it, opens nothing written after.
    let old_header = std::fs::read(dir.join("vault.json")).expect("kept by the volunteer");
    assert!(matches!(
        Vault::remove_member(dir, "AR", COORD, "AR", &|_| {}, None),
        Err(Error::Validation(_))
    ));
    Vault::remove_member(dir, "AR", COORD, "LS", &|_| {}, None).expect("remove");
    assert!(matches!(
        Vault::unlock(dir, "my newer passphrase", "LS"),
        Err(Error::WrongPassphrase)
    ));
    let copy = tempfile::tempdir().expect("copy");
    std::fs::write(copy.path().join("vault.json"), &old_header).expect("old header");
    let old_key = amparo_core::vault::header::OnDisk::read(copy.path())
        .expect("read")
        .open("LS", b"my newer passphrase")
        .expect("the old header still opens the old key")
        .data_key;
    assert!(matches!(
        amparo_core::db::open_keyed(dir, &old_key, false),
        Err(Error::VaultDamaged)
    ));
    let v = Vault::unlock(dir, COORD, "AR").expect("the coordinator stays");
    let members = v.members().expect("members");
    let removed = members.last().expect("LS");
    assert_eq!(removed.handle, "LS", "removed members last");
    assert!(
        removed.removed_at.is_some(),
        "the row stays, marked removed"
    );
    assert!(v.full_check().expect("check").holds());
}

#[test]
fn the_last_coordinator_stays_one_and_roles_change_by_a_coordinator() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut v = Vault::create(tmp.path(), COORD, FAST, "AR").expect("create");
    v.add_member(&member("JM", Role::Attorney), "given for once 123")
        .expect("add");
    assert!(matches!(
        v.set_member_role("AR", Role::Attorney),
        Err(Error::Validation(_))
    ));
    assert_eq!(
        v.set_member_role("jm", Role::Coordinator)
            .expect("promote")
            .role,
        Role::Coordinator
    );
    v.set_member_role("AR", Role::Attorney)
        .expect("now another coordinator is there");
    assert!(matches!(
        v.add_member(&member("jm", Role::Volunteer), "given for once 123"),
        Err(Error::Validation(_))
    ));
}

#[test]
fn sixteen_members_unlock_as_fast_as_one() {
    let one = tempfile::tempdir().expect("tmp");
    let team = tempfile::tempdir().expect("tmp");
    Vault::create(one.path(), COORD, FAST, "AR")
        .expect("create")
        .lock()
        .expect("lock");
    let mut v = Vault::create(team.path(), COORD, FAST, "AR").expect("create");
    for i in 1..16 {
        v.add_member(
            &member(&format!("M{i}"), Role::Volunteer),
            &format!("passphrase of {i:04}"),
        )
        .expect("add");
    }
    v.lock().expect("lock");
    let open = |dir: &std::path::Path, handle: &str, pass: &str| {
        let t = Instant::now();
        amparo_core::vault::header::OnDisk::read(dir)
            .expect("read")
            .open(handle, pass.as_bytes())
            .expect("open");
        t.elapsed()
    };
    // Alternated, the best of five each: what the machine does meanwhile weighs on both.
    let (mut alone, mut last) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        alone = alone.min(open(one.path(), "AR", COORD));
        last = last.min(open(team.path(), "M15", "passphrase of 0015"));
    }
    eprintln!("unlock, header only: 1 member {alone:?}, the 16th of 16 members {last:?}");
    assert!(
        last < alone + Duration::from_millis(50),
        "1 member {alone:?}, 16 members {last:?}"
    );
}

#[test]
fn the_recovery_code_opens_as_a_coordinator_who_resets_a_forgotten_passphrase() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut v = Vault::create(dir, COORD, FAST, "AR").expect("create");
    let code = v.take_recovery_code().expect("made with the vault");
    assert!(v.take_recovery_code().is_none(), "shown once");
    // Seven groups of four, in an alphabet without I, L, O or U: 140 random bits.
    let groups: Vec<&str> = code.split('-').collect();
    assert_eq!(groups.len(), 7, "{}", code.as_str());
    assert!(groups.iter().all(|g| {
        g.len() == 4
            && g.chars()
                .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c)))
    }));
    assert!(v.has_recovery_code().expect("has"));
    assert!(
        matches!(v.make_recovery_code(), Err(Error::Validation(_))),
        "one per vault"
    );
    v.add_member(&member("LS", Role::Volunteer), "given for once 123")
        .expect("add");
    // Its slot is no one's to change or remove, nor a handle to take.
    for refused in [
        v.set_member_role("recovery", Role::Volunteer).map(drop),
        v.add_member(&member("Recovery", Role::Volunteer), "given for once 123")
            .map(drop),
    ] {
        assert!(matches!(refused, Err(Error::Validation(_))), "{refused:?}");
    }
    v.lock().expect("lock");
    assert!(matches!(
        Vault::remove_member(dir, "AR", COORD, "recovery", &|_| {}, None),
        Err(Error::Validation(_))
    ));

    // The only coordinator forgot their passphrase: the code, typed loosely, opens the vault.
    let typed = code.to_lowercase().replace('-', " ").replace('0', "o");
    assert!(matches!(
        Vault::unlock(dir, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG", "recovery"),
        Err(Error::WrongPassphrase)
    ));
    let mut rec = Vault::unlock(dir, &typed, "recovery").expect("the recovery code");
    assert_eq!(rec.role(), Role::Coordinator);
    rec.reset_member_passphrase("AR", "a new one for once")
        .expect("reset");
    rec.lock().expect("lock");
    assert!(matches!(
        Vault::unlock(dir, COORD, "AR"),
        Err(Error::WrongPassphrase)
    ));
    let once = Vault::unlock(dir, "a new one for once", "AR").expect("once");
    assert!(once.must_change_passphrase());
    once.lock().expect("lock");
    Vault::change_passphrase(dir, "AR", "a new one for once", "remembered now", FAST).expect("own");
    let mut ar = Vault::unlock(dir, "remembered now", "AR").expect("unlock");
    assert_eq!(ar.role(), Role::Coordinator);
    ar.create_client(&client("Ana")).expect("writes again");
    // The history says who did what: the reset is the recovery code's, signed by its slot.
    let reset = ar.history("member", "AR").expect("history");
    assert_eq!(
        (reset[0].actor.as_str(), reset[0].changed_fields.as_slice()),
        ("recovery", ["passphrase".to_owned()].as_slice())
    );
    assert!(ar.full_check().expect("check").holds());
    ar.lock().expect("lock");
    // The code still opens the vault after the key turned (its slot was given the new key).
    Vault::unlock(dir, &code, "recovery")
        .expect("after the rotation")
        .lock()
        .expect("lock");
}

/// A hearing for `client` three days from now, before San Diego's court.
fn hearing_soon(client: &str) -> amparo_core::hearings::HearingInput {
    use amparo_core::codes::{Court, HearingOutcome, HearingType, HearingVenue, Port};
    let when = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%dT09:00")
        .to_string();
    amparo_core::hearings::HearingInput {
        client_id: client.into(),
        people: vec![],
        court: Court::SanDiego,
        court_zone: None,
        venue: HearingVenue::PortTent,
        hearing_type: HearingType::MasterCalendar,
        scheduled_local: when,
        port: Some(Port::SanYsidro),
        report_local: None,
        judge: String::new(),
        interpreter_language: Some("es".into()),
        attendees: String::new(),
        outcome: HearingOutcome::Scheduled,
        next_date: None,
        missed_reason: None,
        missed_account: String::new(),
        notes: String::new(),
    }
}

#[test]
fn the_caseload_narrows_my_lists_and_an_interpreter_reads_only_their_clients() {
    use amparo_core::caseload::Scope;
    use amparo_core::clients::ClientFilter;
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut v = Vault::create(dir, COORD, FAST, "AR").expect("create");
    let ana = v.create_client(&client("Ana")).expect("Ana");
    let eva = v.create_client(&client("Eva")).expect("Eva");
    let eva_hearing = v.add_hearing(&hearing_soon(&eva.id)).expect("hearing");
    v.add_hearing(&hearing_soon(&ana.id)).expect("hearing");
    v.add_member(&member("IN", Role::Interpreter), "given for once 123")
        .expect("interpreter");
    v.add_member(&member("LS", Role::Attorney), "given for once 456")
        .expect("attorney");
    v.add_member(&member("VB", Role::Volunteer), "given for once 789")
        .expect("volunteer");
    let assigned = v
        .set_assignees(
            &ana.id,
            &["in".to_owned(), "LS".to_owned(), "IN".to_owned()],
        )
        .expect("assign");
    let handles: Vec<&str> = assigned.iter().map(|a| a.handle.as_str()).collect();
    assert_eq!(
        handles,
        ["IN", "LS"],
        "each member once, as the team spells them"
    );
    for unknown in ["ZZ", "recovery"] {
        assert!(matches!(
            v.set_assignees(&eva.id, &[unknown.to_owned()]),
            Err(Error::Validation(_))
        ));
    }
    v.lock().expect("lock");
    for (handle, once, own) in [
        ("IN", "given for once 123", "interpreter own 1"),
        ("LS", "given for once 456", "attorney own 12"),
        ("VB", "given for once 789", "volunteer own 1"),
    ] {
        Vault::change_passphrase(dir, handle, once, own, FAST).expect("own passphrase");
    }

    // The interpreter: Ana is theirs, Eva is not, wherever she is asked for.
    let mut int = Vault::unlock(dir, "interpreter own 1", "IN").expect("unlock");
    let all = ClientFilter::default();
    let listed = int.list_clients(&all, 0, 50).expect("list");
    assert_eq!(listed.total, 1);
    assert_eq!(listed.rows[0].id, ana.id);
    let home = int.home(7, chrono::Utc::now(), Scope::All).expect("home");
    assert_eq!(home.coming_total, 1, "only Ana's hearing");
    let found = int.search("Pérez").expect("search");
    assert!(
        found
            .groups
            .iter()
            .flat_map(|g| &g.hits)
            .all(|h| h.client_id == ana.id),
        "{found:?}"
    );
    let mut notes = int.client(&ana.id).expect("Ana").to_input();
    notes.notes = "prefers Mam".into();
    int.update_client(&ana.id, &notes)
        .expect("notes on their client");
    let eva_notes = ClientInput {
        notes: "not theirs".into(),
        ..client("Eva")
    };
    for refused in [
        int.client(&eva.id).map(drop),
        int.timeline(&eva.id).map(drop),
        int.hearing(&eva_hearing.id).map(drop),
        int.hearings_for_client(&eva.id).map(drop),
        int.history("client", &eva.id).map(drop),
        int.history("hearing", &eva_hearing.id).map(drop),
        int.assignees(&eva.id).map(drop),
        int.update_client(&eva.id, &eva_notes).map(drop),
    ] {
        assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    }
    int.lock().expect("lock");

    // The attorney assigns Eva to themself: "My clients" and "My hearings" are Eva and hers.
    let mut ls = Vault::unlock(dir, "attorney own 12", "LS").expect("unlock");
    ls.set_assignees(&eva.id, &["LS".to_owned()])
        .expect("assign");
    let mine = ClientFilter {
        scope: Scope::Mine,
        ..ClientFilter::default()
    };
    assert_eq!(ls.list_clients(&mine, 0, 50).expect("mine").total, 2);
    assert_eq!(ls.list_clients(&all, 0, 50).expect("all").total, 2);
    ls.set_assignees(&ana.id, &["IN".to_owned()])
        .expect("unassign self");
    let rows = ls.list_clients(&mine, 0, 50).expect("mine").rows;
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [eva.id.as_str()]
    );
    let home = ls.home(7, chrono::Utc::now(), Scope::Mine).expect("home");
    assert_eq!(home.coming_total, 1);
    assert_eq!(home.coming[0].ports[0].lines[0].hearing.id, eva_hearing.id);
    assert_eq!(
        ls.home(7, chrono::Utc::now(), Scope::All)
            .expect("home")
            .coming_total,
        2
    );
    // Who assigned whom is in the history.
    let history = ls.history("assignment", &eva.id).expect("history");
    assert_eq!(history[0].actor, "LS");
    assert!(ls.full_check().expect("check").holds());
    ls.lock().expect("lock");

    // A volunteer reads every client but assigns no one.
    let mut vb = Vault::unlock(dir, "volunteer own 1", "VB").expect("unlock");
    assert_eq!(vb.list_clients(&all, 0, 50).expect("all").total, 2);
    assert!(matches!(
        vb.set_assignees(&eva.id, &["VB".to_owned()]),
        Err(Error::Forbidden)
    ));
}

#[test]
fn a_member_who_may_not_restore_leaves_no_files_behind() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("vault");
    let mut v = Vault::create(&dir, COORD, FAST, "AR").expect("create");
    v.add_member(&member("LS", Role::Attorney), "given for once 123")
        .expect("add");
    v.create_client(&client("Ana")).expect("client");
    let backup = tmp.path().join("clinic.backup");
    v.backup_to(&backup).expect("backup");
    v.lock().expect("lock");
    Vault::change_passphrase(&dir, "LS", "given for once 123", "attorney own 12", FAST)
        .expect("own");
    // The backup's header still holds LS's passphrase for once: it opens, as an attorney.
    let fresh = tmp.path().join("elsewhere");
    let refused = amparo_core::backup::restore(&backup, &fresh, "given for once 123", "LS");
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    assert!(!fresh.exists(), "nothing placed");
    let refused =
        amparo_core::backup::restore_replacing(&backup, &dir, "given for once 123", "LS", true);
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    let siblings: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        siblings
            .iter()
            .all(|n| !n.contains(".restoring-") && !n.contains(".replaced-")),
        "{siblings:?}"
    );
    Vault::unlock(&dir, "attorney own 12", "LS")
        .expect("the live vault as it was")
        .lock()
        .expect("lock");
}

/// What one member's session acts on in the table below: a client assigned to them, a hearing
/// and a file of that client's, another client to delete, a packet for their client.
struct Mine {
    client: String,
    spare: String,
    hearing: String,
    file: String,
    packet: Option<amparo_core::packet::BuiltPacket>,
}

/// Each role against each change the core makes and each export, on a real vault: allowed
/// ones succeed, the rest are refused with `forbidden`.
#[test]
fn each_role_against_each_operation() {
    use amparo_core::codes::AttachmentOwner;
    use amparo_core::ics::{IcsLang, IcsOptions};
    use amparo_core::packet::labels::DocLang;
    use amparo_core::packet::{
        BuiltPacket, FactPrecision, PacketRequest, PacketSelection, Profile, Recipient,
        RequestedAction,
    };
    type Op = fn(&mut Vault, &Mine, &std::path::Path) -> Result<(), Error>;
    const C: Role = Role::Coordinator;
    const A: Role = Role::Attorney;
    const V: Role = Role::Volunteer;
    const I: Role = Role::Interpreter;
    let table: Vec<(&str, &[Role], Op)> = vec![
        ("take an intake", &[C, A, V], |v, _, _| {
            v.create_client(&client("Nueva")).map(drop)
        }),
        ("edit a client", &[C, A, V], |v, m, _| {
            let input = ClientInput {
                given_names: "Otra".into(),
                ..v.client(&m.client)?.to_input()
            };
            v.update_client(&m.client, &input).map(drop)
        }),
        ("write a client's notes", &[C, A, V, I], |v, m, _| {
            v.set_client_notes(&m.client, "notes").map(drop)
        }),
        ("delete a client", &[C, A], |v, m, _| {
            v.delete_client(&m.spare)
        }),
        ("add a hearing", &[C, A, V], |v, m, _| {
            v.add_hearing(&hearing_soon(&m.client)).map(drop)
        }),
        ("delete a hearing", &[C, A, V], |v, m, _| {
            v.delete_hearing(&m.hearing)
        }),
        ("attach evidence", &[C, A, V], |v, m, _| {
            v.attach(AttachmentOwner::Client, &m.client, "note.txt", b"seen")
                .map(drop)
        }),
        ("save a copy of evidence", &[C, A], |v, m, out| {
            v.save_attachment_copy(&m.file, &out.join("copy.txt"))
                .map(drop)
        }),
        ("save a complaint packet", &[C, A], |v, m, out| {
            let packet = m.packet.as_ref().expect("built");
            v.save_packet(packet, &out.join("packet.pdf")).map(drop)
        }),
        ("export the calendar", &[C, A], |v, _, out| {
            let opts = IcsOptions {
                days: 7,
                include_names: false,
                lang: IcsLang::En,
                scope: amparo_core::caseload::Scope::All,
            };
            v.save_ics(&opts, chrono::Utc::now(), &out.join("h.ics"))
                .map(drop)
        }),
        ("back up", &[C, A], |v, _, out| {
            v.backup_to(&out.join("b.backup")).map(drop)
        }),
        ("change the settings", &[C, A], |v, _, _| {
            let s = VaultSettings {
                org_name: "Otra".into(),
                ..v.settings()?
            };
            v.save_settings(&s).map(drop)
        }),
        ("assign a client", &[C, A], |v, m, _| {
            v.set_assignees(&m.client, &["AR".to_owned()]).map(drop)
        }),
        ("add a member", &[C], |v, _, _| {
            v.add_member(&member("NEW", Role::Volunteer), "given for once 000")
                .map(drop)
        }),
        ("change a role", &[C], |v, _, _| {
            v.set_member_role("ZZ", Role::Attorney).map(drop)
        }),
        ("reset a passphrase", &[C], |v, _, _| {
            v.reset_member_passphrase("ZZ", "given for once 111")
                .map(drop)
        }),
    ];

    let tmp = tempfile::tempdir().expect("tmp");
    let dir = &tmp.path().join("vault");
    let mut v = Vault::create(dir, COORD, FAST, "AR").expect("create");
    v.add_member(&member("ZZ", Role::Volunteer), "given for once 999")
        .expect("ZZ");
    let team = [("AR", C), ("AT", A), ("VO", V), ("IN", I)];
    let mut mine = Vec::new();
    for (handle, role) in team {
        if role != C {
            v.add_member(&member(handle, role), "given for once 123")
                .expect("member");
        }
        let c = v.create_client(&client(handle)).expect("client");
        let spare = v.create_client(&client("Spare")).expect("spare");
        v.set_assignees(&c.id, &[handle.to_owned()])
            .expect("assign");
        let hearing = v.add_hearing(&hearing_soon(&c.id)).expect("hearing");
        let file = v
            .attach(AttachmentOwner::Client, &c.id, "photo.txt", b"evidence")
            .expect("file");
        mine.push(Mine {
            client: c.id,
            spare: spare.id,
            hearing: hearing.id,
            file: file.id,
            packet: None,
        });
    }
    v.lock().expect("lock");
    for (handle, _) in team.iter().filter(|(_, r)| *r != C) {
        let own = format!("{handle} own passphrase");
        Vault::change_passphrase(dir, handle, "given for once 123", &own, FAST).expect("own");
    }

    for ((handle, role), m) in team.iter().zip(&mut mine) {
        // Built by the coordinator just before, so its pseudonyms follow those already kept.
        let request = PacketRequest {
            recipient: Recipient::Both,
            profile: Profile::Pseudonymised,
            lang: DocLang::En,
            requests: vec![RequestedAction::Investigation],
            clients: vec![PacketSelection {
                client_id: m.client.clone(),
                incident_ids: vec![],
                hearing_ids: vec![m.hearing.clone()],
                screening_ids: vec![],
                exhibit_ids: vec![],
            }],
            choices: vec![],
            facts: FactPrecision::default(),
            confirmed: vec![],
        };
        let ar = Vault::unlock(dir, COORD, "AR").expect("unlock");
        let doc = ar
            .packet_document(&request, chrono::Utc::now())
            .expect("packet document");
        ar.lock().expect("lock");
        m.packet = Some(BuiltPacket::from_pdf(
            &doc,
            b"%PDF-1.7 stand-in".to_vec(),
            1,
            true,
        ));
        let m = &*m;
        let pass = if *role == C {
            COORD.to_owned()
        } else {
            format!("{handle} own passphrase")
        };
        let mut s = Vault::unlock(dir, &pass, handle).expect("unlock");
        let out = tempfile::tempdir().expect("out");
        for (what, allowed, op) in &table {
            let entries = s.verify_audit_chain().expect("chain").entries;
            let got = op(&mut s, m, out.path());
            if allowed.contains(role) {
                assert!(got.is_ok(), "{role:?} may {what}: {got:?}");
            } else {
                assert!(
                    matches!(got, Err(Error::Forbidden)),
                    "{role:?} may not {what}: {got:?}"
                );
                let after = s.verify_audit_chain().expect("chain").entries;
                assert_eq!(
                    entries, after,
                    "{role:?} refused to {what}: nothing written"
                );
            }
        }
        // The copy, the packet, the calendar and the backup; nothing from a refused export.
        let written = std::fs::read_dir(out.path()).expect("out").count();
        assert_eq!(
            written,
            if matches!(*role, C | A) { 4 } else { 0 },
            "{role:?}"
        );
        s.lock().expect("lock");
        // A new key on demand is a coordinator's.
        let turned = Vault::rotate_key(dir, handle, &pass, &pass, FAST, &|_| {});
        if *role == C {
            turned.expect("a coordinator turns the key");
        } else {
            assert!(
                matches!(turned, Err(Error::Forbidden)),
                "{role:?}: {turned:?}"
            );
        }
    }
    let v = Vault::unlock(dir, COORD, "AR").expect("unlock");
    assert!(v.full_check().expect("check").holds());
}

/// A member removed from the team stays on the clients they were assigned, marked removed, so
/// the coordinator sees whose cases need someone; the assignment can still be changed around
/// them, or ended, but no one removed is assigned anew.
#[test]
fn a_removed_members_clients_can_be_handed_on() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut v = Vault::create(dir, COORD, FAST, "AR").expect("create");
    let ana = v.create_client(&client("Ana")).expect("Ana");
    let eva = v.create_client(&client("Eva")).expect("Eva");
    for (handle, once) in [("LS", "given for once 456"), ("VB", "given for once 789")] {
        v.add_member(&member(handle, Role::Volunteer), once)
            .expect("member");
    }
    v.set_assignees(&ana.id, &["LS".to_owned()])
        .expect("assign");
    v.lock().expect("lock");
    Vault::remove_member(dir, "AR", COORD, "LS", &|_| {}, None).expect("remove");

    let mut v = Vault::unlock(dir, COORD, "AR").expect("unlock");
    let shown = |v: &Vault| -> Vec<(String, bool)> {
        v.assignees(&ana.id)
            .expect("assignees")
            .into_iter()
            .map(|a| (a.handle, a.removed))
            .collect()
    };
    assert_eq!(shown(&v), [("LS".to_owned(), true)]);
    // The screen sends the ticked handles back: the removed one kept, a new one added.
    v.set_assignees(&ana.id, &["ls".to_owned(), "VB".to_owned()])
        .expect("someone new beside them");
    assert_eq!(
        shown(&v),
        [("LS".to_owned(), true), ("VB".to_owned(), false)]
    );
    v.set_assignees(&ana.id, &["VB".to_owned()])
        .expect("the removed one unticked");
    assert_eq!(shown(&v), [("VB".to_owned(), false)]);
    for client in [&ana.id, &eva.id] {
        assert!(
            matches!(
                v.set_assignees(client, &["LS".to_owned()]),
                Err(Error::Validation(_))
            ),
            "no one removed is assigned anew"
        );
    }
}

/// A recovery code that may have been seen is replaced: the new one opens the vault as a
/// coordinator, the old one opens nothing, and the history still checks (the code's old key
/// signed the entries before the replacement, its new key those after).
#[test]
fn a_seen_recovery_code_is_replaced() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut v = Vault::create(dir, COORD, FAST, "AR").expect("create");
    let old = v.take_recovery_code().expect("made with the vault");
    v.add_member(&member("LS", Role::Volunteer), "given for once 123")
        .expect("add");
    v.lock().expect("lock");
    // The old code signs something before it is replaced.
    let mut rec = Vault::unlock(dir, &old, "recovery").expect("old code");
    rec.create_client(&client("Ana"))
        .expect("written with the code");
    assert!(
        matches!(rec.replace_recovery_code(), Err(Error::Forbidden)),
        "not in a session opened with the code itself"
    );
    rec.lock().expect("lock");
    Vault::change_passphrase(dir, "LS", "given for once 123", "volunteer own 1", FAST)
        .expect("own");
    let mut ls = Vault::unlock(dir, "volunteer own 1", "LS").expect("volunteer");
    assert!(matches!(ls.replace_recovery_code(), Err(Error::Forbidden)));
    ls.lock().expect("lock");

    let mut v = Vault::unlock(dir, COORD, "AR").expect("coordinator");
    let new = v.replace_recovery_code().expect("replaced");
    assert_ne!(new.as_str(), old.as_str());
    assert!(v.has_recovery_code().expect("has"));
    let history = v.history("member", "recovery").expect("history");
    assert_eq!(
        (
            history[0].actor.as_str(),
            history[0].changed_fields.as_slice()
        ),
        ("AR", ["passphrase".to_owned()].as_slice())
    );
    v.lock().expect("lock");
    assert!(matches!(
        Vault::unlock(dir, &old, "recovery"),
        Err(Error::WrongPassphrase)
    ));
    let mut rec = Vault::unlock(dir, &new.to_lowercase(), "recovery").expect("the new code");
    assert_eq!(rec.role(), Role::Coordinator);
    rec.create_client(&client("Eva"))
        .expect("written with the new code");
    assert!(rec.full_check().expect("check").holds());
}
