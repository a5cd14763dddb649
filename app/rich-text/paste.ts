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
