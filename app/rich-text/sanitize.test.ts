// The sanitizer against known XSS payloads (OWASP filter-evasion cheat sheet style), through every way input
// reaches it: as HTML, as text inside the JSON, as a link's href, as attributes on nodes and marks, and as
// node types the editor does not have. The output is parsed again and checked against the allow-list, so a
// payload that survives in any form fails the test, not only the ones a regex happens to look for.
import { describe, expect, it } from "vitest";
import { parseDocument } from "htmlparser2";
import type { ChildNode, Element } from "domhandler";
import { htmlToDoc, plainText, RichTextError, safeHtml, sanitizeRichText } from "./sanitize.server.ts";
import { safeHref } from "./schema.ts";

const PAYLOADS = [
  `<script>window.__xss=1</script>`,
  `<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>`,
  `<script/xss src="https://evil.example/x.js"></script>`,
  `<<script>alert("XSS");//<</script>`,
  `<img src=x onerror=alert(1)>`,
  `<img src="javascript:alert('XSS');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<img src=javascript:alert(&quot;XSS&quot;)>`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>`,
  `<a href="javascript:alert(1)">click</a>`,
  `<a href="JAVASCRIPT:alert(1)">click</a>`,
  `<a href="jav&#x09;ascript:alert(1)">tab</a>`,
  `<a href="jav&#x0A;ascript:alert(1)">newline</a>`,
  `<a href="jav&#x0D;ascript:alert(1)">cr</a>`,
  `<a href=" &#14;  javascript:alert(1)">leading</a>`,
  `<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">hex</a>`,
  `<a href="javascript&colon;alert(1)">colon entity</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>`,
  `<a href="vbscript:msgbox(1)">vb</a>`,
  `<a href="//evil.example/x">protocol relative</a>`,
  `<a href="https://ok.example" onclick="alert(1)" style="color:red" target="_top">ok?</a>`,
  `<a href="https://user:pw@evil.example">userinfo</a>`,
  `<svg onload=alert(1)>`,
  `<svg><script>alert(1)</script></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<object data="data:text/html,<script>alert(1)</script>"></object>`,
  `<embed src="javascript:alert(1)">`,
  `<body onload=alert(1)>`,
  `<div style="background-image: url(javascript:alert(1))">styled</div>`,
  `<p style="x:expression(alert(1))">expression</p>`,
  `<style>@import 'https://evil.example/x.css';</style>`,
  `<link rel="stylesheet" href="https://evil.example/x.css">`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<base href="javascript:alert(1)//">`,
  `<form action="javascript:alert(1)"><input type="submit"></form>`,
  `<button formaction="javascript:alert(1)">x</button>`,
  `<details open ontoggle=alert(1)>`,
  `<video><source onerror="alert(1)"></video>`,
  `<p><b onmouseover=alert(1)>nested <i onclick=alert(2)>deep</i></b></p>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<!--<img src="--><img src=x onerror=alert(1)//">`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<template><img src=x onerror=alert(1)></template>`,
  `<textarea><script>alert(1)</script></textarea>`,
  `"><script>alert(1)</script>`,
  `'';!--"<XSS>=&{()}`,
];

const ALLOWED_TAGS = new Set(["p", "h3", "h4", "ul", "ol", "li", "blockquote", "hr", "br", "strong", "em", "u", "s", "a"]);

/** Every element and attribute of the HTML is on the allow-list; links are http(s)/mailto with the fixed rel. */
function expectOnlyAllowed(html: string, { asText = false } = {}) {
  const problems: string[] = [];
  const walk = (nodes: ChildNode[]) => {
    for (const n of nodes) {
      if (n.type === "comment" || n.type === "directive" || n.type === "cdata") problems.push(`${n.type} node`);
      if (n.type !== "tag" && n.type !== "script" && n.type !== "style") continue;
      const el = n as Element;
      if (!ALLOWED_TAGS.has(el.name)) problems.push(`tag <${el.name}>`);
      for (const [name, value] of Object.entries(el.attribs)) {
        const ok = (el.name === "a" && (name === "href" || name === "rel")) || (el.name === "ol" && name === "start" && /^\d+$/.test(value));
        if (!ok) problems.push(`attribute ${name} on <${el.name}>`);
      }
      if (el.name === "a") {
        if (!/^(https?:\/\/|mailto:)/.test(el.attribs.href ?? "")) problems.push(`href ${el.attribs.href}`);
        if (el.attribs.rel !== "noopener noreferrer") problems.push(`rel ${el.attribs.rel}`);
      }
      walk(el.children);
    }
  };
  walk(parseDocument(html).children);
  expect(problems, html).toEqual([]);
  // Escaped text may spell "javascript:" harmlessly; markup must not.
  if (!asText) expect(html).not.toMatch(/javascript:|vbscript:|data:|<script|<svg|<iframe|<img|<style|\son\w+=|style=/i);
}

