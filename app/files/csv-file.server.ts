/**
 * The CSV files the imports read, from the import pages or the command line, all or nothing: why a file is
 * refused (each problem with its line), the file's bytes as text, and the multipart import form (the file and
 * whether to check it or import it). Each import brings its own limits and messages (CsvFileRules).
 */
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";

export interface FileProblem {
  /** The line of the file (1 is the first), or null for a problem with the whole file. */
  line: number | null;
  reason: string;
}

export interface Refusal {
  errors: FileProblem[];
  /** How many problems there are in all (errors lists the first few: each import says how many). */
  totalErrors: number;
}

export function isRefusal<T extends object>(result: T | Refusal): result is Refusal {
  return "errors" in result;
}

/** A refusal for one problem, with the whole file (no line) or with one line. */
export const refuse = (reason: string, line: number | null = null): Refusal => ({ errors: [{ line, reason }], totalErrors: 1 });

/** "Line 3: …", or the reason alone for a problem with the whole file. */
export function describeProblem(problem: FileProblem): string {
  return problem.line === null ? problem.reason : `Line ${problem.line}: ${problem.reason}`;
}

export interface CsvFileRules {
  maxBytes: number;
  /** maxBytes for people, like "5 MB". */
  maxLabel: string;
  /** Why a zip archive is refused, and what to select instead. */
  zipReason: string;
}

/**
 * An uploaded or local file's bytes as text: UTF-8 (with or without a byte order mark), or Windows-1252 if it
 * is not valid UTF-8 (as Excel saves CSV). Refuses files that are too big, empty, zipped or binary.
 */
export function decodeCsvBytes(bytes: Uint8Array, rules: CsvFileRules): { text: string } | Refusal {
  if (bytes.byteLength > rules.maxBytes) return refuse(`The file must be smaller than ${rules.maxLabel}`);
  if (bytes.byteLength === 0) return refuse("The file is empty");
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return refuse(rules.zipReason);
  if (bytes.includes(0)) return refuse("The file is not a CSV file (it contains binary data)");
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes) };
  }
}

/** Why csv-parse could not read a line, for people. */
export function csvProblem(error: unknown): string {
  switch ((error as { code?: string } | null)?.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is not closed (a field must not run over more than one line)";
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return "a closing quote is followed by something other than a comma";
    case "INVALID_OPENING_QUOTE":
    case "CSV_INVALID_OPENING_QUOTE":
      return "a quote appears inside a field that is not quoted";
    default:
      return "the line is not valid CSV";
  }
}

// ── The upload form ─────────────────────────────────────────────────────────────────────────────────────

export type ImportIntent = "check" | "import";

export type UploadResult = { intent: ImportIntent; text: string; filename: string } | { intent: ImportIntent; refusal: Refusal };

export interface UploadRules extends CsvFileRules {
  /** Why the form is refused when no file was selected, like "Select an ODS etr.csv file". */
  missingReason: string;
  /** The file name when the browser sent none. */
  fallbackName?: string;
}

/**
 * Reads an import form (multipart): only the fields `intent` and `file`, the file at most rules.maxBytes and
 * decoded as decodeCsvBytes does ("The file …" problems said as "The selected file …"). Anything other than
 * intent=import is a check (dry run).
 */
export async function readCsvUpload(request: Request, rules: UploadRules): Promise<UploadResult> {
  const tooBig = () => ({ intent: "check" as const, refusal: refuse(`The selected file must be smaller than ${rules.maxLabel}`) });
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > rules.maxBytes + 100_000) return tooBig();
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: rules.maxBytes, filter: ({ name }) => name === "file" || name === "intent" }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooBig();
    return { intent: "check", refusal: refuse(rules.missingReason) };
  }
  const intent: ImportIntent = form.get("intent") === "import" ? "import" : "check";
  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && !file.name)) return { intent, refusal: refuse(rules.missingReason) };
  const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()), rules);
  if (isRefusal(decoded)) {
    return { intent, refusal: { ...decoded, errors: decoded.errors.map((e) => ({ ...e, reason: e.reason.replace(/^The file/, "The selected file") })) } };
  }
  return { intent, text: decoded.text, filename: file.name || (rules.fallbackName ?? "") };
}
