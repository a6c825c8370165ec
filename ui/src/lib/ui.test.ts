import { describe, expect, it } from "vitest";
import en from "../locales/en.json";
import es from "../locales/es.json";
import { initialLang } from "./i18n";
import { idleTimer, LOCK_WARNING_MS, type IdleClock } from "./idle";
import { draftKey, draftTarget } from "./drafts.svelte";
import { ageText, lodgingText } from "./time";
import { pagesFor, visibleWindow } from "./virtual";
import { ageFrom, blankClient, inputFromDetail, prepareForSave } from "./form";
import { FormState } from "./formkit.svelte";
import type { ClientDetail } from "./bindings";
import { ALL_ERROR_CODES } from "./codes";
import type { KeyTurn } from "./bindings";
import { interruptedKey } from "./session";

describe("message catalogues", () => {
  it("Spanish has every English key and no empty message", () => {
    const missing = Object.keys(en).filter((k) => !(k in es));
    expect(missing).toEqual([]);
    for (const [k, v] of Object.entries(es)) expect(v, k).not.toBe("");
  });
  it("every interpolation placeholder survives translation", () => {
    const vars = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort().join(",");
    for (const [k, v] of Object.entries(en)) expect(vars((es as Record<string, string>)[k]), k).toBe(vars(v));
  });
  it("has an English and a Spanish message for every error and field code (from the bindings)", () => {
    expect(ALL_ERROR_CODES.length).toBeGreaterThan(45);
    for (const code of ALL_ERROR_CODES) {
      expect(`error.${code}` in en, `en: error.${code}`).toBe(true);
      expect(`error.${code}` in es, `es: error.${code}`).toBe(true);
    }
  });
});

describe("a key turn a lock cut into", () => {
  // Typed by the bindings: a new kind of key turn fails the type check until it is listed.
  const turns: Record<KeyTurn, true> = { passphrase_change: true, key_rotation: true, member_removal: true };
  it("is told on the unlock screen in English and Spanish, stopped or done, each its own message", () => {
    const seen = new Set<string>();
    for (const what of Object.keys(turns) as KeyTurn[]) {
      for (const took_effect of [false, true]) {
        const key = interruptedKey({ what, took_effect });
        expect(key in en, `en: ${key}`).toBe(true);
        expect(key in es, `es: ${key}`).toBe(true);
        seen.add((en as Record<string, string>)[key]);
      }
    }
    expect(seen.size).toBe(6);
  });
});

describe("initial language", () => {
  it("follows a stored choice, else the OS locale", () => {
    expect(initialLang("es", "en-US")).toBe("es");
    expect(initialLang(null, "es-MX")).toBe("es");
    expect(initialLang(null, "en-GB")).toBe("en");
    expect(initialLang("fr", undefined)).toBe("en");
  });
});

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: IdleClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    const target = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > target) break;
      timers.shift();
      now = t.at;
      t.fn();
    }
    now = target;
  };
  return { clock, advance };
}

describe("idle lock", () => {
  it("locks after the idle time, and activity postpones it", () => {
    const { clock, advance } = fakeClock();
    let locked = 0;
    const timer = idleTimer(5, () => locked++, clock);
    advance(4 * 60_000);
    timer.poke();
    advance(4 * 60_000);
    expect(locked).toBe(0);
    advance(60_001);
    expect(locked).toBe(1);
    advance(10 * 60_000);
    expect(locked).toBe(1);
  });
  it("says how long is left, for the warning's countdown, and activity resets it", () => {
    const { clock, advance } = fakeClock();
    const timer = idleTimer(1, () => {}, clock);
    advance(35_000);
    expect(timer.remaining()).toBe(25_000);
    expect(timer.remaining()).toBeLessThanOrEqual(LOCK_WARNING_MS);
    timer.poke();
    expect(timer.remaining()).toBe(60_000);
  });
  it("stop cancels it", () => {
    const { clock, advance } = fakeClock();
    let locked = 0;
    idleTimer(1, () => locked++, clock).stop();
    advance(5 * 60_000);
    expect(locked).toBe(0);
  });
});

describe("words for people and places", () => {
  it("a baby is under a year, not 0 years; a shelter is not named twice", () => {
    const t = (key: string, vars?: Record<string, string | number>) => `${key}:${vars?.count ?? ""}`;
    expect(ageText(t, 0)).toBe("client.age_baby:");
    expect(ageText(t, 7)).toBe("client.age:7");
    expect(lodgingText("Albergue", "Albergue Buen Pastor")).toBe("Albergue Buen Pastor");
    expect(lodgingText("Albergue", "Buen Pastor")).toBe("Albergue Buen Pastor");
    expect(lodgingText("", "")).toBe("—");
  });
});

