/**
 * Names for downloaded reports, chosen by the server, never taken from anything a user typed (pure).
 *
 *   reportFileName({ odsCode: "RJ1", visitDate: "2026-03-12", version: 1, draft: false }) → "RJ1-deep-dive-2026-03-12-v1.pdf"
 *   … draft: true                                                                       → "RJ1-deep-dive-2026-03-12-v1-draft.pdf"
 *
 * The ODS code keeps only ASCII letters and digits (upper-cased); a missing or malformed date is "undated"; the
 * version is a whole number from 1. The result is plain ASCII, so it needs no escaping anywhere; the
 * Content-Disposition header still carries it both ways (RFC 6266: `filename` and RFC 8187 `filename*`).
 */
import { contentDisposition } from "../inspections/evidence-rules";

export interface ReportFileNameParts {
  odsCode: string;
  /** The visit date (yyyy-mm-dd), or null for an inspection without one. */
  visitDate: string | null;
  version: number;
  draft: boolean;
}

/** "RJ1-deep-dive-2026-03-12-v1.pdf" ("-draft" before ".pdf" for a draft). */
export function reportFileName({ odsCode, visitDate, version, draft }: ReportFileNameParts): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`A report version is a whole number from 1, not ${version}`);
  const code = odsCode.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 10) || "TRUST";
  const date = visitDate && /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(visitDate) ? visitDate : "undated";
  return `${code}-deep-dive-${date}-v${version}${draft ? "-draft" : ""}.pdf`;
}

/**
 * The Content-Disposition of a report download (RFC 6266): an attachment, with an ASCII `filename` and the UTF-8
 * `filename*` (RFC 8187). Reports are always downloaded, never shown inline as a page of this site.
 */
export function reportContentDisposition(fileName: string): string {
  return contentDisposition(fileName);
}
