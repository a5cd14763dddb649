// A tiny XML writer for the REFI documents: escaped attributes and text, characters XML 1.0 forbids dropped
// (a transcript could carry a stray control character; the file must still parse in every tool).
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(value: string): string {
  return value.replace(FORBIDDEN, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Builds an indented document; `open`/`close` nest, `leaf` writes an element without children. */
export class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  private depth = 0;

  private attrs(attrs: Attrs): string {
    return Object.entries(attrs)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
      .join("");
  }

  private indent() {
    return "  ".repeat(this.depth);
  }

  open(name: string, attrs: Attrs = {}) {
    this.parts.push(`${this.indent()}<${name}${this.attrs(attrs)}>\n`);
    this.depth++;
  }

  close(name: string) {
    this.depth--;
    this.parts.push(`${this.indent()}</${name}>\n`);
  }

  leaf(name: string, attrs: Attrs = {}) {
    this.parts.push(`${this.indent()}<${name}${this.attrs(attrs)}/>\n`);
  }

  /** An element with text content; the text is written exactly (no indentation inside). */
  text(name: string, content: string, attrs: Attrs = {}) {
    this.parts.push(`${this.indent()}<${name}${this.attrs(attrs)}>${xmlText(content)}</${name}>\n`);
  }

  toString(): string {
    return this.parts.join("");
  }
}
