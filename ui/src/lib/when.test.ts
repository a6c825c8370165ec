import { describe, expect, it } from "vitest";
import { clockIn, dateText, instantOf, parseDate, parseTime } from "./when";

describe("times as people type them", () => {
  it("reads 0930, 9:30, 9.30, 9h30 and am/pm as the same 24-hour time", () => {
    for (const t of ["0930", "930", "9:30", "9.30", "9h30", "09:30", " 9:30 ", "9:30 am", "9.30 a.m."]) {
      expect(parseTime(t), t).toBe("09:30");
    }
    expect(parseTime("21")).toBe("21:00");
    expect(parseTime("9:30 pm")).toBe("21:30");
    expect(parseTime("12:05 am")).toBe("00:05");
    expect(parseTime("")).toBe("");
  });
  it("refuses what is not a time instead of storing midnight", () => {
    for (const t of ["24:00", "9:60", "13 pm", "930x", "nueve", "1:2"]) expect(parseTime(t), t).toBeNull();
  });
});

describe("dates in the language's order", () => {
  it("reads day first in Spanish and month first in English, ISO and eight digits in both", () => {
    expect(parseDate("5/12/2026", "es")).toBe("2026-12-05");
    expect(parseDate("5/12/2026", "en")).toBe("2026-05-12");
    expect(parseDate("12052026", "es")).toBe("2026-05-12");
    expect(parseDate("12052026", "en")).toBe("2026-12-05");
    expect(parseDate("2026-12-05", "es")).toBe("2026-12-05");
    expect(parseDate("05.12.2026", "es")).toBe("2026-12-05");
  });
  it("takes a year or a month and year where the field allows it", () => {
    expect(parseDate("2021", "es", true)).toBe("2021");
    expect(parseDate("05/2021", "es", true)).toBe("2021-05");
    expect(parseDate("2021-05", "en", true)).toBe("2021-05");
    expect(parseDate("2021", "es")).toBeNull();
  });
  it("refuses impossible dates", () => {
    for (const t of ["31/02/2026", "13/13/2026", "0/1/2026", "1/1/26", "mañana"]) expect(parseDate(t, "es"), t).toBeNull();
  });
  it("types a stored date back in the same order", () => {
    expect(dateText("2026-12-05", "es")).toBe("05/12/2026");
    expect(dateText("2026-12-05", "en")).toBe("12/05/2026");
    expect(dateText("2021-05", "es")).toBe("05/2021");
    expect(parseDate(dateText("2026-12-05", "en"), "en")).toBe("2026-12-05");
  });
});

describe("a court's time on the clinic's clock", () => {
  it("08:00 at a Central-time court is 06:00 in Tijuana, across the DST change too", () => {
    const at = instantOf("2026-11-25", "08:00", "America/Chicago");
    expect(at).not.toBeNull();
    expect(clockIn(at!, "America/Tijuana", "en", "2026-11-25")).toBe("06:00");
    const summer = instantOf("2026-07-01", "08:00", "America/Chicago");
    expect(clockIn(summer!, "America/Tijuana", "en", "2026-07-01")).toBe("06:00");
    // Before dawn at the port, the day before on another clock is said.
    const early = instantOf("2026-11-25", "00:30", "America/Chicago");
    expect(clockIn(early!, "America/Tijuana", "en", "2026-11-25")).toMatch(/^22:30 \(/);
  });
});
