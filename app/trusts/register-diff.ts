/**
 * The difference between the trust register and a parsed ODS etr file (pure: no I/O). Only the ODS columns
 * are compared; the enrichment (type, EPR supplier, location, major trauma centres) is never part of the diff.
 * Trusts in the register but not in the file are reported, never deleted. Applying a file and comparing it
 * again gives an empty difference.
 */
import type { OdsTrust } from "./ods";

/** The ODS columns of a register row, as stored. */
export type RegisterRow = OdsTrust & { name: string };

/** The ODS columns that an import may change, in the order they are shown. */
export const ODS_FIELDS = ["odsName", "regionCode", "icbCode", "addressLines", "postcode", "openedOn", "closedOn"] as const;
export type OdsField = (typeof ODS_FIELDS)[number];

export const ODS_FIELD_LABELS: Record<OdsField, string> = {
  odsName: "name",
  regionCode: "region",
  icbCode: "ICB code",
  addressLines: "address",
  postcode: "postcode",
  openedOn: "open date",
  closedOn: "close date",
};

export interface FieldChange {
  field: OdsField;
  from: string | null;
  to: string | null;
}

export interface TrustChange {
  odsCode: string;
  /** The display name in the register before the import. */
  name: string;
  before: OdsTrust;
  after: OdsTrust;
  /** Every ODS field that differs. */
  changes: FieldChange[];
  /** The published name changed. */
  renamed: boolean;
  /** A close date was set where there was none, or the close date changed to another date. */
  closed: boolean;
  /** The changes other than the rename and the closure (postcode, ICB, address, region, dates). */
  otherChanges: FieldChange[];
}

export interface RegisterDiff {
  /** English trusts in the file that are not in the register. */
  added: OdsTrust[];
  /** Trusts in both whose ODS columns differ (each may be renamed, closed and/or otherwise updated). */
  changed: TrustChange[];
  renamed: TrustChange[];
  closed: TrustChange[];
  /** Changes with fields other than the name and the closure. */
  updated: TrustChange[];
  /** English trusts in both with identical ODS columns. */
  unchanged: number;
  /** ODS codes of rows outside England (national grouping not Y56, Y58-Y63), in file order. */
  skippedOutsideEngland: string[];
  /** Trusts in the register that the file does not list as English trusts: reported, never deleted. */
  notInFile: { odsCode: string; name: string; closedOn: string | null; reason: "absent" | "outside-england" }[];
}

/** The parsed rows of one file: English trusts, and codes of rows outside England. */
export interface ParsedOdsFile {
  trusts: OdsTrust[];
  outsideEngland: string[];
}

const normalise = (value: string | null | undefined): string | null => {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
};

export function compareTrust(before: OdsTrust, after: OdsTrust): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ODS_FIELDS) {
    const from = normalise(before[field]);
    const to = normalise(after[field]);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

const odsColumns = (row: OdsTrust): OdsTrust => ({
  odsCode: row.odsCode,
  odsName: row.odsName,
  regionCode: row.regionCode,
  icbCode: row.icbCode,
  addressLines: row.addressLines,
  postcode: row.postcode,
  openedOn: row.openedOn,
  closedOn: row.closedOn,
});

export function diffRegister(register: readonly RegisterRow[], file: ParsedOdsFile): RegisterDiff {
  const existing = new Map(register.map((row) => [row.odsCode, row]));
  const inFile = new Set(file.trusts.map((t) => t.odsCode));
  const outside = new Set(file.outsideEngland);

  const added: OdsTrust[] = [];
  const changed: TrustChange[] = [];
  let unchanged = 0;
  for (const trust of file.trusts) {
    const current = existing.get(trust.odsCode);
    if (!current) {
      added.push(odsColumns(trust));
      continue;
    }
    const changes = compareTrust(current, trust);
    if (changes.length === 0) {
      unchanged++;
      continue;
    }
    const closure = changes.find((c) => c.field === "closedOn");
    const renamed = changes.some((c) => c.field === "odsName");
    const closed = !!closure && closure.to !== null;
    changed.push({
      odsCode: trust.odsCode,
      name: current.name,
      before: odsColumns(current),
      after: odsColumns(trust),
      changes,
      renamed,
      closed,
      otherChanges: changes.filter((c) => c.field !== "odsName" && !(c.field === "closedOn" && closed)),
    });
  }

  const notInFile = register
    .filter((row) => !inFile.has(row.odsCode))
    .map((row) => ({
      odsCode: row.odsCode,
      name: row.name,
      closedOn: row.closedOn,
      reason: outside.has(row.odsCode) ? ("outside-england" as const) : ("absent" as const),
    }))
    .sort((a, b) => a.odsCode.localeCompare(b.odsCode));

  return {
    added,
    changed,
    renamed: changed.filter((c) => c.renamed),
    closed: changed.filter((c) => c.closed),
    updated: changed.filter((c) => c.otherChanges.length > 0),
    unchanged,
    skippedOutsideEngland: [...file.outsideEngland],
    notInFile,
  };
}

/** Whether applying the file would change nothing in the register. */
export function isEmptyDiff(diff: RegisterDiff): boolean {
  return diff.added.length === 0 && diff.changed.length === 0;
}
