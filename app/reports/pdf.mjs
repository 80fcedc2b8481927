// @ts-check
/**
 * Draws a report model (app/reports/report-model.ts) as a tagged PDF with pdfkit. Plain JavaScript (ES module, type
 * checked through JSDoc), so that the render worker (app/reports/pdf-worker.mjs) can load it by path, from the server
 * build and under tests alike, with no build step: see docs/decisions/0016-pdf-reports.md.
 *
 * - A4, every word from the model (this file adds only the page furniture and the numbers on the charts).
 * - Accessible: a structure tree (Document; H1–H6; P; Table with THead/TBody, TR, TH with a scope, TD; Figure with
 *   alternative text and a Caption), document language en-GB, the title shown in the viewer's title bar, bookmarks
 *   for the main sections. Page furniture (the protective marking at the top and foot of every page, the footer, the
 *   page numbers, the DRAFT watermark, table rules and backgrounds, repeated table headers) is marked as artefacts.
 * - Fonts: DejaVu Sans and DejaVu Sans Bold from the dejavu-fonts-ttf package, embedded (subset), resolved from
 *   node_modules at run time (never bundled). A character the font has no glyph for is printed as U+FFFD "�" (or
 *   "[?]" should the font lack that too), never dropped silently; an invisible formatting character it lacks (a
 *   variation selector, say) is left out.
 * - Deterministic: CreationDate and ModDate are the model's date (the publication time), and the file identifier
 *   (trailer /ID) is the first 16 bytes of the SHA-256 of the model, so the same model always gives the same bytes.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

/** @typedef {import("./report-model").ReportModel} ReportModel */
/** @typedef {import("./report-model").ReportBlock} ReportBlock */
/** @typedef {import("./report-model").ReportTable} ReportTable */
/** @typedef {import("./report-model").ReportChart} ReportChart */
/** @typedef {import("./report-model").Tone} Tone */
/** @typedef {PDFKit.PDFDocument} Doc */
/** @typedef {PDFKit.PDFStructureElement} Struct */
/** @typedef {"regular" | "bold"} FontKey */

const require = createRequire(import.meta.url);

/** The fonts, as package paths (resolved from node_modules). */
export const FONT_FILES = /** @type {const} */ ({
  regular: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
});

/** Printed for a character the font cannot draw. */
export const REPLACEMENT = "\ufffd";
const REPLACEMENT_FALLBACK = "[?]";

/**
 * Invisible formatting characters (Unicode's default ignorables, and emoji skin tones): left out, not replaced, when
 * the font lacks them.
 * @param {string} c one code point
 */
function ignorable(c) {
  const cp = c.codePointAt(0) ?? 0;
  return (
    /^\p{Cf}$/u.test(c) ||
    cp === 0x034f ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xffa0 ||
    (cp >= 0xe0000 && cp <= 0xe0fff) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff)
  );
}

// ── Fonts ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * @typedef {{ bytes: Buffer, has: (codePoint: number) => boolean }} LoadedFont
 * @type {Record<FontKey, LoadedFont> | null}
 */
let loaded = null;

/**
 * The fonts' bytes and which code points each can draw: read once per process (or worker). fontkit is pdfkit's own
 * dependency, loaded from pdfkit's place in node_modules (no package of our own).
 * @returns {Record<FontKey, LoadedFont>}
 */
function fonts() {
  if (loaded) return loaded;
  const fontkit = createRequire(require.resolve("pdfkit"))("fontkit");
  /** @param {string} file */
  const load = (file) => {
    const bytes = readFileSync(require.resolve(file));
    const font = fontkit.create(bytes);
    /** @type {Map<number, boolean>} */
    const seen = new Map();
    return {
      bytes,
      /** @param {number} cp */
      has: (cp) => {
        let known = seen.get(cp);
        if (known === undefined) seen.set(cp, (known = Boolean(font.hasGlyphForCodePoint(cp))));
        return known;
      },
    };
  };
  loaded = { regular: load(FONT_FILES.regular), bold: load(FONT_FILES.bold) };
  return loaded;
}

/**
 * The text with every character `font` cannot draw replaced by "�" ("[?]" if it cannot draw that either); line
 * breaks kept; invisible formatting characters it lacks left out.
 * @param {string} text
 * @param {FontKey} key
 */
