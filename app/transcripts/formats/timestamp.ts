// Time notations: the Dresing & Pehl timestamp #hh:mm:ss-t# (tenths, truncated) and the clock of SRT/WebVTT.

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function parts(ms: number) {
  const total = Math.max(0, Math.floor(ms));
  return {
    h: Math.floor(total / 3_600_000),
    m: Math.floor((total % 3_600_000) / 60_000),
    s: Math.floor((total % 60_000) / 1000),
    ms: total % 1000,
  };
}

/** #00:01:23-4#: tenths of a second, truncated (as f4 and the fixtures write it). */
export function formatDpTimestamp(ms: number): string {
  const p = parts(ms);
  return `#${pad(p.h)}:${pad(p.m)}:${pad(p.s)}-${Math.floor(p.ms / 100)}#`;
}

/** A timestamp anywhere: #hh:mm:ss-t#, also with hundredths or milliseconds, "." or "," before the fraction. */
export const DP_TIMESTAMP = /#(\d{1,3}):(\d{2}):(\d{2})(?:[-.,](\d{1,3}))?#/;
/** The timestamp that ends a paragraph (surrounding spaces included). */
export const DP_TIMESTAMP_AT_END = new RegExp(`[ \\t\\u00a0]*${DP_TIMESTAMP.source}[ \\t\\u00a0]*$`);

/** Milliseconds of a matched timestamp, or null when minutes or seconds are out of range. */
export function dpMatchToMs(match: RegExpExecArray): number | null {
  const [, h, m, s, frac] = match;
  if (Number(m) > 59 || Number(s) > 59) return null;
  const fraction = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + fraction;
}

/** 00:01:23.456 (WebVTT) or 00:01:23,456 (SRT). */
export function formatClock(ms: number, separator: "." | ","): string {
  const p = parts(ms);
  return `${pad(p.h)}:${pad(p.m)}:${pad(p.s)}${separator}${pad(p.ms, 3)}`;
}

/** hh:mm:ss.ttt with optional hours (WebVTT allows mm:ss.ttt); "," accepted for SRT. */
const CLOCK = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/;

export function parseClock(value: string): number | null {
  const match = CLOCK.exec(value.trim());
  if (!match) return null;
  const [, h, m, s, ms] = match;
  if (Number(m) > 59 || Number(s) > 59) return null;
  return Number(h ?? 0) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms);
}
