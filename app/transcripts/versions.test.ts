// The thinning rule for autosaved versions, on its own (the database path is tested in transcripts.test.ts).
import { describe, expect, it } from "vitest";
import { BURST_GAP_MS, KEEP_ALL_MS, versionsToThin, type VersionMeta } from "./versions.server.ts";

const NOW = new Date("2026-11-29T12:00:00Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
let n = 0;
const v = (kind: string | null, minutesAgo: number, by: string | null = "anna"): VersionMeta => ({ id: `v${++n}`, version: n, kind, createdById: by, createdAt: ago(minutesAgo) });
const kept = (rows: VersionMeta[]) => {
  const drop = new Set(versionsToThin(rows, NOW));
  return rows.filter((r) => !drop.has(r.id)).map((r) => r.version);
};

describe("thinning autosaved versions", () => {
  it("keeps the last state of an old editing burst and every save of the last hour", () => {
    n = 0;
    // a burst three hours ago (saves a few minutes apart), a burst two hours ago, then saves in the last hour
    const rows = [v("import", 200), v("save", 180), v("save", 178), v("save", 171), v("save", 120), v("save", 115), v("save", 50), v("save", 45), v("save", 1)];
    expect(kept(rows)).toEqual([1, 4, 6, 7, 8, 9]);
  });

  it("ends a burst at a gap of more than ten minutes, at another person's save, and at any other kind", () => {
    n = 0;
    const gap = BURST_GAP_MS / 60_000;
    expect(kept([v("save", 300), v("save", 300 - gap - 1), v("save", 200)])).toEqual([1, 2, 3]);
    n = 0;
    expect(kept([v("save", 300), v("save", 299, "bert"), v("save", 298)])).toEqual([1, 2, 3]);
    n = 0;
    // the state before a restore, an import or a whisper run stays, and so do they
    expect(kept([v("save", 300), v("restore", 299), v("save", 298), v("import", 297), v("save", 296), v("whisper", 295), v("kept", 294)])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("never drops versions from before kinds were stored, the worker's, or the current one", () => {
    n = 0;
    expect(kept([v(null, 300), v(null, 299), v("save", 298, null), v("save", 297, null), v("save", 296)])).toEqual([1, 2, 3, 4, 5]);
    n = 0;
    const old = KEEP_ALL_MS / 60_000 + 5;
    expect(kept([v("save", old + 2), v("save", old + 1), v("save", old)])).toEqual([3]);
  });

  it("reads the order from the version numbers, not from the order of the rows", () => {
    n = 0;
    const rows = [v("save", 300), v("save", 299), v("save", 298)];
    expect(versionsToThin([...rows].reverse(), NOW).sort()).toEqual(["v1", "v2"]);
  });
});