export function printable(text, key) {
  const font = fonts()[key];
  let out = "";
  let changed = false;
  for (const c of text) {
    const cp = /** @type {number} */ (c.codePointAt(0));
    if (c === "\n" || c === " " || font.has(cp)) {
      out += c;
    } else {
      changed = true;
      if (!ignorable(c)) out += font.has(0xfffd) ? REPLACEMENT : REPLACEMENT_FALLBACK;
    }
  }
  return changed ? out : text;
}

// ── Layout ───────────────────────────────────────────────────────────────────────────────────────────────────

const PAGE = { size: "A4", margins: { top: 72, bottom: 72, left: 56, right: 56 } };
const COLOURS = { text: "#0b0c0c", secondary: "#505a5f", rule: "#b1b4b6", headerFill: "#f3f2f1", marking: "#0b0c0c", link: "#1d70b8" };
/** @type {Record<Tone, { fill: string, text: string, border?: string }>} */
const TONES = {
  good: { fill: "#00703c", text: "#ffffff" },
  partial: { fill: "#f47738", text: "#0b0c0c" },
  bad: { fill: "#d4351c", text: "#ffffff" },
  neutral: { fill: "#b1b4b6", text: "#0b0c0c" },
  empty: { fill: "#ffffff", text: "#0b0c0c", border: "#505a5f" },
  info: { fill: "#1d70b8", text: "#ffffff" },
};
/** @type {Record<number, number>} */
const HEADING_SIZES = { 1: 26, 2: 18, 3: 14, 4: 12.5, 5: 11.5, 6: 10.5 };
const BODY = 10;
const SMALL = 8.5;
const TABLE_TEXT = 9;

class Renderer {
  /** @param {ReportModel} model */
  constructor(model) {
    this.model = model;
    const date = new Date(model.meta.createdAt);
    if (!Number.isFinite(date.getTime())) throw new RangeError("The report model has no valid date");
    /** @type {Doc} */
    this.doc = new PDFDocument({
      size: PAGE.size,
      margins: PAGE.margins,
      autoFirstPage: false,
      bufferPages: true,
      tagged: true,
      lang: model.meta.lang,
      displayTitle: true,
      pdfVersion: "1.7",
      info: {
        Title: model.meta.title,
        Author: model.meta.author,
        Subject: model.meta.subject,
        Creator: "Deep Dive",
        Producer: "Deep Dive, with PDFKit",
        CreationDate: date,
        ModDate: date,
      },
    });
    // pdfkit makes the file identifier from the info dictionary; ours is from the whole model, so two different
    // reports never share one and the same report always has the same one.
    /** @type {any} */ (this.doc)._id = new Uint8Array(createHash("sha256").update(JSON.stringify(model)).digest().subarray(0, 16));
    const { regular, bold } = fonts();
    this.doc.registerFont("regular", regular.bytes);
    this.doc.registerFont("bold", bold.bytes);
    this.root = this.doc.struct("Document");
    this.doc.addStructure(this.root);
    /** @type {PDFKit.PDFOutline | null} */
    this.lastTopBookmark = null;
  }

  get width() {
    const page = this.doc.page;
    return page.width - page.margins.left - page.margins.right;
  }

  get left() {
    return this.doc.page.margins.left;
  }

  get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  addPage() {
    this.doc.addPage({ size: PAGE.size, margins: PAGE.margins });
    this.doc.x = this.left;
  }

  /** Starts a new page unless `height` more points fit on this one. @param {number} height */
  need(height) {
    if (this.doc.y + height > this.bottom) this.addPage();
  }

  /**
   * Sets font, size and colour.
   * @param {FontKey} key @param {number} size @param {string} [colour]
   */
  use(key, size, colour = COLOURS.text) {
    this.doc.font(key).fontSize(size).fillColor(colour);
  }

  /**
   * Draws decoration that is not content (rules, backgrounds, repeated headers) as an artefact.
   * @param {() => void} draw
   */
  artefact(draw) {
    const { x, y } = this.doc;
    this.doc.markContent("Artifact", { type: "Layout" });
    this.doc.save();
    draw();
    this.doc.restore();
    this.doc.endMarkedContent();
    this.doc.x = x;
    this.doc.y = y;
  }

  /**
   * A structure element with content drawn by `draw`, added under `parent`.
   * @param {Struct} parent @param {string} type @param {() => void} draw @param {Record<string, unknown>} [options]
   */
  tagged(parent, type, draw, options = {}) {
    parent.add(this.doc.struct(type, /** @type {any} */ (options), draw));
  }

