// One provider per capability, so each adds its routes' samples without touching the others' (tests/support/routes.ts).
import type { Db } from "../../../app/db/client.server.ts";

export type BaseSamples = {
  caseId: string;
  municipalityId: string;
  userId: string;
  indicatorCode: string;
  indicatorId: string;
  interviewId: string;
  recordingId: string;
  documentId: string;
  splat: string;
};

export type SampleProvider = {
  /** route params this provider fills that name a record (a wrong value must give 404, not 500) */
  params: string[];
  /** values for those params, within the given integration manager's municipalities where scoped */
  samples(db: Db, imUsername: "im.loerrach" | "im.weil", base: BaseSamples): Promise<Record<string, string>>;
  /** query strings routes need to show their content, by route id */
  queries?: Record<string, (s: BaseSamples & Record<string, string>) => Record<string, string>>;
  /** form fields that make a POST otherwise valid (so a refusal can only come from the missing token), by route id */
  forms?: Record<string, Record<string, string>>;
};
