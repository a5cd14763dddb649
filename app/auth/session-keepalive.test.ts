// The page's keep-alive (routes/session.keepalive): it touches a session that is within the idle limit, so someone
// typing a long note keeps it, and answers 401 (not the login redirect) for one that has ended, so the page can warn
// before unsaved text is lost; the scripts of a page (autosave, codes, suggestions) get a 401 too. The browser side
// (input -> touch, the warning, carrying on after a new login) is in tests/e2e/notes.test.ts and transcript-editor.test.ts.
import { describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, getRequest, signedInUser } from "../cases/test-support.ts";
import { env } from "../env.server.ts";
import * as keepalive from "../routes/session.keepalive.tsx";
import * as transcriptPage from "../routes/interviews.$interviewId.transcript._index.tsx";
import * as codingsRoute from "../routes/interviews.$interviewId.codings.tsx";
import * as suggest from "../routes/search-suggest.tsx";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("session keep-alive", () => {
  it("touches a session inside the idle limit and refuses one past it without redirecting", async () => {
    const who = await signedInUser("keepalive.user", ["integration_manager"]);
    const idle = env().SESSION_IDLE_MINUTES;
    await db.session.update({ where: { id: who.user.sessionId }, data: { lastSeenAt: minutesAgo(idle - 2) } });
    const ok = await keepalive.loader({ request: getRequest("/session/keepalive", who), params: {}, ...ctx });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Cache-Control")).toBe("no-store");
    const touched = await db.session.findUniqueOrThrow({ where: { id: who.user.sessionId }, select: { lastSeenAt: true } });
    expect(Date.now() - touched.lastSeenAt.getTime()).toBeLessThan(60_000);

    await db.session.update({ where: { id: who.user.sessionId }, data: { lastSeenAt: minutesAgo(idle + 1) } });
    const ended = await keepalive.loader({ request: getRequest("/session/keepalive", who), params: {}, ...ctx });
    expect(ended.status).toBe(401);
    expect(await ended.json()).toEqual({ active: false });
    expect(await db.session.count({ where: { id: who.user.sessionId } })).toBe(0);
    // Without any session cookie: the same 401.
    expect((await keepalive.loader({ request: new Request("http://localhost/session/keepalive"), params: {}, ...ctx })).status).toBe(401);
  });

  it("requests of the page's own scripts get a 401 they can show, not the login redirect they would follow", async () => {
    const post = (path: string) => new Request(`http://localhost${path}`, { method: "POST", headers: { cookie: "lw_session=ended" }, body: new URLSearchParams({ intent: "save" }) });
    const params = { interviewId: "any" };
    const save = (await transcriptPage.action({ request: post("/interviews/any/transcript?index"), params, ...ctx })) as Response;
    expect([save.status, await save.json()]).toEqual([401, { ok: false, error: "save.session" }]);
    const coding = (await codingsRoute.action({ request: post("/interviews/any/codings"), params, ...ctx })) as Response;
    expect([coding.status, await coding.json()]).toEqual([401, { ok: false, reason: "session" }]);
    const hints = (await suggest.loader({ request: new Request("http://localhost/search-suggest?q=Pr%C3%BCfung"), params: {}, ...ctx })) as Response;
    expect([hints.status, await hints.json()]).toEqual([401, { q: "Prüfung", all: "Prüfung", total: 0, hits: [], hint: "session" }]);
  });

  it("a script's request carrying an earlier session's token (new login in another tab, page not reloaded) is answered like an ended session, not thrown", async () => {
    // A thrown 403 made Remix show the error page in place of the transcript editor, and its unsaved words were lost.
    const who = await signedInUser("keepalive.relogin", ["researcher"]);
    const stale = (path: string) => new Request(`http://localhost${path}`, { method: "POST", headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ intent: "save", _csrf: "token-of-the-ended-session", payload: "{}" }) });
    const params = { interviewId: "any" };
    const save = (await transcriptPage.action({ request: stale("/interviews/any/transcript?index"), params, ...ctx })) as Response;
    expect([save.status, await save.json()]).toEqual([403, { ok: false, error: "save.session" }]);
    const coding = (await codingsRoute.action({ request: stale("/interviews/any/codings"), params, ...ctx })) as Response;
    expect([coding.status, await coding.json()]).toEqual([403, { ok: false, reason: "session" }]);
  });
});
