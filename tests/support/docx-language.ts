// The languages a Word file names: the document's default (styles.xml, w:docDefaults), which Word spell-checks
// every run in that names none, and those set on single runs (document.xml).
import { unzipEntries } from "../narratives/support.ts";

export async function docxLanguages(buffer: Buffer): Promise<{ default: string | null; runs: string[] }> {
  const parts = await unzipEntries(buffer);
  const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(parts.get("word/styles.xml") ?? "")?.[0] ?? "";
  const lang = (xml: string) => [...xml.matchAll(/<w:lang w:val="([^"]+)"/g)].map((m) => m[1]!);
  return { default: lang(defaults)[0] ?? null, runs: [...new Set(lang(parts.get("word/document.xml") ?? ""))] };
}
