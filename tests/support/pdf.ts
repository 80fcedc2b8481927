/**
 * Reading a PDF the way an independent tool does (pdfjs-dist, Mozilla's PDF reader, not the library that wrote it):
 * each page's text, split into content and artefacts (text inside an /Artifact marked-content sequence), its
 * structure tree, and the document's mark info and metadata; or just its text, as one line, for what a reader sees.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

export interface StructNode {
  role?: string;
  alt?: string;
  lang?: string;
  children?: (StructNode | { type: "content" | "object" | "annotation"; id: string })[];
}

export interface PdfPage {
  /** All the page's text, items joined by spaces, line ends as new lines. */
  text: string;
  /** The text that is content (in the structure tree). */
  content: string;
  /** The text marked as artefacts (page furniture). */
  artefacts: string;
  structTree: StructNode | null;
}

export interface ReadPdf {
  pages: PdfPage[];
  /** Every page's text, in order. */
  text: string;
  markInfo: { Marked?: boolean } | null;
  info: Record<string, unknown>;
}

const require = createRequire(import.meta.url);

/** Reads a PDF with pdfjs-dist (its legacy build, for Node). */
export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const fonts = pathToFileURL(path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep).href;
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts, verbosity: 0, isEvalSupported: false }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const stack: string[] = [];
      let all = "";
      let own = "";
      let artefacts = "";
      for (const item of content.items) {
        if ("type" in item) {
          // pdfjs gives each marked-content sequence's tag at run time (its types leave it out).
          if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") stack.push((item as { tag?: string }).tag ?? "");
          else if (item.type === "endMarkedContent") stack.pop();
          continue;
        }
        const piece = item.str + (item.hasEOL ? "\n" : " ");
        all += piece;
        if (stack.includes("Artifact")) artefacts += piece;
        else own += piece;
      }
      pages.push({ text: all, content: own, artefacts, structTree: (await page.getStructTree()) as StructNode | null });
      page.cleanup();
    }
    const markInfo = (await document.getMarkInfo()) as { Marked?: boolean } | null;
    const { info } = await document.getMetadata();
    return { pages, text: pages.map((p) => p.text).join("\n"), markInfo, info: info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}

/** Every node of a structure tree, depth first. */
export function structNodes(node: StructNode | null | undefined): StructNode[] {
  if (!node) return [];
  return [node, ...(node.children ?? []).flatMap((child) => ("role" in child || "children" in child ? structNodes(child as StructNode) : []))];
}

/** Text with runs of white space made one space (pdfjs may split a line into several items). */
export const squash = (text: string) => text.replace(/[\s\u200b]+/g, " ");

/**
 * All of a PDF's text as one line, as a person reads it: runs of white space made one space, and the report's break
 * opportunities (U+200B, which draw nothing) dropped rather than made spaces, so a word printed with them is found
 * whole.
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await readPdf(bytes)).text.replaceAll("\u200b", "").replace(/\s+/g, " ");
}
