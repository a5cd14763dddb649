// Identity data (names, birth dates, phone numbers, file numbers) must never reach the research side:
// every route of the build is requested as researcher and commissioner (page HTML, loader data, CSV) and no
// demo identity may appear. An integration manager must not see identities of other municipalities either.
// The identity page itself must show them to the case's manager: proof that the search finds a leak.
// What a person says in a consented interview is research material, not an identity record: the fixture
// interviews name their speakers on purpose (anonymization proposals handle that, issue 8). So the spoken
// paragraphs are cut out of each response before the search; the name anywhere else is still a leak.
import { open, type Sealed } from "../../app/identity/crypto.server.ts";
import type { IdentityData } from "../../app/identity/identity.ts";
import { DEMO_USERS } from "../../prisma/seed/demo.ts";
import { startAppServer, type HttpClient } from "../support/app-server.ts";
import { dataUrl, demoSamples, routeUrl } from "../support/routes.ts";

const server = await startAppServer();
afterAll(() => server.stop());

type Person = { caseId: string; pseudonym: string; ags: string; needles: { label: string; pattern: RegExp }[] };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Names as whole words only, so "Ana" does not match inside "Analyse".
const word = (s: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(s)}(?![\\p{L}\\p{N}])`, "u");

function needlesOf(identity: IdentityData) {
  const needles: { label: string; pattern: RegExp }[] = [];
  const add = (label: string, value: string | undefined, asWord = false) => {
    if (value && value.trim().length >= 3) needles.push({ label, pattern: asWord ? word(value.trim()) : new RegExp(escapeRe(value.trim())) });
  };
  add("firstName", identity.firstName, true);
  add("lastName", identity.lastName, true);
  if (identity.dateOfBirth) {
    const [y, m, d] = identity.dateOfBirth.split("-");
    add("dateOfBirth", identity.dateOfBirth);
    add("dateOfBirth (de)", `${d}.${m}.${y}`);
    add("dateOfBirth (de, short)", `${Number(d)}.${Number(m)}.${y}`);
    add("dateOfBirth (en)", `${Number(m)}/${Number(d)}/${y}`);
  }
  for (const field of ["address", "phone", "azrNumber", "bamfNumber", "otherFileNumbers"] as const) add(field, identity[field]);
  return needles;
}

const rows = await server.db.identity.findMany({
  select: { caseId: true, keyId: true, iv: true, tag: true, ciphertext: true, case: { select: { pseudonym: true, municipality: { select: { ags: true } } } } },
});
const persons: Person[] = rows.map((r) => ({
  caseId: r.caseId,
  pseudonym: r.case.pseudonym,
  ags: r.case.municipality.ags,
  needles: needlesOf(open<IdentityData>(r as Sealed, r.caseId)),
}));

const spoken = (await server.db.transcriptParagraph.findMany({ select: { text: true } }))
  .map((p) => p.text)
  .filter((t) => t.length > 0)
  .sort((a, b) => b.length - a.length);

function withoutInterviewSpeech(text: string): string {
  let out = text;
  for (const paragraph of spoken) out = out.split(paragraph).join(" [paragraph] ");
  // Pieces of spoken paragraphs (search snippets, retrieved passages) are marked as such by the pages that show them.
  out = out.replace(/<(p|span|div|blockquote) class="[^"]*" data-spoken="true">[\s\S]*?<\/\1>/g, " [snippet] ");
  out = out.replace(/\{"spoken":true,"segments":\[(?:\{"text":"(?:[^"\\]|\\.)*","hit":(?:true|false)\},?)*\]/g, " [snippet] ");
  return out;
}

/** Entities and JSON escapes undone, so an escaped name is found too. */
function normalise(body: string): string {
  return body
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * Whether a match lies inside a piece of an interview paragraph at least 20 characters longer than itself: a
 * quoted passage with its context (coded segments) or a search snippet is speech too, cut at other places.
 */
function insideSpeech(text: string, index: number, length: number): boolean {
  const inSpeech = (s: string) => spoken.some((p) => p.includes(s));
  let from = index;
  let to = index + length;
  if (!inSpeech(text.slice(from, to))) return false;
  while (from > 0 && inSpeech(text.slice(from - 1, to))) from--;
  while (to < text.length && inSpeech(text.slice(from, to + 1))) to++;
  return to - from >= length + 20;
}

function findLeaks(body: string, among: Person[], speechAllowed: boolean): string[] {
  // Researchers may read what was said in interviews (names included); nobody else may, so for them nothing is stripped.
  const text = speechAllowed ? withoutInterviewSpeech(normalise(body)) : normalise(body);
  const found: string[] = [];
  for (const p of among) {
    for (const n of p.needles) {
      for (const m of text.matchAll(new RegExp(n.pattern.source, `${n.pattern.flags}g`))) {
        if (speechAllowed && insideSpeech(text, m.index, m[0].length)) continue;
        found.push(`${p.pseudonym} ${n.label} "${m[0]}" in "…${text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 60).replace(/\s+/g, " ")}…"`);
        break;
      }
    }
  }
  return found;
}

const samples = [await demoSamples(server.db, "im.loerrach"), await demoSamples(server.db, "im.weil")];
const routes = server.routes.filter((r) => r.hasLoader);

/** Every URL of the manifest in both municipality passes: documents, loader data and resources (CSV). */
function urlsToProbe(): string[] {
  const urls = new Set<string>();
  for (const s of samples) {
    for (const route of routes) {
      const { url, missing } = routeUrl(route, server.routes, s);
      if (missing.length) continue; // the access matrix reports these
      urls.add(url);
      if (route.hasComponent) urls.add(dataUrl(url, route.id));
    }
  }
  return [...urls];
}

async function leaksFor(client: HttpClient, among: Person[], speechAllowed = false) {
  const leaks: string[] = [];
  for (const url of urlsToProbe()) {
    const { res, chain } = await client.follow(url);
    for (const leak of findLeaks(await res.text(), among, speechAllowed)) leaks.push(`${chain.join(" -> ")} (${res.status}): ${leak}`);
  }
  return leaks;
}

describe("identity data stays on the case side", () => {
  it("has demo identities to look for", () => {
    expect(persons.length).toBeGreaterThanOrEqual(60);
    expect(persons.find((p) => p.pseudonym === "LOE-2016-0001")?.needles.map((n) => n.label)).toEqual(
      expect.arrayContaining(["firstName", "lastName", "dateOfBirth", "phone", "azrNumber"]),
    );
  });

  for (const username of ["forschung", "beauftragte", "admin"]) {
    it(`never shows an identity to ${username} (${DEMO_USERS.find((u) => u.username === username)!.roles.join(", ")})`, async () => {
      const client = await server.loginAs(username);
      expect(await leaksFor(client, persons, username === "forschung")).toEqual([]);
    });
  }

  it("never shows im.loerrach an identity of another municipality", async () => {
    const own = DEMO_USERS.find((u) => u.username === "im.loerrach")!.municipalities;
    const client = await server.loginAs("im.loerrach");
    expect(await leaksFor(client, persons.filter((p) => !own.includes(p.ags)))).toEqual([]);
  });

  it("shows the identity to the case's integration manager on the identity page (the search can fail)", async () => {
    const client = await server.loginAs("im.loerrach");
    const person = persons.find((p) => p.caseId === samples[0]!.caseId)!;
    const res = await client.get(`/cases/${person.caseId}/identity`);
    expect(res.status).toBe(200);
    const leaks = findLeaks(await res.text(), [person], false);
    expect(leaks.some((l) => l.includes("lastName"))).toBe(true);
    expect(leaks.some((l) => l.includes("firstName"))).toBe(true);
  });

  it("keeps identity values out of the audit log (it says who looked, not what they saw)", async () => {
    const manager = await server.loginAs("im.loerrach");
    await (await manager.get(`/cases/${samples[0]!.caseId}/identity`)).body?.cancel();
    const admin = await server.loginAs("admin");
    const auditRoutes = server.routes.filter((r) => r.id.startsWith("routes/admin.audit") && r.hasLoader);
    const leaks: string[] = [];
    for (const route of auditRoutes) {
      const { url } = routeUrl(route, server.routes, samples[0]!);
      const res = await admin.get(url);
      expect(res.status, url).toBe(200);
      leaks.push(...findLeaks(await res.text(), persons, false).map((l) => `${url}: ${l}`));
    }
    expect(leaks).toEqual([]);
    // The view above was logged.
    expect(await server.db.auditLog.count({ where: { action: "identity.view", entityId: samples[0]!.caseId } })).toBeGreaterThan(0);
  });
});
