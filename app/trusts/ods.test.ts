import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { displayName, ENGLISH_REGIONS, ETR_COLUMN_COUNT, parseOdsDate, parseOdsRow } from "./ods";

/** A line of the published etr.csv, quoted as NHS Digital writes it. */
const RJ1_LINE =
  '"RJ1","GUY\'S AND ST THOMAS\' NHS FOUNDATION TRUST","Y56","QKK","ST THOMAS\' HOSPITAL","WESTMINSTER BRIDGE ROAD","","LONDON","","SE1 7EH","19930401","","","","","","","020 7188 7188","","","","1","","H","","",""';

const columnsOf = (line: string) => (parse(line) as string[][])[0]!;
const rj1 = () => columnsOf(RJ1_LINE);

describe("parseOdsRow", () => {
  it("reads a row in the published etr layout", () => {
    expect(rj1()).toHaveLength(ETR_COLUMN_COUNT);
    expect(parseOdsRow(rj1())).toEqual({
      kind: "trust",
      trust: {
        odsCode: "RJ1",
        odsName: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
        regionCode: "Y56",
        icbCode: "QKK",
        addressLines: "ST THOMAS' HOSPITAL, WESTMINSTER BRIDGE ROAD, LONDON",
        postcode: "SE1 7EH",
        openedOn: "1993-04-01",
        closedOn: null,
      },
    });
  });

  it("reads a close date, and normalises case and spacing of the code and name", () => {
    const columns = rj1();
    columns[0] = " rj1 ";
    columns[1] = "GUY'S  AND ST THOMAS'   NHS FOUNDATION TRUST";
    columns[11] = "20260331";
    const result = parseOdsRow(columns);
    expect(result.kind).toBe("trust");
    if (result.kind !== "trust") return;
    expect(result.trust.odsCode).toBe("RJ1");
    expect(result.trust.odsName).toBe("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST");
    expect(result.trust.closedOn).toBe("2026-03-31");
  });

  it("refuses a row with the wrong number of columns", () => {
    expect(parseOdsRow(rj1().slice(0, 26))).toEqual({ kind: "error", reason: "expected 27 columns, found 26" });
    expect(parseOdsRow([...rj1(), "extra"])).toEqual({ kind: "error", reason: "expected 27 columns, found 28" });
  });

  it("refuses an impossible open or close date", () => {
    const columns = rj1();
    columns[10] = "20230231";
    expect(parseOdsRow(columns)).toEqual({ kind: "error", reason: 'trust RJ1 has open date "20230231", not a date in the form yyyymmdd' });
    const closing = rj1();
    closing[11] = "2023-03-01";
    expect(parseOdsRow(closing)).toMatchObject({ kind: "error", reason: expect.stringContaining("close date") });
  });

  it("refuses a trust that closes before it opens", () => {
    const columns = rj1();
    columns[11] = "19920101";
    expect(parseOdsRow(columns)).toEqual({ kind: "error", reason: "trust RJ1 closes (1992-01-01) before it opens (1993-04-01)" });
  });

  it("refuses a bad code and a missing name or grouping", () => {
    const badCode = rj1();
    badCode[0] = "R$1";
    expect(parseOdsRow(badCode)).toMatchObject({ kind: "error", reason: '"R$1" is not an ODS organisation code' });
    const noName = rj1();
    noName[1] = "  ";
    expect(parseOdsRow(noName)).toMatchObject({ kind: "error", reason: "trust RJ1 has no name" });
    const noGrouping = rj1();
    noGrouping[2] = "";
    expect(parseOdsRow(noGrouping)).toMatchObject({ kind: "error", reason: "trust RJ1 has no national grouping" });
  });

  it("puts trusts outside the English regions aside (Wales and any grouping other than Y56, Y58-Y63)", () => {
    const velindre = columnsOf(
      '"RQF","VELINDRE UNIVERSITY NHS TRUST","W00","W00","UNIT 2","CHARNWOOD COURT","HEOL BILLINGSLEY","NANTGARW","CARDIFF","CF15 7QZ","19940401","","","","","","","","","","","0","","","","",""',
    );
    expect(parseOdsRow(velindre)).toEqual({ kind: "outside-england", odsCode: "RQF", regionCode: "W00" });
    for (const grouping of ["Y57", "Y54", "Y64", "X00"]) {
      const columns = rj1();
      columns[2] = grouping;
      expect(parseOdsRow(columns).kind).toBe("outside-england");
    }
    for (const grouping of Object.keys(ENGLISH_REGIONS)) {
      const columns = rj1();
      columns[2] = grouping;
      expect(parseOdsRow(columns).kind).toBe("trust");
    }
    expect(Object.keys(ENGLISH_REGIONS).sort()).toEqual(["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]);
  });

  it("still validates the dates of a row outside England", () => {
    const columns = rj1();
    columns[2] = "W00";
    columns[10] = "20230231";
    expect(parseOdsRow(columns).kind).toBe("error");
  });
});

describe("parseOdsDate", () => {
  it("turns yyyymmdd into yyyy-mm-dd", () => {
    expect(parseOdsDate("19930401")).toBe("1993-04-01");
    expect(parseOdsDate("20240229")).toBe("2024-02-29");
  });

  it("refuses impossible dates and other forms", () => {
    for (const value of ["20230231", "20230229", "20231301", "20230000", "2023041", "2023-04-01", "01042023x", "", "abcdefgh"]) {
      expect(parseOdsDate(value), value).toBeNull();
    }
  });
});

describe("displayName", () => {
  it.each([
    ["GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"],
    ["THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST", "The Newcastle upon Tyne Hospitals NHS Foundation Trust"],
    ["LANCASHIRE & SOUTH CUMBRIA NHS FOUNDATION TRUST", "Lancashire & South Cumbria NHS Foundation Trust"],
    ["THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST", "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"],
    ["TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST", "Tees, Esk and Wear Valleys NHS Foundation Trust"],
    ["GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST", "Great Ormond Street Hospital for Children NHS Foundation Trust"],
    ["EAST OF ENGLAND AMBULANCE SERVICE NHS TRUST", "East of England Ambulance Service NHS Trust"],
    ["2GETHER NHS FOUNDATION TRUST", "2gether NHS Foundation Trust"],
  ])("%s", (ods, expected) => {
    expect(displayName(ods)).toBe(expected);
  });

  it("capitalises each part of a hyphenated word, but not the small words inside a place name", () => {
    expect(displayName("WESTON-SUPER-MARE NHS TRUST")).toBe("Weston-super-Mare NHS Trust");
    expect(displayName("UNIVERSITY HOSPITALS OF NORTH MIDLANDS (STOKE-ON-TRENT) NHS TRUST")).toBe(
      "University Hospitals of North Midlands (Stoke-on-Trent) NHS Trust",
    );
    expect(displayName("BURTON-UPON-TRENT HOSPITALS NHS TRUST")).toBe("Burton-upon-Trent Hospitals NHS Trust");
    expect(displayName("NEWCASTLE-UNDER-LYME PRIMARY CARE TRUST")).toBe("Newcastle-under-Lyme Primary Care Trust");
    expect(displayName("MID-CHESHIRE HOSPITALS NHS TRUST")).toBe("Mid-Cheshire Hospitals NHS Trust");
    expect(displayName("BARKING, HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST")).toBe(
      "Barking, Havering and Redbridge University Hospitals NHS Trust",
    );
  });

  it("starts with a capital even when the first word is a small word, and tidies spaces", () => {
    expect(displayName("  THE   ROYAL MARSDEN NHS FOUNDATION TRUST ")).toBe("The Royal Marsden NHS Foundation Trust");
    expect(displayName("ROYAL FREE LONDON NHS FOUNDATION TRUST")).toBe("Royal Free London NHS Foundation Trust");
  });
});
