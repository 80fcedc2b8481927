/**
 * The framework file format (pure: no database, no files): one baseline framework version as JSON, a tree of
 * sections and criteria, each criterion with what good looks like, the evidence to seek and, optionally,
 * indicators of good practice. Documented in docs/frameworks.md; the JSON Schema for editors is generated from
 * this module (`frameworkJsonSchema`). parseFrameworkFile checks everything and reports every problem by its path
 * in the file, so an author can fix them all at once.
 */
import { z } from "zod";
import { INDICATOR_LEVELS, SCALES } from "./framework-constants";

// The ratings, indicator levels and scales are in framework-constants.ts, which pages import: this module
// builds zod schemas when it loads, so importing anything from it in client code would send all of zod to the
// browser. Re-exported here for server code and tests.
export { INDICATOR_LEVELS, RATINGS, SCALES, type IndicatorLevel, type Rating, type Scale } from "./framework-constants";

export const FRAMEWORK_FORMAT = "deep-dive-framework/1";

const MAX_TEXT = 4000;
const code = (what: string) =>
  z
    .string({ error: `${what} is missing` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, `${what} must be 1 to 40 letters, digits, dots, hyphens or underscores, starting with a letter or digit`);
const text = (what: string, max = MAX_TEXT) =>
  z
    .string({ error: `${what} is missing` })
    .trim()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`);

const indicatorSchema = z.strictObject({
  id: code("The indicator's id"),
  level: z.enum(INDICATOR_LEVELS, { error: `The indicator's level must be one of ${INDICATOR_LEVELS.join(", ")}` }),
  text: text("The indicator's text", 1000),
});

const criterionSchema = z.strictObject({
  id: code("The criterion's id"),
  title: text("The criterion's title", 200),
  scale: z.enum(SCALES, { error: `The scale must be one of ${SCALES.join(", ")}` }).default("caf"),
  goodLooksLike: text("What good looks like"),
  evidence: text("The evidence to seek"),
  /** Whether findings record devices sampled and devices failing (Cyber Essentials Plus tests). */
  recordsDevices: z.boolean().default(false),
  indicators: z.array(indicatorSchema).max(60, "A criterion has at most 60 indicators").default([]),
});

interface SectionShape {
  id: string;
  title: string;
  description?: string;
  sections?: SectionShape[];
  criteria?: z.input<typeof criterionSchema>[];
}

const sectionSchema: z.ZodType<SectionOutput, SectionShape> = z.lazy(() =>
  z.strictObject({
    id: code("The section's id"),
    title: text("The section's title", 200),
    description: z.string().trim().max(MAX_TEXT, `The section's description is longer than ${MAX_TEXT} characters`).default(""),
    sections: z.array(sectionSchema).default([]),
    criteria: z.array(criterionSchema).default([]),
  }),
);

export interface SectionOutput {
  id: string;
  title: string;
  description: string;
  sections: SectionOutput[];
  criteria: z.output<typeof criterionSchema>[];
}

const profileSchema = z.strictObject({
  id: code("The profile's id"),
  name: text("The profile's name", 100),
  description: z.string().trim().max(MAX_TEXT).default(""),
  /** The minimum rating good requires, by criterion id. A criterion left out has no minimum. */
  minimums: z.record(z.string(), z.enum(["achieved", "partially_achieved", "not_achieved"], { error: "A minimum must be achieved, partially_achieved or not_achieved" })),
});

export const frameworkFileSchema = z.strictObject({
  format: z.literal(FRAMEWORK_FORMAT, { error: `format must be "${FRAMEWORK_FORMAT}"` }),
  /** The framework, whatever its version: "caf", "cyber-essentials-plus". */
  framework: code("framework"),
  version: code("version"),
  title: text("title", 200),
  /** Where the wording comes from and under what licence. */
  source: text("source", 1000),
  sections: z.array(sectionSchema).min(1, "A framework has at least one section"),
  profiles: z.array(profileSchema).default([]),
});

export type FrameworkFile = z.output<typeof frameworkFileSchema>;
export type CriterionFile = z.output<typeof criterionSchema>;
export type ProfileFile = z.output<typeof profileSchema>;

