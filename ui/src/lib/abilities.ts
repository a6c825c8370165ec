// What the signed-in member's role may do, as the core computed it at unlock: screens read it
// to offer only that (the core refuses the rest whatever a screen shows).
import { getContext, setContext } from "svelte";
import { writable } from "svelte/store";
import type { Abilities, Scope } from "./bindings";

const KEY = Symbol("abilities");

/** Everything allowed: for screens shown outside a session (tests, the demo walk's stories). */
export const ALL: Abilities = {
  add_records: true,
  edit_records: true,
  delete_clients: true,
  packets: true,
  exports: true,
  settings: true,
  team: true,
  assign: true,
  all_clients: true,
  client_notes: true,
};

export function provideAbilities(get: () => Abilities) {
  setContext(KEY, get);
}

export function abilities(): Abilities {
  const get = getContext<(() => Abilities) | undefined>(KEY);
  return get ? get() : ALL;
}

/** Whose clients the lists show: everyone's, or the signed-in member's ("My clients", "My
 * hearings"). Kept while the session lasts, across screens; back to everyone's at lock. */
export const caseScope = writable<Scope>("all");
