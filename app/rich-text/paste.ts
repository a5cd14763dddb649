// Pasted HTML is cut down before the editor's schema parses it: handlers, scripts, frames, media and unsafe URLs
// go first. The schema would drop them as well (and the server rebuilds everything); this is one more wall, in
// case an extension's parse rule is ever more generous than intended. Parsing happens in an inert document:
// nothing in it runs (Chromium still reports each inline handler it sees to the CSP, see tests/e2e/notes.test.ts).
import { safeHref } from "./schema.ts";

const DROPPED = "script,style,iframe,frame,frameset,object,embed,applet,svg,math,template,noscript,link,meta,base,form,input,button,textarea,select,img,picture,video,audio,source,track,canvas";
const URL_ATTRIBUTES = new Set(["href", "src", "action", "xlink:href", "background", "poster", "cite", "data"]);

export function cleanPastedHtml(html: string): string {
  if (typeof DOMParser === "undefined") return "";
  const doc = new DOMParser().parseFromString(html, "text/html");
  wordListsToLists(doc);
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
