/**
 * The rules for evidence files on findings (issue 5), shared by app/inspections/evidence.server.ts and the criterion
 * page's component (which runs in the browser too): so no server imports here.
 *
 * - The type is decided from the file's first bytes (its magic number), never from the name or the Content-Type the
 *   browser sent, which say only what the file claims to be. Accepted: JPEG, PNG, HEIC/HEIF photos, PDF, Word and
 *   Excel documents (.docx, .xlsx: a ZIP whose central directory has the Office parts, without macros) and plain text
 *   (valid UTF-8 without NUL bytes, not markup). Everything else is refused, executables and web pages included.
 * - At most MAX_EVIDENCE_BYTES a file, MAX_FILES_PER_FINDING files a finding; empty files are refused.
 * - The name is only ever shown and offered on download, never used as a path: it is cleaned (NFC, control and
 *   bidirectional-override characters and path separators removed, 200 characters at most).
 * - The capture time comes from the browser (File.lastModified, put in a hidden field by JavaScript) when it is
 *   plausible; otherwise the upload time is used.
 * See docs/decisions/0014-evidence-files.md.
 */

export const MAX_EVIDENCE_BYTES = 20_000_000;
export const MAX_EVIDENCE_LABEL = "20 MB";
export const MAX_FILES_PER_FINDING = 20;
export const MAX_EVIDENCE_NAME_CHARS = 200;
/** A device clock this far ahead of ours is still believed. */
export const CAPTURE_CLOCK_SKEW_MS = 10 * 60_000;
/** No evidence of a trust's cyber security today was captured before this (a device with its clock reset says 1970). */
export const EARLIEST_CAPTURE_MS = Date.UTC(2000, 0, 1);

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The types accepted, each with how it is shown and the file name extensions a download may keep (the first is added
 * when the name has none of them: see downloadName).
 */
export const EVIDENCE_TYPES = {
  "image/jpeg": { label: "JPEG image", extensions: ["jpg", "jpeg"] },
  "image/png": { label: "PNG image", extensions: ["png"] },
  "image/heic": { label: "HEIC image", extensions: ["heic"] },
  "image/heif": { label: "HEIF image", extensions: ["heif"] },
  "application/pdf": { label: "PDF document", extensions: ["pdf"] },
  [DOCX]: { label: "Word document", extensions: ["docx"] },
  [XLSX]: { label: "Excel spreadsheet", extensions: ["xlsx"] },
  // Only names that open in a text editor: a text file named .js, .ps1, .bat or .csv would be run or opened by
  // something else (a script host, Excel) on the inspector's laptop.
  "text/plain": { label: "Text file", extensions: ["txt", "log"] },
} as const satisfies Record<string, { label: string; extensions: readonly string[] }>;

export type EvidenceMediaType = keyof typeof EVIDENCE_TYPES;

/** The file input's `accept`: what the file picker offers first. The server decides by the bytes whatever it says. */
export const EVIDENCE_ACCEPT = [".jpg", ".jpeg", ".png", ".heic", ".heif", ".pdf", ".docx", ".xlsx", ".txt", ".log", ...Object.keys(EVIDENCE_TYPES)].join(",");

export const EVIDENCE_HINT = `A photo (JPEG, PNG or HEIC), a PDF, a Word or Excel document (.docx or .xlsx) or a plain text file, up to ${MAX_EVIDENCE_LABEL}. One file at a time; up to ${MAX_FILES_PER_FINDING} files for each finding.`;

/** Why a file was not added or removed. The route redirects back with the code; the page shows the message. */
export const EVIDENCE_REFUSALS = {
  missing: "Select a file to upload",
  empty: "The selected file is empty",
  "too-big": `The selected file must be smaller than ${MAX_EVIDENCE_LABEL}`,
  type: "The selected file must be a photo (JPEG, PNG or HEIC), a PDF, a Word or Excel document (.docx or .xlsx) or a plain text file",
  markup: "The selected file is a web page or markup (HTML, XML or SVG), which cannot be attached: save or print it as a PDF and attach that",
  macro: "The selected file is an Office document with macros, which cannot be attached: save it as .docx or .xlsx without macros, or as a PDF",
  "too-many": `This finding already has ${MAX_FILES_PER_FINDING} evidence files, the most it can have: remove one before adding another`,
  closed: "Evidence files can be added or removed only while the team is recording findings",
} as const;

export type EvidenceRefusal = keyof typeof EVIDENCE_REFUSALS;

const NOTICES = { uploaded: "Evidence file added", removed: "Evidence file removed" } as const;
export type EvidenceNoticeCode = keyof typeof NOTICES;

/** What the `evidence` query parameter the route redirects with means: a success, a refusal, or nothing. */
export function evidenceNotice(code: string | null): { kind: "success" | "error"; text: string } | null {
  if (code && Object.hasOwn(NOTICES, code)) return { kind: "success", text: NOTICES[code as EvidenceNoticeCode] };
  if (code && Object.hasOwn(EVIDENCE_REFUSALS, code)) return { kind: "error", text: EVIDENCE_REFUSALS[code as EvidenceRefusal] };
  return null;
}

