// Route samples for coding: a code of the seeded codebook (the codebook is district-wide, not case-scoped).
import type { SampleProvider } from "./types.ts";

export const provider: SampleProvider = {
  params: ["codeId"],
  async samples(db) {
    const code = await db.code.findUniqueOrThrow({ where: { key: "STR.ARB" }, select: { id: true } });
    return { codeId: code.id };
  },
  forms: {
    "routes/codebook._index": { name: "Stichprobe", colour: "#336699" },
    "routes/codebook.$codeId": { intent: "update", name: "Arbeit", colour: "#336699" },
  },
};
