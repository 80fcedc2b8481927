/**
 * The NHS Digital ODS "etr" (NHS trusts) file layout, parsed one row at a time (pure). The published file
 * has no header row and 27 columns; dates are yyyymmdd. Only the columns the register uses are named here.
 */

export const ETR_COLUMN_COUNT = 27;

/** NHS England regions, by ODS national grouping. CQC regulates England: other groupings are skipped. */
export const ENGLISH_REGIONS: Readonly<Record<string, string>> = {
  Y56: "London",
  Y58: "South West",
  Y59: "South East",
  Y60: "Midlands",
  Y61: "East of England",
  Y62: "North West",
  Y63: "North East and Yorkshire",
};

export interface OdsTrust {
  odsCode: string;
  odsName: string;
  regionCode: string;
  icbCode: string | null;
  addressLines: string;
  postcode: string | null;
  openedOn: string | null;
  closedOn: string | null;
}

export type OdsRowResult =
  | { kind: "trust"; trust: OdsTrust }
  | { kind: "outside-england"; odsCode: string; regionCode: string }
  | { kind: "error"; reason: string };

const ODS_CODE = /^[A-Z0-9]{3,5}$/;

/** yyyymmdd → yyyy-mm-dd, or null if it is not a real calendar date. */
export function parseOdsDate(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function parseOdsRow(columns: readonly string[]): OdsRowResult {
  if (columns.length !== ETR_COLUMN_COUNT) {
    return { kind: "error", reason: `expected ${ETR_COLUMN_COUNT} columns, found ${columns.length}` };
  }
  const col = (i: number) => (columns[i] ?? "").trim();
  const odsCode = col(0).toUpperCase();
  if (!ODS_CODE.test(odsCode)) return { kind: "error", reason: `"${col(0)}" is not an ODS organisation code` };
  const odsName = col(1).replace(/\s+/g, " ");
  if (!odsName) return { kind: "error", reason: `trust ${odsCode} has no name` };
  if (odsName.length > 200) return { kind: "error", reason: `trust ${odsCode} has a name longer than 200 characters` };
  const regionCode = col(2).toUpperCase();
  if (!regionCode) return { kind: "error", reason: `trust ${odsCode} has no national grouping` };

  const dates: (string | null)[] = [];
  for (const [index, label] of [[10, "open date"], [11, "close date"]] as const) {
    const raw = col(index);
    if (!raw) {
      dates.push(null);
      continue;
    }
    const parsed = parseOdsDate(raw);
    if (!parsed) return { kind: "error", reason: `trust ${odsCode} has ${label} "${raw}", not a date in the form yyyymmdd` };
    dates.push(parsed);
  }
  const [openedOn, closedOn] = dates as [string | null, string | null];
  if (openedOn && closedOn && closedOn < openedOn) {
    return { kind: "error", reason: `trust ${odsCode} closes (${closedOn}) before it opens (${openedOn})` };
  }
  if (!(regionCode in ENGLISH_REGIONS)) return { kind: "outside-england", odsCode, regionCode };

  return {
    kind: "trust",
    trust: {
      odsCode,
      odsName,
      regionCode,
      icbCode: col(3) || null,
      addressLines: [4, 5, 6, 7, 8].map(col).filter(Boolean).join(", "),
      postcode: col(9) || null,
      openedOn,
      closedOn,
    },
  };
}

const LOWER_WORDS = new Set(["and", "of", "the", "for", "in", "upon", "on", "with", "at", "to"]);
/** Small words inside hyphenated place names: Stoke-on-Trent, Weston-super-Mare, Newcastle-under-Lyme. */
const LOWER_IN_HYPHENATED = new Set([...LOWER_WORDS, "super", "under", "by", "le", "en", "in"]);
const UPPER_WORDS = new Set(["NHS", "UK", "ICB", "CIC", "LLP"]);

/** "KING'S" → "King's", "(CAMBRIDGE)" → "(Cambridge)": the first letter of each part upper case. */
function capitalisePart(part: string): string {
  return part
    .toLowerCase()
    .replace(/^([^\p{L}\p{N}]*)(\p{L})/u, (_, lead: string, ch: string) => lead + ch.toUpperCase())
    .replace(/^([^\p{L}\p{N}]*[OD]')(\p{L})(?=\p{L})/u, (_, lead: string, ch: string) => lead + ch.toUpperCase());
}

function properCaseWord(word: string, first: boolean): string {
  // Compare the word without surrounding punctuation, so "AND," and "(NHS)" are recognised.
  const core = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  const upper = core.toUpperCase();
  if (UPPER_WORDS.has(upper)) return word.toUpperCase();
  if (!first && LOWER_WORDS.has(core.toLowerCase())) return word.toLowerCase();
  if (word.includes("-")) {
    // Each part of a hyphenated word starts upper case, except the small words inside a place name.
    return word
      .split("-")
      .map((part, i) => (i > 0 && LOWER_IN_HYPHENATED.has(part.toLowerCase()) ? part.toLowerCase() : properCaseWord(part, true)))
      .join("-");
  }
  return word.split("/").map(capitalisePart).join("/");
}

/**
 * The published ODS name (upper case) in proper case for display:
 * "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" → "Guy's and St Thomas' NHS Foundation Trust".
 */
export function displayName(odsName: string): string {
  return odsName
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word, i) => properCaseWord(word, i === 0))
    .join(" ");
}