  // ── Blocks ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The least of a block that must be on the same page as the heading before it: a chart whole, a table's caption,
   * header and first row, a few lines of a paragraph.
   * @param {ReportBlock | undefined} block
   */
  keepWith(block) {
    if (!block) return 0;
    switch (block.kind) {
      case "chart": {
        const layout = this.chartLayout(block.chart);
        return layout.height + layout.captionHeight + 8;
      }
      case "table":
        return BODY * 8;
      case "heading":
        return (HEADING_SIZES[block.level] ?? BODY) * 1.6 + BODY * 3;
      default:
        return BODY * 4;
    }
  }

  /** @param {Extract<ReportBlock, { kind: "heading" }>} block @param {Struct} parent @param {ReportBlock} [next] */
  heading(block, parent, next) {
    const size = HEADING_SIZES[block.level] ?? BODY;
    const gapBefore = block.level <= 2 ? 0 : size * 0.9;
    // Keep a heading with what follows it.
    const text = printable(block.text, "bold");
    this.use("bold", size);
    const own = this.doc.heightOfString(text, { width: this.width, lineGap: 1 });
    this.need(Math.min(gapBefore + own + size * 0.35 + this.keepWith(next), this.bottom - this.doc.page.margins.top));
    if (this.doc.y > this.doc.page.margins.top + 1) this.doc.y += gapBefore;
    if (block.bookmark) {
      if (block.level <= 2 || !this.lastTopBookmark) this.lastTopBookmark = this.doc.outline.addItem(text.replaceAll("\u200b", ""));
      else this.lastTopBookmark.addItem(text.replaceAll("\u200b", ""));
    }
    this.tagged(parent, `H${block.level}`, () => {
      this.use("bold", size);
      this.doc.text(text, this.left, this.doc.y, { width: this.width, lineGap: 1 });
    });
    this.doc.y += size * 0.35;
  }

  /** @param {Extract<ReportBlock, { kind: "paragraph" }>} block @param {Struct} parent */
  paragraph(block, parent) {
    const size = block.style === "small" ? SMALL : block.style === "lead" ? BODY + 1.5 : BODY;
    this.need(size * (block.style === "fact" ? 1.5 : 2.6));
    this.tagged(parent, "P", () => {
      const options = { width: this.width, lineGap: 2 };
      if (block.label) {
        this.use("bold", size);
        this.doc.text(printable(block.label, "bold"), this.left, this.doc.y, { ...options, continued: true });
        this.use("regular", size);
        this.doc.text(printable(block.text, "regular") || " ");
      } else {
        this.use("regular", size);
        this.doc.text(printable(block.text, "regular"), this.left, this.doc.y, options);
      }
    });
    this.doc.y += size * (block.style === "fact" ? 0.2 : 0.6);
  }