describe("sanitizeRichText against XSS payloads", () => {
  it.each(PAYLOADS)("HTML input %s", (payload) => {
    const out = sanitizeRichText({ html: payload });
    expectOnlyAllowed(out.html);
    // The stored JSON renders to the same safe HTML again.
    expectOnlyAllowed(sanitizeRichText({ json: out.json }).html);
  });

  it.each(PAYLOADS)("text inside the JSON stays text: %s", (payload) => {
    const out = sanitizeRichText({ json: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: payload }] }] }) });
    expectOnlyAllowed(out.html, { asText: true });
    expect(out.text).toBe(payload.trim());
    // Shown as characters: parsing the HTML back gives the payload as one text node.
    const p = parseDocument(out.html).children[0] as Element;
    expect(p.children.map((c) => (c.type === "text" ? c.data : "?")).join("")).toBe(payload);
  });

  it.each(PAYLOADS)("as a link's href and attributes in a JSON mark: %s", (payload) => {
    const json = JSON.stringify({
      type: "doc",
      content: [
        {
          type: "paragraph",
          attrs: { onclick: payload, style: payload, class: payload },
          content: [{ type: "text", text: "Link", marks: [{ type: "link", attrs: { href: payload, target: "_self", rel: "opener", onclick: payload, class: payload } }, { type: "bold", attrs: { style: payload } }] }],
        },
      ],
    });
    const out = sanitizeRichText({ json });
    expectOnlyAllowed(out.html);
    expect(out.html).toBe("<p><strong>Link</strong></p>");
  });

  const hostileHrefs = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "jav\tascript:alert(1)",
    "jav\nascript:alert(1)",
    "java\u0000script:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "\u2028javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example",
    "/relative/path",
    "https:\\\\evil.example",
    "https://user:pw@evil.example/",
    "http://",
  ];
  it.each(hostileHrefs)("refuses the href %j", (href) => {
    expect(safeHref(href)).toBeNull();
    const out = sanitizeRichText({ json: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href } }] }] }] }) });
    expect(out.html).toBe("<p>x</p>");
  });

  it("drops node types the editor does not have, keeping their words", () => {
    const json = JSON.stringify({
      type: "doc",
      content: [
        { type: "script", content: [{ type: "text", text: "alert(1)" }] },
        { type: "image", attrs: { src: "javascript:alert(1)", onerror: "alert(1)" } },
        { type: "iframe", attrs: { src: "https://evil.example" } },
        { type: "codeBlock", content: [{ type: "text", text: "code" }] },
        { type: "heading", attrs: { level: 1, id: "x\" onmouseover=\"alert(1)" }, content: [{ type: "text", text: "Titel" }] },
        { type: "orderedList", attrs: { start: "1\" onclick=\"alert(1)" }, content: [{ type: "listItem", content: [{ type: "text", text: "eins" }] }] },
        { type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "highlight", attrs: { color: "red" } }, { type: "textStyle", attrs: { style: "color:red" } }] }] },
      ],
    });
    const out = sanitizeRichText({ json });
    expectOnlyAllowed(out.html);
    expect(out.html).toBe("<p>alert(1)</p><p>code</p><h3>Titel</h3><ol><li><p>eins</p></li></ol><p>x</p>");
  });

  it("refuses what is not JSON or too large, and survives absurd nesting", () => {
    expect(() => sanitizeRichText({ json: "{not json" })).toThrow(RichTextError);
    expect(() => sanitizeRichText({ json: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "a".repeat(500_000) }] }] }) })).toThrow(RichTextError);
    let deep: unknown = { type: "text", text: "tief" };
    for (let i = 0; i < 2000; i++) deep = { type: "blockquote", content: [deep] };
    const out = sanitizeRichText({ json: JSON.stringify({ type: "doc", content: [deep] }) });
    expectOnlyAllowed(out.html);
    expect(out.text).toBe("tief");
    expect(sanitizeRichText({ json: "null" }).html).toBe("<p></p>");
    expect(sanitizeRichText({ json: JSON.stringify([1, "x", { type: 5 }]) }).html).toBe("<p></p>");
  });

  it("re-sanitizes stored HTML before it is shown", () => {
    expectOnlyAllowed(safeHtml(`<p onclick="x">a</p><script>alert(1)</script><a href="javascript:alert(1)">b</a>`));
    expect(safeHtml(`<p onclick="x">a</p><a href="javascript:alert(1)">b</a>`)).toBe("<p>a</p>b");
  });
});

