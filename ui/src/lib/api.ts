// The one place the UI talks to the backend: unwraps the generated commands' results and
// turns every failure into an AppError carrying a stable code (never a message from Rust).
import { commands } from "./bindings";
import type { DialogPurpose, ErrorCode, ErrorReport, FieldError, Port, Scope } from "./bindings";
import type { UiErrorCode } from "./codes";

export class AppError extends Error {
  code: ErrorCode | UiErrorCode;
  fields: FieldError[];
  retryAfterSecs: number | null;
  constructor(report: { code: ErrorCode | UiErrorCode; fields?: FieldError[]; retry_after_secs?: number | null }) {
    super(report.code);
    this.code = report.code;
    this.fields = report.fields ?? [];
    this.retryAfterSecs = report.retry_after_secs ?? null;
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    return new AppError(e as ErrorReport);
  }
  // Framework-level failures (unknown command, bad argument) reject with free text; we do not
  // show it, since it is not translated and could echo input.
  return new AppError({ code: "internal", fields: [], retry_after_secs: null });
}

export async function call<T>(p: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await p;
  } catch (e) {
    throw toAppError(e);
  }
  if (r.status === "ok") return r.data;
  const err = toAppError(r.error);
  // The backend locked the vault on its own (idle deadline, system sleep, session lock):
  // the app returns to the unlock screen.
  if (err.code === "locked") window.dispatchEvent(new Event(LOCKED_EVENT));
  throw err;
}

export const LOCKED_EVENT = "amparo:locked";

