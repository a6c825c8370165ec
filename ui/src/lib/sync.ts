// The sync folder's rounds while the vault is open: one on unlock and one every few minutes
// (on lock the backend only writes this laptop's bundle). What the last round did and how
// many records wait for review are kept here for the top bar and the Laptops panel.
import { writable } from "svelte/store";
import { api, toAppError } from "./api";
import type { FolderRound } from "./bindings";

export const ROUND_EVERY_MS = 3 * 60 * 1000;

/** `seq` counts the rounds of this session: a round that said the same as the one before is still a new one. */
export type LastRound = { seq: number; at: Date; round: FolderRound | null; error: string | null };

export const lastRound = writable<LastRound | null>(null);
export const toReview = writable(0);

let running: Promise<void> | null = null;
let seq = 0;

/** One round (none when no folder is set: the backend answers at once), then the count. */
export function syncRound(): Promise<void> {
  running ??= (async () => {
    try {
      const round = await api.syncRound();
      lastRound.set({ seq: ++seq, at: new Date(), round, error: null });
    } catch (e) {
      lastRound.set({ seq: ++seq, at: new Date(), round: null, error: toAppError(e).code });
    }
    await refreshReviewCount();
  })().finally(() => (running = null));
  return running;
}

export async function refreshReviewCount(): Promise<void> {
  try {
    toReview.set((await api.syncStatus()).to_review);
  } catch {
    // Locked meanwhile: the workspace is going away.
  }
}

/** Rounds every few minutes from now until the returned function is called. */
export function startRounds(): () => void {
  void syncRound();
  const timer = setInterval(() => void syncRound(), ROUND_EVERY_MS);
  return () => {
    clearInterval(timer);
    lastRound.set(null);
    toReview.set(0);
  };
}

/** A field's value as the review queue shows it: JSON text made readable. */
export function shownValue(json: string): string {
  try {
    const v: unknown = JSON.parse(json);
    if (v === null) return "—";
    if (typeof v === "string") return v;
    return JSON.stringify(v);
  } catch {
    return json;
  }
}

/** A laptop as people know it: its name, or a short form of its id until it is given one. */
export function laptopName(name: string, device: string, unnamed: (id: string) => string): string {
  return name.trim() || unnamed(device.slice(0, 6));
}
