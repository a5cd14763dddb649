// The timeline's play button over real HTTP: an integration manager (no recording permission) hears exactly
// the linked passage's turn, cut by ffmpeg; another municipality, a missing recording consent or a rejected
// link get nothing.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "../../tests/support/app-server.ts";
import { seedDemoLinks } from "../../prisma/seed/demo-links.ts";
import { fixturesDir } from "../../prisma/seed/demo-interviews.ts";

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({ seed: { cases: 20 } });
  await seedDemoLinks(server.db);
});
afterAll(() => server?.stop());

function probeSeconds(bytes: Uint8Array): Promise<number> {
  const file = path.join(fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "clip-")), "clip.mp3");
  fs.writeFileSync(file, bytes);
  return new Promise((resolve, reject) =>
    execFile("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim())))),
  );
}

describe.runIf(fixturesDir() !== null)("passage audio", () => {
  it("serves only the passage's turn to the case's integration manager, and audits the play", async () => {
    const link = await server.db.passageLink.findFirstOrThrow({
      where: { status: "proposed", coding: { interview: { code: "INT-2025-0001" } } },
      select: { id: true, coding: { select: { start: true, transcriptId: true } } },
    });
    const im = await server.loginAs("im.loerrach");
    const res = await im.get(`/passage-links/${link.id}/audio`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    const seconds = await probeSeconds(new Uint8Array(await res.arrayBuffer()));
    const recording = await server.db.recording.findFirstOrThrow({ where: { interview: { code: "INT-2025-0001" } }, select: { durationMs: true } });
    // One turn, far shorter than the whole interview (6:45).
    expect(seconds).toBeGreaterThan(1);
    expect(seconds * 1000).toBeLessThan(recording.durationMs! / 4);
    expect(await server.db.auditLog.count({ where: { action: "passage-link.play", detail: { contains: link.id } } })).toBe(1);
    // No access to the whole recording.
    const rec = await server.db.recording.findFirstOrThrow({ where: { interview: { code: "INT-2025-0001" } }, select: { id: true } });
    expect((await im.get(`/recordings/${rec.id}/media`)).status).toBe(403);
  });

  it("gives 404 to another municipality's manager, for rejected links, and without the recording consent", async () => {
    const link = await server.db.passageLink.findFirstOrThrow({ where: { status: "proposed", coding: { interview: { code: "INT-2025-0001" } } }, select: { id: true, coding: { select: { interviewId: true } } } });
    const weil = await server.loginAs("im.weil");
    expect((await weil.get(`/passage-links/${link.id}/audio`)).status).toBe(404);
    const commissioner = await server.loginAs("beauftragte");
    expect((await commissioner.get(`/passage-links/${link.id}/audio`)).status).toBe(403);

    const im = await server.loginAs("im.loerrach");
    await server.db.consentRecord.updateMany({ where: { interviewId: link.coding.interviewId }, data: { scopeRecording: false } });
    expect((await im.get(`/passage-links/${link.id}/audio`)).status).toBe(404);
    await server.db.consentRecord.updateMany({ where: { interviewId: link.coding.interviewId }, data: { scopeRecording: true } });

    await server.db.passageLink.update({ where: { id: link.id }, data: { status: "rejected", note: "falsch" } });
    expect((await im.get(`/passage-links/${link.id}/audio`)).status).toBe(404);
  });
});
