// Code colours: one hue per dimension, lighter shades for its codes, and the text colour that stays readable on a
// code's colour (WCAG contrast). Shared by the seed, the codebook page and the editor's highlights.

/** Base colour of each dimension (root codes); children are tints of it. X.GES gets a red to stand out. */
export const DIMENSION_COLOURS: Record<string, string> = {
  STR: "#1f5fa8", // blue
  KUL: "#2e7d32", // green
  SOZ: "#b45309", // amber
  IDE: "#6a3d9a", // purple
  X: "#00695c", // teal
};
export const SPECIAL_CATEGORY_COLOUR = "#f2a7a7";

const HEX = /^#[0-9a-f]{6}$/i;
export const isHexColour = (value: string) => HEX.test(value);

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const toHex = (c: number[]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

/** The colour mixed with white: 0 = itself, 1 = white. */
export function tint(hex: string, amount: number): string {
  return toHex(rgb(hex).map((v) => v + (255 - v) * amount));
}

/** Shade `index` of `count` children of a dimension: from a clear tint to a pale one, all readable with black text. */
export function childColour(dimension: string, index: number, count: number): string {
  const base = DIMENSION_COLOURS[dimension] ?? DIMENSION_COLOURS.X!;
  const step = count > 1 ? index / (count - 1) : 0;
  return tint(base, 0.45 + 0.4 * step);
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Black or white, whichever reads better on the colour. */
export function readableTextColour(background: string): "#000000" | "#ffffff" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";
}
