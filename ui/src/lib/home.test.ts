import { describe, expect, it } from "vitest";
import { appendDays, lineCount, portsFirst } from "./home";
import type { DayGroup_Serialize as DayGroup } from "./bindings";

const line = (id: string) => ({ hearing: { id }, people: [] }) as unknown as DayGroup["ports"][number]["lines"][number];
const day = (date: string, ports: [string | null, string[]][]): DayGroup =>
  ({ date, ports: ports.map(([port, ids]) => ({ port, lines: ids.map(line) })) }) as DayGroup;

describe("home screen pages", () => {
  it("a page that continues the last day joins its day and port", () => {
    const shown = [day("2026-11-23", [["san_ysidro", ["a", "b"]]])];
    const more = [day("2026-11-23", [["san_ysidro", ["c"]], ["laredo", ["d"]]]), day("2026-11-24", [[null, ["e"]]])];
    const all = appendDays(shown, more);
    expect(all.map((d) => d.date)).toEqual(["2026-11-23", "2026-11-24"]);
    expect(all[0].ports.map((p) => [p.port, p.lines.map((l) => l.hearing.id)])).toEqual([
      ["san_ysidro", ["a", "b", "c"]],
      ["laredo", ["d"]],
    ]);
    expect(lineCount(all)).toBe(5);
    expect(lineCount(shown)).toBe(2); // the shown list is not changed in place
  });
});

describe("the volunteer's port", () => {
  it("comes first in each day, the others keep their order", () => {
    const g = (port: string | null) => ({ port, lines: [] });
    const day = [g("san_ysidro"), g("el_paso_pdn"), g("laredo"), g(null)];
    expect(portsFirst(day, "laredo").map((x) => x.port)).toEqual(["laredo", "san_ysidro", "el_paso_pdn", null]);
    expect(portsFirst(day, null)).toBe(day);
  });
});
