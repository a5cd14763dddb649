// Roles and what each may do. Shared by server and client (the client only uses it to hide links;
// the server decides, in app/permissions/permissions.server.ts).
export const ROLES = ["admin", "researcher", "integration_manager", "commissioner"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Permissions are `action:entity:access` strings. `own` means: limited to the municipalities the user
 * is assigned to (integration managers); `any` means the whole district; `suppressed` means aggregates
 * only, with small cells suppressed.
 */
export const PERMISSIONS = {
  // Administering, not reading content (GDPR Art. 5(1)(c), 25; ADR 0003): no cases, identities, interviews,
  // transcripts, codings, memos, notes or narratives. Whoever also does that work holds that role as well.
  admin: [
    "manage:users:any",
    "manage:municipalities:any",
    "manage:indicators:any",
    "read:codebook:any",
    "manage:codebook:any",
    "read:audit:any",
    // the queue names interviews by their pseudonymous code only
    "manage:transcription-queue:any",
    // the dashboard as the statistics roles see it: suppressed and perturbed, to check the indicators defined
    "read:statistics:suppressed",
    // the district's quarterly report to the ministry: counts per municipality, no person and no content
    "export:key-figures:any",
  ],
  integration_manager: [
    "read:case:own",
    "write:case:own",
    "read:identity:own",
    "write:identity:own",
    "read:dashboard:own",
    "read:worklist:own",
    "export:key-figures:own",
    // that an interview exists for their cases (date, status), never its content
    "read:interview-meta:own",
    // biography notes, the case timeline, confirming passage -> snapshot proposals, searching their notes
    "read:note:own",
    "write:note:own",
    "read:timeline:own",
    "confirm:passage-link:own",
    "search:counselling:own",
  ],
  researcher: [
    "read:statistics:suppressed",
    "read:interview:any",
    "write:interview:any",
    "read:recording:any",
    "write:recording:any",
    "withdraw:interview:any",
    "transcribe:interview:any",
    "read:transcript:any",
    "write:transcript:any",
    "read:codebook:any",
    "manage:codebook:any",
    "read:coding:any",
    "write:coding:any",
    "read:memo:any",
    "write:memo:any",
    // biography notes and the timeline only of cases whose person consented to linking (app/notes)
    "read:note:linked",
    "read:timeline:linked",
    "link:passage:any",
    "search:research:any",
    "read:narrative:any",
    "write:narrative:any",
    "release:narrative:any",
    "export:refi:any",
    "import:refi:any",
  ],
  // anonymized, released narratives and suppressed aggregates; never identities
  commissioner: ["read:statistics:suppressed", "read:narrative:released", "search:narrative:released"],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof PERMISSIONS)[Role][number];
type Split<S extends string> = S extends `${infer A}:${infer E}:${infer C}` ? [A, E, C] : never;
export type PermissionAction = Split<Permission>[0];
export type PermissionEntity = Split<Permission>[1];
export type PermissionAccess = "any" | "own" | "suppressed" | "linked" | "released";

export function permissionsOf(roles: readonly Role[]): Set<string> {
  return new Set(roles.flatMap((r) => PERMISSIONS[r] ?? []));
}

/** The broadest access the roles grant for action:entity, or null. */
export function accessFor(roles: readonly Role[], action: string, entity: string): PermissionAccess | null {
  const perms = permissionsOf(roles);
  for (const access of ["any", "own", "linked", "released", "suppressed"] as const) {
    if (perms.has(`${action}:${entity}:${access}`)) return access;
  }
  return null;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
