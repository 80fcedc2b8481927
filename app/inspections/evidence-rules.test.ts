import { crc32, deflateRawSync, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  captureTime,
  checkEvidenceFile,
  cleanEvidenceName,
  contentDisposition,
  detectEvidenceType,
  downloadName,
  EVIDENCE_REFUSALS,
  evidenceNotice,
  formatFileSize,
  MAX_EVIDENCE_BYTES,
} from "./evidence-rules";

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p)))));

/** A real 1×1 PNG: signature, IHDR, IDAT, IEND, with their CRCs. */
function png(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "latin1"), data])));
    return Buffer.concat([length, Buffer.from(type, "latin1"), data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.from([0, 255, 0, 0]))), chunk("IEND", Buffer.alloc(0))]),
  );
}

/** A ZIP as Office writes one (deflated entries, central directory, end record), of these entries. */
function zip(entries: { name: string; text: string }[], options: { comment?: string; encrypt?: string; trailing?: string } = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.text, "utf8");
    const packed = deflateRawSync(data);
    const name = Buffer.from(entry.name, "utf8");
    const flags = entry.name === options.encrypt ? 0x0001 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? "", "latin1");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return new Uint8Array(Buffer.concat([...locals, directory, end, comment, Buffer.from(options.trailing ?? "", "latin1")]));
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const RELS = { name: "_rels/.rels", text: "<Relationships/>" };
const docx = (...extra: { name: string; text: string }[]) =>
  zip([{ name: "[Content_Types].xml", text: CONTENT_TYPES }, RELS, { name: "word/document.xml", text: "<w:document/>" }, ...extra]);
const xlsx = (...extra: { name: string; text: string }[]) =>
  zip([{ name: "[Content_Types].xml", text: CONTENT_TYPES }, RELS, { name: "xl/workbook.xml", text: "<workbook/>" }, { name: "xl/worksheets/sheet1.xml", text: "<worksheet/>" }, ...extra]);

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const type = (b: Uint8Array) => detectEvidenceType(b);

