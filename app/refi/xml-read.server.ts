// Parsing uploaded REFI XML without trusting it. Before the parser sees a byte: the text must be UTF-8, and any
// DOCTYPE or ENTITY declaration is refused (no external entities, no entity expansion, nothing to fetch).
// Then libxml2 parses without network access, and the result is copied into plain objects so no parser
// memory outlives the call.
import type { XmlDocument, XmlElement } from "libxml2-wasm";
import { REFI_LIMITS } from "./limits.ts";
import { RefiRefusal } from "./refusal.ts";

export type XNode = { name: string; ns: string; attrs: Map<string, string>; children: XNode[]; text: string; line: number };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes to text: valid UTF-8 only, without a byte order mark. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new RefiRefusal("invalidUtf8", what);
  }
}

// libxml2 is WebAssembly, compiled when its module loads: loaded when a REFI file is first read, not with every start
// of the server or of a test that imports the REFI routes.
const libxml2 = () => import("libxml2-wasm");

export async function parseXml(bytes: Uint8Array, what: string, maxElements: number = REFI_LIMITS.xmlElements): Promise<XNode> {
  const { ParseOption, XmlCData, XmlDocument, XmlElement, XmlText } = await libxml2();
  const source = decodeUtf8(bytes, what);
  if (/<!DOCTYPE/i.test(source) || /<!ENTITY/i.test(source)) throw new RefiRefusal("doctype", what);
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(source)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) throw new RefiRefusal("encoding", `${what}: ${declared}`);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(source, { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NOCDATA });
  } catch (error) {
    throw new RefiRefusal("xmlSyntax", `${what}: ${error instanceof Error ? error.message.split("\n")[0]!.slice(0, 160) : ""}`);
  }
  try {
    let count = 0;
    const copy = (element: XmlElement): XNode => {
      if (++count > maxElements) throw new RefiRefusal("xmlTooLarge", what);
      const attrs = new Map<string, string>();
      for (const a of element.attrs) if (!a.namespaceUri) attrs.set(a.name, a.value);
      const node: XNode = { name: element.name, ns: element.namespaceUri ?? "", attrs, children: [], text: "", line: element.line };
      let text = "";
      for (let child = element.firstChild; child; child = child.next) {
        if (child instanceof XmlElement) node.children.push(copy(child));
        else if (child instanceof XmlText || child instanceof XmlCData) text += child.content;
      }
      node.text = text;
      return node;
    };
    return copy(doc.root);
  } finally {
    doc.dispose();
  }
}

export const childrenNamed = (node: XNode, name: string) => node.children.filter((c) => c.name === name);
export const childNamed = (node: XNode, name: string) => node.children.find((c) => c.name === name) ?? null;
