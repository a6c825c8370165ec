import { describe, expect, it } from "vitest";
import { clock, daysBetween, joinLocal, longDate, splitLocal, unknownDate, zoneCity } from "./time";
import en from "../locales/en.json";
import es from "../locales/es.json";

describe("time display", () => {
  it("shows a zoned time with its abbreviation", () => {
    expect(clock({ local: "2026-11-23T08:30", zone: "America/Los_Angeles", abbrev: "PST" })).toBe("08:30 PST");
    expect(clock(null)).toBe("—");
  });
  it("names zones by their city", () => {
    expect(zoneCity("America/Ciudad_Juarez")).toBe("Ciudad Juarez");
  });
  it("formats full and partial dates in both languages", () => {
    expect(longDate("2026-11-23", "en")).toContain("November");
    expect(longDate("2026-11-23", "es")).toContain("noviembre");
    expect(longDate("2026-11", "es")).toContain("2026");
  });
  it("shows a month-only date as a month, never as a day", () => {
    expect(longDate("2019-11", "en")).toBe("November 2019");
    expect(longDate("2019-11", "es")).toBe("noviembre de 2019");
    expect(longDate("2019", "en")).toBe("2019");
  });
  it("says an unknown date with whatever bounds it, in both languages", () => {
    const fill = (cat: Record<string, string>) => (k: string, v: Record<string, string | number> = {}) =>
      cat[k].replace(/\{\{(\w+)\}\}/g, (_, n) => String(v[n]));
    expect(unknownDate(fill(en), { date_after: "2019-03", date_before: "2019-07" }, "en")).toBe("Between March 2019 and July 2019");
    expect(unknownDate(fill(es), { date_after: "2019-03", date_before: null }, "es")).toBe("Después de marzo de 2019");
    expect(unknownDate(fill(en), { date_after: null, date_before: "2020" }, "en")).toBe("Before 2020");
    expect(unknownDate(fill(es), {}, "es")).toBe("Fecha desconocida");
  });
  it("splits and joins date and time inputs", () => {
    expect(splitLocal("2026-11-23T08:30")).toEqual({ date: "2026-11-23", time: "08:30" });
    expect(joinLocal("2026-11-23", "08:30")).toBe("2026-11-23T08:30");
    expect(joinLocal("", "")).toBeNull();
  });
  it("counts days to a deadline across a leap day", () => {
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-11-21", "2027-05-10")).toBe(170);
  });
});
