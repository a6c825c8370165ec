//! Evidence files with a byte pattern made fresh for each run, and the scan that proves the
//! pattern never reaches the disk in plaintext.

use std::path::PathBuf;

use crate::app::workspace;

/// Files with a byte pattern made fresh for this run, so it can occur nowhere else on disk.
pub(crate) struct Evidence {
    pub(crate) pattern: Vec<u8>,
    /// Where the source files are (and the checkout, which may itself sit in the system temp
    /// dir): not scanned. The app never writes there.
    pub(crate) skip: Vec<PathBuf>,
    pub(crate) png: PathBuf,
    pub(crate) pdf: PathBuf,
    pub(crate) empty: PathBuf,
}

impl Evidence {
    pub(crate) fn new() -> Evidence {
        let mut pattern = b"AMPARO-EVIDENCE-".to_vec();
        let mut random = [0u8; 24];
        let mut f = std::fs::File::open("/dev/urandom").expect("urandom");
        std::io::Read::read_exact(&mut f, &mut random).expect("random");
        pattern.extend(
            random
                .iter()
                .map(|b| b"abcdefghijklmnopqrstuvwxyz012345"[usize::from(b % 32)]),
        );
        // Outside the system temp dir, which the test scans.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-evidence");
        std::fs::create_dir_all(&dir).expect("evidence dir");
        let png = dir.join("ransom-message.png");
        std::fs::write(&png, png_with_text(&pattern)).expect("png");
        let pdf = dir.join("medical-report.pdf");
        std::fs::write(&pdf, pdf_with_text(&pattern)).expect("pdf");
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, b"").expect("empty");
        let skip = [dir.clone(), workspace()]
            .into_iter()
            .map(|p| p.canonicalize().unwrap_or(p))
            .collect();
        Evidence {
            pattern,
            skip,
            png,
            pdf,
            empty,
        }
    }

    /// Fails if the pattern is in any readable file under the roots (skipping the source files).
    pub(crate) fn assert_nowhere(&self, roots: &[PathBuf], when: &str) {
        let mut stack: Vec<PathBuf> = roots.to_vec();
        let mut files = 0;
        while let Some(p) = stack.pop() {
            let real = p.canonicalize().unwrap_or_else(|_| p.clone());
            if self.skip.iter().any(|s| real.starts_with(s)) {
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                if let Ok(rd) = std::fs::read_dir(&p) {
                    stack.extend(rd.flatten().map(|e| e.path()));
                }
            } else if meta.is_file()
                && meta.len() < 512 * 1024 * 1024
                && let Ok(bytes) = std::fs::read(&p)
            {
                files += 1;
                assert!(
                    !bytes
                        .windows(self.pattern.len())
                        .any(|w| w == self.pattern.as_slice()),
                    "{when}: the evidence's bytes are in plaintext in {}",
                    p.display()
                );
            }
        }
        assert!(files > 0, "{when}: scanned nothing");
    }
}

/// A valid 1x1 PNG carrying `text` in a tEXt chunk.
pub(crate) fn png_with_text(text: &[u8]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    let mut t = b"Comment\0".to_vec();
    t.extend(text);
    chunk(&mut out, b"tEXt", &t);
    // zlib stream of one scanline: filter 0 + one red pixel.
    chunk(
        &mut out,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x04, 0x00, 0xfb, 0xff, 0x00, 0xff, 0x00, 0x00, 0x03, 0x01, 0x01,
            0x00,
        ],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A one-page PDF that shows `text` (pdf.js tolerates the approximate cross-reference table).
pub(crate) fn pdf_with_text(text: &[u8]) -> Vec<u8> {
    let content = format!(
        "BT /F1 18 Tf 40 700 Td ({}) Tj ET",
        String::from_utf8_lossy(text)
    );
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}
