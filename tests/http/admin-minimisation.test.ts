// The admin role administers and reads no content (GDPR Art. 5(1)(c), 25; docs/decisions/0003): no identity, no
// transcript, no research search, no memos, no cases; the admin pages, the codebook and the suppressed dashboard
// still work, and pages the admin cannot open are named, not linked.
import { startAppServer } from "../support/app-server.ts";
import { dataUrl, demoSamples } from "../support/routes.ts";

const server = await startAppServer();
afterAll(() => server.stop());

const samples = await demoSamples(server.db, "im.loerrach");
const admin = await server.loginAs("admin");

async function status(path: string) {
  const res = await admin.get(path);
  await res.body?.cancel();
  return res.status;
}

describe("the admin role alone", () => {
  it("does not reach identities, transcripts, research search, memos or cases", async () => {
    for (const path of [
      `/cases/${samples.caseId}/identity`,
      `/interviews/${samples.interviewId}/transcript`,
      `/interviews/${samples.interviewId}`,
      "/search?q=Deutschkurs&scope=research",
      "/memos",
      "/cases",
      `/cases/${samples.caseId}/notes`,
      "/worklist",
    ]) {
      expect([403, 404], path).toContain(await status(path));
    }
  });

  it("still administers: users, municipalities, indicators, audit log, transcription queue, codebook", async () => {
    for (const path of ["/admin", "/admin/users", "/admin/municipalities", "/admin/indicators", "/admin/audit", "/admin/transcription", "/codebook", "/reports"]) {
      expect(await status(path), path).toBe(200);
    }
    // The codebook may be changed, too.
    expect(((await (await admin.get(dataUrl("/codebook", "routes/codebook._index"))).json()) as { canManage: boolean }).canManage).toBe(true);
  });

  it("sees the dashboard only suppressed, and lands on the administration after login", async () => {
    const dashboard = (await (await admin.get(dataUrl("/dashboard", "routes/dashboard._index"))).json()) as { mode: string; canLink: boolean };
    expect(dashboard).toMatchObject({ mode: "suppressed", canLink: false });
    const { chain } = await admin.follow("/");
    expect(chain.at(-1)).toBe("/admin");
  });

  it("gets no links to pages it cannot open: navigation, audit log, transcription queue", async () => {
    const { pseudonym } = await server.db.case.findUniqueOrThrow({ where: { id: samples.caseId }, select: { pseudonym: true } });
    const { code } = await server.db.interview.findUniqueOrThrow({ where: { id: samples.interviewId }, select: { code: true } });
    await server.db.auditLog.create({ data: { action: "identity.view", entity: "case", entityId: samples.caseId, username: "im.loerrach" } });
    await server.db.transcriptionJob.create({ data: { interviewId: samples.interviewId, recordingId: samples.recordingId, status: "failed", error: "x" } });

    const overview = await (await admin.get("/admin")).text();
    for (const to of ["/cases", "/interviews", "/memos", "/segments", "/narratives", "/exchange", "/worklist"]) expect(overview, to).not.toContain(`href="${to}"`);
    expect(overview).toContain('href="/dashboard"');

    const audit = await (await admin.get(`/admin/audit?entity=case&entityId=${samples.caseId}`)).text();
    expect(audit).toContain(pseudonym);
    expect(audit).not.toContain(`href="/cases/${samples.caseId}`);

    const queue = await (await admin.get("/admin/transcription")).text();
    expect(queue).toContain(code);
    expect(queue).not.toContain(`href="/interviews/${samples.interviewId}`);
  });
});
