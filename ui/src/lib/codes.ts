// Every code a message can be looked up by. The core's codes come from the generated bindings:
// these records must name each of them exactly once (the type check fails otherwise), and the
// unit tests check that each has an English and a Spanish message.
import type { ErrorCode, FieldCode } from "./bindings";

/** Errors the page itself raises (a framework failure, a mismatch it checks before sending). */
export type UiErrorCode = "internal" | "passphrase_mismatch" | "no_preview" | "preview_failed" | "pseudonym_taken";

export type AnyErrorCode = ErrorCode | FieldCode | UiErrorCode;

export const ERROR_CODES: Record<ErrorCode, true> = {
  wrong_passphrase: true, too_many_attempts: true, vault_not_found: true, vault_exists: true,
  vault_header_damaged: true, vault_damaged: true, schema_too_new: true, weak_passphrase: true,
  locked: true, validation: true, not_found: true, storage: true, io: true, migration: true,
  crypto: true, document_failed: true, backup_invalid: true, vault_tampered: true,
  not_synthetic: true, orphan_database: true, vault_in_use: true, forbidden: true,
  must_change_passphrase: true, bundle_invalid: true, bundle_foreign: true, stopped: true,
};

export const FIELD_CODES: Record<FieldCode, true> = {
  required: true, too_long: true, out_of_range: true, unknown_code: true, unknown_zone: true,
  duplicate: true, date_format: true, datetime_format: true, date_in_future: true,
  before_start: true, time_skipped_by_dst: true, a_number_format: true, number_format: true,
  cannot_move: true, unknown_person: true, unknown_member: true, unknown_hearing: true,
  report_not_before_hearing: true, missed_with_outcome: true, details_without_interview: true,
  override_reason_required: true, client_cannot_be_omitted: true, json_malformed: true,
  file_empty: true, file_too_large: true, file_unreadable: true, path_unusable: true,
  unknown_field: true, wrong_type: true, control_character: true,
  paid_amount_but_not_paid: true, age_with_date_of_birth: true, date_given_but_unknown: true,
  bounds_with_known_date: true, last_coordinator: true, cannot_remove_self: true,
  recovery_slot: true,
};

export const UI_ERROR_CODES: Record<UiErrorCode, true> = {
  internal: true, passphrase_mismatch: true, no_preview: true, preview_failed: true,
  pseudonym_taken: true,
};

export const ALL_ERROR_CODES = [
  ...Object.keys(ERROR_CODES), ...Object.keys(FIELD_CODES), ...Object.keys(UI_ERROR_CODES),
] as AnyErrorCode[];