/** One problem in a framework file: where (a JSON path such as `sections[0].criteria[2].id`) and what. */
export interface FrameworkProblem {
  path: string;
  message: string;
}

export class FrameworkFileError extends Error {
  constructor(readonly problems: FrameworkProblem[]) {
    super(`Framework file refused: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ")}`);
    this.name = "FrameworkFileError";
  }
}

const pathText = (path: readonly PropertyKey[]) =>
  path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "");

/** Every criterion of a framework, depth first in file order, with the ids of the sections above it. */
export function criteriaOf(file: Pick<FrameworkFile, "sections">): { criterion: CriterionFile; sectionPath: string[] }[] {
  const out: { criterion: CriterionFile; sectionPath: string[] }[] = [];
  const walk = (sections: SectionOutput[], above: string[]) => {
    for (const section of sections) {
      const here = [...above, section.id];
      for (const criterion of section.criteria) out.push({ criterion, sectionPath: here });
      walk(section.sections, here);
    }
  };
  walk(file.sections, []);
  return out;
}

/**
 * Reads a framework file, all or nothing: the shape, then the rules the shape cannot say (ids unique across the
 * file, a met-scale criterion's indicators at the achieved level only, every profile minimum naming a criterion
 * of this file and fitting its scale). Throws FrameworkFileError listing every problem.
 */
export function parseFrameworkFile(json: string): FrameworkFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new FrameworkFileError([{ path: "", message: `Not JSON: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const parsed = frameworkFileSchema.safeParse(raw);
  if (!parsed.success) throw new FrameworkFileError(parsed.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })));
  const file = parsed.data;
  const problems: FrameworkProblem[] = [];

  const seen = new Map<string, string>();
  const claim = (id: string, where: string) => {
    const earlier = seen.get(id);
    if (earlier) problems.push({ path: where, message: `The id "${id}" is used twice (also at ${earlier})` });
    else seen.set(id, where);
  };
  const walk = (sections: SectionOutput[], at: string) =>
    sections.forEach((section, i) => {
      const here = `${at}[${i}]`;
      claim(section.id, `${here}.id`);
      if (section.sections.length === 0 && section.criteria.length === 0) problems.push({ path: here, message: `The section "${section.id}" has no criteria and no sections` });
      section.criteria.forEach((criterion, j) => {
        const c = `${here}.criteria[${j}]`;
        claim(criterion.id, `${c}.id`);
        criterion.indicators.forEach((indicator, k) => {
          claim(indicator.id, `${c}.indicators[${k}].id`);
          if (criterion.scale === "met" && indicator.level !== "achieved") {
            problems.push({ path: `${c}.indicators[${k}].level`, message: "A met-scale criterion's indicators are requirements, at the achieved level" });
          }
        });
      });
      walk(section.sections, `${here}.sections`);
    });
  walk(file.sections, "sections");

  const criteria = new Map(criteriaOf(file).map(({ criterion }) => [criterion.id, criterion]));
  const profileIds = new Set<string>();
  file.profiles.forEach((profile, i) => {
    if (profileIds.has(profile.id)) problems.push({ path: `profiles[${i}].id`, message: `The profile id "${profile.id}" is used twice` });
    profileIds.add(profile.id);
    for (const [criterionId, minimum] of Object.entries(profile.minimums)) {
      const criterion = criteria.get(criterionId);
      if (!criterion) problems.push({ path: `profiles[${i}].minimums.${criterionId}`, message: `There is no criterion "${criterionId}" in this framework` });
      else if (criterion.scale === "met" && minimum === "partially_achieved") {
        problems.push({ path: `profiles[${i}].minimums.${criterionId}`, message: `"${criterionId}" is rated Met or Not met, so its minimum cannot be partially_achieved` });
      }
    }
  });
  if (problems.length > 0) throw new FrameworkFileError(problems);
  return file;
}

/** The JSON Schema of the format, for editors and for docs/frameworks.schema.json. */
export function frameworkJsonSchema(): unknown {
  return z.toJSONSchema(frameworkFileSchema, { io: "input" });
}
