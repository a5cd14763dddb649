// Sizes and durations of recordings for display.
// Decimal units in the page's number format, as the upload's progress shows them ("2,4 MB").
export function formatBytes(bytes: number, language: string): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: unit && value < 10 ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** h:mm:ss or m:ss */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000); // whole seconds passed, as players count (6:45.9 is 6:45)
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Date and time in the district's zone, so server and browser render the same text. */
export function formatDateTime(value: string | Date, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(new Date(value));
}
