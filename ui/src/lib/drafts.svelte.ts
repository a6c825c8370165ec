// Nothing typed is lost: every form keeps a draft of what it holds inside the vault (the
// backend stores it encrypted, per person), saved a moment after each change, flushed before
// any lock the page sees coming, and offered back the next time the form (or the home
// screen) opens. A form also knows whether it differs from what it loaded, so leaving asks.
import { onDestroy } from "svelte";
import { api } from "./api";
import type { Draft, DraftForm, DraftKey } from "./bindings";

/** How long typing may pause before the draft is written. */
export const DRAFT_DELAY_MS = 1500;

const live = new Set<FormDraft>();

/** Writes every open form's unsaved draft now (before a lock). */
export async function flushDrafts(): Promise<void> {
  await Promise.allSettled([...live].map((d) => d.flush()));
}

/** Wires a form's draft into the form, during its initialisation: once `loaded()`, every change
 * to what `watch()` returns (read deeply) is noted and the form's dirtiness reported; when the
 * form closes, what is unsaved is written. `draft` is a getter: a form may replace its draft
 * (a new record, once saved, is keyed by its own id). */
export function followDraft(
  draft: () => FormDraft,
  loaded: () => boolean,
  watch: () => unknown,
  ondirty?: (dirty: boolean) => void,
): void {
  $effect(() => {
    if (!loaded()) return;
    JSON.stringify(watch());
    const d = draft();
    d.changed();
    ondirty?.(d.dirty);
  });
  onDestroy(() => void draft().stop());
}

/** Drops every open form's draft: the person chose to discard what they typed. */
export async function discardOpenDrafts(): Promise<void> {
  await Promise.allSettled([...live].map((d) => d.discard()));
}

/** The key of a form's draft: the client it is for and the record it edits ("" when new). */
export function draftKey(form: DraftForm, clientId: string | null, recordId: string | null): DraftKey {
  return { form, record_id: `${clientId ?? ""}/${recordId ?? ""}` };
}

/** The client and record a draft key names. */
export function draftTarget(key: DraftKey): { clientId: string | null; recordId: string | null } {
  const [c, r] = key.record_id.split("/");
  return { clientId: c || null, recordId: r || null };
}

export class FormDraft {
  /** A draft kept from an earlier session, waiting for the person to restore or discard it. */
  offered = $state<Draft | null>(null);
  dirty = $state(false);
  /** The last write failed (the vault closed to writes, or locked). */
  unsaved = $state(false);
  private pristine = "";
  private written = "";
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private key: DraftKey,
    private read: () => unknown,
  ) {}

  /** Call once the form holds what it loaded: that is "unchanged". Looks for a kept draft. */
  async start(): Promise<void> {
    this.pristine = JSON.stringify(this.read());
    this.written = this.pristine;
    live.add(this);
    try {
      const kept = await api.getDraft(this.key);
      if (kept && kept.body !== this.pristine) this.offered = kept;
    } catch {
      // No draft to offer is not worth an error on the form.
    }
  }

  /** Call after every change (an `$effect` reading the form's state). */
  changed(): void {
    const now = JSON.stringify(this.read());
    this.dirty = now !== this.pristine;
    if (this.timer) clearTimeout(this.timer);
    if (now !== this.written) this.timer = setTimeout(() => void this.flush(), DRAFT_DELAY_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = JSON.stringify(this.read());
    if (now === this.written) return;
    if (now === this.pristine) {
      await this.forget();
      return;
    }
    try {
      await api.saveDraft(this.key, now);
      this.written = now;
      this.unsaved = false;
    } catch {
      this.unsaved = true;
    }
  }

  /** The kept draft's contents, once the person chose to restore it. */
  restore<T>(): T | null {
    const d = this.offered;
    this.offered = null;
    return d ? (JSON.parse(d.body) as T) : null;
  }

  /** Drops the kept draft (the person said so, or the form was saved). */
  async forget(): Promise<void> {
    this.offered = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await api.discardDraft(this.key);
    } catch {
      // A draft that could not be dropped is offered again later: harmless.
    }
    this.written = this.pristine;
  }

  /** The form was saved: what it holds now is the record. */
  async saved(): Promise<void> {
    this.pristine = JSON.stringify(this.read());
    this.dirty = false;
    await this.forget();
    this.written = this.pristine;
  }

  /** What was typed is thrown away on purpose: nothing is written when the form closes. */
  async discard(): Promise<void> {
    this.closed = true;
    live.delete(this);
    await this.forget();
  }

  /** The form is closing: write what is unsaved and stop listening. */
  async stop(): Promise<void> {
    live.delete(this);
    if (!this.closed) await this.flush();
  }
}
