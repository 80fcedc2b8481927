/**
 * Demo reports (issue 6): what happened to the demo inspections after approval, so that every stage a trust sees can
 * be tried with the demo trust users.
 *
 * - RJ1 two years ago: the trust's factual accuracy check with one comment (an inaccurate fact, accepted, the finding
 *   corrected), published after the check closed; the trust has worked through its actions since: done, except the
 *   ones the follow-up inspection found still open (in progress).
 * - RJ1 a year ago: one comment rejected with the reason; published; its actions some done, some in progress, some
 *   not started, so some are overdue now.
 * - RRU a year ago: the trust said it had no comments and the report was published before the close date; a month
 *   later a correction was published as version 2 (version 1 stays, superseded).
 * - RTD a few weeks ago (seedDemoAccuracyCheck, after its inspection in db/demo-inspections.server.ts): in its factual accuracy check now, with one comment answered and one
 *   waiting for the reviewer (the demo programme lead), so trust.rtd@deepdive.test can comment and
 *   lead@deepdive.test can decide and publish.
 *
 * Everything goes through the functions the pages use (openAccuracyCheck, raiseAccuracyComment,
 * decideAccuracyComment, publishReport, publishCorrection, updateAction), with `now` in the past, so the timeline,
 * the audit trail and the stored PDFs are as they would be. The text is fictional, as in db/demo-findings.ts.
 */
import { and, asc, eq } from "drizzle-orm";
import { actions, findings, frameworkCriteria, inspections, users } from "./schema";
import { actorFor, london, type ApprovedDemoInspection } from "./demo-inspections.server";
import type { Db } from "../app/db.server";
import { updateAction, type ActionEditor } from "../app/portal/actions.server";
import type { AccuracyCategory, AccuracyDecision, CorrectableField } from "../app/reports/publication-rules";
import { decideAccuracyComment, openAccuracyCheck, publishCorrection, publishReport, raiseAccuracyComment } from "../app/reports/publication.server";
import { loadHolidaySet } from "../app/scheduling/bank-holidays.server";
import { addWorkingDays } from "../app/scheduling/working-days";

type FindingText = Partial<Record<CorrectableField, string>>;

/** A comment by the trust on the draft report: on a finding (by criterion code) or on the summary. */
interface DemoComment {
  code: string | null;
  category: AccuracyCategory;
  text: string;
  /** The reviewer's answer; none leaves the comment waiting. */
  decision?: { decision: AccuracyDecision; reason: string; revised?: FindingText };
}

/** One update of an action by the trust: its status and progress note. */
type DemoStep = readonly ["in_progress" | "done", string];

interface DemoPublication {
  comments: DemoComment[];
  /** Published before the close date, on the trust's word that it had no (more) comments. */
  trustFinished?: boolean;
  /** A correction published some working days after the report, as version 2. */
  correction?: { afterWorkingDays: number; code: string; fields: FindingText; note: string };
  /** The trust's updates of the action for each criterion (none: not started). */
  progress: (code: string) => readonly DemoStep[];
}

// ── The scripts ────────────────────────────────────────────────────────────────────────────────────────────

/** The gaps the follow-up inspection of RJ1 found still open (the criteria with a gap in both). */
const RJ1_STILL_OPEN = new Set(["A1.c", "A2.b", "A3.a", "D1.b", "D2.a", "CE-SU", "CEP-T2"]);

