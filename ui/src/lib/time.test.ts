import { describe, expect, it } from "vitest";
import { clock, daysBetween, joinLocal, longDate, splitLocal, zoneCity } from "./time";

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
