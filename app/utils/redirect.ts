/**
 * Only same-site relative paths; anything else (//evil, https://...) falls back. Browsers drop tabs and line breaks
 * from a URL and read `\` as `/`, so "/\t/evil.example" would become "//evil.example": such characters are refused
 * too, and the path must resolve to this origin.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  const base = "http://lebenswege.invalid";
  let resolved: URL;
  try {
    resolved = new URL(to, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base || to.startsWith("//")) return fallback;
  return to;
}
