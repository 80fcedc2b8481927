/**
 * The demo inspections (db/demo-inspections.server.ts), as seeded into a fresh copy of the template database: RJ1's
 * two approved inspections and RRU's one, on completed visits, against both frameworks with every criterion
 * assessed; every rating consistent with the roll-up recomputed here from the stored answers; every gap with a
 * severity and a due date; the later RJ1 inspection showing criteria that improved, held and fell; the inspection on
 * site now, with findings by two of its team, at a trust with no trust user; RJ1 still in the open round. Then over
 * HTTP: the demo inspector can open the on-site inspection and record, the programme lead reads the approved ones,
 * and RJ1's trust user gets 404 for its own inspections.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../app/audit/audit.server";
import { deriveRating, gapStatus, LEVEL_ORDER, resolveRating, type IndicatorLevel, type Minimum, type Rating, type Scale } from "../../app/baseline/rating";
import type { Db } from "../../app/db.server";
import { todayInLondon } from "../../app/trusts/register.server";
import { useFreshDatabase } from "../support/database";
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

let approved: InspectionRow[];
let onSite: InspectionRow[];

beforeAll(() => {
  ({ db } = useFreshDatabase());
  approved = inspectionsOf("i.status = 'approved'");
  onSite = inspectionsOf("i.status = 'on_site'");
});

describe("the approved demo inspections", () => {
  it("are two of RJ1 and one of RRU, on completed visits in closed rounds, against both frameworks, every criterion assessed", () => {
    expect(approved.map((i) => i.trustCode).sort()).toEqual(["RJ1", "RJ1", "RRU"]);
    const criteria = one<{ n: number }>(
      "SELECT count(*) AS n FROM framework_criteria c JOIN framework_versions v ON v.id = c.framework_version_id WHERE (v.framework, v.version) IN (VALUES ('caf', '3.2'), ('cyber-essentials-plus', '3.1'))",
    ).n;
    expect(criteria).toBe(49);
    for (const inspection of approved) {
      expect(inspection.visitStatus).toBe("completed");
      expect(one<{ status: string }>("SELECT status FROM selection_rounds WHERE id = ?", inspection.roundId).status).toBe("closed");
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
      // Saved by two of the team, each save after the arrival and before the approval.
      const saves = all<{ savedBy: string; savedAt: string }>(
        "SELECT r.saved_by AS savedBy, r.saved_at AS savedAt FROM finding_revisions r JOIN findings f ON f.id = r.finding_id WHERE f.inspection_id = ?",
        inspection.id,
      );
      expect(new Set(saves.map((s) => s.savedBy)).size).toBe(2);
      expect(saves.every((s) => s.savedAt > inspection.arrivedAt! && s.savedAt < inspection.approvedAt!)).toBe(true);
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
    const [earlier, later] = approved.filter((i) => i.trustCode === "RJ1");
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
    const later = approved.filter((i) => i.trustCode === "RJ1").at(-1)!;
    const [y, m, d] = open.periodStart.split("-").map(Number) as [number, number, number];
    const cutoff = `${y - 1}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    expect(later.visitDate <= cutoff).toBe(true);
    const candidate = (JSON.parse(open.snapshot) as { candidates: { trustCode: string; lastInspectedOn: string | null; excluded: string | null }[] }).candidates.find(
      (c) => c.trustCode === "RJ1",
    );
    expect(candidate).toMatchObject({ lastInspectedOn: later.visitDate, excluded: null });
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

  it("shows the programme lead every approved inspection, and RJ1's trust user none of them", async () => {
    const lead = await signedIn(server.url, "lead@deepdive.test");
    const trustUser = await signedIn(server.url, "trust.rj1@deepdive.test");
    for (const inspection of approved) {
      expect((await lead.get(`/inspections/${inspection.id}`)).status).toBe(200);
      expect((await trustUser.get(`/inspections/${inspection.id}`)).status).toBe(404);
    }
  });
});
