// Intake form helpers: blank inputs, detail → input for editing, and field errors by path.
import type {
  ClientDetail,
  ClientInput_Serialize as ClientInput,
  FamilyMemberInput_Serialize as FamilyMemberInput,
} from "./bindings";

export type { ClientInput, FamilyMemberInput };

export function blankMember(): FamilyMemberInput {
  return {
    id: null,
    given_names: "",
    family_names: "",
    aliases: "",
    relationship: "child",
    date_of_birth: null,
    sex: null,
    a_number: null,
    nationality: null,
    travels_with: true,
    vulnerabilities: [],
    notes: "",
    consent_share_with_oversight: false,
    status: null,
    status_on: null,
    dob_estimated: false,
    age_years: null,
  };
}

export function blankClient(): ClientInput {
  return {
    given_names: "",
    family_names: "",
    aliases: "",
    date_of_birth: null,
    sex: null,
    nationality: null,
    languages: [],
    a_number: null,
    lodging: null,
    lodging_detail: "",
    city: "",
    phone: "",
    us_contact: "",
    returned_on: null,
    return_port: null,
    return_city: "",
    return_state: null,
    vulnerabilities: [],
    risk_detail: "",
    representation: "none",
    notes: "",
    family: [],
    consent: { representation: false, share_with_oversight: false, publish_deidentified: false, method: "verbal" },
  };
}

export function inputFromDetail(d: ClientDetail): ClientInput {
  return {
    given_names: d.given_names,
    family_names: d.family_names,
    aliases: d.aliases,
    date_of_birth: d.date_of_birth ?? null,
    sex: d.sex ?? null,
    nationality: d.nationality ?? null,
    languages: [...d.languages],
    a_number: d.a_number ?? null,
    lodging: d.lodging ?? null,
    lodging_detail: d.lodging_detail,
    city: d.city,
    phone: d.phone,
    us_contact: d.us_contact,
    returned_on: d.returned_on ?? null,
    return_port: d.return_port ?? null,
    return_city: d.return_city,
    return_state: d.return_state ?? null,
    risk_detail: d.risk_detail,
    vulnerabilities: [...d.vulnerabilities],
    representation: d.representation,
    notes: d.notes,
    family: d.family.map((m) => ({
      id: m.id,
      given_names: m.given_names,
      family_names: m.family_names,
      aliases: m.aliases,
      relationship: m.relationship,
      date_of_birth: m.date_of_birth ?? null,
      sex: m.sex ?? null,
      a_number: m.a_number ?? null,
      nationality: m.nationality ?? null,
      travels_with: m.travels_with,
      vulnerabilities: [...m.vulnerabilities],
      notes: m.notes,
      consent_share_with_oversight: m.consent_share_with_oversight,
      status: m.status ?? null,
      status_on: m.status_on ?? null,
      dob_estimated: m.dob_estimated,
      age_years: null,
    })),
    consent: {
      representation: d.consent.representation,
      share_with_oversight: d.consent.share_with_oversight,
      publish_deidentified: d.consent.publish_deidentified,
      method: d.consent.method ?? "verbal",
    },
  };
}

/** Empty text in optional fields means "not given". */
export function normalizeOptional(v: string | null | undefined): string | null {
  const t = (v ?? "").trim();
  return t === "" ? null : t;
}

export function prepareForSave(input: ClientInput): ClientInput {
  return {
    ...input,
    date_of_birth: normalizeOptional(input.date_of_birth),
    a_number: normalizeOptional(input.a_number),
    returned_on: normalizeOptional(input.returned_on),
    nationality: normalizeOptional(input.nationality),
    family: input.family.map((m) => ({
      ...m,
      date_of_birth: normalizeOptional(m.date_of_birth),
      a_number: normalizeOptional(m.a_number),
      nationality: normalizeOptional(m.nationality),
      status_on: normalizeOptional(m.status_on),
    })),
  };
}

/** Age in whole years from a partial date ("2021", "2021-05", "2021-05-14"), or null. */
export function ageFrom(dob: string | null | undefined, today: Date = new Date()): number | null {
  if (!dob) return null;
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(dob.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : 1;
  const d = m[3] ? Number(m[3]) : 1;
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age--;
  return age < 0 ? null : age;
}
