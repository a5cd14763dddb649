// Form schemas of the administration pages, shared by server and browser. Messages are i18n keys
// (see app/utils/validation.ts); checks that need the database live in the *.server.ts modules.
import { z } from "zod";
import { ROLES, type Role } from "../permissions/roles.ts";
import { INDICATOR_TYPES } from "../indicators/values.ts";
import { choice, intField, optionalText, passwordField, requiredText, validationMessage as msg } from "../utils/validation.ts";

// ---- users ------------------------------------------------------------------------------

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,49}$/;

export const usernameField = () =>
  z
    .string({ required_error: msg("validation.required") })
    .trim()
    .toLowerCase()
    .min(1, msg("validation.required"))
    .regex(USERNAME_PATTERN, msg("admin:users.usernamePattern"));

const rolesField = () => z.array(choice(ROLES)).min(1, msg("admin:users.rolesRequired"));
const municipalityIdsField = () => z.array(z.string().min(1)).default([]);

/** Municipalities belong to integration managers only, and an integration manager needs at least one. */
export function municipalityRuleError(roles: readonly string[], municipalityIds: readonly string[]): string | null {
  const im = roles.includes("integration_manager");
  if (im && municipalityIds.length === 0) return msg("admin:users.municipalityRequired");
  if (!im && municipalityIds.length > 0) return msg("admin:users.municipalityOnlyForIm");
  return null;
}

export const PASSWORD_MODES = ["generate", "typed"] as const;

/** Generated passwords need no field; a typed one follows the usual password rule. */
function checkPassword(v: { passwordMode: string; password?: string }, ctx: z.RefinementCtx, username: string) {
  if (v.passwordMode !== "typed") return;
  const result = passwordField(username).safeParse(v.password ?? "");
  if (!result.success) ctx.addIssue({ code: "custom", path: ["password"], message: result.error.issues[0]?.message ?? msg("validation.required") });
}

function checkMunicipalities(v: { roles: Role[]; municipalityIds: string[] }, ctx: z.RefinementCtx) {
  const error = municipalityRuleError(v.roles, v.municipalityIds);
  if (error) ctx.addIssue({ code: "custom", path: ["municipalityIds"], message: error });
}

export const CreateUserSchema = z
  .object({
    username: usernameField(),
    displayName: requiredText(100),
    passwordMode: choice(PASSWORD_MODES),
    password: z.string().optional(),
    roles: rolesField(),
    municipalityIds: municipalityIdsField(),
  })
  .superRefine((v, ctx) => {
    checkPassword(v, ctx, v.username);
    checkMunicipalities(v, ctx);
  });

export const UserProfileSchema = z
  .object({
    intent: z.literal("profile"),
    displayName: requiredText(100),
    roles: rolesField(),
    municipalityIds: municipalityIdsField(),
  })
  .superRefine(checkMunicipalities);

/** A password reset for the user `username` (a typed password must not contain it). */
export const passwordResetSchema = (username: string) =>
  z
    .object({
      intent: z.literal("password"),
      passwordMode: choice(PASSWORD_MODES),
      password: z.string().optional(),
    })
    .superRefine((v, ctx) => checkPassword(v, ctx, username));

// ---- municipalities ------------------------------------------------------------------------

export const DISTRICT_AGS_PREFIX = "08336"; // Landkreis Lörrach
export const MUNICIPALITY_TYPES = ["Gemeinde", "Stadt", "Große Kreisstadt"] as const;

export const CreateMunicipalitySchema = z.object({
  intent: z.literal("create"),
  ags: z
    .string({ required_error: msg("validation.required") })
    .trim()
    .regex(new RegExp(`^${DISTRICT_AGS_PREFIX}\\d{3}$`), msg("admin:municipalities.agsPattern")),
  name: requiredText(100),
  type: choice(MUNICIPALITY_TYPES),
  population: intField(0, 10_000_000).optional(),
  association: optionalText(100),
});

export const RenameMunicipalitySchema = z.object({
  intent: z.literal("rename"),
  municipalityId: z.string().min(1),
  name: requiredText(100),
});

// ---- indicators -----------------------------------------------------------------------------

export const INDICATOR_CATEGORIES = ["hard", "soft"] as const;
export const INDICATOR_DIMENSIONS = ["STR", "KUL", "SOZ", "IDE"] as const;
export const INDICATOR_CODE_PATTERN = /^[A-Z]{1,3}\.[A-Z][A-Z0-9]{1,11}$/;

export const CreateIndicatorSchema = z.object({
  intent: z.literal("create"),
  code: z
    .string({ required_error: msg("validation.required") })
    .trim()
    .toUpperCase()
    .regex(INDICATOR_CODE_PATTERN, msg("admin:indicators.codePattern")),
  labelDe: requiredText(200),
  labelEn: requiredText(200),
  category: choice(INDICATOR_CATEGORIES),
  dimension: choice(INDICATOR_DIMENSIONS).optional(),
  type: choice(INDICATOR_TYPES),
});

const ALLOWED_VALUE_PATTERN = /^[^\p{C};"\\]{1,60}$/u;

/** The textarea's lines: trimmed, blank lines dropped, in the order given. */
export function splitAllowedValues(text: string | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The edit form depends on the indicator's type (allowed values for enum/multi, range for number). */
export function indicatorUpdateSchema(type: string) {
  return z
    .object({
      labelDe: requiredText(200),
      labelEn: requiredText(200),
      stalenessMonths: intField(1, 1200),
      active: z.boolean().default(false),
      allowedValues: z.string().max(20_000).optional(),
      // finite: "1e400" reads as Infinity, which no column holds (it cleared both limits).
      minValue: z.number({ invalid_type_error: msg("validation.number") }).finite(msg("validation.number")).optional(),
      maxValue: z.number({ invalid_type_error: msg("validation.number") }).finite(msg("validation.number")).optional(),
    })
    .superRefine((v, ctx) => {
      if (type === "enum" || type === "multi") {
        const values = splitAllowedValues(v.allowedValues);
        const bad = values.find((x) => !ALLOWED_VALUE_PATTERN.test(x));
        if (bad) ctx.addIssue({ code: "custom", path: ["allowedValues"], message: msg("admin:indicators.badValue", { value: bad.slice(0, 60) }) });
        const dup = values.find((x, i) => values.indexOf(x) !== i);
        if (dup) ctx.addIssue({ code: "custom", path: ["allowedValues"], message: msg("admin:indicators.duplicateValue", { value: dup }) });
        if (type === "enum" && values.length === 0) ctx.addIssue({ code: "custom", path: ["allowedValues"], message: msg("admin:indicators.valuesRequired") });
      }
      if (type === "number" && v.minValue != null && v.maxValue != null && v.minValue > v.maxValue) {
        ctx.addIssue({ code: "custom", path: ["maxValue"], message: msg("admin:indicators.minAboveMax") });
      }
    });
}
