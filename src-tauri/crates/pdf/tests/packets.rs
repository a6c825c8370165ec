//! Complaint packets as PDF, from a real vault through the core's document to the typesetter:
//! the facts reach the PDF (read back by an independent tool, poppler's pdftotext),
//! pseudonymised packets carry no real identifier anywhere in the file's bytes (streams
//! decompressed), the consent gate holds in print, and exhibit hashes match the vault.

use std::io::Read;
use std::process::Command;

use amparo_core::codes::*;
use amparo_core::packet::labels::DocLang;
use amparo_core::packet::*;
use amparo_core::records::PersonRef;
use amparo_core::{Error, Vault};
use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};

#[path = "../../core/tests/support/packet_case.rs"]
mod packet_case;

#[path = "scrub/corpus.rs"]
mod corpus;
use packet_case::{Case, request};

fn case() -> Case {
    packet_case::case(photo_with_comment(
        "GPS 32.5149,-117.0382 phone of Marisela Quintanilla",
    ))
}

/// A JPEG whose comment segment carries `secret` (metadata a packet must not carry along).
fn photo_with_comment(secret: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .expect("jpeg");
    let mut com = vec![0xFF, 0xFE];
    let len = (secret.len() + 2) as u16;
    com.extend_from_slice(&len.to_be_bytes());
    com.extend_from_slice(secret.as_bytes());
    let mut out = jpeg[..2].to_vec();
    out.extend(com);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// What the app and the CLI do: the core gathers the document, this crate typesets it.
fn build(v: &Vault, req: &PacketRequest) -> Result<BuiltPacket, Error> {
    Ok(amparo_pdf::build_packet(v.packet_document(req, now())?)?)
}

fn build_as(v: &Vault, req: &PacketRequest, id: &str) -> Result<BuiltPacket, Error> {
    Ok(amparo_pdf::build_packet(v.packet_document_as(
        req,
        now(),
        id,
    )?)?)
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 15, 30, 0)
        .single()
        .expect("time")
}

/// The text an independent reader (poppler) finds in the PDF.
fn pdftotext(pdf: &[u8]) -> String {
    if let Some(d) = std::env::var_os("AMPARO_PACKET_DUMP") {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let _ = std::fs::write(std::path::Path::new(&d).join(format!("{n}.pdf")), pdf);
    }
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup-debian.sh");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).expect("utf8")
}

