// Every action and object kind the audit log records, in one list: `audit()` accepts only these (so a new
// action cannot reach the log without a name for people), and the log page shows each with its German or
// English label from the admin locale (`audit.actions.*`, `audit.entities.*`) beside the stable code that the
// filter and the CSV export use. Rows written before an action was renamed still show their code.
export const AUDIT_ACTIONS = [
  "audit.view", "audit.export",
  "login.success", "login.failed", "login.throttled", "login.one-time-expired", "logout", "session.end-all",
  "user.create", "user.update", "user.deactivate", "user.reactivate", "user.password.change", "user.password.reset",
  "user.password.one-time", "user.password.one-time-replaced", "user.password.one-time-expired",
  "user.role.grant", "user.role.revoke", "user.municipality.assign", "user.municipality.unassign",
  "municipality.create", "municipality.rename", "municipality.activate", "municipality.deactivate",
  "indicator.create", "indicator.update",
  "case.create", "case.update", "case.view", "case.archive", "case.reactivate", "identity.view", "identity.update",
  "contact.create", "contact.delete", "household.link", "household.unlink", "snapshot.create", "snapshot.delete", "timeline.view",
  "plan.create", "plan.area.update",
  "note.create", "note.update", "note.delete", "note.restore", "note.view",
  "interview.create", "interview.view", "interview.update", "interview.identity.update", "interview.identity.delete",
  "consent.record", "consent.view", "consent-document.upload", "consent-document.download", "withdrawal.start", "withdrawal.complete",
  "recording.upload", "recording.play", "recording.delete", "recording.download-external",
  "transcription.start", "transcription.cancel", "transcription.retry", "transcription.done",
  "transcript.view", "transcript.version.view", "transcript.save", "transcript.restore", "transcript.import", "transcript.export", "transcript.check",
  "code.create", "code.update", "code.move", "code.merge", "code.delete",
  "coding.apply", "coding.autocode", "coding.autocode-undo", "coding.update", "coding.remove", "coding.erase-special-categories", "coding.retrieve", "coding.matrix", "coding.export",
  "memo.create", "memo.view", "memo.update", "memo.delete", "memo.export",
  "passage-link.propose", "passage-link.link", "passage-link.confirm", "passage-link.reject", "passage-link.remove", "passage-link.view", "passage-link.play",
  "narrative.create", "narrative.view", "narrative.rename", "narrative.block.add", "narrative.block.update", "narrative.block.remove", "narrative.block.move",
  "narrative.redaction.decide", "narrative.redaction.mode", "narrative.submit", "narrative.unsubmit", "narrative.send-back", "narrative.release",
  "narrative.reopen", "narrative.retract", "narrative.delete", "narrative.export",
  "refi.export", "refi.import", "refi.import.refused",
  "search.query", "search.suggest",
  "backup.create", "backup.restore",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITIES = [
  "audit", "user", "municipality", "indicator", "case", "interview", "consent-document", "recording", "transcript",
  "code", "coding", "memo", "narrative", "refi", "search", "backup",
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

const known = new Set<string>(AUDIT_ACTIONS);
const knownEntities = new Set<string>(AUDIT_ENTITIES);

/** The locale key of an action's label, or null for a code no longer written (old rows). Dots would nest keys. */
export function auditActionKey(action: string): string | null {
  return known.has(action) ? `audit.actions.${action.replace(/\./g, "_")}` : null;
}
export function auditEntityKey(entity: string): string | null {
  return knownEntities.has(entity) ? `audit.entities.${entity}` : null;
}