describe("detectEvidenceType: the type from the bytes, whatever the name or Content-Type claim", () => {
  it("recognises JPEG, PNG, PDF, HEIC and HEIF by their magic numbers", () => {
    expect(type(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], "JFIF\0"))).toEqual({ ok: true, mediaType: "image/jpeg" });
    expect(type(png())).toEqual({ ok: true, mediaType: "image/png" });
    expect(type(bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))).toEqual({ ok: true, mediaType: "application/pdf" });
    // An iPhone photo: ftyp box (24 bytes), major brand heic, compatible mif1 and heic.
    expect(type(bytes([0, 0, 0, 24], "ftypheic", [0, 0, 0, 0], "mif1heic", [0, 0, 0, 8], "meta"))).toEqual({ ok: true, mediaType: "image/heic" });
    expect(type(bytes([0, 0, 0, 20], "ftypmif1", [0, 0, 0, 0], "heix"))).toEqual({ ok: true, mediaType: "image/heic" });
    expect(type(bytes([0, 0, 0, 20], "ftypmif1", [0, 0, 0, 0], "mif1"))).toEqual({ ok: true, mediaType: "image/heif" });
  });

  it("refuses other ISO media files (video, AVIF) and broken headers", () => {
    expect(type(bytes([0, 0, 0, 24], "ftypisom", [0, 0, 2, 0], "isomiso2"))).toEqual({ ok: false, refusal: "type" });
    expect(type(bytes([0, 0, 0, 20], "ftypqt  ", [0, 0, 2, 0], "qt  "))).toEqual({ ok: false, refusal: "type" });
    expect(type(bytes([0, 0, 0, 24], "ftypavif", [0, 0, 0, 0], "mif1avif"))).toEqual({ ok: false, refusal: "type" });
    // An ftyp box longer than the file.
    expect(type(bytes([0, 0, 1, 0], "ftypheic", [0, 0, 0, 0]))).toEqual({ ok: false, refusal: "type" });
    // The PNG signature without its IHDR chunk; "%PDF" without a version.
    expect(type(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 0]))).toEqual({ ok: false, refusal: "type" });
    expect(type(bytes("%PDF-x"))).toEqual({ ok: true, mediaType: "text/plain" });
  });

  it("refuses executables and other binary files", () => {
    expect(type(bytes("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", "This program cannot be run in DOS mode"))).toEqual({ ok: false, refusal: "type" });
    expect(type(bytes([0x7f], "ELF", [2, 1, 1, 0, 0, 0]))).toEqual({ ok: false, refusal: "type" });
    expect(type(bytes("#!/bin/sh\n\0"))).toEqual({ ok: false, refusal: "type" });
    expect(type(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toEqual({ ok: false, refusal: "type" }); // an old .doc
    expect(type(bytes("GIF89a\x01\0\x01\0"))).toEqual({ ok: false, refusal: "type" });
  });

  it("accepts valid UTF-8 text without NUL bytes, and refuses invalid UTF-8 and markup", () => {
    expect(type(bytes(Buffer.from("Firewall rules exported 2026-11-30\nallow tcp 443 — from any\n", "utf8")))).toEqual({ ok: true, mediaType: "text/plain" });
    expect(type(bytes([0xef, 0xbb, 0xbf], Buffer.from("With a byte-order mark", "utf8")))).toEqual({ ok: true, mediaType: "text/plain" });
    expect(type(bytes("caf\xe9 in Latin-1"))).toEqual({ ok: false, refusal: "type" });
    for (const page of ["<!DOCTYPE html><script>alert(1)</script>", "  \n<HTML>", "<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>", '<?xml version="1.0"?><a/>', "<!-- x --><p>"]) {
      expect(type(bytes(Buffer.from(page, "utf8"))), page).toEqual({ ok: false, refusal: "markup" });
    }
    expect(type(bytes([0xef, 0xbb, 0xbf], "<html>"))).toEqual({ ok: false, refusal: "markup" });
    // Markup further in is only text.
    expect(type(bytes("Log line: <b>bold</b>"))).toEqual({ ok: true, mediaType: "text/plain" });
  });

  it("accepts Word and Excel documents (Office Open XML), and refuses macro-enabled ones", () => {
    expect(type(docx())).toEqual({ ok: true, mediaType: DOCX });
    expect(type(xlsx())).toEqual({ ok: true, mediaType: XLSX });
    expect(type(zip([{ name: "[Content_Types].xml", text: CONTENT_TYPES }, { name: "word/document.xml", text: "<w:document/>" }], { comment: "made by a tool" }))).toEqual({ ok: true, mediaType: DOCX });
    expect(type(docx({ name: "word/vbaProject.bin", text: "macros" }))).toEqual({ ok: false, refusal: "macro" });
    expect(type(xlsx({ name: "xl/vbaProject.bin", text: "macros" }))).toEqual({ ok: false, refusal: "macro" });
  });

  it("refuses other ZIP files and damaged or disguised ones", () => {
    expect(type(zip([{ name: "readme.txt", text: "hello" }]))).toEqual({ ok: false, refusal: "type" });
    // Office parts without [Content_Types].xml; both Word and Excel parts; an encrypted entry.
    expect(type(zip([{ name: "word/document.xml", text: "<w:document/>" }]))).toEqual({ ok: false, refusal: "type" });
    expect(type(zip([{ name: "[Content_Types].xml", text: CONTENT_TYPES }, { name: "word/document.xml", text: "x" }, { name: "xl/workbook.xml", text: "x" }]))).toEqual({ ok: false, refusal: "type" });
    expect(type(zip([{ name: "[Content_Types].xml", text: CONTENT_TYPES }, { name: "word/document.xml", text: "x" }], { encrypt: "word/document.xml" }))).toEqual({ ok: false, refusal: "type" });
    // Something after the end record; the end record cut off; a central directory pointing at the wrong place.
    expect(type(zip([{ name: "[Content_Types].xml", text: CONTENT_TYPES }, { name: "word/document.xml", text: "x" }], { trailing: "<script>" }))).toEqual({ ok: false, refusal: "type" });
    const good = docx();
    expect(type(good.subarray(0, good.length - 1))).toEqual({ ok: false, refusal: "type" });
    const moved = new Uint8Array(good);
    const view = new DataView(moved.buffer);
    view.setUint32(moved.length - 6, view.getUint32(moved.length - 6, true) - 1, true);
    expect(type(moved)).toEqual({ ok: false, refusal: "type" });
    // A web page with a document appended (a polyglot) does not start with a ZIP header, and is not text either.
    expect(type(bytes("<html>", docx()))).toEqual({ ok: false, refusal: "type" });
  });
});

describe("checkEvidenceFile", () => {
  it("refuses no file, an empty file, one too big, and one of a type not accepted", () => {
    expect(checkEvidenceFile({ name: "", bytes: new Uint8Array() })).toEqual({ ok: false, refusal: "missing" });
    expect(checkEvidenceFile({ name: "photo.jpg", bytes: new Uint8Array() })).toEqual({ ok: false, refusal: "empty" });
    const big = new Uint8Array(MAX_EVIDENCE_BYTES + 1);
    big.set([0xff, 0xd8, 0xff]);
    expect(checkEvidenceFile({ name: "photo.jpg", bytes: big })).toEqual({ ok: false, refusal: "too-big" });
    expect(checkEvidenceFile({ name: "photo.jpg", bytes: big.subarray(0, MAX_EVIDENCE_BYTES) })).toEqual({ ok: true, mediaType: "image/jpeg" });
    expect(checkEvidenceFile({ name: "photo.png", bytes: bytes("<html><body>Not a photo</body></html>") })).toEqual({ ok: false, refusal: "markup" });
  });
});

