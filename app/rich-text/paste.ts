// Pasted HTML is cut down before the editor's schema parses it: handlers, scripts, frames, media and unsafe URLs
// go first. The schema would drop them as well (and the server rebuilds everything); this is one more wall, in
// case an extension's parse rule is ever more generous than intended. Parsing happens in an inert document:
// nothing in it runs (Chromium still reports each inline handler it sees to the CSP, see tests/e2e/notes.test.ts).
import { headingLevelMap, safeHref } from "./schema.ts";

const DROPPED = "script,style,iframe,frame,frameset,object,embed,applet,svg,math,template,noscript,link,meta,base,form,input,button,textarea,select,img,picture,video,audio,source,track,canvas";
const URL_ATTRIBUTES = new Set(["href", "src", "action", "xlink:href", "background", "poster", "cite", "data"]);

export function cleanPastedHtml(html: string): string {
  if (typeof DOMParser === "undefined") return "";
  const doc = new DOMParser().parseFromString(html, "text/html");
  wordListsToLists(doc);
  headingsToAllowedLevels(doc);
  tablesToParagraphs(doc);
  doc.querySelectorAll(DROPPED).forEach((el) => el.remove());
  for (const el of Array.from(doc.body.querySelectorAll("*"))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const unsafe = name.startsWith("on") || name === "style" || name === "srcdoc" || name === "formaction" || (URL_ATTRIBUTES.has(name) && !(name === "href" && safeHref(attr.value)));
      if (unsafe) el.removeAttribute(attr.name);
    }
  }
  return doc.body.innerHTML;
}

/**
 * Desktop Word puts lists on the clipboard as paragraphs styled `mso-list:l0 level1 lfo1`, each starting with its
 * own bullet or number in a `mso-list:Ignore` span: the editor would keep "·  First point" as a paragraph. They
 * become real lists (nested by level; numbered when the marker is a number or letter) before styles are dropped.
 */
export function wordListsToLists(doc: Document) {
  const isItem = (el: Element | null): el is HTMLElement => !!el && el.tagName === "P" && /mso-list:\s*l\d+\s+level\d/i.test(el.getAttribute("style") ?? "");
  for (const first of Array.from(doc.body.querySelectorAll("p"))) {
    if (!isItem(first) || !first.isConnected || isItem(first.previousElementSibling)) continue;
    const run: HTMLElement[] = [];
    for (let el: Element | null = first; isItem(el); el = el.nextElementSibling) run.push(el);
    const stack: { level: number; list: HTMLElement }[] = [];
    const roots: HTMLElement[] = [];
    for (const p of run) {
      const level = Number(/level(\d)/i.exec(p.getAttribute("style") ?? "")?.[1] ?? "1");
      const marker = p.querySelector('span[style*="mso-list:Ignore" i], span[style*="mso-list: Ignore" i]');
      const ordered = /^\(?[0-9a-z]{1,4}[.)]/i.test((marker?.textContent ?? "").trim());
      marker?.remove();
      while (stack.length && stack[stack.length - 1]!.level > level) stack.pop();
      if (!stack.length || stack[stack.length - 1]!.level < level) {
        const list = doc.createElement(ordered ? "ol" : "ul");
        const parentItem = stack.length ? stack[stack.length - 1]!.list.lastElementChild : null;
        if (parentItem) parentItem.appendChild(list);
        else roots.push(list);
        stack.push({ level, list });
      }
      const item = doc.createElement("li");
      const para = doc.createElement("p");
      while (p.firstChild) para.appendChild(p.firstChild);
      item.appendChild(para);
      stack[stack.length - 1]!.list.appendChild(item);
    }
    first.before(...roots);
    run.forEach((p) => p.remove());
  }
}

/** h1/h2 (and h5/h6) would become plain paragraphs: the editor only has levels 3 and 4 (see headingLevelMap). */
export function headingsToAllowedLevels(doc: Document) {
  const headings = Array.from(doc.body.querySelectorAll("h1,h2,h3,h4,h5,h6"));
  const levelOf = (el: Element) => Number(el.tagName.slice(1));
  const map = headingLevelMap(headings.map(levelOf));
  for (const el of headings) {
    const level = map(levelOf(el));
    if (level === levelOf(el)) continue;
    const heading = doc.createElement(`h${level}`);
    while (el.firstChild) heading.appendChild(el.firstChild);
    el.replaceWith(heading);
  }
}

const CELL_BLOCKS = "p,div,h1,h2,h3,h4,h5,h6,li,ul,ol,blockquote,pre,table,dl,dt,dd";

/**
 * The editor has no tables, and its schema would run a table's cells into one paragraph ("Zelle AZelle B"): each
 * row becomes a paragraph, its cells apart by a space, a caption a paragraph of its own.
 */
export function tablesToParagraphs(doc: Document) {
  // Innermost first: a nested table is one cell's text by the time its outer table is read.
  for (const table of Array.from(doc.body.querySelectorAll("table")).reverse()) {
    const paragraphs: HTMLElement[] = [];
    const caption = table.querySelector(":scope > caption");
    if (caption?.textContent?.trim()) paragraphs.push(inlineParagraph(doc, [caption]));
    for (const row of Array.from(table.querySelectorAll(":scope > tr, :scope > thead > tr, :scope > tbody > tr, :scope > tfoot > tr"))) {
      const cells = Array.from(row.children).filter((c) => (c.tagName === "TD" || c.tagName === "TH") && c.textContent?.trim());
      if (cells.length) paragraphs.push(inlineParagraph(doc, cells));
    }
    table.replaceWith(...paragraphs);
  }
}

/** One paragraph of the elements' inline content, blocks inside them and the elements themselves apart by a space. */
function inlineParagraph(doc: Document, parts: Element[]): HTMLElement {
  const p = doc.createElement("p");
  parts.forEach((part, i) => {
    for (const block of Array.from(part.querySelectorAll(CELL_BLOCKS)).reverse()) block.replaceWith(" ", ...Array.from(block.childNodes), " ");
    if (i > 0) p.append(" ");
    p.append(...Array.from(part.childNodes));
  });
  return p;
}
