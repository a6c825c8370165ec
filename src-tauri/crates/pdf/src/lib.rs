//! Amparo's typesetter: turns a document's data (the core's types, read by the template as
//! JSON) and its exhibit files into a PDF, entirely
//! in memory and offline, with Typst embedded as a library and its bundled fonts (no system
//! fonts are read, nothing is written to disk, no package is ever fetched).
//!
//! The templates never splice case text into Typst markup: they read the data with `json()`
//! and place each string as text, so a narrative containing `#import` or `<script>` is printed
//! as written and never evaluated.

mod packet;

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use packet::build_packet;

/// The complaint-packet template.
pub const PACKET_TEMPLATE: &str = include_str!("packet.typ");

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The template could not be typeset (a bug in the template or data it did not expect).
    /// Carries Typst's messages, which name template lines, never case text.
    #[error("typesetting failed: {0}")]
    Typeset(String),
    /// The PDF writer refused the document.
    #[error("PDF export failed: {0}")]
    Export(String),
    /// A file name the template cannot address.
    #[error("bad file name")]
    BadName,
    /// The document's data could not be encoded for the template.
    #[error("document data could not be encoded")]
    Encode,
}

impl Error {
    /// Stable code for the UI and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Typeset(_) => "pdf_typeset",
            Error::Export(_) => "pdf_export",
            Error::BadName => "pdf_bad_name",
            Error::Encode => "pdf_encode",
        }
    }
}

/// A date and time in UTC, for the PDF's metadata and `datetime.today()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// Everything one PDF is made from.
pub struct Input<'a> {
    /// Typst source of the template (e.g. [`PACKET_TEMPLATE`]).
    pub template: &'a str,
    /// The document's data, read by the template as `json("/data.json")`.
    pub data_json: Vec<u8>,
    /// Further files the template may read (exhibits), by names such as `exhibit-1.png`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Stable identifier of the document (e.g. the packet id): same input, same PDF.
    pub ident: String,
    pub created: Stamp,
}

/// What came out.
pub struct Output {
    pub pdf: Vec<u8>,
    /// Whether the file conforms to PDF/A-2b. Some exhibit PDFs cannot be carried into an
    /// archival file; the packet is then written as plain PDF 1.7 rather than not at all.
    pub pdf_a: bool,
    pub pages: usize,
}

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The fonts the templates set (Libertinus Serif for text, DejaVu Sans Mono for hashes), copied
/// from typst-assets with their licences in `fonts/NOTICE`. Only these ship: the whole
/// typst-assets set would add 8 MB (New Computer Modern, its math fonts) that no template uses.
const FONTS: [&[u8]; 6] = [
    include_bytes!("../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../fonts/LibertinusSerif-Semibold.otf"),
    include_bytes!("../fonts/DejaVuSansMono.ttf"),
];

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(name: &str) -> Result<FileId, Error> {
    let path = VirtualPath::new(format!("/{name}")).map_err(|_| Error::BadName)?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

struct MemoryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Names the template may use for files: short, ASCII, no separators.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        && !name.starts_with('.')
}

