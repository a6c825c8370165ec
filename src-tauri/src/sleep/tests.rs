//! The D-Bus wiring, on a private bus: `dbus-daemon` started for the test, and on it a
//! stand-in for logind (the same GIO the app uses, on a thread of its own) that hands out delay
//! inhibitors (pipes: the suspend would wait until the app closes its end) and sends the
//! signals a suspend, a wake and a session lock send.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::os::fd::AsFd;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gtk::gio::{self, DBusConnectionFlags, prelude::*};
use gtk::glib::{self, ToVariant};

use super::linux::{LOGIND, LOGIND_PATH, MANAGER, SESSION, watch_logind};

const WAIT: Duration = Duration::from_secs(10);

/// A bus of the test's own, stopped when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start() -> Bus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian's dbus-daemon package)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus's address");
        Bus {
            daemon,
            address: address.trim().to_owned(),
        }
    }

    fn connect(&self) -> gio::DBusConnection {
        connect(&self.address)
    }
}

fn connect(address: &str) -> gio::DBusConnection {
    {
        gio::DBusConnection::for_address_sync(
            address,
            DBusConnectionFlags::AUTHENTICATION_CLIENT
                | DBusConnectionFlags::MESSAGE_BUS_CONNECTION,
            None,
            gio::Cancellable::NONE,
        )
        .expect("connect to the test bus")
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

const LOGIND_XML: &str = r#"<node><interface name="org.freedesktop.login1.Manager">
  <method name="Inhibit">
    <arg type="s" direction="in"/><arg type="s" direction="in"/>
    <arg type="s" direction="in"/><arg type="s" direction="in"/>
    <arg type="h" direction="out"/>
  </method>
</interface></node>"#;

/// What the stand-in saw: an inhibitor taken (what, mode) and, later, let go.
#[derive(Debug, PartialEq)]
enum Seen {
    Inhibit { what: String, mode: String },
    Released,
}

/// Starts the stand-in logind on its own thread; returns its connection (to send signals from)
/// and what it sees.
fn fake_logind(bus: &Bus, released: Arc<AtomicBool>) -> (gio::DBusConnection, Receiver<Seen>) {
    let (seen_tx, seen) = mpsc::channel();
    let (conn_tx, conn_rx) = mpsc::channel();
    let address = bus.address.clone();
    std::thread::spawn(move || {
        let context = glib::MainContext::new();
        context
            .with_thread_default(|| {
                let conn = connect(&address);
                let info = gio::DBusNodeInfo::for_xml(LOGIND_XML).expect("xml");
                let manager = info.lookup_interface(MANAGER).expect("interface");
                let seen_tx = Mutex::new(seen_tx);
                conn.register_object(
                    LOGIND_PATH,
                    &manager,
                    move |_, _, _, _, method, params, invocation| {
                        assert_eq!(method, "Inhibit");
                        let (what, _who, _why, mode) = params
                            .get::<(String, String, String, String)>()
                            .expect("args");
                        let (mut reader, writer) = std::io::pipe().expect("pipe");
                        let fds = gio::UnixFDList::new();
                        let index = fds.append(writer.as_fd()).expect("fd");
                        drop(writer);
                        invocation.return_value_with_unix_fd_list(
                            Some(&(glib::variant::Handle(index),).to_variant()),
                            Some(&fds),
                        );
                        drop(fds);
                        let tx = seen_tx.lock().expect("seen").clone();
                        released.store(false, Ordering::SeqCst);
                        let _ = tx.send(Seen::Inhibit { what, mode });
                        // The inhibitor is let go when the app closes its end.
                        let released = Arc::clone(&released);
                        std::thread::spawn(move || {
                            let mut rest = Vec::new();
                            let _ = reader.read_to_end(&mut rest);
                            released.store(true, Ordering::SeqCst);
                            let _ = tx.send(Seen::Released);
                        });
                    },
                    |_, _, _, _, _| ().to_variant(),
                    |_, _, _, _, _, _| false,
                )
                .expect("register");
                conn.call_sync(
                    Some("org.freedesktop.DBus"),
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus",
                    "RequestName",
                    Some(&(LOGIND, 4u32).to_variant()),
                    None,
                    gio::DBusCallFlags::NONE,
                    -1,
                    gio::Cancellable::NONE,
                )
                .expect("own logind's name");
                conn_tx.send(conn).expect("hand over");
                loop {
                    context.iteration(true);
                }
            })
            .expect("thread default");
    });
    (conn_rx.recv_timeout(WAIT).expect("logind up"), seen)
}

/// Runs the test thread's main context until `done`, as the app's GTK loop would.
fn run_until(done: impl Fn() -> bool) {
    let started = Instant::now();
    let context = glib::MainContext::default();
    while !done() {
        assert!(started.elapsed() < WAIT, "timed out");
        context.iteration(false);
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn next(seen: &Receiver<Seen>) -> Seen {
    seen.recv_timeout(WAIT).expect("logind saw nothing")
}

fn signal(
    logind: &gio::DBusConnection,
    path: &str,
    interface: &str,
    member: &str,
    args: glib::Variant,
) {
    logind
        .emit_signal(None, path, interface, member, Some(&args))
        .expect("signal");
}

/// Before a suspend the vault is locked while the app still holds its inhibitor (so the
/// suspend waited), then the inhibitor is let go; on waking a new one is taken; a session's
/// `Lock` locks too.
#[test]
fn the_vault_locks_before_the_system_sleeps_and_a_locked_session_locks_it() {
    let bus = Bus::start();
    let released = Arc::new(AtomicBool::new(false));
    let (logind, seen) = fake_logind(&bus, Arc::clone(&released));
    let app_bus = bus.connect();
    let locks = Rc::new(Cell::new(0));
    // Whether the inhibitor was still held while the vault locked: a moment is left for the
    // stand-in to notice, had it been let go first.
    let held_while_locking = Rc::new(Cell::new(true));
    {
        let (locks, held) = (Rc::clone(&locks), Rc::clone(&held_while_locking));
        watch_logind(&app_bus, move || {
            locks.set(locks.get() + 1);
            std::thread::sleep(Duration::from_millis(100));
            held.set(held.get() && !released.load(Ordering::SeqCst));
        });
    }
    // The subscriptions reach the bus before anything is sent: its answer to a later call
    // comes after them.
    app_bus
        .call_sync(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "GetId",
            None,
            None,
            gio::DBusCallFlags::NONE,
            -1,
            gio::Cancellable::NONE,
        )
        .expect("a round trip");
    assert_eq!(
        next(&seen),
        Seen::Inhibit {
            what: "sleep".into(),
            mode: "delay".into()
        },
        "a delay inhibitor for sleep, taken at start"
    );

    signal(
        &logind,
        LOGIND_PATH,
        MANAGER,
        "PrepareForSleep",
        (true,).to_variant(),
    );
    run_until(|| locks.get() == 1);
    assert!(
        held_while_locking.get(),
        "the inhibitor went before the lock"
    );
    assert_eq!(next(&seen), Seen::Released, "let go once locked");

    signal(
        &logind,
        LOGIND_PATH,
        MANAGER,
        "PrepareForSleep",
        (false,).to_variant(),
    );
    let started = Instant::now();
    let again = loop {
        glib::MainContext::default().iteration(false);
        if let Ok(s) = seen.recv_timeout(Duration::from_millis(20)) {
            break s;
        }
        assert!(started.elapsed() < WAIT, "no inhibitor taken on waking");
    };
    assert!(matches!(again, Seen::Inhibit { .. }), "{again:?}");
    assert_eq!(locks.get(), 1, "waking does not lock");

    signal(
        &logind,
        "/org/freedesktop/login1/session/_31",
        SESSION,
        "Lock",
        ().to_variant(),
    );
    run_until(|| locks.get() == 2);
    assert!(
        seen.recv_timeout(Duration::from_millis(200)).is_err(),
        "a session lock keeps the inhibitor"
    );
}