  /**
   * A table: a caption, a header row (repeated, as an artefact, at the top of each further page), rows whose first
   * cell is a row header when the table says so. A row is never split across pages.
   * @param {ReportTable} table @param {Struct} parent
   */
  table(table, parent) {
    const doc = this.doc;
    const pad = 4;
    const widths = table.columns.map((c) => c.width * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    /** @param {string} text @param {number} i @param {FontKey} key */
    const cellHeight = (text, i, key) => {
      this.use(key, TABLE_TEXT);
      return doc.heightOfString(printable(text, key) || " ", { width: /** @type {number} */ (widths[i]) - 2 * pad, lineGap: 1 });
    };
    const headerHeight = Math.max(...table.columns.map((c, i) => cellHeight(c.header, i, "bold"))) + 2 * pad;
    const rowHeights = table.rows.map((row) => Math.max(...row.map((text, i) => cellHeight(text, i, i === 0 && table.rowHeaders ? "bold" : "regular"))) + 2 * pad);
    const fullPage = doc.page.height - doc.page.margins.top - doc.page.margins.bottom;

    const tableStruct = doc.struct("Table");
    parent.add(tableStruct);
    this.need(BODY * 2 + headerHeight + (rowHeights[0] ?? 0));
    this.tagged(tableStruct, "Caption", () => {
      this.use("bold", BODY);
      doc.text(printable(table.caption, "bold"), this.left, doc.y, { width: this.width });
    });
    doc.y += 3;

    /** Draws the header row's cells; tagged (the first time) or as an artefact (repeated). @param {Struct | null} rowStruct */
    const drawHeader = (rowStruct) => {
      const y = doc.y;
      this.artefact(() => {
        doc.rect(this.left, y, this.width, headerHeight).fill(COLOURS.headerFill);
        doc.moveTo(this.left, y + headerHeight).lineTo(this.left + this.width, y + headerHeight).lineWidth(1).stroke(COLOURS.text);
      });
      table.columns.forEach((c, i) => {
        const draw = () => {
          this.use("bold", TABLE_TEXT);
          doc.text(printable(c.header, "bold"), /** @type {number} */ (xs[i]) + pad, y + pad, { width: /** @type {number} */ (widths[i]) - 2 * pad, align: c.align ?? "left", lineGap: 1, height: fullPage });
        };
        if (rowStruct) this.tagged(rowStruct, "TH", draw, { scope: "Column" });
        else this.artefact(draw);
      });
      doc.y = y + headerHeight;
    };

    const head = doc.struct("THead");
    tableStruct.add(head);
    const headRow = doc.struct("TR");
    head.add(headRow);
    drawHeader(headRow);
    headRow.end();
    head.end();

    const body = doc.struct("TBody");
    tableStruct.add(body);
    table.rows.forEach((row, r) => {
      const height = /** @type {number} */ (rowHeights[r]);
      if (doc.y + height > this.bottom) {
        this.addPage();
        drawHeader(null);
      }
      const y = doc.y;
      this.artefact(() => {
        doc.moveTo(this.left, y + height).lineTo(this.left + this.width, y + height).lineWidth(0.5).stroke(COLOURS.rule);
      });
      const rowStruct = doc.struct("TR");
      body.add(rowStruct);
      row.forEach((text, i) => {
        const isHeader = i === 0 && table.rowHeaders;
        const key = isHeader ? "bold" : "regular";
        const draw = () => {
          this.use(key, TABLE_TEXT);
          // `height` keeps a cell from ever starting a page of its own (the row was measured to fit).
          doc.text(printable(text, key) || " ", /** @type {number} */ (xs[i]) + pad, y + pad, {
            width: /** @type {number} */ (widths[i]) - 2 * pad,
            align: table.columns[i]?.align ?? "left",
            lineGap: 1,
            height: Math.max(height, fullPage),
          });
        };
        this.tagged(rowStruct, isHeader ? "TH" : "TD", draw, isHeader ? { scope: "Row" } : {});
      });
      rowStruct.end();
      doc.y = y + height;
    });
    body.end();
    tableStruct.end();
    doc.x = this.left;
    doc.y += BODY;
  }

  /** Where a chart's parts go, and how tall it is. @param {ReportChart} chart */
  chartLayout(chart) {
    const doc = this.doc;
    const labelWidth = Math.min(190, this.width * 0.36);
    const totalWidth = 34;
    const barArea = this.width - labelWidth - totalWidth - 8;
    const barHeight = 16;
    const gap = 9;
    this.use("regular", SMALL);
    const legendItems = chart.categories.map((c) => ({ ...c, text: printable(c.label, "regular") }));
    // The legend, laid out in rows.
    /** @type {{ x: number, row: number }[]} */
    const legendAt = [];
    let lx = 0;
    let lrow = 0;
    for (const item of legendItems) {
      const w = 12 + 4 + doc.widthOfString(item.text) + 14;
      if (lx > 0 && lx + w > this.width) {
        lx = 0;
        lrow += 1;
      }
      legendAt.push({ x: lx, row: lrow });
      lx += w;
    }
    const legendHeight = (lrow + 1) * 14;
    const height = legendHeight + 8 + chart.bars.length * (barHeight + gap);
    // The caption under the bars says what the alternative text says: every number, in words.
    const caption = printable(chart.alt, "regular");
    const captionHeight = doc.heightOfString(caption, { width: this.width, lineGap: 1 });
    return { labelWidth, totalWidth, barArea, barHeight, gap, legendItems, legendAt, legendHeight, height, caption, captionHeight };
  }

  /**
   * A chart: horizontal stacked bars on one scale, each segment's count printed on it when it fits, each bar's total
   * after it, and a legend; a Figure with the model's alternative text (which gives every number), and the same words
   * as its caption.
   * @param {ReportChart} chart @param {Struct} parent
   */
  chart(chart, parent) {
    const doc = this.doc;
    const { labelWidth, totalWidth, barArea, barHeight, gap, legendItems, legendAt, legendHeight, height, caption, captionHeight } = this.chartLayout(chart);
    this.need(height + captionHeight + BODY * 2);
    const max = Math.max(1, ...chart.bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
    const top = doc.y;
    const figure = doc.struct("Figure", /** @type {any} */ ({ alt: chart.alt, bbox: [this.left, top, this.left + this.width, top + height + 4 + captionHeight] }));
    parent.add(figure);
    figure.add(() => {
      // Legend.
      legendItems.forEach((item, i) => {
        const at = /** @type {{ x: number, row: number }} */ (legendAt[i]);
        const x = this.left + at.x;
        const y = top + at.row * 14;
        const tone = TONES[item.tone];
        doc.save();
        doc.rect(x, y + 1, 12, 9).fillAndStroke(tone.fill, tone.border ?? tone.fill);
        doc.restore();
        this.use("regular", SMALL);
        doc.text(item.text, x + 16, y, { lineBreak: false });
      });
      // Bars.
      chart.bars.forEach((bar, b) => {
        const y = top + legendHeight + 8 + b * (barHeight + gap);
        this.use("regular", SMALL);
        const label = fitLabel(doc, printable(bar.label, "regular"), labelWidth - 6);
        doc.text(label, this.left, y + (barHeight - SMALL) / 2 - 1, { width: labelWidth - 6, lineBreak: false });
        let x = this.left + labelWidth;
        const total = bar.values.reduce((a, v) => a + v, 0);
        bar.values.forEach((value, v) => {
          if (value <= 0) return;
          const w = (value / max) * barArea;
          const tone = TONES[/** @type {Tone} */ (chart.categories[v]?.tone ?? "neutral")];
          doc.save();
          doc.rect(x, y, w, barHeight).lineWidth(0.75).fillAndStroke(tone.fill, tone.border ?? "#ffffff");
          doc.restore();
          const count = String(value);
          this.use("bold", SMALL, tone.text);
          if (doc.widthOfString(count) + 4 <= w) doc.text(count, x, y + (barHeight - SMALL) / 2 - 1, { width: w, align: "center", lineBreak: false });
          x += w;
        });
        if (total === 0) {
          doc.save();
          doc.rect(x, y, 0.75, barHeight).fill(COLOURS.rule);
          doc.restore();
        }
        this.use("regular", SMALL);
        doc.text(String(total), this.left + labelWidth + barArea + 6, y + (barHeight - SMALL) / 2 - 1, { width: totalWidth, lineBreak: false });
      });
    });
    this.tagged(figure, "Caption", () => {
      this.use("regular", SMALL, COLOURS.secondary);
      doc.text(caption, this.left, top + height + 4, { width: this.width, lineGap: 1, height: captionHeight + SMALL });
    });
    figure.end();
    doc.x = this.left;
    doc.y = top + height + 4 + captionHeight + BODY;
  }

  /** @param {ReportBlock} block @param {Struct} parent @param {ReportBlock} [next] */
  block(block, parent, next) {
    switch (block.kind) {
      case "heading":
        return this.heading(block, parent, next);
      case "paragraph":
        return this.paragraph(block, parent);
      case "table":
        return this.table(block.table, parent);
      case "chart":
        return this.chart(block.chart, parent);
    }
  }

  // ── The cover, the sections and the page furniture ──────────────────────────────────────────────────────

  cover() {
    const { cover } = this.model;
    const doc = this.doc;
    this.addPage();
    doc.y = 150;
    const section = doc.struct("Sect");
    this.root.add(section);
    this.tagged(section, "P", () => {
      this.use("regular", 14, COLOURS.secondary);
      doc.text(printable(cover.kicker, "regular"), this.left, doc.y, { width: this.width });
    });
    doc.y += 8;
    this.lastTopBookmark = doc.outline.addItem(printable(cover.trustName, "bold").replaceAll("\u200b", ""));
    this.tagged(section, "H1", () => {
      this.use("bold", HEADING_SIZES[1] ?? 26);
      doc.text(printable(cover.trustName, "bold"), this.left, doc.y, { width: this.width, lineGap: 2 });
    });
    doc.y += 24;
    for (const fact of cover.facts) this.paragraph({ kind: "paragraph", label: `${fact.label}: `, text: fact.value, style: "lead" }, section);
    if (cover.draftNotice) {
      doc.y += 16;
      this.use("bold", BODY + 1);
      const text = printable(cover.draftNotice, "bold");
      const height = doc.heightOfString(text, { width: this.width - 24, lineGap: 2 }) + 20;
      const y = doc.y;
      this.artefact(() => doc.rect(this.left, y, this.width, height).lineWidth(3).stroke(COLOURS.text));
      this.tagged(section, "P", () => {
        this.use("bold", BODY + 1);
        doc.text(text, this.left + 12, y + 10, { width: this.width - 24, lineGap: 2 });
      });
      doc.y = y + height + 8;
    }
    section.end();
  }

  sections() {
    for (const section of this.model.sections) {
      if (section.newPage) this.addPage();
      else this.doc.y += BODY * 1.5;
      const sect = this.doc.struct("Sect");
      this.root.add(sect);
      section.blocks.forEach((block, i) => this.block(block, sect, section.blocks[i + 1]));
      sect.end();
    }
  }

  /** The protective marking at the top and foot of every page, the footer with "Page N of M", the DRAFT watermark. */
  furniture() {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    const marking = printable(this.model.marking, "bold");
    const footer = printable(this.model.footer, "regular");
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const page = doc.page;
      const savedBottom = page.margins.bottom;
      // Writing in the margins must never start a new page.
      page.margins.bottom = 0;
      const width = page.width - PAGE.margins.left - PAGE.margins.right;
      if (this.model.draft) {
        doc.markContent("Artifact", { type: "Pagination" });
        doc.save();
        this.use("bold", 118, "#6f777b");
        doc.fillOpacity(0.14);
        const w = doc.widthOfString("DRAFT");
        const cx = page.width / 2;
        const cy = page.height / 2;
        doc.rotate(-55, { origin: [cx, cy] });
        doc.text("DRAFT", cx - w / 2, cy - 118 * 0.6, { lineBreak: false });
        doc.restore();
        doc.endMarkedContent();
      }
      doc.markContent("Artifact", { type: "Pagination", attached: ["Top"] });
      this.use("bold", 10, COLOURS.marking);
      doc.text(marking, PAGE.margins.left, 30, { width, align: "center", lineBreak: false });
      doc.endMarkedContent();
      doc.markContent("Artifact", { type: "Pagination", attached: ["Bottom"] });
      doc.moveTo(PAGE.margins.left, page.height - 50).lineTo(page.width - PAGE.margins.right, page.height - 50).lineWidth(0.5).stroke(COLOURS.rule);
      this.use("regular", SMALL, COLOURS.secondary);
      doc.text(fitLabel(doc, footer, width * 0.7), PAGE.margins.left, page.height - 44, { width: width * 0.7, lineBreak: false });
      doc.text(`Page ${i - start + 1} of ${count}`, PAGE.margins.left + width * 0.7, page.height - 44, { width: width * 0.3, align: "right", lineBreak: false });
      this.use("bold", 10, COLOURS.marking);
      doc.text(marking, PAGE.margins.left, page.height - 30, { width, align: "center", lineBreak: false });
      doc.endMarkedContent();
      page.margins.bottom = savedBottom;
    }
  }

  /** @returns {Buffer<ArrayBuffer>} */
  render() {
    this.cover();
    this.sections();
    this.root.end();
    this.furniture();
    const doc = this.doc;
    doc.end();
    // pdfkit pushes the whole file into its stream as it ends, synchronously: read it straight out.
    /** @type {Buffer[]} */
    const chunks = [];
    for (let chunk = doc.read(); chunk !== null; chunk = doc.read()) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    if (!bytes.subarray(-8).toString("latin1").includes("%%EOF")) throw new Error("pdfkit did not finish the file");
    return bytes;
  }
}

/**
 * `text` shortened with "…" to fit `width` at the current font and size.
 * @param {Doc} doc @param {string} text @param {number} width
 */
function fitLabel(doc, text, width) {
  if (doc.widthOfString(text) <= width) return text;
  const points = Array.from(text);
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${points.slice(0, mid).join("").trimEnd()}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${points.slice(0, lo).join("").trimEnd()}…`;
}

/**
 * Draws a report model as a PDF, in this thread: the same model always gives the same bytes. Servers render in a
 * worker with a time limit instead (renderReportPdf in app/reports/render.server.ts).
 * @param {ReportModel} model
 * @returns {Buffer<ArrayBuffer>}
 */
export function renderModelToPdf(model) {
  return new Renderer(model).render();
}
