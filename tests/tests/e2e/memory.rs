//! Reading the app's memory as a core dump would hold it, to prove what lock wipes.

use std::path::PathBuf;

/// Every process descended from `root`, with its executable.
pub(crate) fn processes_under(root: u32) -> Vec<(u32, PathBuf)> {
    let mut parent_of = Vec::new();
    for e in std::fs::read_dir("/proc").expect("proc").flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name (which may hold spaces) start after ") ".
        let after = stat.rsplit_once(") ").map_or("", |(_, a)| a);
        let ppid = after.split(' ').nth(1).and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut family = vec![root];
    let mut i = 0;
    while i < family.len() {
        let p = family[i];
        family.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    family
        .into_iter()
        .filter_map(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe"))
                .ok()
                .map(|exe| (pid, exe))
        })
        .collect()
}

/// How many times each needle occurs in the readable memory of `pid` (the same bytes a core
/// dump would hold).
pub(crate) fn scan_memory(pid: u32, needles: &[(&str, Vec<u8>)]) -> Vec<(String, usize)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut counts = vec![0usize; needles.len()];
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    let (Ok(mut mem), Ok(mut pagemap)) = (
        std::fs::File::open(format!("/proc/{pid}/mem")),
        std::fs::File::open(format!("/proc/{pid}/pagemap")),
    ) else {
        return Vec::new();
    };
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = line.split_whitespace().nth(5).unwrap_or("");
        if !perms.starts_with('r') || name.starts_with("[v") {
            continue;
        }
        let Some((a, b)) = range.split_once('-') else {
            continue;
        };
        let (Ok(a), Ok(b)) = (u64::from_str_radix(a, 16), u64::from_str_radix(b, 16)) else {
            continue;
        };
        // Mapped files that are not writable (code, fonts, locales) cannot hold secrets.
        if !perms.contains('w') && !name.is_empty() && !name.starts_with('[') {
            continue;
        }
        // Only the pages that are really there (a JavaScript engine reserves tens of
        // gigabytes it never touches): runs of present pages, from /proc/<pid>/pagemap.
        for (start, end) in present_runs(&mut pagemap, a, b) {
            let mut at = start;
            while at < end {
                // Chunks overlap by a needle's length, so none is missed at a boundary.
                let len = (end - at).min(16 << 20);
                let mut buf = vec![0u8; len as usize];
                if mem.seek(SeekFrom::Start(at)).is_err() || mem.read_exact(&mut buf).is_err() {
                    break;
                }
                for (i, (_, n)) in needles.iter().enumerate() {
                    counts[i] += buf.windows(n.len()).filter(|w| *w == n.as_slice()).count();
                }
                if at + len >= end {
                    break;
                }
                at += len - 64;
            }
        }
    }
    needles
        .iter()
        .zip(counts)
        .map(|((name, _), n)| ((*name).to_owned(), n))
        .collect()
}

/// The runs of pages in `[a, b)` that are in memory or swapped out (bits 63 and 62 of each
/// page's pagemap entry).
pub(crate) fn present_runs(pagemap: &mut std::fs::File, a: u64, b: u64) -> Vec<(u64, u64)> {
    use std::io::{Read, Seek, SeekFrom};
    const PAGE: u64 = 4096;
    let mut runs: Vec<(u64, u64)> = Vec::new();
    let mut page = a / PAGE;
    while page < b / PAGE {
        let n = (b / PAGE - page).min(1 << 16);
        let mut entries = vec![0u8; (n * 8) as usize];
        if pagemap.seek(SeekFrom::Start(page * 8)).is_err()
            || pagemap.read_exact(&mut entries).is_err()
        {
            break;
        }
        for (i, e) in entries.chunks_exact(8).enumerate() {
            let v = u64::from_le_bytes(e.try_into().unwrap_or([0; 8]));
            if v & (3 << 62) != 0 {
                let addr = (page + i as u64) * PAGE;
                match runs.last_mut() {
                    Some(r) if r.1 == addr => r.1 += PAGE,
                    _ => runs.push((addr, addr + PAGE)),
                }
            }
        }
        page += n;
    }
    runs
}
