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

/** An instant (RFC 3339) as a date and a 24-hour time in the UI language, on this laptop's
 * clock: "26 Nov 2026, 23:41" / "26 nov 2026, 23:41". */
export function dateTime(iso: string, lang: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "es" ? "es-MX" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(when);
}

/** A zone's everyday name in the UI language ("Pacific Time", "hora del Pacífico"), or its
 * city when the platform has no such name. */
export function zoneName(zone: string, lang: string): string {
  try {
    const parts = new Intl.DateTimeFormat(lang === "es" ? "es-MX" : "en-US", {
      timeZone: zone,
      timeZoneName: "longGeneric",
    }).formatToParts(new Date());
    return parts.find((p) => p.type === "timeZoneName")?.value ?? zoneCity(zone);
  } catch {
    return zoneCity(zone);
  }
}

type UnknownDateKey = "timeline.date_unknown" | "timeline.date_unknown_after" | "timeline.date_unknown_before" | "timeline.date_unknown_between";

/** An incident's date that no one knows, with what bounds it: "Between March 2019 and
 * July 2019", "After March 2019", or "Date unknown". */
export function unknownDate(
  t: (key: UnknownDateKey, vars?: Record<string, string | number>) => string,
  inc: { date_after?: string | null; date_before?: string | null },
  lang: string,
): string {
  const after = inc.date_after ? longDate(inc.date_after, lang) : null;
  const before = inc.date_before ? longDate(inc.date_before, lang) : null;
  if (after && before) return t("timeline.date_unknown_between", { after, before });
  if (after) return t("timeline.date_unknown_after", { after });
  if (before) return t("timeline.date_unknown_before", { before });
  return t("timeline.date_unknown");
}

/** An age as people say it: "under 1 year" for a baby, "1 year", "7 years". */
export function ageText(t: (key: "client.age" | "client.age_baby", vars?: Record<string, string | number>) => string, age: number): string {
  return age < 1 ? t("client.age_baby") : t("client.age", { count: age, age });
}

/** Where someone stays: the kind and the place's name, without saying the kind twice
 * ("Shelter" + "Shelter Buen Pastor" → "Shelter Buen Pastor"). */
export function lodgingText(kind: string, detail: string): string {
  const d = detail.trim();
  if (!kind) return d || "—";
  if (!d) return kind;
  const fold = (x: string) => x.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  return fold(d).startsWith(fold(kind)) ? d : `${kind} ${d}`;
}
