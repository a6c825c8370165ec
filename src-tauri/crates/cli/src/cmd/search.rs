//! `amparo search`.

use amparo_core::Error;

use super::Ctx;
use crate::io::{print_json, repeat};

pub fn search(ctx: &Ctx, query: &str, n: u32) -> Result<(), Error> {
    ctx.with_vault(|v| {
        let found = repeat("search", n, || v.search(query))?;
        print_json(&found)
    })
}