// ── The type, from the bytes ────────────────────────────────────────────────────────────────────────────────

export type Detected = { ok: true; mediaType: EvidenceMediaType } | { ok: false; refusal: "type" | "markup" | "macro" };

const ascii = (bytes: Uint8Array, from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const u16 = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u32 = (bytes: Uint8Array, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
const u32be = (bytes: Uint8Array, at: number) => ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx"]);
const HEIF_BRANDS = new Set(["mif1", "msf1"]);

/**
 * HEIC/HEIF: an ISO base media file whose first box is `ftyp` naming a HEIF brand (an iPhone photo says heic). MP4,
 * QuickTime and AVIF files are ISO base media files too, with other brands: refused.
 */
function heif(bytes: Uint8Array): EvidenceMediaType | null {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== "ftyp") return null;
  const size = u32be(bytes, 0);
  if (size < 16 || size > bytes.length || size % 4 !== 0) return null;
  const brands = [ascii(bytes, 8, 4)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, 4));
  if (brands.some((b) => b === "avif" || b === "avis")) return null;
  if (brands.some((b) => HEIC_BRANDS.has(b))) return "image/heic";
  if (brands.some((b) => HEIF_BRANDS.has(b))) return "image/heif";
  return null;
}

/**
 * Word and Excel documents (Office Open XML) are ZIP files. One is accepted when it is a well-formed ZIP from its first
 * byte to its last (a local file header at the start; the end-of-central-directory record ends the file; a central
 * directory that fills exactly the space before it, every entry in order, none encrypted; no ZIP64), and its entries
 * include [Content_Types].xml and the main part of exactly one of Word (word/document.xml) or Excel (xl/workbook.xml).
 * A file with a VBA project (the macro-enabled .docm and .xlsm) is refused. The parts are not decompressed, so a
 * document with those names but broken contents is accepted: Office then refuses to open it, which harms nobody.
 */
function officeDocument(bytes: Uint8Array): Detected | null {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return null;
  const notOffice: Detected = { ok: false, refusal: "type" };
  // The end-of-central-directory record: 22 bytes and a comment of up to 65,535, ending exactly at the end of the file.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (startsWith(bytes, [0x50, 0x4b, 0x05, 0x06], at) && at + 22 + u16(bytes, at + 20) === bytes.length) {
      end = at;
      break;
    }
  }
  if (end === -1) return notOffice;
  const disk = u16(bytes, end + 4);
  const directoryDisk = u16(bytes, end + 6);
  const entriesHere = u16(bytes, end + 8);
  const entries = u16(bytes, end + 10);
  const directorySize = u32(bytes, end + 12);
  const directoryStart = u32(bytes, end + 16);
  // ZIP64 (0xffff / 0xffffffff markers) and multi-disk archives are not what Office writes for evidence-sized files.
  if (disk !== 0 || directoryDisk !== 0 || entriesHere !== entries || entries === 0xffff || directoryStart === 0xffffffff) return notOffice;
  if (directoryStart + directorySize !== end) return notOffice;
  const names: string[] = [];
  let at = directoryStart;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > end || !startsWith(bytes, [0x50, 0x4b, 0x01, 0x02], at)) return notOffice;
    const flags = u16(bytes, at + 8);
    const nameLength = u16(bytes, at + 28);
    const next = at + 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    const localHeader = u32(bytes, at + 42);
    if (flags & 0x0001 || next > end || localHeader >= directoryStart || !startsWith(bytes, [0x50, 0x4b, 0x03, 0x04], localHeader)) return notOffice;
    // Office part names are ASCII; whatever else a name holds, one code unit a byte is enough to compare them.
    names.push(ascii(bytes, at + 46, nameLength).toLowerCase());
    at = next;
  }
  if (at !== end) return notOffice;
  if (!names.includes("[content_types].xml")) return notOffice;
  if (names.some((n) => n.endsWith("vbaproject.bin"))) return { ok: false, refusal: "macro" };
  const word = names.includes("word/document.xml");
  const excel = names.includes("xl/workbook.xml");
  if (word === excel) return notOffice;
  return { ok: true, mediaType: word ? DOCX : XLSX };
}

/**
 * Plain text: valid UTF-8 (a byte-order mark allowed) with no NUL byte, and not markup. Text that begins (after
 * white space) with "<" is refused as markup: a browser may take it for HTML, XML or SVG, which can run script,
 * however it is served.
 */
function plainText(bytes: Uint8Array): Detected {
  if (bytes.includes(0)) return { ok: false, refusal: "type" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, refusal: "type" };
  }
  if (/^[\s\uFEFF]*</.test(text)) return { ok: false, refusal: "markup" };
  return { ok: true, mediaType: "text/plain" };
}

