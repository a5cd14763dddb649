import type { SampleProvider } from "./types.ts";
import { provider as p0 } from "./coding.ts";
import { provider as p1 } from "./memos-notes.ts";
import { provider as p2 } from "./retrieval.ts";
import { provider as p3 } from "./links-timeline.ts";
import { provider as p4 } from "./search.ts";
import { provider as p5 } from "./narratives.ts";
import { provider as p6 } from "./refi.ts";

export const PROVIDERS: SampleProvider[] = [p0, p1, p2, p3, p4, p5, p6];
