// What a paste or a drop puts into a turn: plain text, on one line. A turn holds text only (no line breaks, see the
// Turn node), and its speaker and times belong to the recording, so nothing pasted may make turns of its own: the
// blocks of Word or a web page (headings, paragraphs, list items, table cells and rows, <br>) become single spaces.

/** Elements whose boundaries separate words. */
const BLOCKS = "address,article,aside,blockquote,br,caption,dd,div,dl,dt,figcaption,figure,footer,h1,h2,h3,h4,h5,h6,header,hr,li,main,nav,ol,p,pre,section,table,tbody,td,tfoot,th,thead,tr,ul";
/** Elements whose text is not shown (Word puts its styles and its own list bullets on the clipboard too). */
const HIDDEN = "script,style,template,noscript,title,head,iframe,object,svg,math,[hidden]";

/** HTML as the text a reader sees, each block boundary a space; `blocks` when it had any. */
export function htmlToPlainText(html: string): { text: string; blocks: boolean } {
  if (typeof DOMParser === "undefined") return { text: "", blocks: false };
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll(HIDDEN).forEach((el) => el.remove());
  doc.querySelectorAll('span[style*="mso-list:Ignore" i], span[style*="mso-list: Ignore" i]').forEach((el) => el.remove());
  const blocks = doc.body.querySelectorAll(BLOCKS);
  blocks.forEach((el) => {
    el.before(" ");
    el.after(" ");
  });
  return { text: oneLine(doc.body.textContent ?? ""), blocks: blocks.length > 0 };
}

/** Any run of white space (line breaks, tabs) as one space. */
export const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * The clipboard's text for a turn, and whether it held blocks (then it is a passage of its own, kept apart from the
 * words at the caret by spaces). The plain text comes first: the source application wrote it with the line breaks
 * and tabs the reader saw (Word and browsers put table cells apart with tabs); the HTML only when there is none.
 */
export function clipboardText(data: DataTransfer): { text: string; blocks: boolean } {
  const plain = data.getData("text/plain");
  if (plain.trim()) return { text: oneLine(plain), blocks: /\S\s*[\r\n]\s*\S/.test(plain) };
  return htmlToPlainText(data.getData("text/html"));
}
