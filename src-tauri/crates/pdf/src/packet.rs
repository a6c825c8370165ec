//! A complaint packet from the core's [`PacketDocument`]: exhibits made ready for print (photos
//! re-encoded without their metadata, PDF pages counted), then typeset with the packet
//! template into a [`BuiltPacket`] held in memory.

use amparo_core::packet::{BuiltPacket, ExhibitFile, ExhibitKind, PacketDocument};
use chrono::{Datelike, Timelike};

use crate::{Error, Input, PACKET_TEMPLATE, Stamp, clean_images, pdf_page_count, render};

/// Typesets the packet. Same document (id, time, records, audit head), same PDF, byte for byte.
pub fn build_packet(mut doc: PacketDocument) -> Result<BuiltPacket, Error> {
    let mut files = std::mem::take(&mut doc.files);
    count_pdf_pages(&mut doc.content.exhibits, &mut files);
    clean_photos(&mut doc.content.exhibits, &mut files);
    let data_json = serde_json::to_vec(&doc.content).map_err(|_| Error::Encode)?;
    let now = doc.created;
    let out = render(Input {
        template: PACKET_TEMPLATE,
        data_json,
        files,
        ident: doc.id.clone(),
        created: Stamp {
            year: now.year(),
            month: now.month() as u8,
            day: now.day() as u8,
            hour: now.hour() as u8,
            minute: now.minute() as u8,
            second: now.second() as u8,
        },
    })?;
    Ok(BuiltPacket::from_pdf(&doc, out.pdf, out.pages, out.pdf_a))
}

/// Each PDF exhibit is appended page by page; one Typst cannot read is listed only.
fn count_pdf_pages(exhibits: &mut [ExhibitFile], files: &mut Vec<(String, Vec<u8>)>) {
    for x in exhibits.iter_mut().filter(|x| x.kind == ExhibitKind::Pdf) {
        let Some(i) = files.iter().position(|(name, _)| *name == x.path) else {
            continue;
        };
        match pdf_page_count(&files[i].1).filter(|p| *p > 0) {
            Some(pages) => x.pages = pages,
            None => {
                files.swap_remove(i);
                x.kind = ExhibitKind::Other;
                x.path.clear();
            }
        }
    }
}

/// Re-encodes every photo exhibit without its metadata, on all cores; a photo that cannot be
/// decoded stays in the index (with its hash) but is not reproduced.
fn clean_photos(exhibits: &mut [ExhibitFile], files: &mut Vec<(String, Vec<u8>)>) {
    let photo_paths: Vec<String> = exhibits
        .iter()
        .filter(|x| x.kind == ExhibitKind::Image)
        .map(|x| x.path.clone())
        .collect();
    let mut raw = Vec::new();
    for p in &photo_paths {
        if let Some(i) = files.iter().position(|(name, _)| name == p) {
            raw.push(files.swap_remove(i).1);
        }
    }
    let cleaned = clean_images(raw);
    for (path, c) in photo_paths.into_iter().zip(cleaned) {
        let Some(x) = exhibits.iter_mut().find(|x| x.path == path) else {
            continue;
        };
        match c {
            Some((bytes, ext)) => {
                // The extension follows what was written (JPEG stays JPEG, the rest is PNG).
                if let Some((stem, _)) = path.rsplit_once('.') {
                    x.path = format!("{stem}.{ext}");
                }
                files.push((x.path.clone(), bytes));
            }
            None => {
                x.kind = ExhibitKind::Other;
                x.path.clear();
            }
        }
    }
}

impl From<Error> for amparo_core::Error {
    fn from(e: Error) -> Self {
        amparo_core::Error::Document(e.code())
    }
}
