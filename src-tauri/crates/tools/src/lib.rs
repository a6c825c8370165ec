//! Developer tools on Amparo's core, for the `amparo` CLI: `demo` fills a vault with
//! deterministic synthetic clients (`amparo seed`), `bench` times the interactive operations on
//! a vault and on a plain copy of it (`amparo bench`). Both need the core's `tools` feature,
//! which the app never enables.

pub mod bench;
pub mod demo;
