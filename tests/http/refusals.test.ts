// Downloads, media and exports answer a refusal with a sentence, not an error page: the sentence is in the
// reader's language (the language cookie, else the browser's Accept-Language, else German).
import { afterAll, describe, expect, it } from "vitest";
import { startAppServer } from "../support/app-server.ts";
import { routePattern } from "../support/routes.ts";

const server = await startAppServer({ seed: { cases: 3 } });
afterAll(() => server.stop());

async function reader(username: string, language?: "de" | "en") {
  const client = await server.loginAs(username);
  if (language) client.cookies.set("lw_lang", language);
  else client.cookies.delete("lw_lang");
  return client;
}

async function refusal(res: Response) {
  return { status: res.status, type: res.headers.get("content-type"), language: res.headers.get("content-language"), text: await res.text() };
}

describe("refused downloads say why in the reader's language", () => {
  it("a download the role may not have", async () => {
    for (const path of ["/admin/audit.csv", "/recordings/any-recording/media", "/exchange/project.qdpx"]) {
      expect(await refusal(await (await reader("im.loerrach", "de")).get(path)), path).toEqual({ status: 403, type: "text/plain; charset=utf-8", language: "de", text: "Sie haben keine Berechtigung dafür." });
      expect(await refusal(await (await reader("im.loerrach", "en")).get(path)), path).toEqual({ status: 403, type: "text/plain; charset=utf-8", language: "en", text: "You do not have permission for this." });
    }
  });

  it("a file format that is not offered, and a file that is not there", async () => {
    const german = await reader("forschung", "de");
    const english = await reader("forschung", "en");
    const format = "/interviews/any-interview/transcript/export?format=pdf";
    expect((await refusal(await german.get(format))).text).toBe("Dieses Dateiformat wird hier nicht angeboten.");
    expect(await refusal(await english.get(format))).toEqual({ status: 400, type: "text/plain; charset=utf-8", language: "en", text: "This file format is not offered here." });
    expect(await refusal(await german.get("/consent-documents/no-such-document"))).toMatchObject({ status: 404, text: "Das gibt es nicht (mehr), oder Sie dürfen es nicht sehen." });
    expect(await refusal(await english.get("/consent-documents/no-such-document"))).toMatchObject({ status: 404, text: "This does not exist (any more), or you may not see it." });
  });

  it("without a language cookie, the browser's language; German when it asks for neither", async () => {
    const im = await reader("im.loerrach");
    expect((await refusal(await im.get("/admin/audit.csv", { "accept-language": "en-GB,en;q=0.9" }))).text).toBe("You do not have permission for this.");
    expect((await refusal(await im.get("/admin/audit.csv", { "accept-language": "fr-FR" }))).text).toBe("Sie haben keine Berechtigung dafür.");
  });

  it("a method the address does not take (POST to a download): 405, the methods it takes, and a sentence", async () => {
    const german = await reader("forschung", "de");
    const english = await reader("forschung", "en");
    const narrative = await german.post("/narratives/any-narrative/export");
    expect(await refusal(narrative)).toEqual({ status: 405, type: "text/plain; charset=utf-8", language: "de", text: "Diese Anfrageart ist hier nicht erlaubt (erlaubt: GET, HEAD)." });
    expect(narrative.headers.get("allow")).toBe("GET, HEAD");
    expect(await refusal(await english.post("/narratives/any-narrative/export"))).toMatchObject({ status: 405, text: "Method not allowed (allowed: GET, HEAD)." });
    // Every resource route without an action says the same, whoever asks (no permission check runs first).
    const downloads = server.routes.filter((r) => !r.hasComponent && r.hasLoader && !r.hasAction);
    expect(downloads.length).toBeGreaterThan(10);
    for (const route of downloads) {
      const path = routePattern(route, server.routes).replace(/:\w+\??|\*/g, "any");
      const res = await english.post(path);
      expect({ path, status: res.status, allow: res.headers.get("allow"), text: await res.text() }).toEqual({ path, status: 405, allow: "GET, HEAD", text: "Method not allowed (allowed: GET, HEAD)." });
    }
  });
});
