/**
 * Loads the trust register from the project's copy of the reference data (db/reference, provenance in its
 * README): the ODS columns of trusts.csv, enriched with type, EPR supplier, major trauma centres and location.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { majorTraumaCentres, MTC_CATEGORIES, settings, trusts, BROAD_TYPES, type BroadType } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.server";
import { writeTransaction, type Db } from "../db.server";
import { projectPath } from "../project-root.server";
import { displayName, ENGLISH_REGIONS, ETR_COLUMN_COUNT, parseOdsRow } from "./ods";

const referenceFile = (name: string) => projectPath("db", "reference", name);

function readCsv(name: string): string[][] {
  return parse(readFileSync(referenceFile(name)), { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
}

/** Rows as objects keyed by the header row. */
function readCsvObjects(name: string): Record<string, string>[] {
  return parse(readFileSync(referenceFile(name)), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** "RVJ->RA7" (a trust since merged into another) → "RA7". */
const currentCode = (code: string) => code.split("->").pop()!.trim().toUpperCase();

function mtcCategory(raw: string): (typeof MTC_CATEGORIES)[number] | null {
  const category = raw.replace(/\(.*\)/, "").trim();
  return (MTC_CATEGORIES as readonly string[]).includes(category) ? (category as (typeof MTC_CATEGORIES)[number]) : null;
}

export function loadReferenceRegister(db: Db): { trusts: number; traumaCentres: number } {
  const [header, ...rows] = readCsv("trusts.csv");
  if (!header) throw new Error("db/reference/trusts.csv is empty");
  const at = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`db/reference/trusts.csv has no column ${name}`);
    return index;
  };
  const columns = {
    broadType: at("broad_type"),
    trustType: at("trust_type_foi_2024"),
    ambulance: at("is_ambulance_trust"),
    epr: at("primary_epr_supplier_foi_2024"),
  };
  const locations = new Map(readCsvObjects("trust_locations_2023.csv").map((r) => [r.ods_code!, r]));

  const records = rows.map((row, i) => {
    const parsed = parseOdsRow(row.slice(0, ETR_COLUMN_COUNT));
    if (parsed.kind !== "trust") {
      throw new Error(`db/reference/trusts.csv line ${i + 2}: ${parsed.kind === "error" ? parsed.reason : "not in England"}`);
    }
    const t = parsed.trust;
    const broad = row[columns.broadType] as BroadType;
    const location = locations.get(t.odsCode);
    return {
      ...t,
      name: displayName(t.odsName),
      regionName: ENGLISH_REGIONS[t.regionCode]!,
      broadType: (BROAD_TYPES as readonly string[]).includes(broad) ? broad : ("unknown" as const),
      trustType: row[columns.trustType] || null,
      isAmbulance: row[columns.ambulance] === "Y",
      eprSupplier: row[columns.epr] || null,
      latitude: location ? Number(location.lat) : null,
      longitude: location ? Number(location.long) : null,
      source: "reference: ODS etr (mid-2026) with NHS England FOI 2024 enrichment",
    };
  });
  const known = new Set(records.map((r) => r.odsCode));

  const centres = readCsvObjects("major_trauma_centres.csv").flatMap((r) => {
    const trustCode = currentCode(r.trust_ods_code ?? "");
    const category = mtcCategory(r.mtc_category ?? "");
    return known.has(trustCode) && category ? [{ trustCode, hospital: r.hospital!.trim(), category }] : [];
  });

  writeTransaction((tx) => {
    for (const record of records) tx.insert(trusts).values(record).onConflictDoNothing().run();
    for (const centre of centres) tx.insert(majorTraumaCentres).values(centre).onConflictDoNothing().run();
    tx.insert(settings)
      .values({ key: "reference_register", value: "db/reference/trusts.csv", updatedAt: new Date().toISOString() })
      .onConflictDoNothing()
      .run();
    recordAudit(tx, SYSTEM_ACTOR, {
      action: "trusts.reference-loaded",
      objectType: "register",
      summary: { trusts: records.length, majorTraumaCentres: centres.length },
    });
  }, db);
  return { trusts: records.length, traumaCentres: centres.length };
}
