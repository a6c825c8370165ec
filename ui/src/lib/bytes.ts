// Moving file bytes between the page and the core without touching the disk.

/** Base64 of a byte array, in chunks (a 50 MB file would overflow a single apply call). */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(out);
}

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** "1.5 MB", "820 KB", "12 B". */
export function humanSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** Splits a search snippet on the core's match marks (\u0002 … \u0003) for plain-text display. */
export function snippetParts(s: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let hit = false;
  let buf = "";
  for (const ch of s) {
    if (ch === "\u0002" || ch === "\u0003") {
      if (buf) parts.push({ text: buf, hit });
      buf = "";
      hit = ch === "\u0002";
    } else buf += ch;
  }
  if (buf) parts.push({ text: buf, hit });
  return parts;
}
