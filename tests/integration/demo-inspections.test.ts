/**
 * The demo inspections (db/demo-inspections.server.ts, db/demo-reports.server.ts), as seeded into a fresh copy of the
 * template database: RJ1's two inspections and RRU's one, approved and published, on completed visits, against both
 * frameworks with every criterion assessed; RTD's approved a few days ago and in its factual accuracy check now; every rating consistent with the roll-up recomputed here from the stored answers; every gap with a
 * severity and a due date; the later RJ1 inspection showing criteria that improved, held and fell; the inspection on
 * site now, with findings by two of its team, at a trust with no trust user; RJ1 still in the open round. Then over
 * HTTP: the demo inspector can open the on-site inspection and record, the programme lead reads the approved ones,
 * RJ1's trust user gets 404 for its own inspections' staff pages; the trusts' users download their published reports,
 * comment in the check that is open, and update their actions, and see nothing of the other trusts'.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../app/audit/audit.server";
import { deriveRating, gapStatus, LEVEL_ORDER, resolveRating, type IndicatorLevel, type Minimum, type Rating, type Scale } from "../../app/baseline/rating";
import type { Db } from "../../app/db.server";
import { todayInLondon } from "../../app/trusts/register.server";
import { queryDatabase, useFreshDatabase } from "../support/database";
import { readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let db: Db;
const all = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).all(...params) as T[];
const one = <T>(query: string, ...params: unknown[]) => db.$client.prepare(query).get(...params) as T;

interface InspectionRow {
  id: string;
  trustCode: string;
  status: string;
  visitId: string;
  visitDate: string;
  visitStatus: string;
  roundId: string;
  arrivedAt: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
  reviewerId: string | null;
}

interface FindingRow {
  id: string;
  inspectionId: string;
  criterionId: number;
  code: string;
  scale: Scale;
  rating: Rating;
  derivedRating: string | null;
  overrideReason: string;
  indicatorAnswers: string;
  severity: string | null;
  actionDue: string | null;
  devicesSampled: number | null;
  recordsDevices: number;
  minimum: Minimum | null;
}

const inspectionsOf = (where: string, ...params: unknown[]) =>
  all<InspectionRow>(
    `SELECT i.id, i.trust_code AS trustCode, i.status, i.visit_id AS visitId, v.visit_date AS visitDate, v.status AS visitStatus, v.round_id AS roundId,
            i.arrived_at AS arrivedAt, i.submitted_at AS submittedAt, i.approved_at AS approvedAt, i.reviewer_id AS reviewerId
       FROM inspections i JOIN visits v ON v.id = i.visit_id WHERE ${where} ORDER BY v.visit_date`,
    ...params,
  );

const findingsOf = (inspectionId: string) =>
  all<FindingRow>(
    `SELECT f.id, f.inspection_id AS inspectionId, c.id AS criterionId, c.code, c.scale, f.rating, f.derived_rating AS derivedRating,
            f.override_reason AS overrideReason, f.indicator_answers AS indicatorAnswers, f.severity, f.action_due AS actionDue,
            f.devices_sampled AS devicesSampled, c.records_devices AS recordsDevices,
            (SELECT m.minimum FROM profile_minimums m JOIN inspection_frameworks x ON x.profile_id = m.profile_id
              WHERE x.inspection_id = f.inspection_id AND m.criterion_id = c.id) AS minimum
       FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? ORDER BY c.framework_version_id, c.position`,
    inspectionId,
  );

const teamOf = (visitId: string) =>
  all<{ id: string; email: string; role: string }>(
    "SELECT u.id, u.email, m.role FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = ? ORDER BY m.role, u.email",
    visitId,
  );

/** Every demo inspection that has been approved (whatever has happened since), oldest visit first. */
let approved: InspectionRow[];
/** Those published: RJ1's two and RRU's, in closed rounds. */
let published: InspectionRow[];
/** RTD's, in its factual accuracy check. */
let inCheck: InspectionRow;
let onSite: InspectionRow[];

beforeAll(() => {
  ({ db } = useFreshDatabase());
  approved = inspectionsOf("i.approved_at IS NOT NULL");
  published = inspectionsOf("i.status = 'published'");
  [inCheck] = inspectionsOf("i.status = 'factual_accuracy'") as [InspectionRow];
  onSite = inspectionsOf("i.status = 'on_site'");
});

