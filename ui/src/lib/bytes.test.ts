import { describe, expect, it } from "vitest";
import { fromBase64, humanSize, snippetParts, toBase64 } from "./bytes";

describe("bytes", () => {
  it("round-trips base64 across chunk boundaries", () => {
    const big = new Uint8Array(0x8000 * 2 + 17).map((_, i) => (i * 31) % 256);
    expect(fromBase64(toBase64(big))).toEqual(big);
  });
  it("shows sizes", () => {
    expect(humanSize(12)).toBe("12 B");
    expect(humanSize(820 * 1024)).toBe("820 KB");
    expect(humanSize(1.5 * 1024 * 1024)).toBe("1.5 MB");
  });
  it("splits snippets into plain text and hits, never HTML", () => {
    expect(snippetParts("a \u0002<b>Juárez</b>\u0003 z")).toEqual([
      { text: "a ", hit: false },
      { text: "<b>Juárez</b>", hit: true },
      { text: " z", hit: false },
    ]);
  });
});