/// Typesets the input and writes the PDF.
pub fn render(input: Input<'_>) -> Result<Output, Error> {
    let main = Source::new(file_id("main.typ")?, input.template.to_owned());
    let mut files = HashMap::new();
    files.insert(file_id("data.json")?, Bytes::new(input.data_json));
    for (name, bytes) in input.files {
        if !valid_name(&name) || name == "data.json" || name == "main.typ" {
            return Err(Error::BadName);
        }
        files.insert(file_id(&name)?, Bytes::new(bytes));
    }
    let s = input.created;
    let stamp = Datetime::from_ymd_hms(s.year, s.month, s.day, s.hour, s.minute, s.second);
    let world = MemoryWorld {
        main,
        files,
        today: Datetime::from_ymd(s.year, s.month, s.day),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|diags| {
        Error::Typeset(
            diags
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let pages = document.pages().len();
    let options = |standards: PdfStandards| PdfOptions {
        ident: Smart::Custom(input.ident.clone()),
        creator: Smart::Custom(Some("Amparo".to_owned())),
        timestamp: stamp.map(Timestamp::new_utc),
        standards,
        ..PdfOptions::default()
    };
    let archival = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| Error::Export(e.message().to_string()))?;
    let result = match typst_pdf::pdf(&document, &options(archival)) {
        Ok(pdf) => Ok(Output {
            pdf,
            pdf_a: true,
            pages,
        }),
        Err(_) => typst_pdf::pdf(&document, &options(PdfStandards::default()))
            .map(|pdf| Output {
                pdf,
                pdf_a: false,
                pages,
            })
            .map_err(|diags| {
                Error::Export(
                    diags
                        .iter()
                        .map(|d| d.message.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            }),
    };
    // Typst memoises layouts across calls; a long-running app must not keep old packets'
    // text in that cache.
    typst::comemo::evict(0);
    result
}

/// The longest side of a photo exhibit as embedded: 8 inches at 300 dpi, the printable
/// width of a letter page.
pub const MAX_IMAGE_SIDE: u32 = 2400;

/// Decodes a photo exhibit and encodes it again, upright, without its metadata (EXIF GPS
/// position, camera serial, owner name) and no larger than [`MAX_IMAGE_SIDE`]. Returns the new
/// bytes and their extension, or `None` if the file is not an image this build can read.
/// The exhibit index still prints the SHA-256 of the file as stored.
pub fn clean_image(bytes: &[u8]) -> Option<(Vec<u8>, &'static str)> {
    use image::{ImageDecoder, ImageFormat, ImageReader};
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let format = reader.format()?;
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).ok()?;
    img.apply_orientation(orientation);
    if img.width().max(img.height()) > MAX_IMAGE_SIDE {
        // Area averaging: 4x faster than a triangle filter on a 12-megapixel photo and as
        // good for shrinking.
        img = img.thumbnail(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    let ext = if format == ImageFormat::Jpeg {
        let rgb = img.to_rgb8();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
            .encode_image(&rgb)
            .ok()?;
        "jpg"
    } else {
        img.write_to(&mut out, ImageFormat::Png).ok()?;
        "png"
    };
    Some((out.into_inner(), ext))
}

/// [`clean_image`] over many photos at once, on every core (the slow part of a packet with
/// many exhibits). Same order as given.
pub fn clean_images(photos: Vec<Vec<u8>>) -> Vec<Option<(Vec<u8>, &'static str)>> {
    let threads = std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(1)
        .min(photos.len().max(1));
    let mut slots: Vec<Option<(Vec<u8>, &'static str)>> = (0..photos.len()).map(|_| None).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(bytes) = photos.get(i) else { break };
                    let cleaned = clean_image(bytes);
                    done.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((i, cleaned));
                }
            });
        }
    });
    for (i, c) in done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        slots[i] = c;
    }
    slots
}

/// Pages in a PDF exhibit, or `None` if the file is not a PDF Typst can read.
pub fn pdf_page_count(bytes: &[u8]) -> Option<usize> {
    hayro_syntax::Pdf::new(bytes.to_vec())
        .ok()
        .map(|d| d.pages().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAMP: Stamp = Stamp {
        year: 2026,
        month: 11,
        day: 22,
        hour: 10,
        minute: 0,
        second: 0,
    };

    #[test]
    fn a_tiny_document_renders_deterministically() {
        let make = || Input {
            template: "#let d = json(\"/data.json\")\n#d.at(\"text\")",
            data_json: r##"{"text": "Ciudad Juárez #import \"x\": * <script>"}"##
                .as_bytes()
                .to_vec(),
            files: vec![],
            ident: "t1".into(),
            created: STAMP,
        };
        let a = render(make()).expect("renders");
        let b = render(make()).expect("renders");
        assert!(a.pdf.starts_with(b"%PDF-"));
        assert_eq!(a.pdf, b.pdf, "same input, same bytes");
        assert!(a.pdf_a);
        assert_eq!(a.pages, 1);
    }

    #[test]
    fn names_outside_the_flat_namespace_are_refused() {
        for bad in ["../x.png", "a/b.png", "", ".hidden", "x y.png"] {
            let r = render(Input {
                template: "x",
                data_json: b"{}".to_vec(),
                files: vec![(bad.to_owned(), vec![1])],
                ident: "t".into(),
                created: STAMP,
            });
            assert!(matches!(r, Err(Error::BadName)), "{bad:?}");
        }
    }

    #[test]
    fn template_errors_are_typed() {
        let r = render(Input {
            template: "#let x = (",
            data_json: b"{}".to_vec(),
            files: vec![],
            ident: "t".into(),
            created: STAMP,
        });
        assert!(matches!(r, Err(Error::Typeset(_))));
    }
}