describe("the approved demo inspections", () => {
  it("are two of RJ1 and one of RRU, published, and RTD's in its check, on completed visits, against both frameworks, every criterion assessed", () => {
    expect(published.map((i) => i.trustCode).sort()).toEqual(["RJ1", "RJ1", "RRU"]);
    expect(approved.map((i) => i.trustCode).sort()).toEqual(["RJ1", "RJ1", "RRU", "RTD"]);
    const criteria = one<{ n: number }>(
      "SELECT count(*) AS n FROM framework_criteria c JOIN framework_versions v ON v.id = c.framework_version_id WHERE (v.framework, v.version) IN (VALUES ('caf', '3.2'), ('cyber-essentials-plus', '3.1'))",
    ).n;
    expect(criteria).toBe(49);
    for (const inspection of approved) {
      expect(inspection.visitStatus).toBe("completed");
      // The earlier rounds are closed; this quarter's (RTD's) is still running.
      expect(one<{ status: string }>("SELECT status FROM selection_rounds WHERE id = ?", inspection.roundId).status).toBe(inspection.id === inCheck.id ? "drawn" : "closed");
      const frameworks = all<{ framework: string; profile: string }>(
        `SELECT v.framework, p.code AS profile FROM inspection_frameworks x JOIN framework_versions v ON v.id = x.framework_version_id
           JOIN framework_profiles p ON p.id = x.profile_id WHERE x.inspection_id = ? ORDER BY v.framework`,
        inspection.id,
      );
      expect(frameworks).toEqual([
        { framework: "caf", profile: "govassure-baseline" },
        { framework: "cyber-essentials-plus", profile: "all-met" },
      ]);
      const found = findingsOf(inspection.id);
      expect(found).toHaveLength(criteria);
      expect(found.filter((f) => gapStatus(f.rating, f.minimum) === "not-assessed")).toEqual([]);
      // Cyber Essentials Plus tests record the devices sampled.
      expect(found.filter((f) => f.recordsDevices && f.devicesSampled === null)).toEqual([]);
    }
  });

  it("went through the review: submitted, returned with comments the team answered, approved by someone not on the team", () => {
    for (const inspection of approved) {
      expect(inspection.arrivedAt! < inspection.submittedAt!).toBe(true);
      expect(inspection.submittedAt! < inspection.approvedAt!).toBe(true);
      expect(inspection.approvedAt! < new Date().toISOString()).toBe(true);
      expect(inspection.arrivedAt!.slice(0, 10)).toBe(inspection.visitDate);
      const team = teamOf(inspection.visitId);
      expect(team.map((m) => m.id)).not.toContain(inspection.reviewerId);
      const comments = all<{ respondedBy: string | null; respondedAt: string | null; createdAt: string }>(
        "SELECT responded_by AS respondedBy, responded_at AS respondedAt, created_at AS createdAt FROM review_comments WHERE inspection_id = ?",
        inspection.id,
      );
      expect(comments.length).toBeGreaterThan(0);
      for (const c of comments) {
        expect(team.map((m) => m.id)).toContain(c.respondedBy);
        expect(c.createdAt < c.respondedAt! && c.respondedAt! < inspection.approvedAt!).toBe(true);
      }
      // Saved by two of the team, each save after the arrival and before the approval; after it, only the reviewer's
      // corrections from the factual accuracy check or a published correction (see below).
      const saves = all<{ savedBy: string; savedAt: string }>(
        "SELECT r.saved_by AS savedBy, r.saved_at AS savedAt FROM finding_revisions r JOIN findings f ON f.id = r.finding_id WHERE f.inspection_id = ?",
        inspection.id,
      );
      const [beforeApproval, after] = [saves.filter((s) => s.savedAt < inspection.approvedAt!), saves.filter((s) => s.savedAt > inspection.approvedAt!)];
      expect(new Set(beforeApproval.map((s) => s.savedBy))).toEqual(new Set(team.map((m) => m.id)));
      expect(beforeApproval.every((s) => s.savedAt > inspection.arrivedAt!)).toBe(true);
      expect(after.every((s) => s.savedBy === inspection.reviewerId && s.savedAt < new Date().toISOString())).toBe(true);
    }
  });

  it("puts inspector1, who has a conflict of interest with RJ1, on none of RJ1's visits", () => {
    const rj1Teams = all<{ email: string }>(
      "SELECT u.email FROM visits v JOIN visit_team_members m ON m.visit_id = v.id JOIN users u ON u.id = m.inspector_id WHERE v.trust_code = 'RJ1' AND v.status <> 'cancelled'",
    );
    expect(rj1Teams.length).toBeGreaterThanOrEqual(6);
    expect(rj1Teams.map((r) => r.email)).not.toContain("inspector1@deepdive.test");
  });

  it("shows RJ1 improving, holding and falling on different criteria from the earlier inspection to the later", () => {
    const [earlier, later] = published.filter((i) => i.trustCode === "RJ1");
    expect(earlier!.visitDate < later!.visitDate).toBe(true);
    const level = (r: Rating) => (r in LEVEL_ORDER ? LEVEL_ORDER[r as IndicatorLevel] : null);
    const before = new Map(findingsOf(earlier!.id).map((f) => [f.code, level(f.rating)]));
    const movement = { improved: [] as string[], held: [] as string[], fell: [] as string[] };
    for (const f of findingsOf(later!.id)) {
      const [was, now] = [before.get(f.code), level(f.rating)];
      if (was === null || was === undefined || now === null) continue;
      movement[now > was ? "improved" : now === was ? "held" : "fell"].push(f.code);
    }
    expect(movement.improved.length).toBeGreaterThan(0);
    expect(movement.held.length).toBeGreaterThan(0);
    expect(movement.fell.length).toBeGreaterThan(0);
  });

  it("are old enough to leave RJ1 in the open round, with an accepted visit ahead; its draw saw the later inspection", () => {
    const open = one<{ id: string; periodStart: string; minMonths: number; snapshot: string }>(
      "SELECT r.id, r.period_start AS periodStart, r.min_months_since_inspection AS minMonths, r.snapshot FROM selection_rounds r JOIN selection_picks p ON p.round_id = r.id WHERE r.status = 'drawn' AND p.trust_code = 'RJ1' AND p.removed_at IS NULL",
    );
    expect(open.minMonths).toBe(12);
    const visit = one<{ date: string; status: string }>("SELECT visit_date AS date, status FROM visits WHERE round_id = ? AND trust_code = 'RJ1'", open.id);
    expect(visit.status).toBe("scheduled");
    expect(visit.date > todayInLondon()).toBe(true);
    const later = published.filter((i) => i.trustCode === "RJ1").at(-1)!;
    const [y, m, d] = open.periodStart.split("-").map(Number) as [number, number, number];
    const cutoff = `${y - 1}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    expect(later.visitDate <= cutoff).toBe(true);
    const candidate = (JSON.parse(open.snapshot) as { candidates: { trustCode: string; lastInspectedOn: string | null; excluded: string | null }[] }).candidates.find(
      (c) => c.trustCode === "RJ1",
    );
    expect(candidate).toMatchObject({ lastInspectedOn: later.visitDate, excluded: null });
  });
});

describe("after approval", () => {
  interface Check {
    openedAt: string;
    closesOn: string;
    publishedAt: string | null;
  }
  const checkOf = (id: string) =>
    one<Check>("SELECT accuracy_opened_at AS openedAt, accuracy_closes_on AS closesOn, published_at AS publishedAt FROM inspections WHERE id = ?", id);
  const commentsOf = (id: string) =>
    all<{ author: string; category: string; text: string; decision: string | null; reason: string | null; decidedBy: string | null; createdAt: string; decidedAt: string | null }>(
      `SELECT u.email AS author, c.category, c.text, c.decision, c.decision_reason AS reason, c.decided_by AS decidedBy, c.created_at AS createdAt, c.decided_at AS decidedAt
         FROM accuracy_comments c JOIN users u ON u.id = c.author_id WHERE c.inspection_id = ? ORDER BY c.created_at`,
      id,
    );
  const versionsOf = (id: string) =>
    all<{ version: number; pdf: Buffer; sha256: string; publishedAt: string; changeNote: string }>(
      "SELECT version, pdf, sha256, published_at AS publishedAt, change_note AS changeNote FROM report_versions WHERE inspection_id = ? ORDER BY version",
      id,
    );

  it("went through the trust's factual accuracy check: opened after approval, the trust's comments decided with reasons before publication", () => {
    for (const inspection of published) {
      const check = checkOf(inspection.id);
      expect(check.openedAt > inspection.approvedAt!).toBe(true);
      expect(check.publishedAt! > check.openedAt).toBe(true);
      for (const comment of commentsOf(inspection.id)) {
        expect(comment.author).toBe(`trust.${inspection.trustCode.toLowerCase()}@deepdive.test`);
        expect(comment.decision).toMatch(/^(accepted|rejected)$/);
        expect(comment.reason!.length).toBeGreaterThan(20);
        expect(comment.decidedBy).toBe(inspection.reviewerId);
        expect(check.openedAt < comment.createdAt && comment.createdAt < comment.decidedAt! && comment.decidedAt! < check.publishedAt!).toBe(true);
      }
    }
    // RJ1's first check: a comment accepted, its finding corrected; its second: one rejected. RRU's trust had none
    // and the report was published before the close date, on its word.
    const [earlier, later] = published.filter((i) => i.trustCode === "RJ1") as [InspectionRow, InspectionRow];
    expect(commentsOf(earlier.id).map((c) => c.decision)).toEqual(["accepted"]);
    expect(one<{ observed: string }>("SELECT f.observed FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id WHERE f.inspection_id = ? AND c.code = 'A3.a'", earlier.id).observed).toContain(
      "last updated 11 months ago",
    );
    expect(commentsOf(later.id).map((c) => c.decision)).toEqual(["rejected"]);
    const rru = published.find((i) => i.trustCode === "RRU")!;
    expect(commentsOf(rru.id)).toEqual([]);
    expect(checkOf(rru.id).publishedAt!.slice(0, 10) < checkOf(rru.id).closesOn).toBe(true);
    expect(checkOf(earlier.id).publishedAt!.slice(0, 10) > checkOf(earlier.id).closesOn).toBe(true);
  });

  it("published version 1 of each report with the SHA-256 of its stored bytes, and RRU's correction as version 2 with its note", () => {
    for (const inspection of published) {
      const versions = versionsOf(inspection.id);
      expect(versions[0]).toMatchObject({ version: 1, publishedAt: checkOf(inspection.id).publishedAt, changeNote: "" });
      for (const v of versions) {
        expect(v.pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
        expect(createHash("sha256").update(v.pdf).digest("hex")).toBe(v.sha256);
      }
      expect(versions.map((v) => v.version)).toEqual(inspection.trustCode === "RRU" ? [1, 2] : [1]);
    }
    const [, correction] = versionsOf(published.find((i) => i.trustCode === "RRU")!.id);
    expect(correction!.changeNote).toContain("C1.e");
    expect(correction!.publishedAt < new Date().toISOString()).toBe(true);
  });

  it("made an action of every gap at publication, which the trust has updated since: some done, some in progress, some not started and overdue", () => {
    const today = todayInLondon();
    for (const inspection of published) {
      const gaps = findingsOf(inspection.id).filter((f) => gapStatus(f.rating, f.minimum) === "gap");
      const rows = all<{ id: string; findingId: string; status: string; dueOn: string; createdAt: string }>(
        "SELECT id, finding_id AS findingId, status, due_on AS dueOn, created_at AS createdAt FROM actions WHERE inspection_id = ?",
        inspection.id,
      );
      expect(rows.map((a) => a.findingId).sort()).toEqual(gaps.map((f) => f.id).sort());
      expect(rows.every((a) => a.createdAt === checkOf(inspection.id).publishedAt)).toBe(true);
      const updates = all<{ actionId: string; email: string; createdAt: string; progressOn: string | null }>(
        "SELECT x.action_id AS actionId, u.email, x.created_at AS createdAt, x.progress_on AS progressOn FROM action_updates x JOIN actions a ON a.id = x.action_id JOIN users u ON u.id = x.created_by WHERE a.inspection_id = ?",
        inspection.id,
      );
      expect(updates.length).toBeGreaterThan(0);
      for (const update of updates) {
        expect(update.email).toBe(`trust.${inspection.trustCode.toLowerCase()}@deepdive.test`);
        expect(update.createdAt > checkOf(inspection.id).publishedAt! && update.createdAt < new Date().toISOString()).toBe(true);
      }
    }
    const statuses = all<{ status: string; overdue: number }>(
      "SELECT a.status, a.status <> 'done' AND a.due_on < ? AS overdue FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE i.status = 'published'",
      today,
    );
    expect(new Set(statuses.map((a) => a.status))).toEqual(new Set(["open", "in_progress", "done"]));
    expect(statuses.filter((a) => a.status === "open" && a.overdue).length).toBeGreaterThan(0);
    // The trust's risk model has the overdue actions as an indicator.
    const overdue = one<{ value: number } | undefined>(
      "SELECT numeric_value AS value FROM indicator_observations WHERE indicator_code = 'overdue_actions' AND trust_code = 'RJ1' ORDER BY observed_on DESC, id DESC LIMIT 1",
    );
    expect(overdue?.value).toBeGreaterThan(0);
  });

  it("has RTD's report in its factual accuracy check now, with one comment answered and one waiting for the programme lead", () => {
    expect(inCheck.trustCode).toBe("RTD");
    const check = checkOf(inCheck.id);
    expect(check.openedAt > inCheck.approvedAt! && check.openedAt < new Date().toISOString()).toBe(true);
    expect(check.closesOn >= todayInLondon()).toBe(true);
    expect(check.publishedAt).toBeNull();
    expect(one<{ email: string }>("SELECT email FROM users WHERE id = ?", inCheck.reviewerId).email).toBe("lead@deepdive.test");
    const comments = commentsOf(inCheck.id);
    expect(comments.map((c) => [c.author, c.decision])).toEqual([
      ["trust.rtd@deepdive.test", "accepted"],
      ["trust.rtd@deepdive.test", null],
    ]);
    expect(versionsOf(inCheck.id)).toEqual([]);
  });
});

describe("every demo finding", () => {
  it("has the rating the roll-up gives from its stored answers, or an override with a reason", () => {
    const demo = [...approved, ...onSite];
    let derivedSomewhere = 0;
    let overridden = 0;
    for (const inspection of demo) {
      for (const f of findingsOf(inspection.id)) {
        const indicators = all<{ id: string; level: IndicatorLevel }>("SELECT code AS id, level FROM framework_indicators WHERE criterion_id = ? ORDER BY position", f.criterionId);
        const answers = JSON.parse(f.indicatorAnswers) as Record<string, boolean>;
        const known = new Set(indicators.map((i) => i.id));
        expect(Object.keys(answers).every((id) => known.has(id))).toBe(true);
        const derived = deriveRating(f.scale, indicators, answers);
        expect(f.derivedRating).toBe(derived);
        if (derived === null) {
          // Nothing derived: the inspector's choice (or nothing yet), never an override.
          expect(f.overrideReason).toBe("");
          continue;
        }
        derivedSomewhere += 1;
        const resolved = resolveRating({ scale: f.scale, derived, chosen: f.rating === derived ? null : f.rating, overrideReason: f.overrideReason });
        expect(resolved).toMatchObject({ ok: true, rating: f.rating });
        if (f.rating !== derived) {
          overridden += 1;
          expect(f.overrideReason.trim()).not.toBe("");
        } else expect(f.overrideReason).toBe("");
      }
    }
    // The demo uses the roll-up (Cyber Essentials requirements) and shows an override.
    expect(derivedSomewhere).toBeGreaterThan(10);
    expect(overridden).toBeGreaterThan(0);
  });

  it("below the profile's minimum (a gap) has a severity and an action due after the visit; nothing else has a severity", () => {
    let gaps = 0;
    for (const inspection of [...approved, ...onSite]) {
      for (const f of findingsOf(inspection.id)) {
        if (gapStatus(f.rating, f.minimum) === "gap") {
          gaps += 1;
          expect({ code: f.code, severity: f.severity }).toEqual({ code: f.code, severity: expect.stringMatching(/^(critical|high|medium|low)$/) });
          expect(f.actionDue! > inspection.visitDate).toBe(true);
        } else {
          expect({ code: f.code, severity: f.severity }).toEqual({ code: f.code, severity: null });
        }
      }
    }
    expect(gaps).toBeGreaterThan(20);
  });

  it("leaves the audit chain intact", () => {
    expect(verifyAuditChain(db).ok).toBe(true);
  });
});

describe("the inspection on site now", () => {
  it("is one, on a scheduled visit dated today or the last working day, at a trust with no trust user, arrived this morning", () => {
    expect(onSite).toHaveLength(1);
    const [inspection] = onSite;
    expect(inspection!.visitStatus).toBe("scheduled");
    expect(inspection!.visitDate <= todayInLondon()).toBe(true);
    expect(inspection!.visitDate >= one<{ d: string }>("SELECT date(?, '-7 days') AS d", todayInLondon()).d).toBe(true);
    expect(inspection!.arrivedAt!.slice(0, 10)).toBe(inspection!.visitDate);
    expect(inspection!.arrivedAt! < new Date().toISOString()).toBe(true);
    expect(["RJ1", "RRU", "RTD"]).not.toContain(inspection!.trustCode);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM users WHERE trust_code = ?", inspection!.trustCode).n).toBe(0);
    expect(one<{ status: string }>("SELECT status FROM selection_rounds WHERE id = ?", inspection!.roundId).status).toBe("drawn");
  });

  it("has inspector1 leading, a second demo inspector, and findings saved by both; the rest not assessed yet", () => {
    const [inspection] = onSite;
    const team = teamOf(inspection!.visitId);
    expect(team).toHaveLength(2);
    expect(team.find((m) => m.role === "lead")?.email).toBe("inspector1@deepdive.test");
    const savers = all<{ savedBy: string; savedAt: string }>(
      "SELECT DISTINCT r.saved_by AS savedBy, r.saved_at AS savedAt FROM finding_revisions r JOIN findings f ON f.id = r.finding_id WHERE f.inspection_id = ?",
      inspection!.id,
    );
    expect(new Set(savers.map((s) => s.savedBy))).toEqual(new Set(team.map((m) => m.id)));
    expect(savers.every((s) => s.savedAt > inspection!.arrivedAt! && s.savedAt < new Date().toISOString())).toBe(true);
    // One finding saved by each in turn, the second based on the first.
    const shared = all<{ findingId: string }>(
      "SELECT r.finding_id AS findingId FROM finding_revisions r JOIN findings f ON f.id = r.finding_id WHERE f.inspection_id = ? GROUP BY r.finding_id HAVING count(DISTINCT r.saved_by) = 2",
      inspection!.id,
    );
    expect(shared.length).toBeGreaterThan(0);
    const found = findingsOf(inspection!.id);
    const assessed = found.filter((f) => gapStatus(f.rating, f.minimum) !== "not-assessed");
    expect(assessed.length).toBeGreaterThanOrEqual(5);
    expect(found.length - assessed.length).toBeGreaterThan(30);
  });
});

// The server runs on its own copy of the template database: the same rows and ids as `db`, its own writes.
describe("the demo inspections over HTTP", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lets inspector1 open the on-site inspection and record a finding not assessed yet", async () => {
    const [inspection] = onSite;
    const inspector1 = await signedIn(server.url, "inspector1@deepdive.test");
    expect((await inspector1.get(`/inspections/${inspection!.id}`)).status).toBe(200);
    const notAssessed = findingsOf(inspection!.id).find((f) => f.rating === "not_assessed" && !f.recordsDevices)!;
    const page = await inspector1.get(`/inspections/${inspection!.id}/criteria/${notAssessed.criterionId}`);
    expect(page.status).toBe(200);
    expect(await readPage(page)).toContain('id="finding-form"');
  });

  it("lets RJ1's trust user download its published reports and update an action, and see nothing of RRU's or RTD's", async () => {
    const trust = await signedIn(server.url, "trust.rj1@deepdive.test");
    const home = await readPage(await trust.get("/portal"));
    const own = published.filter((i) => i.trustCode === "RJ1");
    for (const inspection of own) {
      expect(home).toContain(`/portal/reports/${inspection.id}/v/1.pdf`);
      const pdf = await trust.get(`/portal/reports/${inspection.id}/v/1.pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      const stored = one<{ sha256: string }>("SELECT sha256 FROM report_versions WHERE inspection_id = ? AND version = 1", inspection.id).sha256;
      expect(createHash("sha256").update(Buffer.from(await pdf.arrayBuffer())).digest("hex")).toBe(stored);
    }
    const rru = published.find((i) => i.trustCode === "RRU")!;
    expect(home).not.toContain(rru.id);
    expect(home).not.toContain(inCheck.id);
    for (const path of [`/portal/reports/${rru.id}/v/1.pdf`, `/portal/reports/${rru.id}/v/2.pdf`, `/portal/accuracy/${inCheck.id}`, `/portal/accuracy/${inCheck.id}/draft.pdf`]) {
      expect({ path, status: (await trust.get(path)).status }).toEqual({ path, status: 404 });
    }
    // An action not done, updated with a note.
    const action = one<{ id: string; version: number; status: string }>(
      "SELECT id, version, status FROM actions WHERE inspection_id = ? AND status = 'open' ORDER BY criterion_code LIMIT 1",
      own.at(-1)!.id,
    );
    const today = todayInLondon();
    const updated = await trust.post(`/portal/actions/${action.id}`, {
      status: "in_progress",
      note: "Internal audit has agreed to review the programme in the spring.",
      progressOnDay: String(Number(today.slice(8, 10))),
      progressOnMonth: String(Number(today.slice(5, 7))),
      progressOnYear: today.slice(0, 4),
      baseVersion: String(action.version),
    });
    expect(updated.status).toBe(302);
    expect(queryDatabase(server.databaseFile, "SELECT status, version FROM actions WHERE id = ?", action.id)).toEqual([{ status: "in_progress", version: action.version + 1 }]);
    const otherAction = one<{ id: string }>("SELECT id FROM actions WHERE trust_code = 'RRU' LIMIT 1");
    expect((await trust.get(`/portal/actions/${otherAction.id}`)).status).toBe(404);
  });

  it("lets RRU's trust user download both versions of its corrected report, version 1 marked superseded", async () => {
    const trust = await signedIn(server.url, "trust.rru@deepdive.test");
    const rru = published.find((i) => i.trustCode === "RRU")!;
    const home = await readPage(await trust.get("/portal"));
    expect(home).toContain("Superseded");
    for (const version of [1, 2]) expect((await trust.get(`/portal/reports/${rru.id}/v/${version}.pdf`)).status).toBe(200);
  });

  it("lets RTD's trust user read the draft in its check, see the answer to its comment, and comment again", async () => {
    const trust = await signedIn(server.url, "trust.rtd@deepdive.test");
    expect(await readPage(await trust.get("/portal"))).toContain(`/portal/accuracy/${inCheck.id}`);
    const page = await readPage(await trust.get(`/portal/accuracy/${inCheck.id}`));
    const answered = one<{ reason: string }>("SELECT decision_reason AS reason FROM accuracy_comments WHERE inspection_id = ? AND decision IS NOT NULL", inCheck.id);
    expect(page).toContain(answered.reason);
    const draft = await trust.get(`/portal/accuracy/${inCheck.id}/draft.pdf`);
    expect(draft.status).toBe(200);
    expect(draft.headers.get("content-type")).toBe("application/pdf");
    const sent = await trust.post(`/portal/accuracy/${inCheck.id}`, { part: "method", category: "typing_error", text: "The method section spells the trust's name without the apostrophe." });
    expect(sent.status).toBe(302);
    expect(queryDatabase(server.databaseFile, "SELECT count(*) AS n FROM accuracy_comments WHERE inspection_id = ?", inCheck.id)).toEqual([{ n: 3 }]);
    for (const inspection of published) expect((await trust.get(`/portal/reports/${inspection.id}/v/1.pdf`)).status).toBe(404);
  });

  it("shows the programme lead every approved inspection, and RJ1's trust user none of them", async () => {
    const lead = await signedIn(server.url, "lead@deepdive.test");
    const trustUser = await signedIn(server.url, "trust.rj1@deepdive.test");
    for (const inspection of approved) {
      expect((await lead.get(`/inspections/${inspection.id}`)).status).toBe(200);
      expect((await trustUser.get(`/inspections/${inspection.id}`)).status).toBe(404);
    }
  });
});
