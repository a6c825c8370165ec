// Showing zoned times and dates the way a volunteer reads them.
import type { ZonedTime } from "./bindings";

/** "2026-11-23T08:30" + "PST" → "08:30 PST". */
export function clock(z: ZonedTime | null | undefined): string {
  if (!z) return "—";
  return `${z.local.slice(11, 16)} ${z.abbrev}`;
}

/** The zone's city, readable: "America/Ciudad_Juarez" → "Ciudad Juarez". */
export function zoneCity(zone: string): string {
  const last = zone.split("/").pop() ?? zone;
  return last.replace(/_/g, " ");
}

/** A full or partial date ("2026-11-23", "2026-11", "2026") in the UI language. */
export function longDate(date: string, lang: string): string {
  const [y, m, d] = date.split("-").map(Number);
  if (!y) return date;
  const when = new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1, 12));
  const opts: Intl.DateTimeFormatOptions = d
    ? { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }
    : m
      ? { month: "long", year: "numeric", timeZone: "UTC" }
      : { year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(lang, opts).format(when);
}

/** Splits "YYYY-MM-DDTHH:MM" for a date input and a time input, and joins them back. */
export function splitLocal(local: string | null | undefined): { date: string; time: string } {
  if (!local) return { date: "", time: "" };
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}

export function joinLocal(date: string, time: string): string | null {
  if (!date && !time) return null;
  return `${date}T${time}`;
}

/** Whole days from `today` (YYYY-MM-DD) to `deadline` (YYYY-MM-DD). */
export function daysBetween(today: string, deadline: string): number {
  const a = Date.parse(`${today}T00:00:00Z`);
  const b = Date.parse(`${deadline}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}
