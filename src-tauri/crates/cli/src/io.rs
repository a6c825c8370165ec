//! How the CLI talks: passphrases from the environment or a no-echo prompt, JSON in on stdin,
//! JSON out on stdout and nothing else (timings only when asked), and a quiet exit when the
//! reader of stdout goes away (`amparo clients list | head -1`).

use std::io::{IsTerminal, Read, Write};
use std::time::Instant;

use amparo_core::Error;
use zeroize::Zeroizing;

pub fn passphrase(var: &str, prompt: &str) -> Result<Zeroizing<String>, Error> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("amparo: set {var} or run in a terminal to be asked");
        return Err(Error::WrongPassphrase);
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(Error::Io)
}

/// Standard input as text (an edit's JSON object, read strictly by the core).
pub fn read_stdin() -> Result<String, Error> {
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw)?;
    Ok(raw)
}

pub fn read_json_stdin<T: serde::de::DeserializeOwned>() -> Result<T, Error> {
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw)?;
    // Strict: an unknown or misspelt field is refused by name, never dropped.
    amparo_core::json::from_str(&raw)
}

/// Writes `v` as pretty JSON to stdout. A closed pipe comes back as an `Io` error of kind
/// `BrokenPipe`, which `main` ends quietly.
pub fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Error> {
    let s = serde_json::to_string_pretty(v).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{s}")?;
    out.flush()?;
    Ok(())
}

/// Runs `f` `repeat` times (at least once) and returns the last result. With more than one
/// run, each run's duration goes to stderr, labelled: the figures in docs/benchmarks.md.
pub fn repeat<T>(
    label: &str,
    repeat: u32,
    mut f: impl FnMut() -> Result<T, Error>,
) -> Result<T, Error> {
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        last = Some(f()?);
        if repeat > 1 {
            eprintln!(
                "{label}: {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    last.ok_or(Error::NotFound)
}

/// Whether an error only says stdout's reader has gone.
pub fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// How far a key turn has copied the vault, on stderr as it moves, for a person at a
/// terminal (a script reading stderr sees only the error, if any).
pub fn progress(label: &'static str) -> impl Fn(u8) + Sync {
    use std::io::IsTerminal;
    let shown = std::sync::atomic::AtomicU8::new(u8::MAX);
    let terminal = std::io::stderr().is_terminal();
    move |percent: u8| {
        let step = percent / 5 * 5;
        if terminal && shown.swap(step, std::sync::atomic::Ordering::SeqCst) != step {
            eprint!("\r{label}: {step}%");
            if step >= 100 {
                eprintln!();
            }
        }
    }
}