describe("sanitizeRichText keeps what the editor makes", () => {
  it("formatting, headings, lists, quotes and links", () => {
    const doc = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 3 }, content: [{ type: "text", text: "Sprachkurs" }] },
        {
          type: "paragraph",
          content: [
            { type: "text", text: "B1 ", marks: [{ type: "bold" }] },
            { type: "text", text: "bestanden", marks: [{ type: "italic" }, { type: "underline" }] },
            { type: "hardBreak" },
            { type: "text", text: "Zertifikat", marks: [{ type: "link", attrs: { href: "https://www.telc.net/", target: "_blank" } }] },
          ],
        },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Termin <am> Montag & Dienstag" }] }] }] },
        { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "„Ich schaffe das.“" }] }] },
      ],
    };
    const out = sanitizeRichText({ json: JSON.stringify(doc) });
    expect(out.html).toBe(
      '<h3>Sprachkurs</h3><p><strong>B1 </strong><em><u>bestanden</u></em><br /><a href="https://www.telc.net/" rel="noopener noreferrer">Zertifikat</a></p>' +
        "<ul><li><p>Termin &lt;am&gt; Montag &amp; Dienstag</p></li></ul><blockquote><p>„Ich schaffe das.“</p></blockquote>",
    );
    expect(out.text).toBe("Sprachkurs\nB1 bestanden\nZertifikat\nTermin <am> Montag & Dienstag\n„Ich schaffe das.“");
    expect(JSON.parse(out.json).content[1].content[3].marks).toEqual([{ type: "link", attrs: { href: "https://www.telc.net/" } }]);
  });

  it("HTML from word processors becomes the same kind of document", () => {
    const doc = htmlToDoc(`<div><h1>Ziel</h1><p><b>Ausbildung</b> als <span style="color:red">Elektroniker</span></p><ol start="3"><li>Bewerbung</li></ol><p><a href="mailto:beratung@example.org" target="_blank">Mail</a></p></div>`);
    expect(doc.content).toEqual([
      { type: "heading", attrs: { level: 3 }, content: [{ type: "text", text: "Ziel" }] },
      { type: "paragraph", content: [{ type: "text", text: "Ausbildung", marks: [{ type: "bold" }] }, { type: "text", text: " als " }, { type: "text", text: "Elektroniker" }] },
      { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Bewerbung" }] }] }] },
      { type: "paragraph", content: [{ type: "text", text: "Mail", marks: [{ type: "link", attrs: { href: "mailto:beratung@example.org" } }] }] },
    ]);
    expect(plainText(doc)).toBe("Ziel\nAusbildung als Elektroniker\nBewerbung\nMail");
  });

  it("HTML headings h1 and h2 stay headings in rank (3 and 4), a table's rows become paragraphs with their cells apart", () => {
    const out = sanitizeRichText({ html: `<h1>Bericht</h1><h2>Termine</h2><table><caption>Woche</caption><tr><th>Tag</th><th>Ort</th></tr><tr><td><p>Zelle A</p></td><td>Zelle B</td></tr></table>` });
    expect(out.html).toBe("<h3>Bericht</h3><h4>Termine</h4><p>Woche</p><p>Tag Ort</p><p>Zelle A Zelle B</p>");
    expect(out.text).toBe("Bericht\nTermine\nWoche\nTag Ort\nZelle A Zelle B");
    // What the editor stores after such a paste is kept as it is.
    expect(sanitizeRichText({ json: out.json }).html).toBe(out.html);
  });

  it("plain text from the form without JavaScript becomes paragraphs", () => {
    const out = sanitizeRichText({ text: "Erste Zeile\r\n\r\n<b>zweite</b> Zeile\n" });
    expect(out.html).toBe("<p>Erste Zeile</p><p>&lt;b&gt;zweite&lt;/b&gt; Zeile</p>");
    expect(out.text).toBe("Erste Zeile\n<b>zweite</b> Zeile");
  });
});