const RJ1_EARLIER_PUBLICATION: DemoPublication = {
  comments: [
    {
      code: "A3.a",
      category: "inaccurate_fact",
      text: "The medical devices inventory was last updated 11 months before the visit, not 14: the March update is in the inventory's change log, which we gave the team on the day.",
      decision: {
        decision: "accepted",
        reason: "The change log shows the update in March, 11 months before the visit; the finding is corrected. The rating is unchanged: 1,900 devices were in neither list.",
        revised: {
          observed:
            "The IT asset register covers desktops and servers well, but the medical devices inventory is a separate spreadsheet last updated 11 months ago. Network discovery found 1,900 connected devices that are in neither, many of them on clinical networks.",
        },
      },
    },
  ],
  progress: (code) => [
    ["in_progress", "Owner named and a plan agreed at the digital board."],
    RJ1_STILL_OPEN.has(code)
      ? ["in_progress", "Part done. What is left is carried into the action from the follow-up inspection."]
      : ["done", "Done, and reported to the digital board; the evidence is kept for the next inspection."],
  ],
};

const RJ1_LATER_STEPS: Record<string, readonly DemoStep[]> = {
  "A1.c": [
    ["in_progress", "Reminders set up in the risk management system; the first run is next month."],
    ["done", "Owners are reminded 30 days before a review date, and overdue acceptances are reported to the digital board every month."],
  ],
  "A3.a": [["in_progress", "Down to 140 unidentified devices; clinical engineering are tracing the rest ward by ward."]],
  "B2.c": [
    ["in_progress", "All privileged accounts reviewed and 6 disabled. The quarterly review has an owner, the infrastructure manager."],
    ["in_progress", "Second quarterly review done; the tool that will run it automatically is being procured."],
  ],
  "D2.a": [["done", "Every security incident now gets a short root cause in the ticket before it is closed; 9 recorded so far."]],
  "CE-SU": [["in_progress", "Two of the five unsupported device models replaced; the makers of the other three have given dates next year."]],
  "CEP-T2": [["in_progress", "Critical server updates now take 18 days on average, down from 31; the target is 14."]],
  "CEP-T3": [["done", "Laptops that have not checked in for 14 days are now blocked from trust systems until their protection is updated; retested on 20 devices."]],
};

const RJ1_LATER_PUBLICATION: DemoPublication = {
  comments: [
    {
      code: "C1.d",
      category: "inaccurate_fact",
      text: "The backlog was about 450 alerts, not more than 600: the provider's figure counts alerts that had already been closed.",
      decision: {
        decision: "rejected",
        reason: "The figure is from the provider's console on the day of the visit, with closed alerts filtered out (the screenshot is with the evidence): 612 alerts were waiting for triage. The finding stands.",
      },
    },
  ],
  progress: (code) => RJ1_LATER_STEPS[code] ?? [],
};

const RRU_STEPS: Record<string, readonly DemoStep[]> = {
  "A3.a": [["in_progress", "The fleet team's list is imported into the asset register; the monthly reconciliation with the device management console starts next month."]],
  "B4.d": [
    ["in_progress", "Updates over the mobile network piloted on 60 vehicles at two stations."],
    ["in_progress", "Roll-out to the whole fleet started; devices more than 14 days behind are reported every week."],
  ],
  "C1.e": [["done", "A second analyst is trained in monitoring, and out-of-hours cover is bought from a managed security service."]],
  "D2.a": [["done", "Cyber incidents now get the same root cause review as operational ones; three reviewed so far."]],
  "CEP-T2": [["in_progress", "Vehicle devices behind on critical updates down from 212 to 74; the unsupported ones are being replaced under the new contract."]],
};

const RRU_PUBLICATION: DemoPublication = {
  comments: [],
  trustFinished: true,
  correction: {
    afterWorkingDays: 20,
    code: "C1.e",
    fields: {
      observed:
        "One security analyst covers monitoring full-time; a part-time colleague helps but has not been trained in the SIEM, so nobody trained can stand in when the analyst is away.",
    },
    note: "C1.e (security monitoring team): the trust told us after publication that a part-time colleague also helps with monitoring. The finding now says so; its rating and the action are unchanged.",
  },
  progress: (code) => RRU_STEPS[code] ?? [],
};

