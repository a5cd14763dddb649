// zod building blocks whose messages are i18n keys (see ErrorText), shared by server and client.
import { z } from "zod";

const msg = (key: string, params?: Record<string, unknown>) => (params ? `${key}|${JSON.stringify(params)}` : key);

export const requiredText = (max = 200) =>
  z
    .string({ required_error: msg("validation.required"), invalid_type_error: msg("validation.required") })
    .trim()
    .min(1, msg("validation.required"))
    .max(max, msg("validation.tooLong", { max }));

export const optionalText = (max = 200) => z.string().trim().max(max, msg("validation.tooLong", { max })).optional();

/** Earliest date any form takes: older ones are typing errors in this register. */
const EARLIEST_YEAR = 1900;
/** Where a future date is allowed (a planned interview, a goal in a note): at most this many years ahead. */
const LATEST_YEARS_AHEAD = 10;

/** What is wrong with a YYYY-MM-DD value (a day that does not exist, too early, in the future), or null. */
const GERMAN_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's calendar day in Germany (YYYY-MM-DD): from midnight to 1 or 2 a.m. UTC still says yesterday. */
export const todayInGermany = (now = new Date()) => GERMAN_DAY.format(now);

export function dateProblem(v: string, { allowFuture = false } = {}): string | null {
  const d = new Date(`${v}T00:00:00.000Z`);
  // 2026-02-31 parses as 3 March: only a value that comes back unchanged is a real day.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return msg("validation.invalidDate");
  if (d.getUTCFullYear() < EARLIEST_YEAR) return msg("validation.dateTooEarly", { year: EARLIEST_YEAR });
  if (!allowFuture && v > todayInGermany()) return msg("validation.futureDate");
  const latest = new Date().getUTCFullYear() + LATEST_YEARS_AHEAD;
  if (d.getUTCFullYear() > latest) return msg("validation.dateTooLate", { year: latest });
  return null;
}

/** An <input type="date"> value (YYYY-MM-DD), as a Date at UTC midnight; not in the future unless allowed. */
export const dateField = ({ allowFuture = false } = {}) =>
  z
    .string({ required_error: msg("validation.required") })
    .regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.invalidDate"))
    .transform((v, ctx) => {
      const problem = dateProblem(v, { allowFuture });
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return new Date(`${v}T00:00:00.000Z`);
    });

/** A whole number in min..max; every way to miss it (text, 1.5, out of range) gets the one message that says what fits. */
export const intField = (min: number, max: number) => {
  const wrong = msg("validation.wholeNumber", { min, max });
  return z.coerce.number({ required_error: msg("validation.required"), invalid_type_error: wrong }).int(wrong).min(min, wrong).max(max, wrong);
};

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { required_error: msg("validation.choose"), invalid_type_error: msg("validation.choose"), message: msg("validation.choose") });

/** A password as typed, never trimmed (a space is part of it): what was set is exactly what logs in. */
export const passwordInput = () =>
  z
    .string({ required_error: msg("validation.required"), invalid_type_error: msg("validation.required") })
    .min(1, msg("validation.required"))
    .max(200, msg("validation.tooLong", { max: 200 }));

/**
 * A new password: at least 12 characters, no space at either end (copied with a stray space from a message, it
 * would never be typed the same way again), and not containing the user name.
 */
export const passwordField = (username?: string) =>
  passwordInput()
    .min(12, msg("validation.tooShort", { min: 12 }))
    .refine((v) => v.trim() === v, msg("validation.passwordEdgeSpace"))
    .refine((v) => !username || !v.toLowerCase().includes(username.trim().toLowerCase()), msg("validation.passwordHasUsername"));

export { msg as validationMessage };
