/**
 * Text as the report prints it (pure: no database, no clock, no files). Every string that reaches the report model
 * from stored data goes through reportText():
 *
 * 1. Lone UTF-16 surrogates become U+FFFD, so nothing downstream sees broken text.
 * 2. Normalised to NFC, so "Ŵ" typed as W + combining circumflex prints as the one precomposed letter the font has.
 * 3. Windows and old Mac line ends, and the Unicode line and paragraph separators, become "\n"; a tab becomes a space.
 * 4. Control characters (Unicode Cc) other than "\n" are removed, and so are the bidirectional embedding, override
 *    and isolate controls (U+202A–U+202E, U+2066–U+2069), which could make printed text read differently from what
 *    was typed. More than one blank line in a row becomes one blank line; trailing spaces on a line go.
 * 5. Capped at a number of characters (code points, never splitting a surrogate pair or leaving a combining mark
 *    without its letter): text over the cap is cut at the last space within the final 10% when there is one, and
 *    ends with a note of how much was left out (TRUNCATION_NOTE), so a shortened text never looks complete.
 * 6. Long unbroken words are given break opportunities: a ZERO WIDTH SPACE (U+200B) after every WORD_BREAK_EVERY
 *    characters of a run with no space, never before a combining mark, a variation selector or a joiner. The PDF's
 *    line breaker (UAX #14) may break there; nothing is drawn. Without them a 50,000-character word costs the layout
 *    time quadratic in its length.
 *
 * What a font cannot draw is not decided here (the model does not know the font): the PDF renderer replaces each
 * such character visibly (app/reports/pdf.mjs).
 */

/** A break opportunity is inserted after this many characters of a run without a space. */
export const WORD_BREAK_EVERY = 24;

/** The break opportunity itself: ZERO WIDTH SPACE. */
export const BREAK_OPPORTUNITY = "\u200b";

/** Appended to a text that was cut at its cap: "[… 1,234 more characters not shown]". */
export const TRUNCATION_NOTE = (omitted: number) => ` [… ${omitted.toLocaleString("en-GB")} more ${omitted === 1 ? "character" : "characters"} not shown]`;

/**
 * Characters that belong with the one before them (combining marks, joiners, variation selectors, emoji skin tones):
 * no break is inserted before them, and a cut never leaves one first.
 */
const CLINGS = {
  test(c: string): boolean {
    const cp = c.codePointAt(0) ?? 0;
    return (
      /^\p{M}$/u.test(c) ||
      cp === 0x200c ||
      cp === 0x200d ||
      cp === 0x2060 ||
      (cp >= 0xfe00 && cp <= 0xfe0f) ||
      (cp >= 0xe0100 && cp <= 0xe01ef) ||
      (cp >= 0x1f3fb && cp <= 0x1f3ff)
    );
  },
};

/** Removes the controls that have no place in printed text (see the module comment, step 4). */
export function stripControls(text: string): string {
  return text.replace(/[^\P{Cc}\n]|[\u202a-\u202e\u2066-\u2069]/gu, "");
}

/** Steps 1 to 4: well-formed, NFC, plain line ends, no controls, no runs of blank lines. */
export function normaliseText(text: string): string {
  return stripControls(
    text
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
      .normalize("NFC")
      .replace(/\r\n?|[\u2028\u2029]/g, "\n")
      .replace(/\t/g, " "),
  )
    .replace(/[ \u00a0]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Step 5: at most `cap` code points of `text` (which should be normalised already), cut where it does not split a
 * character; over the cap, cut (at a space in the last 10% when there is one) and end with TRUNCATION_NOTE.
 */
export function capText(text: string, cap: number): string {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`A text cap must be a whole number above 0, not ${cap}`);
  // Cheap test first: a string of at most `cap` UTF-16 units has at most `cap` code points.
  if (text.length <= cap) return text;
  const points = Array.from(text);
  if (points.length <= cap) return text;
  let end = cap;
  // Never leave a combining mark (or joiner) without the character before it.
  while (end > 0 && CLINGS.test(points[end]!)) end -= 1;
  const floor = Math.floor(end * 0.9);
  for (let i = end; i > floor; i--) {
    if (points[i] === " " || points[i] === "\n") {
      end = i;
      break;
    }
  }
  const kept = points.slice(0, end).join("").trimEnd();
  return `${kept}${TRUNCATION_NOTE(points.length - end)}`;
}

/** Step 6: a BREAK_OPPORTUNITY after every `every` characters of a run without white space. */
export function breakLongWords(text: string, every = WORD_BREAK_EVERY): string {
  if (!Number.isInteger(every) || every < 2) throw new RangeError(`Break long words every 2 or more characters, not ${every}`);
  // Nothing to do unless some run is longer than `every` UTF-16 units (a run of that many code points is at least that long).
  if (!new RegExp(`[^\\s\\u200b]{${every + 1}}`).test(text)) return text;
  let out = "";
  let run = 0;
  for (const c of text) {
    if (/\s/.test(c) || c === BREAK_OPPORTUNITY) {
      run = 0;
    } else if (run >= every && !CLINGS.test(c)) {
      out += BREAK_OPPORTUNITY;
      run = 0;
    }
    if (!/\s/.test(c) && c !== BREAK_OPPORTUNITY) run += 1;
    out += c;
  }
  return out;
}

/** Everything above: the text as the report prints it, at most `cap` characters (plus the note when cut). */
export function reportText(text: string | null | undefined, cap: number): string {
  if (text === null || text === undefined) return "";
  return breakLongWords(capText(normaliseText(String(text)), cap));
}

/** A one-line text (a name, a title): as reportText, with every line break made a space. */
export function reportLine(text: string | null | undefined, cap: number): string {
  if (text === null || text === undefined) return "";
  return reportText(String(text).replace(/[\r\n\u2028\u2029]+/g, " ").replace(/ {2,}/g, " "), cap);
}

/**
 * A short label (a chart's bar): one line, at most `cap` characters, cut with "…" rather than a note; no break
 * opportunities (the renderer shortens a label that does not fit rather than wrapping it).
 */
export function reportLabel(text: string | null | undefined, cap: number): string {
  if (text === null || text === undefined) return "";
  const line = normaliseText(String(text).replace(/[\r\n\u2028\u2029]+/g, " ")).replace(/ {2,}/g, " ");
  const points = Array.from(line);
  if (points.length <= cap) return line;
  let end = Math.max(1, cap - 1);
  while (end > 1 && CLINGS.test(points[end]!)) end -= 1;
  return `${points.slice(0, end).join("").trimEnd()}…`;
}

/** The text with the break opportunities taken out again (for comparing what was printed with what was typed). */
export function withoutBreaks(text: string): string {
  return text.replaceAll(BREAK_OPPORTUNITY, "");
}
