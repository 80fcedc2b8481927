import { describe, expect, it } from "vitest";
import { reportContentDisposition, reportFileName } from "./filename";

describe("report file names", () => {
  it("names a report by ODS code, visit date and version, with -draft for a draft", () => {
    expect(reportFileName({ odsCode: "RJ1", visitDate: "2026-03-12", version: 1, draft: false })).toBe("RJ1-deep-dive-2026-03-12-v1.pdf");
    expect(reportFileName({ odsCode: "RJ1", visitDate: "2026-03-12", version: 2, draft: true })).toBe("RJ1-deep-dive-2026-03-12-v2-draft.pdf");
  });

  it("keeps only safe characters, whatever it is given", () => {
    expect(reportFileName({ odsCode: "../r j1\u0000é", visitDate: "2026-02-30/../x", version: 3, draft: false })).toBe("RJ1-deep-dive-undated-v3.pdf");
    expect(reportFileName({ odsCode: "", visitDate: null, version: 1, draft: true })).toBe("TRUST-deep-dive-undated-v1-draft.pdf");
    expect(() => reportFileName({ odsCode: "RJ1", visitDate: null, version: 0, draft: false })).toThrow(RangeError);
  });

  it("builds an RFC 6266 attachment header with an ASCII name and the UTF-8 name", () => {
    expect(reportContentDisposition("RJ1-deep-dive-2026-03-12-v1.pdf")).toBe(`attachment; filename="RJ1-deep-dive-2026-03-12-v1.pdf"; filename*=UTF-8''RJ1-deep-dive-2026-03-12-v1.pdf`);
    expect(reportContentDisposition('Ŵyr "report".pdf')).toBe(`attachment; filename="_yr _report_.pdf"; filename*=UTF-8''%C5%B4yr%20%22report%22.pdf`);
  });
});