/** The type of a file from its bytes alone. */
export function detectEvidenceType(bytes: Uint8Array): Detected {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { ok: true, mediaType: "image/jpeg" };
  // The signature, then the IHDR chunk every PNG starts with (length 13).
  if (startsWith(bytes, PNG) && u32be(bytes, 8) === 13 && ascii(bytes, 12, 4) === "IHDR") return { ok: true, mediaType: "image/png" };
  if (/^%PDF-\d\.\d/.test(ascii(bytes, 0, 8))) return { ok: true, mediaType: "application/pdf" };
  const heifType = heif(bytes);
  if (heifType) return { ok: true, mediaType: heifType };
  const office = officeDocument(bytes);
  if (office) return office;
  return plainText(bytes);
}

/** Checks a file before it is stored: chosen, not empty, not too big, an accepted type. */
export function checkEvidenceFile(file: { name: string; bytes: Uint8Array }): { ok: true; mediaType: EvidenceMediaType } | { ok: false; refusal: EvidenceRefusal } {
  // A form sent without choosing a file has a file part with no name and no bytes.
  if (file.bytes.length === 0) return { ok: false, refusal: file.name === "" ? "missing" : "empty" };
  if (file.bytes.length > MAX_EVIDENCE_BYTES) return { ok: false, refusal: "too-big" };
  return detectEvidenceType(file.bytes);
}

// ── Names ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Control characters, and the bidirectional controls that can make "invoice‮fdp.exe" read as "invoiceexe.pdf".
 */
const UNSAFE_CHARACTERS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** The name a file is shown and downloaded under when it came with none worth keeping. */
export const UNNAMED_FILE = "Unnamed file";

/**
 * The name as shown: NFC, control and bidirectional-control characters and path separators removed, spaces trimmed,
 * at most MAX_EVIDENCE_NAME_CHARS characters (cut before the extension, so the extension stays).
 */
export function cleanEvidenceName(name: string): string {
  const cleaned = name.normalize("NFC").replace(UNSAFE_CHARACTERS, "").replace(/[/\\]/g, "").trim();
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_EVIDENCE_NAME_CHARS) return cleaned || UNNAMED_FILE;
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(cleaned.slice(dot)) : [];
  if (extension.length > 0 && extension.length <= 10) {
    return (chars.slice(0, MAX_EVIDENCE_NAME_CHARS - extension.length).join("").trimEnd() + extension.join("")).normalize("NFC");
  }
  return chars.slice(0, MAX_EVIDENCE_NAME_CHARS).join("").trimEnd();
}

/**
 * The name a download is saved under: the shown name, with the extension of its real type added when it does not
 * have one ("report.pdf.exe" that is a PDF downloads as "report.pdf.exe.pdf"), so the inspector's computer opens it
 * with the program for what it is.
 */
export function downloadName(name: string, mediaType: EvidenceMediaType): string {
  const { extensions } = EVIDENCE_TYPES[mediaType];
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  return (extensions as readonly string[]).includes(extension) ? name : `${name}.${extensions[0]}`;
}

/**
 * The Content-Disposition of a download (RFC 6266): an attachment, with an ASCII-only fallback name for old clients
 * and the real name in UTF-8 (RFC 8187 `filename*`).
 */
export function contentDisposition(name: string): string {
  const fallback = Array.from(name, (c) => (/^[\x20-\x7e]$/.test(c) && !/["\\%]/.test(c) ? c : "_")).join("");
  // encodeURIComponent leaves ' ( ) * unencoded, which RFC 8187's attr-char does not allow.
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// ── Capture time ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * When the evidence was captured: the time the browser gave (File.lastModified, milliseconds since 1970, sent in a
 * hidden field), if it is a whole number no earlier than 2000 and no later than now plus a little clock skew;
 * otherwise (no JavaScript, or a device clock that is plainly wrong) the upload time.
 */
export function captureTime(field: string | null | undefined, now: Date): { capturedAt: string; from: "device" | "upload" } {
  const value = typeof field === "string" && /^\d{1,15}$/.test(field) ? Number(field) : NaN;
  if (Number.isSafeInteger(value) && value >= EARLIEST_CAPTURE_MS && value <= now.getTime() + CAPTURE_CLOCK_SKEW_MS) {
    return { capturedAt: new Date(value).toISOString(), from: "device" };
  }
  return { capturedAt: now.toISOString(), from: "upload" };
}

// ── Showing a file ────────────────────────────────────────────────────────────────────────────────────────

/** "850 bytes", "12 KB", "3.4 MB" (decimal units, as the limit is given). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  if (bytes < 999_500) return `${Math.round(bytes / 1000)} KB`;
  const mb = bytes / 1_000_000;
  return `${mb < 9.95 ? mb.toFixed(1).replace(/\.0$/, "") : Math.round(mb)} MB`;
}

export function evidenceTypeLabel(mediaType: string): string {
  return Object.hasOwn(EVIDENCE_TYPES, mediaType) ? EVIDENCE_TYPES[mediaType as EvidenceMediaType].label : mediaType;
}
