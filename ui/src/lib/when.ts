// Dates and times as people type them, read into the forms' stored shapes, and read back in
// words: the entry that cannot go wrong. Dates are typed in the language's order (day first in
// Spanish, month first in English) or as ISO; times on a 24-hour clock, with or without a
// separator ("0930", "9:30", "9.30", "9h30"), or with am/pm.

import type { Lang } from "./i18n";

/** "HH:MM" on a 24-hour clock, or null when the text is not a time. "" stays "". */
export function parseTime(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, "");
  if (t === "") return "";
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?(a\.?m\.?|p\.?m\.?)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const meridiem = m[3]?.[0];
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A full date "YYYY-MM-DD" or, with `partial`, "YYYY-MM" or "YYYY"; null when the text is not
 * a date. "" stays "". Day and month in the language's order: 5/12/2026 is 5 December in
 * Spanish and May 12 in English; ISO ("2026-12-05") and eight digits ("05122026") too. */
export function parseDate(text: string, lang: Lang, partial = false): string | null {
  const t = text.trim();
  if (t === "") return "";
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(t);
  if (m) return fromParts(Number(m[1]), m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null, partial);
  m = /^(\d{1,2})[/.\-\s](\d{4})$/.exec(t);
  if (m) return fromParts(Number(m[2]), Number(m[1]), null, partial);
  m = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (!m) return null;
  const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return lang === "es" ? fromParts(y, b, a, partial) : fromParts(y, a, b, partial);
}

function fromParts(y: number, m: number | null, d: number | null, partial: boolean): string | null {
  if (y < 1900 || y > 2100) return null;
  if (m === null) return partial ? String(y) : null;
  if (m < 1 || m > 12) return null;
  if (d === null) return partial ? `${y}-${pad(m)}` : null;
  return validDay(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** How a stored date is typed back into the field, in the language's order. */
export function dateText(value: string, lang: Lang): string {
  const [y, m, d] = value.split("-");
  if (!y) return "";
  if (!m) return y;
  if (!d) return `${m}/${y}`;
  return lang === "es" ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
}

/** What to type, shown as the field's placeholder. */
export function datePattern(lang: Lang, partial: boolean): string {
  const full = lang === "es" ? "dd/mm/aaaa" : "mm/dd/yyyy";
  return partial ? `${full} · ${lang === "es" ? "mm/aaaa · aaaa" : "mm/yyyy · yyyy"}` : full;
}

/** The zone's offset from UTC, in minutes, at an instant. */
function offsetMinutes(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"));
  return Math.round((wall - at) / 60_000);
}

/** The instant a wall-clock date and time in `zone` names (the later reading when a clock
 * goes back; a time skipped by a clock going forward lands an hour on). */
export function instantOf(date: string, time: string, zone: string): number | null {
  const [y, m, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  if (!y || !m || !d || Number.isNaN(h) || Number.isNaN(mi)) return null;
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let at = wall - offsetMinutes(zone, wall) * 60_000;
  at = wall - offsetMinutes(zone, at) * 60_000;
  return at;
}

/** A date in words: "Tuesday 5 May 2026" / "martes, 5 de mayo de 2026". */
export function dateWords(date: string, lang: Lang): string {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return "";
  return new Intl.DateTimeFormat(lang === "es" ? "es-MX" : "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** "09:30" of an instant on a zone's clock, and that day when it differs from `date`. */
export function clockIn(at: number, zone: string, lang: Lang, date: string): string {
  const f = (opts: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(lang === "es" ? "es-MX" : "en-GB", { timeZone: zone, ...opts }).format(new Date(at));
  const time = f({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  // The day on that clock as YYYY-MM-DD, from the parts (locales differ in how they join them).
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${part("year")}-${part("month")}-${part("day")}`;
  return day === date ? time : `${time} (${f({ weekday: "long", day: "numeric", month: "long" })})`;
}
