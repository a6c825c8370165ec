import type { InterruptedTurn } from "./bindings";
import type { MessageKey } from "./i18n";

// Who is using the app in this session, for forms that default to it ("taken by"). Held in
// memory only, set at unlock and cleared at lock: never in the webview's storage.
let actor = "";

export function setActor(name: string): void {
  actor = name;
}

export function currentActor(): string {
  return actor;
}

/** The unlock screen's message for a key turn a lock cut into: which passphrase opens the
 *  vault now, and whether the member is gone. */
export function interruptedKey(turn: InterruptedTurn): MessageKey {
  // Typed as the six keys it can build: one missing from the catalogue fails the type check.
  return `unlock.interrupted.${turn.what}.${turn.took_effect ? "done" : "stopped"}` as const;
}