export const api = {
  status: () => commands.vaultStatus(),
  vocabularies: () => commands.vocabularies(),
  createVault: (dir: string | null, passphrase: string, actor: string) =>
    call(commands.createVault(dir, passphrase, actor)),
  unlockVault: (dir: string | null, passphrase: string, actor: string) =>
    call(commands.unlockVault(dir, passphrase, actor)),
  lockVault: () => call(commands.lockVault()),
  activity: () => call(commands.activity()),
  vaultCheck: () => call(commands.vaultCheck()),
  changePassphrase: (current: string, replacement: string) =>
    call(commands.changePassphrase(current, replacement)),
  rotateVaultKey: (current: string) => call(commands.rotateVaultKey(current)),
  rotationProgress: () => commands.rotationProgress(),
  listClients: (...a: Parameters<typeof commands.listClients>) => call(commands.listClients(...a)),
  getClient: (id: string) => call(commands.getClient(id)),
  createClient: (...a: Parameters<typeof commands.createClient>) => call(commands.createClient(...a)),
  updateClient: (...a: Parameters<typeof commands.updateClient>) => call(commands.updateClient(...a)),
  deleteClient: (id: string) => call(commands.deleteClient(id)),
  clientHistory: (id: string) => call(commands.clientHistory(id)),
  getSettings: () => call(commands.getSettings()),
  listMembers: () => call(commands.listMembers()),
  addMember: (...a: Parameters<typeof commands.addMember>) => call(commands.addMember(...a)),
  setMemberRole: (...a: Parameters<typeof commands.setMemberRole>) => call(commands.setMemberRole(...a)),
  removeMember: (...a: Parameters<typeof commands.removeMember>) => call(commands.removeMember(...a)),
  clientAssignees: (id: string) => call(commands.clientAssignees(id)),
  setClientAssignees: (id: string, handles: string[]) => call(commands.setClientAssignees(id, handles)),
  setClientNotes: (id: string, notes: string) => call(commands.setClientNotes(id, notes)),
  resetMemberPassphrase: (...a: Parameters<typeof commands.resetMemberPassphrase>) =>
    call(commands.resetMemberPassphrase(...a)),
  hasRecoveryCode: () => call(commands.hasRecoveryCode()),
  makeRecoveryCode: () => call(commands.makeRecoveryCode()),
  replaceRecoveryCode: () => call(commands.replaceRecoveryCode()),
  home: (days: number, scope: Scope) => call(commands.home(days, scope)),
  homePage: (...a: Parameters<typeof commands.homePage>) => call(commands.homePage(...a)),
  week: (days: number, scope: Scope) => call(commands.week(days, scope)),
  getHearing: (id: string) => call(commands.getHearing(id)),
  addHearing: (...a: Parameters<typeof commands.addHearing>) => call(commands.addHearing(...a)),
  updateHearing: (...a: Parameters<typeof commands.updateHearing>) => call(commands.updateHearing(...a)),
  deleteHearing: (id: string) => call(commands.deleteHearing(id)),
  exportIcs: (...a: Parameters<typeof commands.exportIcs>) => call(commands.exportIcs(...a)),
  timeline: (clientId: string) => call(commands.timeline(clientId)),
  saveScreening: (...a: Parameters<typeof commands.saveScreening>) => call(commands.saveScreening(...a)),
  recordHistory: (kind: string, id: string) => call(commands.recordHistory(kind, id)),
  getIncident: (id: string) => call(commands.getIncident(id)),
  saveIncident: (...a: Parameters<typeof commands.saveIncident>) => call(commands.saveIncident(...a)),
  deleteIncident: (id: string) => call(commands.deleteIncident(id)),
  search: (q: string) => call(commands.search(q)),
  listAttachments: (...a: Parameters<typeof commands.listAttachments>) => call(commands.listAttachments(...a)),
  addAttachment: (...a: Parameters<typeof commands.addAttachment>) => call(commands.addAttachment(...a)),
  attachmentPreview: (id: string) => call(commands.attachmentPreview(id)),
  saveAttachmentCopy: (id: string, chosen: string) => call(commands.saveAttachmentCopy(id, chosen)),
  deleteAttachment: (id: string) => call(commands.deleteAttachment(id)),
  packetPlan: (...a: Parameters<typeof commands.packetPlan>) => call(commands.packetPlan(...a)),
  buildPacket: (...a: Parameters<typeof commands.buildPacket>) => call(commands.buildPacket(...a)),
  packetPreview: (id: string) => call(commands.packetPreview(id)),
  savePacket: (id: string, chosen: string) => call(commands.savePacket(id, chosen)),
  listPackets: (clientId: string) => call(commands.listPackets(clientId)),
  updatePacketFollowUp: (...a: Parameters<typeof commands.updatePacketFollowUp>) =>
    call(commands.updatePacketFollowUp(...a)),
  backupStatus: () => call(commands.backupStatus()),
  backupVault: (chosen: string) => call(commands.backupVault(chosen)),
  backupProgress: () => commands.backupProgress(),
  /** Opens the system's dialog from the backend; the chosen path never reaches the page. */
  choosePath: (purpose: DialogPurpose, title: string, suggestedName: string | null = null) =>
    commands.choosePath(purpose, title, suggestedName),
  restoreBackup: (...a: Parameters<typeof commands.restoreBackup>) => call(commands.restoreBackup(...a)),
  syncStatus: () => call(commands.syncStatus()),
  addLaptop: (chosen: string, name: string) => call(commands.addLaptop(chosen, name)),
  joinClinicVault: (chosen: string, passphrase: string, actor: string) =>
    call(commands.joinClinicVault(chosen, passphrase, actor)),
  removeLaptop: (device: string) => call(commands.removeLaptop(device)),
  nameThisLaptop: (name: string) => call(commands.nameThisLaptop(name)),
  setSyncFolder: (chosen: string | null) => call(commands.setSyncFolder(chosen)),
  syncRound: () => call(commands.syncRound()),
  exportChanges: (chosen: string) => call(commands.exportChanges(chosen)),
  importChanges: (chosen: string) => call(commands.importChanges(chosen)),
  syncClashes: () => call(commands.syncClashes()),
  resolveClash: (...a: Parameters<typeof commands.resolveClash>) => call(commands.resolveClash(...a)),
  saveSettings: (...a: Parameters<typeof commands.saveSettings>) => call(commands.saveSettings(...a)),
  /** This laptop's preferences (language, the volunteer's port): readable while locked. */
  uiPrefs: () => commands.uiPrefs(),
  setUiPort: (port: Port | null) => call(commands.setUiPort(port)),
  saveDraft: (...a: Parameters<typeof commands.saveDraft>) => call(commands.saveDraft(...a)),
  getDraft: (...a: Parameters<typeof commands.getDraft>) => call(commands.getDraft(...a)),
  listDrafts: () => call(commands.listDrafts()),
  discardDraft: (...a: Parameters<typeof commands.discardDraft>) => call(commands.discardDraft(...a)),
};
