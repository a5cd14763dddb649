// Route samples for narratives: the demo narratives (prisma/seed/demo-narratives.ts), seeded here when the
// server's seed did not. The released one is the sample, so the commissioner's pass sees a page, not a 404.
import type { SampleProvider } from "./types.ts";
import { seedDemoNarratives } from "../../../prisma/seed/demo-narratives.ts";

export const provider: SampleProvider = {
  params: ["narrativeId"],
  async samples(db) {
    const { released } = await seedDemoNarratives(db);
    return { narrativeId: released ?? "no-narrative-seeded" };
  },
  queries: {
    "routes/narratives.$narrativeId.export": () => ({ format: "pdf" }),
  },
  forms: {
    "routes/narratives._index": { caseId: "probe", title: "Probe" },
    "routes/cases.$caseId.narratives": { title: "Probe" },
    "routes/narratives.$narrativeId._index": { intent: "submit" },
    "routes/narratives.$narrativeId.compose": { intent: "addText", text: "Probe" },
    "routes/narratives.$narrativeId.redaction": { intent: "acceptAll" },
  },
};