describe("names", () => {
  it("cleans the shown name: NFC, no control or bidirectional characters, no path separators, 200 characters at most", () => {
    expect(cleanEvidenceName("Cafe\u0301 photo.jpg")).toBe("Café photo.jpg");
    expect(cleanEvidenceName("  ..\\..\\etc/passwd\n.txt ")).toBe("....etcpasswd.txt");
    expect(cleanEvidenceName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(cleanEvidenceName("tab\there\u0000\u001b[31m.png")).toBe("tabhere[31m.png");
    expect(cleanEvidenceName("\u0007 \u200F")).toBe("Unnamed file");
    const long = `${"a".repeat(300)}.jpeg`;
    expect(cleanEvidenceName(long)).toBe(`${"a".repeat(195)}.jpeg`);
    expect(Array.from(cleanEvidenceName("😀".repeat(250)))).toHaveLength(200);
    expect(Array.from(cleanEvidenceName(`${"ü".repeat(250)}.pdf`))).toHaveLength(200);
    expect(cleanEvidenceName(`${"b".repeat(250)}.averyverylongextension`)).toBe("b".repeat(200));
  });

  it("downloads under a name ending in the real type's extension", () => {
    expect(downloadName("Server room.JPG", "image/jpeg")).toBe("Server room.JPG");
    expect(downloadName("report.pdf.exe", "application/pdf")).toBe("report.pdf.exe.pdf");
    expect(downloadName("photo.png", "image/jpeg")).toBe("photo.png.jpg");
    expect(downloadName("firewall.log", "text/plain")).toBe("firewall.log");
    expect(downloadName("run-me.ps1", "text/plain")).toBe("run-me.ps1.txt");
    expect(downloadName("Unnamed file", "image/png")).toBe("Unnamed file.png");
  });

  it("gives the name as an RFC 6266 attachment, with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("photo.png")).toBe(`attachment; filename="photo.png"; filename*=UTF-8''photo.png`);
    expect(contentDisposition(`Café "north" 50%'s (1)*.jpg`)).toBe(
      `attachment; filename="Caf_ _north_ 50_'s (1)*.jpg"; filename*=UTF-8''Caf%C3%A9%20%22north%22%2050%25%27s%20%281%29%2A.jpg`,
    );
    expect(contentDisposition("報告.pdf")).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A.pdf`);
  });
});

describe("captureTime", () => {
  const now = new Date("2026-11-30T10:00:00.000Z");
  it("takes the browser's time when it is plausible", () => {
    expect(captureTime(String(Date.parse("2026-11-29T15:04:05.123Z")), now)).toEqual({ capturedAt: "2026-11-29T15:04:05.123Z", from: "device" });
    expect(captureTime(String(Date.UTC(2000, 0, 1)), now)).toEqual({ capturedAt: "2000-01-01T00:00:00.000Z", from: "device" });
    // A device clock a few minutes fast is believed.
    expect(captureTime(String(now.getTime() + 9 * 60_000), now)).toEqual({ capturedAt: "2026-11-30T10:09:00.000Z", from: "device" });
  });
  it("uses the upload time when there is none, or it is in the future, before 2000 or not a number", () => {
    for (const field of [null, undefined, "", String(now.getTime() + 11 * 60_000), String(Date.UTC(1999, 11, 31)), "0", "-5", "1.5e12", "17e11", "abc", "9".repeat(16)]) {
      expect(captureTime(field, now), String(field)).toEqual({ capturedAt: now.toISOString(), from: "upload" });
    }
  });
});

describe("showing files", () => {
  it("gives sizes in bytes, KB and MB", () => {
    expect([0, 1, 999, 1000, 12_345, 999_499, 999_500, 3_400_000, 9_990_000, 20_000_000].map(formatFileSize)).toEqual([
      "0 bytes",
      "1 byte",
      "999 bytes",
      "1 KB",
      "12 KB",
      "999 KB",
      "1 MB",
      "3.4 MB",
      "10 MB",
      "20 MB",
    ]);
  });
  it("reads the notice the route redirects with, and nothing else", () => {
    expect(evidenceNotice("uploaded")).toEqual({ kind: "success", text: "Evidence file added" });
    expect(evidenceNotice("type")).toEqual({ kind: "error", text: EVIDENCE_REFUSALS.type });
    expect(evidenceNotice("toString")).toBeNull();
    expect(evidenceNotice(null)).toBeNull();
  });
});
