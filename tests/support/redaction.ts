// Checks for exports that replace identifying details: the planted identity strings of the interview fixtures
// (../shared/fixtures/interviews/int-0N.identity.yaml) and whether a replaced passage still covers the same words.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");

export type Planted = { category: string; text: string; start: number; end: number };

export const planted = (fixture: string): Planted[] => (YAML.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.identity.yaml`), "utf8")) as { identity: Planted[] }).identity;

/**
 * What a replacement looks like: a bracketed placeholder (with the article fitted before it: "ein Bauingenieur" ->
 * "eine [Fachkraft im technischen Bereich]"), a date coarsened to season or year (with the words fitted before it),
 * a coarsened age or origin, a generalised nationality or profession adjective, a school stage, a place without its size.
 */
const REPLACEMENT = /(?:(?:[Ee]ine[rm]?|[Dd](?:as|ie|er|es)|[Ii]m|[Zz]um|(?:[Aa]us|[Vv]on|[Mm]it|[Bb]ei|[Nn]ach|[Ss]eit) dem) )?\[[^\]\n]+\]|(?:Grundschul|Unter|Mittel|Ober)stufe|(?:in der )(?:Grundschul|Unter|Mittel|Ober)stufe|(?:ausländisch|medizinisch|Ausländisch|Medizinisch)[a-z]*|(?:Gemeinde|Dorf|Ort|Ortschaft|Stadt|Kleinstadt|Städtchen|Dörfchen|Ortsteil|Teilort|Weiler|Kaff|Nest)(?![a-zäöüß])|(?:(?:[Ee]in Tag )?[IiAa][mn] )?(?:Winter|Frühjahr|Sommer|Herbst)(?: \d{4}(?:\/\d{2})?)?|(?:[Ee]in Tag im Jahr )?\d{4}|(?:[Mm]it )?(?:Anfang|Mitte|Ende) [a-zß]+|[Ii]m (?:Kindes|Jugend)alter|ein Kind|[Jj]ugendlich[a-z]*|(?:ostafrikanisch|arabisch)[a-z]*|Ostafrikaner[a-z]*/gu;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether the replaced passage covers the same words as the original: with every replacement as a wildcard it
 * must match the whole original, so no word is lost or gained at either edge and the words between are the same.
 */
export function coversSameWords(original: string, replaced: string): boolean {
  let pattern = "";
  let at = 0;
  for (const m of replaced.matchAll(REPLACEMENT)) {
    pattern += `${escape(replaced.slice(at, m.index))}[\\s\\S]+?`;
    at = m.index + m[0].length;
  }
  return new RegExp(`^${pattern}${escape(replaced.slice(at))}$`, "u").test(original);
}
