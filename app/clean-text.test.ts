import { describe, expect, it } from "vitest";
import { cleanText } from "./clean-text";

describe("cleanText", () => {
  it("normalises to NFC, makes line ends \\n, removes control characters but keeps tabs and new lines, and does not trim", () => {
    expect(cleanText(" Cafe\u0301\r\nB\u0007\tC\rD\u0000 ")).toBe(" Café\nB\tC\nD ");
  });
});
