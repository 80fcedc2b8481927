/**
 * Selection rounds over real HTTP and a real SQLite file: open (the commitment is published, the seed appears
 * nowhere), draw (picks, snapshot, audit), exclusion of trusts picked in another round, overrides with reasons,
 * close (the seed is revealed), verify (page and CLI), and a pick tampered with in the database file found
 * exactly where it differs.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectedRecently, parseSnapshot, planDraw } from "../../app/selection/draw";
import { commitmentFor } from "../../app/selection/random";
import { DEMO_TOTP_SECRET } from "../../app/auth/mfa";
import { signedIn, type Client } from "../support/http";
import { unusedCode } from "../support/second-factor";
import { runScript } from "../support/scripts";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let lead: Client;

beforeAll(async () => {
  server = await startServer();
  lead = await signedIn(server.url, "lead@deepdive.test");
});
afterAll(async () => {
  await server?.stop();
});

/** Opens the server's database file directly, as someone with access to the file (not the app) would. */
function withSqlite<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(server.databaseFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface RoundRow {
  id: string;
  seed: string;
  commitment: string;
  status: string;
  snapshot: string | null;
  capacity: number;
  period_start: string;
}
interface PickRow {
  id: number;
  trust_code: string;
  kind: string;
  draw_order: number | null;
  reason: string;
  removed_at: string | null;
  removed_reason: string | null;
  added_by: string | null;
}
interface AuditRow {
  action: string;
  object_id: string | null;
  summary: string;
  actor_label: string;
}

/** Trusts picked (and not removed) in the rounds other than `roundId` that are not closed, such as the demo's. */
const pickedInOtherOpenRounds = (roundId: string) =>
  new Set(
    withSqlite((db) =>
      (
        db
          .prepare("SELECT p.trust_code AS code FROM selection_picks p JOIN selection_rounds r ON r.id = p.round_id WHERE r.id <> ? AND r.status <> 'closed' AND p.removed_at IS NULL")
          .all(roundId) as { code: string }[]
      ).map((r) => r.code),
    ),
  );
/** Each trust's latest completed visit (the demo has a past round of them). */
const lastVisits = () =>
  new Map(
    withSqlite((db) =>
      (db.prepare("SELECT trust_code AS code, max(visit_date) AS last FROM visits WHERE status = 'completed' GROUP BY trust_code").all() as { code: string; last: string }[]).map((r) => [
        r.code,
        r.last,
      ]),
    ),
  );
const roundRow = (id: string) => withSqlite((db) => db.prepare("SELECT * FROM selection_rounds WHERE id = ?").get(id) as RoundRow);
const picksOf = (id: string) =>
  withSqlite((db) => db.prepare("SELECT * FROM selection_picks WHERE round_id = ? ORDER BY draw_order IS NULL, draw_order, id").all(id) as PickRow[]);
const auditFor = (id: string) =>
  withSqlite((db) => db.prepare("SELECT action, object_id, summary, actor_label FROM audit_events WHERE object_id = ? ORDER BY seq").all(id) as AuditRow[]);
const allAuditText = () => withSqlite((db) => (db.prepare("SELECT group_concat(summary || object_id, ' ') AS t FROM audit_events").get() as { t: string }).t);

const ROUND_FORM = {
  name: "Quarter 1 2027",
  periodStartDay: "1",
  periodStartMonth: "4",
  periodStartYear: "2027",
  periodEndDay: "30",
  periodEndMonth: "6",
  periodEndYear: "2027",
  capacity: "20",
  minMonthsSinceInspection: "12",
  validationShare: "0.1",
};

async function openRoundOverHttp(fields: Partial<typeof ROUND_FORM> = {}): Promise<string> {
  const response = await lead.post("/selection/new", { ...ROUND_FORM, ...fields });
  expect(response.status).toBe(302);
  const match = /^\/selection\/([0-9a-f-]{36})\?done=opened$/.exec(response.headers.get("location") ?? "");
  expect(match, response.headers.get("location") ?? "no location").not.toBeNull();
  return match![1]!;
}

async function pageText(pathname: string, client: Client = lead): Promise<{ status: number; text: string }> {
  const response = await client.get(pathname);
  return { status: response.status, text: await response.text() };
}

/** Every way the app answers about a round: the pages, Remix's data requests, and the list. */
async function everyResponseAbout(id: string): Promise<string[]> {
  const paths = ["/selection", "/selection.data", `/selection/${id}`, `/selection/${id}.data`, `/selection/${id}/verify`, `/selection/${id}/verify.data`, `/selection/${id}/snapshot`];
  return Promise.all(paths.map(async (p) => (await pageText(p)).text));
}

const runVerifyCli = (args: string[]) => runScript("selection-verify", server.databaseFile, args);

describe("opening a round", () => {
  it("refuses a form with problems, saying what each is", async () => {
    const empty = await lead.post("/selection/new", {});
    expect(empty.status).toBe(400);
    const text = await empty.text();
    for (const message of [
      "Enter a name for the round",
      "Enter the date the period starts",
      "Enter the date the period ends",
      "Enter how many trusts the round can inspect",
      "Enter the minimum months since the last inspection",
    ]) {
      expect(text).toContain(message);
    }
    const bad = await lead.post("/selection/new", {
      ...ROUND_FORM,
      name: "x".repeat(101),
      periodStartDay: "31",
      periodStartMonth: "2",
      capacity: "101",
      minMonthsSinceInspection: "61",
      validationShare: "0.6",
    });
    expect(bad.status).toBe(400);
    const badText = await bad.text();
    for (const message of [
      "Name must be 100 characters or fewer",
      "The start of the period must be a real date",
      "Capacity must be 100 or fewer",
      "Minimum months must be 60 or fewer",
      "Validation share must be 0.5 or less",
    ]) {
      expect(badText).toContain(message);
    }
    const backwards = await lead.post("/selection/new", { ...ROUND_FORM, periodEndYear: "2026", capacity: "2.5" });
    const backwardsText = await backwards.text();
    expect(backwardsText).toContain("The end of the period must be after its start");
    expect(backwardsText).toContain("Capacity must be a whole number");
  });

  it("publishes the commitment at once, and the seed appears in no page, data response or audit event", async () => {
    const id = await openRoundOverHttp({ name: "Secret seed round" });
    const round = roundRow(id);
    expect(round.status).toBe("open");
    expect(round.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(round.commitment).toBe(commitmentFor(round.seed));

    const page = await pageText(`/selection/${id}?done=opened`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(round.commitment);
    expect(page.text).toContain("Secret until the round closes");
    for (const body of await everyResponseAbout(id)) expect(body).not.toContain(round.seed);

    const opened = auditFor(id).find((e) => e.action === "selection.round-opened")!;
    expect(JSON.parse(opened.summary)).toMatchObject({ name: "Secret seed round", capacity: 20, commitment: round.commitment, periodStart: "2027-04-01" });
    expect(allAuditText()).not.toContain(round.seed);
  });
});

describe("a round from open to verified", () => {
  let roundA = "";
  let roundB = "";

  it("draws: picks no more than the capacity, stores the snapshot and the picks, and audits it without naming trusts", async () => {
    roundA = await openRoundOverHttp({ name: "Round A", capacity: "30" });
    const response = await lead.post(`/selection/${roundA}`, { intent: "draw" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/selection/${roundA}?done=drawn`);

    const round = roundRow(roundA);
    expect(round.status).toBe("drawn");
    const snapshot = parseSnapshot(round.snapshot!);
    expect(snapshot.rules).toEqual({ capacity: 30, minMonthsSinceInspection: 12, validationShare: 0.1, validationBands: [4, 5, 6] });
    expect(snapshot.candidates.length).toBeGreaterThan(150);
    expect(snapshot.modelVersion.id).toBeGreaterThan(0);

    const picks = picksOf(roundA);
    // Band 1 is mandatory, unless picked in another round still in progress (the demo has one).
    const elsewhere = pickedInOtherOpenRounds(roundA);
    const mandatory = snapshot.candidates.filter((c) => c.band === 1 && !elsewhere.has(c.trustCode));
    const plan = planDraw(snapshot);
    expect(plan.overCapacity).toBe(false);
    expect(picks.length).toBeLessThanOrEqual(30);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.map((p) => p.draw_order)).toEqual(picks.map((_, i) => i + 1));
    expect(picks.filter((p) => p.kind === "mandatory").map((p) => p.trust_code).sort()).toEqual(mandatory.map((c) => c.trustCode).sort());
    expect(picks.filter((p) => p.kind === "drawn")).toHaveLength(plan.drawPlaces);
    expect(picks.filter((p) => p.kind === "validation")).toHaveLength(plan.validationPlaces);
    expect(plan.validationPlaces).toBe(3);

    const drawn = auditFor(roundA).filter((e) => e.action === "selection.drawn");
    expect(drawn).toHaveLength(1);
    const summary = JSON.parse(drawn[0]!.summary) as Record<string, unknown>;
    expect(summary).toMatchObject({ picks: picks.length, candidates: snapshot.candidates.length, modelVersionId: snapshot.modelVersion.id });
    for (const pick of picks) expect(drawn[0]!.summary).not.toContain(pick.trust_code);

    const page = await pageText(`/selection/${roundA}`);
    expect(page.text).toContain("Picks");
    expect(page.text).toContain("Required, 500 characters or fewer.");
    for (const pick of picks.slice(0, 3)) expect(page.text).toContain(pick.reason);
    expect(auditFor(roundA).filter((e) => e.action === "selection.viewed").length).toBeGreaterThan(0);
  });

  it("cannot be drawn twice", async () => {
    const again = await lead.post(`/selection/${roundA}`, { intent: "draw" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This round has already been drawn");
    expect(auditFor(roundA).filter((e) => e.action === "selection.drawn")).toHaveLength(1);
  });

  it("takes overrides only with a reason: remove keeps the pick marked removed, add inserts it, re-adding restores it", async () => {
    const [first, second] = picksOf(roundA).filter((p) => p.kind === "drawn");
    const noReason = await lead.post(`/selection/${roundA}`, { intent: "remove", removeTrustCode: first!.trust_code, removeReason: "  " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Enter the reason");
    const tooLong = await lead.post(`/selection/${roundA}`, { intent: "remove", removeTrustCode: first!.trust_code, removeReason: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("The reason must be 500 characters or fewer");
    expect(picksOf(roundA).find((p) => p.id === first!.id)!.removed_at).toBeNull();

    const removed = await lead.post(`/selection/${roundA}`, { intent: "remove", removeTrustCode: first!.trust_code, removeReason: "Inspected by another regulator this quarter" });
    expect(removed.status).toBe(302);
    const afterRemove = picksOf(roundA).find((p) => p.id === first!.id)!;
    expect(afterRemove.removed_at).not.toBeNull();
    expect(afterRemove.removed_reason).toBe("Inspected by another regulator this quarter");
    expect(afterRemove.kind).toBe("drawn");

    // A trust in no round at all, to add by hand.
    const inRound = new Set(picksOf(roundA).map((p) => p.trust_code));
    const snapshot = parseSnapshot(roundRow(roundA).snapshot!);
    const outsider = snapshot.candidates.find((c) => !inRound.has(c.trustCode) && c.excluded === null)!;
    const addNoReason = await lead.post(`/selection/${roundA}`, { intent: "add", addTrustCode: outsider.trustCode, addReason: "" });
    expect(addNoReason.status).toBe(400);
    expect(await addNoReason.text()).toContain("Enter the reason");
    const added = await lead.post(`/selection/${roundA}`, { intent: "add", addTrustCode: outsider.trustCode, addReason: "Whistleblowing concern received" });
    expect(added.status).toBe(302);
    const addedRow = picksOf(roundA).find((p) => p.trust_code === outsider.trustCode)!;
    expect(addedRow).toMatchObject({ kind: "added", draw_order: null, reason: "Whistleblowing concern received", removed_at: null });

    const twice = await lead.post(`/selection/${roundA}`, { intent: "add", addTrustCode: second!.trust_code, addReason: "Already in" });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("That trust is already picked in this round");

    const restored = await lead.post(`/selection/${roundA}`, { intent: "add", addTrustCode: first!.trust_code, addReason: "The other inspection was cancelled" });
    expect(restored.status).toBe(302);
    expect(picksOf(roundA).find((p) => p.id === first!.id)).toMatchObject({ kind: "drawn", removed_at: null, removed_reason: null, draw_order: first!.draw_order });

    // Remove it again, so the round ends with one removal and one addition in force.
    await lead.post(`/selection/${roundA}`, { intent: "remove", removeTrustCode: first!.trust_code, removeReason: "Rescheduled to the next round" });

    const page = await pageText(`/selection/${roundA}`);
    for (const text of ["Inspected by another regulator this quarter", "Whistleblowing concern received", "The other inspection was cancelled", "Rescheduled to the next round", "Added back"]) {
      expect(page.text).toContain(text);
    }
    const overrides = auditFor(roundA).filter((e) => e.action.startsWith("selection.pick-"));
    expect(overrides.map((e) => e.action)).toEqual(["selection.pick-removed", "selection.pick-added", "selection.pick-restored", "selection.pick-removed"]);
    for (const e of overrides) {
      expect(e.actor_label).toBe("lead@deepdive.test");
      expect(e.summary).not.toContain(first!.trust_code);
      expect(e.summary).not.toContain(outsider.trustCode);
    }
  });

  it("excludes from another round every trust already picked (and not removed) in a round that is not closed", async () => {
    roundB = await openRoundOverHttp({ name: "Round B", capacity: "40" });
    expect((await lead.post(`/selection/${roundB}`, { intent: "draw" })).status).toBe(302);
    const activeA = new Set(picksOf(roundA).filter((p) => !p.removed_at).map((p) => p.trust_code));
    const removedA = picksOf(roundA).filter((p) => p.removed_at).map((p) => p.trust_code);
    const snapshotB = parseSnapshot(roundRow(roundB).snapshot!);
    const elsewhere = pickedInOtherOpenRounds(roundB);
    const visited = lastVisits();
    for (const c of snapshotB.candidates) {
      const expected = elsewhere.has(c.trustCode)
        ? "picked-in-another-round"
        : inspectedRecently(visited.get(c.trustCode) ?? null, roundRow(roundB).period_start, 12)
          ? "recently-inspected"
          : null;
      expect(c.excluded, c.trustCode).toBe(expected);
      expect(c.lastInspectedOn, c.trustCode).toBe(visited.get(c.trustCode) ?? null);
    }
    for (const code of activeA) expect(elsewhere.has(code)).toBe(true);
    for (const code of removedA) expect(activeA.has(code)).toBe(false);
    const picksB = picksOf(roundB);
    expect(picksB.length).toBeGreaterThan(0);
    for (const p of picksB) expect(activeA.has(p.trust_code), p.trust_code).toBe(false);
  });

  it("will not add a trust picked in another round that is not closed", async () => {
    const inB = picksOf(roundB)[0]!.trust_code;
    const response = await lead.post(`/selection/${roundA}`, { intent: "add", addTrustCode: inB, addReason: "Try" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("That trust is picked in another round that is not closed");
  });

  it("says the round is not closed on the verify page, and the CLI refuses it (exit 2)", async () => {
    const page = await pageText(`/selection/${roundA}/verify`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("This round is not closed yet");
    expect(page.text).not.toContain(roundRow(roundA).seed);
    expect((await lead.get(`/selection/${roundA}/snapshot`)).status).toBe(404);
    const cli = await runVerifyCli([roundA]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("Only a closed round can be verified");
  });

  it("closes: the seed is revealed on the page and recorded in the audit trail, and the picks are frozen", async () => {
    const { seed, commitment } = roundRow(roundA);
    for (const body of await everyResponseAbout(roundA)) expect(body).not.toContain(seed);
    // Closing reveals the seed: it asks for the lead's second factor again, and without it nothing happens.
    const withoutCode = await lead.post(`/selection/${roundA}`, { intent: "close" });
    expect(withoutCode.status).toBe(400);
    expect(await withoutCode.text()).toContain("Enter the 6-digit code from your authenticator app");
    expect(roundRow(roundA).status).not.toBe("closed");
    const response = await lead.post(`/selection/${roundA}`, { intent: "close", code: await unusedCode(server.url, "lead@deepdive.test", DEMO_TOTP_SECRET) });
    expect(response.status).toBe(302);
    expect(roundRow(roundA).status).toBe("closed");
    const page = await pageText(`/selection/${roundA}?done=closed`);
    expect(page.text).toContain(seed);
    expect(page.text).toContain(commitment);
    const closed = auditFor(roundA).find((e) => e.action === "selection.round-closed")!;
    expect(JSON.parse(closed.summary)).toEqual({ commitment, seed });

    const late = await lead.post(`/selection/${roundA}`, { intent: "remove", removeTrustCode: picksOf(roundA)[0]!.trust_code, removeReason: "Too late" });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain("This round is closed");
  });

  it("verifies the closed round on the page and with the CLI (exit 0), listing the overrides apart", async () => {
    const drawnPicks = picksOf(roundA).filter((p) => p.kind !== "added").length;
    const page = await pageText(`/selection/${roundA}/verify`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("The draw is verified");
    expect(page.text).toContain("The revealed seed matches the commitment published when the round opened.");
    expect(page.text).toContain(`The draw reproduced every pick: all ${drawnPicks} of them, in the same order.`);
    expect(page.text).toContain("Whistleblowing concern received");

    const download = await lead.get(`/selection/${roundA}/snapshot`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("attachment");
    expect(await download.text()).toBe(roundRow(roundA).snapshot);

    const cli = await runVerifyCli([roundA]);
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("The seed matches the commitment.");
    expect(cli.stdout).toContain("The snapshot is the one recorded in the audit trail when the round was drawn.");
    expect(cli.stdout).toContain(`The draw reproduces all ${drawnPicks} picks`);
    expect(cli.stdout).toContain("Overrides after the draw (not differences): 4");
  });

  it("finds a pick changed in the database file, and says exactly where (page, and CLI exit 1)", async () => {
    const picks = picksOf(roundA);
    const target = picks.find((p) => p.draw_order === 3)!;
    const inRound = new Set(picks.map((p) => p.trust_code));
    const snapshot = parseSnapshot(roundRow(roundA).snapshot!);
    const intruder = snapshot.candidates.find((c) => !inRound.has(c.trustCode))!;
    withSqlite((db) => db.prepare("UPDATE selection_picks SET trust_code = ? WHERE id = ?").run(intruder.trustCode, target.id));

    const page = await pageText(`/selection/${roundA}/verify`);
    expect(page.text).toContain("The draw does not verify");
    expect(page.text).toContain("differs from the stored picks in 1 place.");
    expect(page.text).toMatch(new RegExp(`<th[^>]*>3</th><td[^>]*>[^<]*\\(${target.trust_code}\\)[^<]*</td><td[^>]*>[^<]*\\(${intruder.trustCode}\\)`));

    const cli = await runVerifyCli([roundA]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("The seed matches the commitment.");
    expect(cli.stdout).toContain("The draw differs from the stored picks in 1 place:");
    expect(cli.stdout).toMatch(new RegExp(`position 3: the draw gives ${target.trust_code} .*${target.kind}, stored ${intruder.trustCode} .*${target.kind}`));
  });

  it("finds a snapshot changed since the draw, even when the picks still match it", async () => {
    const round = roundRow(roundA);
    const snapshot = JSON.parse(round.snapshot!) as { takenAt: string };
    snapshot.takenAt = "2020-01-01T00:00:00.000Z";
    withSqlite((db) => db.prepare("UPDATE selection_rounds SET snapshot = ? WHERE id = ?").run(JSON.stringify(snapshot), roundA));
    const cli = await runVerifyCli([roundA]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("The snapshot does NOT match the one recorded in the audit trail");
    const page = await pageText(`/selection/${roundA}/verify`);
    expect(page.text).toContain("The stored snapshot does not match the one recorded in the audit trail");
  });

  it("finds a seed that does not match its commitment", async () => {
    withSqlite((db) => db.prepare("UPDATE selection_rounds SET seed = ? WHERE id = ?").run("ab".repeat(32), roundA));
    const cli = await runVerifyCli([roundA]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("The seed does NOT match the commitment.");
    const page = await pageText(`/selection/${roundA}/verify`);
    expect(page.text).toContain("The revealed seed does not match the commitment published when the round opened.");
  });

  it("exits 2 from the CLI for an unknown round or no round at all", async () => {
    const unknown = await runVerifyCli(["00000000-0000-4000-8000-000000000000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No selection round");
    expect((await runVerifyCli([])).code).toBe(2);
  });

  it("answers 404 for a round that does not exist", async () => {
    expect((await lead.get("/selection/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await lead.get("/selection/00000000-0000-4000-8000-000000000000/verify")).status).toBe(404);
    expect((await lead.post("/selection/00000000-0000-4000-8000-000000000000", { intent: "draw" })).status).toBe(404);
  });
});