describe("draft keys", () => {
  it("name the client and the record a draft belongs to, and read back", () => {
    expect(draftTarget(draftKey("intake", null, null))).toEqual({ clientId: null, recordId: null });
    expect(draftTarget(draftKey("hearing", "c1", null))).toEqual({ clientId: "c1", recordId: null });
    expect(draftTarget(draftKey("incident", "c1", "i9"))).toEqual({ clientId: "c1", recordId: "i9" });
  });
});

describe("virtual list window", () => {
  it("renders only the rows in view plus overscan, at 50,000 rows", () => {
    const w = visibleWindow(44 * 25_000, 600, 44, 50_000, 8);
    expect(w.first).toBe(25_000 - 8);
    expect(w.last - w.first).toBeLessThan(40);
    expect(w.padTop + (w.last - w.first) * 44 + w.padBottom).toBe(50_000 * 44);
  });
  it("asks for the pages that cover the window", () => {
    expect(pagesFor(95, 130, 100)).toEqual([0, 1]);
    expect(pagesFor(0, 0, 100)).toEqual([]);
  });
});

describe("intake form helpers", () => {
  it("turns blank optional fields into null before saving", () => {
    const c = blankClient();
    c.a_number = "  ";
    c.family = [{ ...c.family[0], id: null, given_names: "Ana", family_names: "", aliases: "", relationship: "child",
      date_of_birth: "", sex: null, a_number: "", nationality: "", travels_with: true, vulnerabilities: [],
      notes: "", consent_share_with_oversight: false }];
    const p = prepareForSave(c);
    expect(p.a_number).toBeNull();
    expect(p.family[0].date_of_birth).toBeNull();
  });
  it("the form kit finds a field's error by its path and submits once", async () => {
    const form = new FormState();
    let calls = 0;
    // Errors the page finds itself: nothing is sent.
    await form.submit(async () => calls++, [{ field: "family.0.a_number", code: "a_number_format" }]);
    expect(calls).toBe(0);
    expect(form.err("family.0.a_number")).toBe("a_number_format");
    expect(form.describedBy("family.0.a_number")).toBe("err-family.0.a_number");
    expect(form.err("a_number")).toBeNull();
    // The core refuses: its field errors and the banner's code are kept; nothing is returned.
    const refused = await form.submit(async () => {
      throw { code: "validation", fields: [{ field: "given_names", code: "required" }], retry_after_secs: null };
    });
    expect(refused).toBeUndefined();
    expect(form.formError).toBe("validation");
    expect(form.err("given_names")).toBe("required");
    // A second submit while one is under way is ignored; a success clears the errors.
    let release: () => void = () => {};
    const slow = form.submit(() => new Promise<string>((r) => (release = () => r("saved"))));
    expect(await form.submit(async () => "twice")).toBeUndefined();
    release();
    expect(await slow).toBe("saved");
    expect(form.errors).toEqual([]);
    expect(form.busy).toBe(false);
  });
  it("computes ages from partial dates", () => {
    const today = new Date(2024, 5, 15);
    expect(ageFrom("2020-06-16", today)).toBe(3);
    expect(ageFrom("2020-06-15", today)).toBe(4);
    expect(ageFrom("2020", today)).toBe(4);
    expect(ageFrom("junk", today)).toBeNull();
  });
  it("round-trips a detail into an editable input keeping member ids", () => {
    const d = {
      id: "c1", given_names: "Ana", family_names: "Cruz", aliases: "", date_of_birth: null, age: null, sex: null,
      nationality: "HN", languages: ["es"], a_number: "A-123-456-789", lodging: null, lodging_detail: "", city: "",
      phone: "", us_contact: "", returned_on: null, return_port: null, return_city: "Tijuana", return_state: "BC",
      vulnerabilities: [], risk_detail: "Garífuna", representation: "none", notes: "", created_at: "", updated_at: "",
      family: [{ id: "m1", given_names: "Luz", family_names: "", aliases: "", relationship: "child", date_of_birth: "2022",
        age: 2, sex: null, a_number: null, nationality: null, travels_with: true, vulnerabilities: [], notes: "",
        consent_share_with_oversight: true, status: "disappeared", status_on: "2019-04", dob_estimated: true }],
      consent: { representation: true, share_with_oversight: false, publish_deidentified: false, method: "written",
        recorded_at: null, recorded_by: null },
    } as ClientDetail;
    const i = inputFromDetail(d);
    expect(i.family[0].id).toBe("m1");
    expect(i.consent.method).toBe("written");
    expect(i.a_number).toBe("A-123-456-789");
    expect([i.return_city, i.return_state, i.risk_detail]).toEqual(["Tijuana", "BC", "Garífuna"]);
    expect([i.family[0].status, i.family[0].status_on, i.family[0].dob_estimated]).toEqual(["disappeared", "2019-04", true]);
  });
});