/// The file's bytes plus every stream inflated: what anyone holding the file can read.
fn all_bytes(pdf: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let mut i = 0;
    let mut streams = 0;
    while let Some(p) = find(&pdf[i..], b"stream") {
        let start = i + p + b"stream".len();
        i = start;
        if pdf[..start].ends_with(b"endstream") {
            continue;
        }
        let body_start = match &pdf[start..] {
            [b'\r', b'\n', ..] => start + 2,
            [b'\n', ..] => start + 1,
            _ => continue,
        };
        let Some(end) = find(&pdf[body_start..], b"endstream") else {
            break;
        };
        let body = &pdf[body_start..body_start + end];
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(body)
            .read_to_end(&mut inflated)
            .is_ok()
        {
            streams += 1;
            out.extend(inflated);
        }
        i = body_start + end;
    }
    assert!(streams > 3, "the PDF has compressed streams to look into");
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// Text without whitespace or hyphens: a line may break between any two words, and
/// pdftotext joins a word broken after a hyphen ("A-" / "number") without it.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

#[test]
fn an_identified_packet_carries_the_facts() {
    let c = case();
    let built = build(&c.v, &request(&c, Profile::Identified, DocLang::En)).expect("build");
    assert!(built.pdf.starts_with(b"%PDF-"));
    assert!(built.pdf_a, "PDF/A-2b");
    let text = pdftotext(&built.pdf);
    for fact in [
        "Marisela Quintanilla Obregón",
        "A-201-234-567",
        "14 July 1991",
        "Ciudad Juárez, Chihuahua",
        "Kidnapping",
        "Extortion",
        "Physical assault",
        "14 March 2026",
        "April 2026",
        "Removal ordered in absentia",
        "Clínica Fronteriza",
        "Lic. Ana Ruiz",
        "Office of Inspector General",
        "Office for Civil Rights and Civil Liberties",
        "CBP",
        "USCIS",
        "ICE",
    ] {
        // Compared without whitespace: a line may break between any two words.
        assert!(
            squash(&text).contains(&squash(fact)),
            "{fact:?} missing from the packet text"
        );
    }
    // A month-only date is never shown as a day.
    assert!(!text.contains("1 April 2026"));
    // The exhibit hash printed is the SHA-256 of the stored attachment.
    let stored = c.v.attachment_bytes(&c.photo).expect("bytes");
    assert_eq!(hex::encode(Sha256::digest(&stored)), c.photo_sha);
    assert!(squash(&text).contains(&c.photo_sha), "exhibit hash printed");
    // The child's consent does not cover DHS: named by pseudonym, never by name.
    assert!(!text.contains("Dilcia"));
    let child = built
        .people
        .iter()
        .find(|p| p.person == PersonRef::FamilyMember(c.child.clone()))
        .expect("child in plan");
    assert_eq!(child.treatment, Treatment::Pseudonymised);
    assert!(
        squash(&text).contains(&child.pseudonym),
        "pseudonym printed"
    );
    // Footer: packet id and page numbers on every page.
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    assert_eq!(pages as u32, built.pages);
    assert!(text.matches(&built.id).count() as u32 >= built.pages);
}

#[test]
fn the_spanish_copy_is_spanish() {
    let c = case();
    let built = build(&c.v, &request(&c, Profile::Identified, DocLang::Es)).expect("build");
    let text = pdftotext(&built.pdf);
    for fact in [
        "Secuestro",
        "14 de marzo de 2026",
        "abril de 2026",
        "Solicitamos respetuosamente",
        "Ciudad Juárez",
    ] {
        assert!(
            text.contains(fact),
            "{fact:?} missing from the Spanish copy"
        );
    }
}

#[test]
fn a_pseudonymised_packet_holds_no_real_identifier_anywhere() {
    let c = case();
    let built = build(&c.v, &request(&c, Profile::Pseudonymised, DocLang::En)).expect("build");
    let bytes = all_bytes(&built.pdf);
    let text = pdftotext(&built.pdf);
    for secret in [
        "Marisela",
        "Quintanilla",
        "Obregón",
        "Obregon",
        "Dilcia",
        "201234567",
        "201-234-567",
        "1991-07-14",
        "14 July 1991",
        "2021-02-03",
        "555 0199",
        "5550199",
        "32.5149",
    ] {
        assert!(!text.contains(secret), "{secret:?} in the extracted text");
        assert!(
            !squash(&text).contains(&squash(secret)),
            "{secret:?} in the extracted text, across a line"
        );
        assert!(
            find(&bytes, secret.as_bytes()).is_none(),
            "{secret:?} in the file's bytes"
        );
        assert!(
            find(&bytes, &utf16be(secret)).is_none(),
            "{secret:?} (UTF-16) in the file's bytes"
        );
    }
    // The facts are still there, under pseudonyms.
    assert!(squash(&text).contains(&squash("Ciudad Juárez")));
    assert!(text.contains("Kidnapping"));
    assert!(text.contains('*'));
    assert!(squash(&text).contains(&squash("[A-number withheld]")));
    assert!(squash(&text).contains(&c.photo_sha));
}

#[test]
fn consent_is_never_overridden_without_a_written_reason() {
    let c = case();
    let mut req = request(&c, Profile::Identified, DocLang::En);
    req.choices = vec![PersonChoice {
        person: PersonRef::FamilyMember(c.child.clone()),
        treatment: Treatment::Identified,
        override_reason: "  ".into(),
    }];
    match build(&c.v, &req).expect_err("no reason") {
        Error::Validation(f) => assert_eq!(f[0].code.code(), "override_reason_required"),
        e => panic!("unexpected {e:?}"),
    }
    // A pseudonymised packet identifies no one, whatever was chosen.
    let mut pseudo = req.clone();
    pseudo.profile = Profile::Pseudonymised;
    pseudo.choices[0].override_reason = "Her mother asked, for the reunification case.".into();
    let plan = c.v.packet_plan(&pseudo).expect("plan");
    assert!(
        plan.people
            .iter()
            .all(|p| p.treatment == Treatment::Pseudonymised)
    );

    req.choices[0].override_reason = "Her mother asked, for the reunification case.".into();
    let built = build(&c.v, &req).expect("build");
    assert!(squash(&pdftotext(&built.pdf)).contains("DilciaQuintanilla"));
    // (That the reason is logged with the packet is the core's test.)

    // Leaving the child out: no name, no pseudonym.
    req.choices[0].treatment = Treatment::Omitted;
    let built = build(&c.v, &req).expect("build");
    let text = pdftotext(&built.pdf);
    assert!(!text.contains("Dilcia"));
    assert!(text.contains("[name withheld]"));
    // The client cannot be "left out" of their own packet.
    req.choices = vec![PersonChoice {
        person: PersonRef::Client(c.client.clone()),
        treatment: Treatment::Omitted,
        override_reason: String::new(),
    }];
    assert!(matches!(build(&c.v, &req), Err(Error::Validation(_))));
}

#[test]
fn a_confidential_packet_says_so_on_its_face() {
    let c = case();
    let built = build(&c.v, &request(&c, Profile::Confidential, DocLang::En)).expect("build");
    assert!(pdftotext(&built.pdf).contains("CONFIDENTIAL COMPLAINT"));
}

#[test]
fn same_inputs_same_pdf_and_foreign_records_refused() {
    let c = case();
    let req = request(&c, Profile::Identified, DocLang::En);
    let a = build_as(&c.v, &req, "p-fixed").expect("a");
    let b = build_as(&c.v, &req, "p-fixed").expect("b");
    assert_eq!(a.pdf, b.pdf, "deterministic");
    // The photo went in re-encoded: its comment (GPS, a name) is not in the file.
    assert!(find(&all_bytes(&a.pdf), b"32.5149").is_none());

    let mut other = req.clone();
    other.clients[0].incident_ids.push("not-an-incident".into());
    assert!(matches!(build(&c.v, &other), Err(Error::NotFound)));
    let mut none = req.clone();
    none.requests.clear();
    assert!(matches!(build(&c.v, &none), Err(Error::Validation(_))));
}

#[test]
fn markup_in_case_text_is_printed_not_run_and_pdf_exhibits_come_page_by_page() {
    let mut c = case();
    let hostile = "#panic(\"boom\") $x^2$ <script>alert(1)</script> #import \"/data.json\" *bold*";
    let mut input = c.v.incident(&c.incidents[1]).expect("incident").input;
    input.narrative = hostile.into();
    c.v.save_incident(Some(&c.incidents[1]), &input)
        .expect("save");
    // A two-page PDF exhibit (made by the same typesetter, with its own text).
    let exhibit = amparo_pdf::render(amparo_pdf::Input {
        template: "Informe médico, hoja uno\n#pagebreak()\nHoja dos",
        data_json: b"{}".to_vec(),
        files: vec![],
        ident: "exhibit".into(),
        created: amparo_pdf::Stamp {
            year: 2026,
            month: 1,
            day: 2,
            hour: 3,
            minute: 4,
            second: 5,
        },
    })
    .expect("exhibit pdf");
    assert_eq!(exhibit.pages, 2);
    let pdf =
        c.v.attach(
            AttachmentOwner::Incident,
            &c.incidents[1],
            "informe.pdf",
            &exhibit.pdf,
        )
        .expect("attach");
    let base = build(&c.v, &request(&c, Profile::Identified, DocLang::En)).expect("without");
    let mut req = request(&c, Profile::Identified, DocLang::En);
    req.clients[0].exhibit_ids.push(pdf.id.clone());
    let with = build(&c.v, &req).expect("with the PDF exhibit");
    assert_eq!(
        with.pages,
        base.pages + 2,
        "each exhibit page on its own page"
    );
    let text = pdftotext(&with.pdf);
    assert!(
        squash(&text).contains(&squash(hostile)),
        "printed as written"
    );
    assert!(squash(&text).contains(&pdf.sha256));
}