/** RTD's check, open now: one comment answered, one waiting for the reviewer. */
const RTD_COMMENTS: DemoComment[] = [
  {
    code: "D1.b",
    category: "omitted_evidence",
    text: "The EPR recovery runbook was walked through in a desktop exercise with the supplier on 2 October. The exercise record was sent to the inspection team the day after the visit.",
    decision: {
      decision: "accepted",
      reason: "The record shows a walk-through of the runbook, not a restore test: the finding now mentions it. The rating and the action are unchanged.",
      revised: {
        observed:
          "There is an incident response retainer, and tested recovery runbooks for the imaging archive and the laboratory system. The runbook for the new EPR is still in draft: it was walked through in a desktop exercise with the supplier, but a restore has not been tested.",
      },
    },
  },
  {
    code: null,
    category: "inaccurate_fact",
    text: "The summary does not say that the board approved a cyber improvement programme in September which already covers most of the gaps in this report, including the research gateway and the laboratory system's backups.",
  },
];

/** The publication script of each earlier demo inspection: RJ1's two (oldest first) and RRU's. */
function publicationFor(inspection: ApprovedDemoInspection, index: number): DemoPublication {
  if (inspection.trustCode === "RRU") return RRU_PUBLICATION;
  return index === 0 ? RJ1_EARLIER_PUBLICATION : RJ1_LATER_PUBLICATION;
}

// ── Doing it ───────────────────────────────────────────────────────────────────────────────────────────────

interface Timeline {
  /** The moment `time` in London, `n` working days after the visit. */
  day: (n: number, time: string) => Date;
  /** The calendar date `n` working days after the visit. */
  date: (n: number) => string;
}

function timelineOf(db: Db, visitDate: string): Timeline {
  const holidays = loadHolidaySet(db);
  const date = (n: number) => (n === 0 ? visitDate : addWorkingDays(visitDate, n, holidays));
  return { date, day: (n, time) => london(date(n), time) };
}

function trustUserOf(db: Db, trustCode: string): ActionEditor {
  const user = db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.role, "trust_user"), eq(users.trustCode, trustCode), eq(users.isDemo, true)))
    .orderBy(asc(users.email))
    .get();
  if (!user) throw new Error(`The demo reports need a demo trust user of ${trustCode}`);
  return { id: user.id, role: "trust_user", trustCode, label: "demo seed", clientAddress: null };
}

function reviewerOf(db: Db, inspectionId: string): string {
  const reviewerId = db.select({ reviewerId: inspections.reviewerId }).from(inspections).where(eq(inspections.id, inspectionId)).get()?.reviewerId;
  if (!reviewerId) throw new Error(`Demo inspection ${inspectionId} has no reviewer`);
  return reviewerId;
}

function findingOf(db: Db, inspectionId: string, code: string): { id: string; version: number } {
  const row = db
    .select({ id: findings.id, version: findings.version })
    .from(findings)
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .where(and(eq(findings.inspectionId, inspectionId), eq(frameworkCriteria.code, code)))
    .get();
  if (!row) throw new Error(`Demo inspection ${inspectionId} has no finding for ${code}`);
  return row;
}

/**
 * Opens the factual accuracy check the working day after approval (working day 8 of the visit's timeline, as in
 * db/demo-inspections.server.ts), and raises the trust's comments two and three working days later; the reviewer
 * answers those with a decision the working day after each. Returns the timeline.
 */
