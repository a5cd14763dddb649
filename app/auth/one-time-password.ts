// A password set by someone else (an admin in Verwaltung › Benutzer, or `npm run user:create-admin`) is known to
// them and to whoever saw the screen: it only lets its owner in to choose their own (docs/decisions/0024).

/** Days a one-time password signs in; after that an admin has to set a new one. */
export const ONE_TIME_PASSWORD_DAYS = 7;

/** When a one-time password set at `setAt` stops signing in. */
export function oneTimePasswordValidUntil(setAt: Date): Date {
  return new Date(setAt.getTime() + ONE_TIME_PASSWORD_DAYS * 86_400_000);
}
