// Everything the redaction of one narrative needs: the identity records' terms (decrypted and audited in
// identity-source.server.ts), the names the case's interviews announce, the district's municipalities (all of
// them: with the other details a town narrows as much as a village) and the researcher's own additions. Built per request, never stored.
import { db } from "../db/client.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { identityTermsForCase, type IdentityPurpose } from "./redaction/identity-source.server.ts";
import { learnNames } from "./redaction/names.ts";
import { identityHits } from "./redaction/identity-terms.ts";
import { hasPermission } from "../permissions/permissions.server.ts";
import { keyOf, type Segment } from "./redaction/proposals.ts";
import type { DetectContext } from "./redaction/detect.ts";
import type { DistrictMunicipality } from "./redaction/places.ts";
import type { RedactionState } from "./redaction/types.ts";
import { SMALL_MUNICIPALITY_MAX_POPULATION } from "./view.ts";
import { transcriptText } from "./sources.server.ts";
import { withScope } from "../consent/gates.server.ts";

export async function smallMunicipalityNames(): Promise<string[]> {
  const rows = await db.municipality.findMany({ where: { population: { lt: SMALL_MUNICIPALITY_MAX_POPULATION } }, select: { name: true } });
  // Official suffixes like "(Baden)" are not spoken.
  return rows.map((r) => r.name.replace(/\s*\(.*\)$/, ""));
}

/** Every municipality of the register (inactive ones too: people still name them), with type (Stadt or Gemeinde) and size. */
export async function districtMunicipalities(): Promise<DistrictMunicipality[]> {
  return db.municipality.findMany({ select: { name: true, type: true, population: true }, orderBy: { name: "asc" } });
}

export async function detectContext(request: Request | null, user: SessionUser | null, narrative: { id: string; caseId: string }, segments: readonly Segment[], state: RedactionState): Promise<DetectContext> {
  const ctx = await caseDetectContext(request, user, narrative.caseId, { purpose: "narrative-redaction", narrativeId: narrative.id }, segments.map((s) => s.text));
  return { ...ctx, manual: state.decisions.filter((d) => d.manual && d.replacement !== undefined).map((d) => ({ text: d.text, replacement: d.replacement! })) };
}

/** What the engine needs for one case's texts (a narrative's, or an export's): identity terms, names, small places. */
export async function caseDetectContext(request: Request | null, user: SessionUser | null, caseId: string, why: IdentityPurpose, ownTexts: readonly string[] = []): Promise<DetectContext> {
  const interviews = await db.interview.findMany({ where: { caseId, transcript: { isNot: null } }, select: { id: true } });
  const readable = new Set((await db.interview.findMany({ where: { caseId, ...withScope("analysis") }, select: { id: true } })).map((i) => i.id));
  const transcripts: string[] = [];
  const readableTranscripts: string[] = [];
  for (const i of interviews) {
    const source = await transcriptText(i.id);
    if (!source) continue;
    transcripts.push(source.text);
    if (readable.has(i.id)) readableTranscripts.push(source.text);
  }
  const corpus = [...ownTexts, ...transcripts];
  const [registered, municipalities] = await Promise.all([identityTermsForCase(request, user, caseId, why), districtMunicipalities()]);
  // Whoever may not read identity data (researchers) must not learn it from the proposals either: matched against
  // text they type, the register's values would answer guesses ("is her name Mariam Rahimi?", every date of a year
  // for the date of birth, a household member's phone). So only values that the case's transcripts themselves
  // contain (which the researcher reads anyway) count; names, dates, phone numbers and addresses typed from
  // elsewhere are still caught by the patterns and the name lists.
  const identity = !user || hasPermission(user, "read", "identity") ? registered : registered.filter((term) => readableTranscripts.some((text) => identityHits(text, [term]).length > 0));
  return { identity, municipalities, lexicon: learnNames(corpus), manual: [] };
}

export { keyOf };
export { redactionView, segmentsOf, SMALL_MUNICIPALITY_MAX_POPULATION } from "./view.ts";
