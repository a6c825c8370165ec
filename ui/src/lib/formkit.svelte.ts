// What every form shares: its field errors, the banner above it, whether a save is under way,
// and the one way to submit (validate, save, show what the core refused, take the keyboard to
// the first field that needs attention). Forms bind one typed input object and render their
// fields with Field.svelte, which reads the errors from here.
import { tick } from "svelte";
import { toAppError } from "./api";
import type { FieldCode, FieldError } from "./bindings";
import type { AnyErrorCode } from "./codes";

/** The fields a form's keyboard entry starts from (not the buttons of its header). */
const FIELDS = "fieldset :is(input, select, textarea):not([type=hidden]):not([disabled])";

export class FormState {
  errors = $state<FieldError[]>([]);
  formError = $state<AnyErrorCode | null>(null);
  busy = $state(false);
  el = $state<HTMLFormElement | undefined>();

  /** The error code for a field path (`a_number`, `family.0.date_of_birth`), if any. */
  err(field: string): FieldCode | null {
    return this.errors.find((e) => e.field === field)?.code ?? null;
  }

  describedBy(field: string): string | undefined {
    return this.err(field) ? `err-${field}` : undefined;
  }

  /** Runs `save` unless one is under way. `checked` are errors the page found before sending
   * (a number that does not parse): they are shown like the core's and nothing is sent. When
   * the core refuses, its field errors go beside their fields and the banner says why. */
  async submit<R>(save: () => Promise<R>, checked: FieldError[] = []): Promise<R | undefined> {
    if (this.busy) return undefined;
    this.errors = [];
    this.formError = null;
    if (checked.length) {
      this.fail("validation", checked);
      await this.focusFirstInvalid();
      return undefined;
    }
    this.busy = true;
    try {
      return await save();
    } catch (ex) {
      const a = toAppError(ex);
      this.fail(a.code, a.fields);
      await this.focusFirstInvalid();
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  fail(code: AnyErrorCode, fields: FieldError[] = []) {
    this.errors = fields;
    this.formError = code;
  }

  /** Once the form is on screen, the keyboard goes to its first field (a volunteer starts
   * typing at once), unless the user is already somewhere inside the form. */
  async begin(): Promise<void> {
    await tick();
    const el = this.el;
    if (!el) return;
    // Listening on the form catches the keys of every field (one listener: the same function).
    el.addEventListener("keydown", this.keys);
    if (el.contains(document.activeElement)) return;
    el.querySelector<HTMLElement>(FIELDS)?.focus();
  }

  /** Ctrl+Enter (or Cmd+Enter) saves from anywhere in the form, the notes box included. */
  keys = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.el?.requestSubmit();
    }
  };

  /** Once the errors are on screen, the first field that needs attention is brought to the
   * middle of the view (clear of the sticky header that holds the banner) with its label and
   * error, and the keyboard goes to it. */
  async focusFirstInvalid(): Promise<void> {
    await tick();
    const field = this.el?.querySelector<HTMLElement>("[aria-invalid='true']");
    if (!field) return;
    (field.closest<HTMLElement>(".f, .field, fieldset") ?? field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }
}
