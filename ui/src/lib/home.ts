// The home screen's lists arrive a page at a time; the coming hearings come grouped by day and
// port, so a further page may continue the last day (and its last port) of the one before.
import type { DayGroup_Serialize as DayGroup } from "./bindings";

export function appendDays(shown: DayGroup[], more: DayGroup[]): DayGroup[] {
  const out = shown.map((d) => ({ ...d, ports: d.ports.map((p) => ({ ...p, lines: [...p.lines] })) }));
  for (const day of more) {
    const last = out[out.length - 1];
    if (!last || last.date !== day.date) {
      out.push({ ...day, ports: day.ports.map((p) => ({ ...p, lines: [...p.lines] })) });
      continue;
    }
    for (const port of day.ports) {
      const same = last.ports.find((p) => p.port === port.port);
      if (same) same.lines.push(...port.lines);
      else last.ports.push({ ...port, lines: [...port.lines] });
    }
  }
  return out;
}

export function lineCount(days: DayGroup[]): number {
  return days.reduce((n, d) => n + d.ports.reduce((m, p) => m + p.lines.length, 0), 0);
}

/** A day's port groups with the volunteer's own port first (the rest keep their order). */
export function portsFirst<G extends { port?: string | null }>(ports: G[], mine: string | null): G[] {
  if (!mine) return ports;
  return [...ports].sort((a, b) => Number(b.port === mine) - Number(a.port === mine));
}
