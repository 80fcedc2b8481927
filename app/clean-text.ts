/**
 * The one rule for free text before it is stored, whatever the form (findings, review comments, accuracy comments,
 * action notes): Unicode NFC, Windows and old Mac line ends made "\n", control characters other than tab and new
 * line removed. Trimming and length caps are each caller's own.
 */
export function cleanText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[^\P{Cc}\t\n]/gu, "");
}
