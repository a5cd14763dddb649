// Turns the build's route manifest into URLs a test can request: full paths from the parent chain, route
// params filled with demo records, and the extra query some routes need to show anything.
import type { Db } from "../../app/db/client.server.ts";
import { Readable } from "node:stream";
import { DEMO_USERS } from "../../prisma/seed/demo.ts";
import { DEMO_INTERVIEWS } from "../../prisma/seed/demo-interviews.ts";
import { newStorageKey, storage } from "../../app/storage/storage.server.ts";
import type { RouteInfo } from "./app-server.ts";
import type { BaseSamples } from "./samples/types.ts";
import { PROVIDERS } from "./samples/index.ts";

/** Values for route params, all within one integration manager's municipalities (base + per-capability providers). */
export type Samples = BaseSamples & Record<string, string>;

/** Demo records for a pass: a case (active, in a household, with data) of the given IM's municipalities. */
export async function demoSamples(db: Db, imUsername: "im.loerrach" | "im.weil"): Promise<Samples> {
  const ags = DEMO_USERS.find((u) => u.username === imUsername)!.municipalities;
  const indicator = await db.indicatorDefinition.findUniqueOrThrow({ where: { code: "S.DTNIV" }, select: { id: true, code: true } });
  const inScope = { municipality: { ags: { in: ags } }, status: "active" };
  const found =
    (await db.case.findFirst({
      where: { ...inScope, householdId: { not: null }, snapshots: { some: { indicatorId: indicator.id } }, contacts: { some: {} } },
      orderBy: { pseudonym: "asc" },
      select: { id: true, municipalityId: true },
    })) ?? (await db.case.findFirstOrThrow({ where: inScope, orderBy: { pseudonym: "asc" }, select: { id: true, municipalityId: true } }));
  const otherUser = await db.user.findUniqueOrThrow({ where: { username: "im.weil" }, select: { id: true } });
  // The demo interviews (prisma/seed/demo-interviews.ts): int-01 is on a case of im.loerrach, int-02 of im.weil.
  const code = DEMO_INTERVIEWS[imUsername === "im.loerrach" ? 0 : 1].code;
  const interview = await db.interview.findUniqueOrThrow({ where: { code }, select: { id: true, recordings: { select: { id: true }, take: 1 } } });
  const recordingId = interview.recordings[0]?.id ?? "no-recording-seeded";
  const document = await sampleConsentDocument(db, interview.id);
  const base: BaseSamples = {
    caseId: found.id,
    municipalityId: found.municipalityId,
    userId: otherUser.id,
    indicatorCode: indicator.code,
    indicatorId: indicator.id,
    interviewId: interview.id,
    recordingId,
    documentId: document,
    splat: "does-not-exist",
  };
  let samples: Samples = { ...base };
  for (const provider of PROVIDERS) samples = { ...samples, ...(await provider.samples(db, imUsername, base)) };
  return samples;
}

/** A scanned consent form (a minimal PDF) stored for the interview, so the download route has a record. */
async function sampleConsentDocument(db: Db, interviewId: string): Promise<string> {
  const existing = await db.consentDocument.findFirst({ where: { interviewId }, select: { id: true } });
  if (existing) return existing.id;
  const key = newStorageKey();
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
  const stored = await storage().put(key, Readable.from([pdf]), { contentType: "application/pdf" });
  const row = await db.consentDocument.create({
    data: { interviewId, storageKey: key, displayName: "einwilligung.pdf", contentType: "application/pdf", sizeBytes: BigInt(stored.size), sha256: stored.sha256 },
    select: { id: true },
  });
  return row.id;
}

/** Query strings that routes need to show their content (they answer 400/404 without). */
const SAMPLE_QUERIES: Record<string, (s: Samples) => Record<string, string>> = {
  "routes/dashboard.cell": (s) => ({ indicator: s.indicatorCode, municipality: s.municipalityId }),
  ...Object.assign({}, ...PROVIDERS.map((p) => p.queries ?? {})),
};

/**
 * Form fields that make a POST otherwise valid, so a refusal can only come from the missing token
 * (a route may check its input before the token; garbage would then get 400 instead of 403).
 */
const SAMPLE_FORMS: Record<string, Record<string, string>> = {
  "routes/set-locale": { locale: "en", redirectTo: "/" },
  ...Object.assign({}, ...PROVIDERS.map((p) => p.forms ?? {})),
};

export function sampleForm(routeId: string): Record<string, string> {
  return SAMPLE_FORMS[routeId] ?? { intent: "probe" };
}

export function chainOf(route: RouteInfo, routes: RouteInfo[]): RouteInfo[] {
  const byId = new Map(routes.map((r) => [r.id, r]));
  const chain: RouteInfo[] = [];
  for (let r: RouteInfo | undefined = route; r; r = r.parentId ? byId.get(r.parentId) : undefined) chain.unshift(r);
  return chain;
}

/** "/cases/:caseId/snapshots/:indicatorCode" */
export function routePattern(route: RouteInfo, routes: RouteInfo[]): string {
  const segments = chainOf(route, routes)
    .map((r) => r.path ?? "")
    .filter((p) => p !== "")
    .flatMap((p) => p.split("/"));
  return "/" + segments.join("/");
}

export type RouteUrl = {
  url: string;
  /** params the samples have no value for (the test fails: add a sample) */
  missing: string[];
  /** the URL names a record of the pass's municipalities (an IM of another municipality gets 404) */
  scoped: boolean;
};

export function routeUrl(route: RouteInfo, routes: RouteInfo[], samples: Samples, overrides: Partial<Record<keyof Samples, string>> = {}): RouteUrl {
  const values = { ...samples, ...overrides } as Record<string, string>;
  const missing: string[] = [];
  let scoped = false;
  const path = routePattern(route, routes)
    .split("/")
    .map((segment) => {
      const param = segment === "*" ? "splat" : segment.startsWith(":") ? segment.slice(1).replace(/\?$/, "") : null;
      if (param === null) return segment;
      if (param === "caseId") scoped = true;
      const value = values[param];
      if (value === undefined) {
        missing.push(param);
        return segment;
      }
      return encodeURIComponent(value);
    })
    .join("/");
  const query = SAMPLE_QUERIES[route.id]?.({ ...samples, ...overrides } as Samples);
  if (query && Object.values(query).includes(samples.municipalityId)) scoped = true;
  const search = query ? `?${new URLSearchParams(query)}` : "";
  return { url: (path || "/") + search, missing, scoped };
}

/** The URL with a Remix data request for one route's loader (or action). */
export function dataUrl(url: string, routeId: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(routeId)}`;
}

/**
 * Whether a document request to the route's URL renders this route as the deepest match (no index child
 * or pathless child takes the URL). Layouts are covered by their children's document requests.
 */
export function rendersOwnUrl(route: RouteInfo, routes: RouteInfo[]): boolean {
  return !routes.some((r) => r.parentId === route.id && (r.index || !r.path));
}

/** Route params that name a record (a wrong value must give 404, not 500). */
export const RECORD_PARAMS: readonly string[] = ["caseId", "userId", "indicatorId", "indicatorCode", "interviewId", "recordingId", "documentId", ...PROVIDERS.flatMap((p) => p.params)];

export function paramsOf(route: RouteInfo, routes: RouteInfo[]): string[] {
  return routePattern(route, routes)
    .split("/")
    .filter((s) => s.startsWith(":"))
    .map((s) => s.slice(1).replace(/\?$/, ""));
}
