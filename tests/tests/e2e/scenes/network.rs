//! No network: every socket the app and its WebKit processes used during the whole session.

use crate::app::{World, network_use};

pub(crate) async fn no_network(w: World) {
    let strace_log = w.strace_log.clone();
    let _session_dir = w.close().await;
    // 14. No network: everything the app and its WebKit processes did with sockets during the
    // whole session, recorded by strace. Local (Unix) sockets only: X11, D-Bus, WebKit's own
    // IPC; no Internet socket was even opened, so none could connect anywhere.
    // Under WebDriver (only then), WebKitWebDriver hands the app an automation endpoint in
    // WEBKIT_INSPECTOR_SERVER, and WebKit listens there on the loopback interface: that is
    // the one Internet-family address allowed, and only on 127.0.0.1.
    let inspector = std::fs::read_to_string(format!("{}.inspector", strace_log.display()))
        .expect("the launcher recorded the automation endpoint");
    let inspector = inspector.trim();
    assert!(
        inspector.starts_with("127.0.0.1:"),
        "automation endpoint {inspector:?}"
    );
    let net = network_use(&strace_log, inspector);
    eprintln!(
        "sockets of the app and its WebKit processes: families {:?}; {} Internet sockets, {} binds/connects, all to WebDriver's automation endpoint {inspector}",
        net.families, net.inet_sockets, net.inet_uses_of_allowed
    );
    assert!(
        net.families.contains("AF_UNIX"),
        "strace recorded the app's sockets: {:?}",
        net.families
    );
    assert!(
        net.elsewhere.is_empty(),
        "the app reached out: {:#?}",
        net.elsewhere
    );
    assert!(
        net.inet_sockets <= net.inet_uses_of_allowed,
        "an Internet socket was opened for something else"
    );
    for f in &net.families {
        assert!(
            ["AF_UNIX", "AF_NETLINK", "AF_INET"].contains(&f.as_str()),
            "the app opened a socket of family {f}"
        );
    }
}
