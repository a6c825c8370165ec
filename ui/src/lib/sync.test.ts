import { describe, expect, it } from "vitest";
import { laptopName, shownValue } from "./sync";

describe("the review queue's words", () => {
  it("shows a field's JSON value as a person reads it", () => {
    expect(shownValue('"Quintero"')).toBe("Quintero");
    expect(shownValue("null")).toBe("—");
    expect(shownValue("3")).toBe("3");
    expect(shownValue('["es","mam"]')).toBe('["es","mam"]');
    expect(shownValue("not json")).toBe("not json");
  });

  it("names a laptop by its name, or by a short id until it has one", () => {
    const unnamed = (id: string) => `Unnamed laptop (${id})`;
    expect(laptopName("Shelter laptop", "f842b2da71708520", unnamed)).toBe("Shelter laptop");
    expect(laptopName("  ", "f842b2da71708520", unnamed)).toBe("Unnamed laptop (f842b2)");
  });
});
