// Turns zod's issues about the environment into lines an operator can act on: the variable, the value given (never a
// secret's), what is expected and, when known, that the value came from .env. zod alone says "Expected number,
// received nan", which names neither the value nor what a right one looks like.
import type { ZodIssue, ZodTypeAny } from "zod";

/** Never repeated in a message: they end up in logs and terminals that others read. */
const SECRETS = new Set(["SESSION_SECRET", "IDENTITY_KEY", "IDENTITY_OLD_KEYS", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "MEILI_API_KEY"]);

export type EnvOrigin = {
  /** Variables whose value came from the .env file (scripts/check-env.ts); the message says so. */
  fromEnvFile?: ReadonlySet<string>;
};

/** The value as shown in a message: quoted, cut when long, and without the password of a URL. */
function shown(value: string): string {
  const masked = value.replace(/(\/\/[^/@:\s]*:)[^@\s]*@/, "$1***@");
  return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
}

function expectation(issue: ZodIssue, field: ZodTypeAny | undefined): string | undefined {
  if (issue.code === "invalid_enum_value") return `one of ${issue.options.join(", ")}`;
  return field?.description;
}

/** One line per issue, "  - NAME: what is wrong, got "value"; set in .env". */
export function describeEnvIssues(issues: ZodIssue[], source: NodeJS.ProcessEnv, fields: Record<string, ZodTypeAny>, origin: EnvOrigin = {}): string[] {
  return issues.map((issue) => {
    const name = String(issue.path[0] ?? "");
    if (!name) return `  - (environment): ${issue.message}`;
    const raw = source[name];
    const field = fields[name];
    const expected = expectation(issue, field);
    let what: string;
    if (raw === undefined && issue.code === "invalid_type") {
      what = expected ? `is not set; expected ${expected}` : "is not set";
    } else if (issue.code === "invalid_type" || issue.code === "invalid_enum_value" || ((issue.code === "too_small" || issue.code === "too_big") && issue.type === "number")) {
      // zod's own wording for these ("Expected number, received nan"): say what a right value looks like instead.
      what = `expected ${expected ?? (issue.code === "invalid_type" ? issue.expected : "another value")}`;
    } else {
      what = issue.message; // our own messages (refine, regex, custom), already written for operators
    }
    if (raw !== undefined && !SECRETS.has(name)) what += `, got ${shown(raw)}`;
    if (raw !== undefined && origin.fromEnvFile?.has(name)) what += "; set in .env";
    return `  - ${name}: ${what}`;
  });
}
