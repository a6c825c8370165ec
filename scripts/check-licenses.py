#!/usr/bin/env python3
"""Checks that every dependency's licence lets Amparo be distributed under AGPL-3.0-or-later.

Reads the Rust dependency graph from `cargo metadata` and the UI's shipped (non-dev) npm
packages from `npm ls`, evaluates each SPDX expression (OR: one allowed choice is enough;
AND: every part must be allowed; WITH: an exception that only adds permissions), and fails
naming any package whose licence is unknown or not on the list. Run by scripts/test.sh.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

# Licences that may be combined into an AGPL-3.0-or-later work (FSF's list of GPLv3-compatible
# licences; OFL-1.1 covers fonts embedded as data).
ALLOWED = {
    "0BSD", "AGPL-3.0-or-later", "AGPL-3.0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause",
    "BSL-1.0", "CC0-1.0", "GPL-3.0-or-later", "ISC", "LGPL-2.1-or-later", "LGPL-3.0-or-later",
    "MIT", "MIT-0", "MPL-2.0", "OFL-1.1", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "Zlib",
}
EXCEPTIONS = {"LLVM-exception"}
# Packages that state their licence only as a file; read and recorded here.
LICENCE_FILES = {"ical": "Apache-2.0"}


def allowed(expr: str) -> bool:
    """Evaluates an SPDX expression ('/' is the old spelling of OR)."""
    tokens = re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expr.replace("/", " OR "))
    pos = 0

    def parse_or() -> bool:
        nonlocal pos
        ok = parse_and()
        while pos < len(tokens) and tokens[pos] == "OR":
            pos += 1
            ok = parse_and() or ok
        return ok

    def parse_and() -> bool:
        nonlocal pos
        ok = parse_term()
        while pos < len(tokens) and tokens[pos] == "AND":
            pos += 1
            ok = parse_term() and ok
        return ok

    def parse_term() -> bool:
        nonlocal pos
        if pos >= len(tokens):
            return False
        if tokens[pos] == "(":
            pos += 1
            ok = parse_or()
            pos += 1  # ")"
            return ok
        lic = tokens[pos]
        pos += 1
        if pos < len(tokens) and tokens[pos] == "WITH":
            exception = tokens[pos + 1]
            pos += 2
            return lic in ALLOWED and exception in EXCEPTIONS
        return lic in ALLOWED

    ok = parse_or()
    return ok and pos == len(tokens)


def rust_packages(root: Path):
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout
    for p in json.loads(out)["packages"]:
        yield f"{p['name']} {p['version']} (crate)", p.get("license") or LICENCE_FILES.get(p["name"])


def npm_packages(root: Path):
    ui = root / "ui"
    out = subprocess.run(
        ["npm", "ls", "--omit=dev", "--all", "--parseable"],
        cwd=ui, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines()[1:]:
        meta = json.loads((Path(line) / "package.json").read_text())
        lic = meta.get("license")
        if isinstance(lic, dict):
            lic = lic.get("type")
        yield f"{meta['name']} {meta.get('version', '?')} (npm)", lic


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    bad, seen = [], 0
    for name, lic in [*rust_packages(root), *npm_packages(root)]:
        seen += 1
        if not lic or not allowed(lic):
            bad.append(f"{name}: {lic or 'no licence stated'}")
    if bad:
        print("licences not known to be compatible with AGPL-3.0-or-later:", file=sys.stderr)
        print("\n".join(f"  {b}" for b in sorted(bad)), file=sys.stderr)
        return 1
    print(f"licences: {seen} packages, all compatible with AGPL-3.0-or-later")
    return 0


if __name__ == "__main__":
    assert allowed("MIT OR Apache-2.0") and allowed("(MIT OR Apache-2.0) AND Unicode-3.0")
    assert allowed("Apache-2.0 WITH LLVM-exception OR MIT") and allowed("MIT/Apache-2.0")
    assert not allowed("MIT AND SSPL-1.0") and not allowed("BUSL-1.1") and not allowed("")
    sys.exit(main())