function accuracyCheck(db: Db, inspection: ApprovedDemoInspection, comments: readonly DemoComment[]): Timeline {
  const timeline = timelineOf(db, inspection.visitDate);
  const reviewer = actorFor(reviewerOf(db, inspection.inspectionId));
  const trust = trustUserOf(db, inspection.trustCode);
  openAccuracyCheck(inspection.inspectionId, reviewer, db, timeline.day(8, "10:00"));
  comments.forEach((comment, i) => {
    const finding = comment.code ? findingOf(db, inspection.inspectionId, comment.code) : null;
    const commentId = raiseAccuracyComment(
      inspection.inspectionId,
      { part: finding ? "finding" : "summary", findingId: finding?.id ?? "", category: comment.category, text: comment.text },
      actorFor(trust.id),
      db,
      timeline.day(9 + i, "14:30"),
    );
    if (!comment.decision) return;
    const { decision, reason, revised } = comment.decision;
    decideAccuracyComment(
      commentId,
      { decision, reason, findingEdit: finding && revised ? { baseVersion: finding.version, fields: revised } : null },
      reviewer,
      db,
      timeline.day(10 + i, "11:15"),
    );
  });
  return timeline;
}

/**
 * The trust's updates of its actions: the first three working days after publication, the next ones every fifteen
 * working days, done on the day given with the update.
 */
function progressActions(db: Db, inspection: ApprovedDemoInspection, publishedOn: number, script: DemoPublication, timeline: Timeline): number {
  const trust = trustUserOf(db, inspection.trustCode);
  const rows = db.select({ id: actions.id, code: actions.criterionCode }).from(actions).where(eq(actions.inspectionId, inspection.inspectionId)).orderBy(asc(actions.criterionCode)).all();
  let updates = 0;
  for (const action of rows) {
    let version = 1;
    script.progress(action.code).forEach(([status, note], step) => {
      const day = publishedOn + 3 + 15 * step;
      const result = updateAction(action.id, { status, note, progressOn: timeline.date(day), baseVersion: version }, trust, db, timeline.day(day, "16:00"));
      if (result.outcome !== "saved") throw new Error(`Demo action ${action.code} was not updated: ${JSON.stringify(result)}`);
      version = result.version;
      updates += 1;
    });
  }
  return updates;
}

export interface DemoReportsReport {
  published: number;
  corrections: number;
  actionUpdates: number;
  /** Comments in the factual accuracy check open now. */
  accuracyComments?: number;
}

/**
 * Takes the earlier demo inspections (approved, in the order they happened) through the factual accuracy check to
 * publication, a correction where the script has one, and the trust's progress on the actions since.
 */
export async function seedDemoReports(db: Db, approved: readonly ApprovedDemoInspection[]): Promise<DemoReportsReport> {
  const report: DemoReportsReport = { published: 0, corrections: 0, actionUpdates: 0 };
  let rj1 = 0;
  for (const inspection of approved) {
    const script = publicationFor(inspection, inspection.trustCode === "RJ1" ? rj1++ : 0);
    const timeline = accuracyCheck(db, inspection, script.comments);
    const reviewer = actorFor(reviewerOf(db, inspection.inspectionId));
    // After the close date (working day 18), or sooner on the trust's word.
    const publishedOn = script.trustFinished ? 12 : 20;
    await publishReport(inspection.inspectionId, { trustFinished: script.trustFinished ?? false }, reviewer, db, timeline.day(publishedOn, "10:30"));
    report.published += 1;
    if (script.correction) {
      const { afterWorkingDays, code, fields, note } = script.correction;
      const finding = findingOf(db, inspection.inspectionId, code);
      await publishCorrection(inspection.inspectionId, { note, findingEdits: [{ findingId: finding.id, baseVersion: finding.version, fields }] }, reviewer, db, timeline.day(publishedOn + afterWorkingDays, "12:00"));
      report.corrections += 1;
    }
    report.actionUpdates += progressActions(db, inspection, publishedOn, script, timeline);
  }
  return report;
}

/**
 * RTD's inspection, approved a few working days ago: its factual accuracy check opens the working day after approval
 * and is open now, with the trust's two comments, the first answered by the reviewer (the demo programme lead) and the
 * second waiting for a decision.
 */
export function seedDemoAccuracyCheck(db: Db, approved: ApprovedDemoInspection): { comments: number } {
  accuracyCheck(db, approved, RTD_COMMENTS);
  return { comments: RTD_COMMENTS.length };
}
