// Route samples for links-timeline: record params (filled with demo records), query strings and POST forms.
import type { SampleProvider } from "./types.ts";

export const provider: SampleProvider = {
  params: [],
  async samples() {
    return {};
  },
};
