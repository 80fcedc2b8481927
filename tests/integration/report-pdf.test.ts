/**
 * The PDF report (issue 6): an approved inspection made through the domain functions, with findings that name people
 * and places in Welsh, Polish and Greek and contain characters DejaVu Sans cannot draw, rendered by renderReportPdf
 * (in a worker) and read back with pdfjs-dist, an independent PDF reader:
 *
 * - the text has the trust's name, every criterion id in scope and the names as typed; the characters the font lacks
 *   are replaced by "�", not dropped, and nothing crashes;
 * - the PDF is tagged (MarkInfo /Marked true, a structure tree with headings, paragraphs, tables with header cells and
 *   figures with alternative text), in en-GB, with its title shown by viewers; the protective marking (top and foot)
 *   and "Page N of M" are on every page, as artefacts; a draft has DRAFT on every page;
 * - the same inspection and options give the same bytes, in the worker and in this thread alike;
 * - a 50,000-character word renders in under 2 s or fails cleanly (ReportRenderError), without blocking this thread;
 * - the staff preview over HTTP: the team, programme leads and admins get a DRAFT PDF with its RFC 6266 name, trust
 *   users and other inspectors 404; the server answers /healthz while it renders.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { reportContentDisposition, reportFileName } from "../../app/reports/filename";
import type { ReportModel } from "../../app/reports/report-model";
import { renderModelInWorker, renderModelToPdf, renderReportPdf, reportModelFor, ReportRenderError } from "../../app/reports/render.server";
import { queryDatabase, useFreshDatabase } from "../support/database";
import { Client, signedIn } from "../support/http";
import { approvedInspection, type ApprovedInspection, type FindingPlan } from "../support/inspections";
import { readPdf, squash, structNodes, type ReadPdf } from "../support/pdf";
import { startServer, type RunningServer } from "../support/server";

const PUBLISHED_AT = "2027-01-15T10:30:00.000Z";
const NAMES = ["Llanelli Ŵyr", "Łukasz", "Ελένη"];
/** A CJK ideograph and an emoji that DejaVu Sans has no glyph for. */
const MISSING = ["中", "🦠"];

const observation = (code: string) =>
  code === "A1.a"
    ? "We met Łukasz Nowak and Ελένη Παπαδοπούλου at the Llanelli Ŵyr clinic."
    : code === "A1.b"
      ? `The sign on the server room read ${MISSING[0]} and ${MISSING[1]} in the rota.`
      : `What was seen for ${code}.`;

/** Every criterion's finding written in full, with every fourth a gap (a severity, a recommendation and a due date). */
const findings: FindingPlan = (code, index) => {
  const gap = index % 4 === 1;
  return {
    chosenRating: gap ? "not_achieved" : "achieved",
    observed: observation(code),
    evidenceDocuments: `Policy pack for ${code}`,
    evidencePeople: "Head of cyber security",
    severity: gap ? "high" : null,
    recommendation: gap ? `Put ${code} right.` : "",
    actionDue: gap ? "2027-06-30" : null,
  };
};

describe("the report PDF of an approved inspection", () => {
  let db: Db;
  let approved: ApprovedInspection;
  let pdf: Buffer;
  let read: ReadPdf;

  beforeAll(async () => {
    ({ db } = useFreshDatabase());
    approved = approvedInspection(db, { findings });
    expect(approved.criterionCodes).toHaveLength(49);
    pdf = await renderReportPdf(approved.inspectionId, { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db);
    read = await readPdf(pdf);
  });

  it("is a PDF that pdfjs reads, with the trust's name, every criterion id in scope and the names as typed", () => {
    expect(pdf.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    const text = squash(read.text);
    expect(text).toContain(approved.trustName);
    expect(text).toContain(approved.trustCode);
    for (const code of approved.criterionCodes) expect(text, code).toContain(`${code} `);
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain("We met Łukasz Nowak and Ελένη Παπαδοπούλου at the Llanelli Ŵyr clinic.");
  });

  it("prints a character the font lacks as a visible replacement, never dropping it silently", () => {
    const text = squash(read.text);
    for (const c of MISSING) expect(text).not.toContain(c);
    expect(text).toContain("The sign on the server room read \ufffd and \ufffd in the rota.");
  });

  it("is tagged: marked, with a structure tree of headings, paragraphs, tables with header cells and figures with alternative text", () => {
    expect(read.markInfo?.Marked).toBe(true);
    const bytes = pdf.toString("latin1");
    expect(bytes).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(bytes).toMatch(/\/Marked true/);
    expect(bytes).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(bytes).toContain("/Lang (en-GB)");
    expect(bytes).toMatch(/\/DisplayDocTitle true/);
    expect(read.info).toMatchObject({ Language: "en-GB", Author: "Care Quality Commission", CreationDate: "D:20270115103000Z", ModDate: "D:20270115103000Z" });
    expect(read.info.Title).toBe(`${approved.trustName} (${approved.trustCode}): cyber security deep-dive inspection report, version 1`.replaceAll("&", "and"));
    const nodes = read.pages.flatMap((p) => structNodes(p.structTree));
    const roles = new Set(nodes.map((n) => n.role));
    for (const role of ["Document", "Sect", "H1", "H2", "H3", "H4", "H5", "H6", "P", "Table", "Caption", "THead", "TBody", "TR", "TH", "TD", "Figure"]) expect(roles, role).toContain(role);
    const figures = nodes.filter((n) => n.role === "Figure");
    expect(figures.length).toBeGreaterThanOrEqual(2);
    for (const figure of figures) expect(figure.alt).toMatch(/^Bar chart of .*\d/);
    expect(figures.map((f) => f.alt).join(" ")).toMatch(/A Managing security risk \(7 criteria\): \d+ achieved/);
  });

  it("has the protective marking at the top and foot of every page, and Page N of M, all as artefacts", () => {
    const count = read.pages.length;
    expect(count).toBeGreaterThan(5);
    read.pages.forEach((page, i) => {
      expect(page.artefacts.match(/OFFICIAL-SENSITIVE/g), `page ${i + 1}`).toHaveLength(2);
      expect(squash(page.artefacts)).toContain(`Page ${i + 1} of ${count}`);
      expect(page.content).not.toMatch(/Page \d+ of \d+/);
      expect(page.artefacts).not.toContain("DRAFT");
    });
  });

  it("gives the same bytes for the same inspection and options, in the worker and in this thread; another date gives others", async () => {
    const again = await renderReportPdf(approved.inspectionId, { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db);
    expect(again.equals(pdf)).toBe(true);
    const model = reportModelFor(approved.inspectionId, { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db);
    expect(renderModelToPdf(model).equals(pdf)).toBe(true);
    // The file identifier is the model's hash, not pdfkit's random-looking one.
    const id = createHash("sha256").update(JSON.stringify(model)).digest().subarray(0, 16).toString("hex");
    expect(pdf.toString("latin1")).toContain(`/ID [<${id}> <${id}>]`);
    const later = await renderReportPdf(approved.inspectionId, { version: 1, publishedAt: "2027-01-16T10:30:00.000Z", draft: false }, db);
    expect(later.equals(pdf)).toBe(false);
  });

  it("marks a draft DRAFT on every page, as an artefact", async () => {
    const draft = await readPdf(await renderReportPdf(approved.inspectionId, { version: 2, publishedAt: PUBLISHED_AT, draft: true }, db));
    for (const page of draft.pages) expect(page.artefacts).toContain("DRAFT");
    expect(squash(draft.pages[0]!.content)).toContain("Version 2 (draft)");
  });

  it("fails cleanly with a ReportRenderError when the worker cannot draw the model", async () => {
    const model = reportModelFor(approved.inspectionId, { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db);
    const broken = { ...model, meta: { ...model.meta, createdAt: "not a date" } };
    const error = await renderModelInWorker(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportRenderError);
    expect((error as ReportRenderError).reason).toBe("failed");
    await expect(renderReportPdf("no-such-inspection", { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db)).rejects.toMatchObject({ name: "ReportRenderError", reason: "not-found" });
  });

  it("renders a finding with a 50,000-character word in under 2 s, or fails cleanly, without blocking this thread", async () => {
    const findingId = approved.findings.get("B2.a")!;
    const word = "Ŵ".repeat(50_000);
    // Past the finding page's own limit: straight into the database, as damaged or imported data might be.
    db.$client.prepare("UPDATE findings SET observed = ? WHERE id = ?").run(`Before ${word} after`, findingId);
    // What renderReportPdf does, with the drawing (in the worker) timed on its own.
    const model = reportModelFor(approved.inspectionId, { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    const started = performance.now();
    const outcome = await renderModelInWorker(model, 2_000).then(
      (bytes) => ({ ok: true as const, bytes }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    if (outcome.ok) {
      expect(elapsed).toBeLessThan(2_000);
      const text = squash((await readPdf(outcome.bytes)).text);
      expect(text).toContain("Before ŴŴŴŴ");
      expect(text).toContain("more characters not shown]");
    } else {
      expect(outcome.error).toBeInstanceOf(ReportRenderError);
      expect((outcome.error as ReportRenderError).reason).toBe("timeout");
      expect(elapsed).toBeLessThan(3_500);
    }
    // The test's own thread kept running while the worker drew.
    expect(ticks).toBeGreaterThan(0);
  });

  it("stops a render that runs past its time limit, with a ReportRenderError, and goes on serving", async () => {
    // A model not made by buildReportModel: one paragraph of a 50,000-character word with no break opportunities,
    // which pdfkit lays out in time quadratic in its length.
    const model = reportModelFor(approved.inspectionId, { version: 1, publishedAt: PUBLISHED_AT, draft: false }, db);
    const raw: ReportModel = { ...model, sections: [{ id: "findings", newPage: true, blocks: [{ kind: "paragraph", text: "x".repeat(50_000) }] }] };
    const started = performance.now();
    const outcome = await renderModelInWorker(raw, 1_500).then(
      () => "rendered",
      (error: unknown) => error,
    );
    const elapsed = performance.now() - started;
    if (outcome === "rendered") expect(elapsed).toBeLessThan(2_000);
    else {
      expect(outcome).toBeInstanceOf(ReportRenderError);
      expect((outcome as ReportRenderError).reason).toBe("timeout");
      expect(elapsed).toBeLessThan(3_500);
    }
    // And the next render works.
    expect((await renderModelInWorker(model)).subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
  });
});

describe("the staff preview of the report over HTTP", () => {
  let server: RunningServer;
  let inspectionId = "";
  let trustCode = "";
  let visitDate = "";
  let teamEmail = "";
  let otherInspectorEmail = "";

  beforeAll(async () => {
    server = await startServer();
    // The demo's inspection on site, led by inspector1.
    const [row] = queryDatabase<{ id: string; trustCode: string; visitDate: string; visitId: string }>(
      server.databaseFile,
      "SELECT i.id, i.trust_code AS trustCode, v.visit_date AS visitDate, v.id AS visitId FROM inspections i JOIN visits v ON v.id = i.visit_id WHERE i.status = 'on_site'",
    );
    inspectionId = row!.id;
    trustCode = row!.trustCode;
    visitDate = row!.visitDate;
    teamEmail = queryDatabase<{ email: string }>(server.databaseFile, "SELECT u.email FROM visit_team_members m JOIN users u ON u.id = m.inspector_id WHERE m.visit_id = ? AND m.role = 'lead'", row!.visitId)[0]!.email;
    otherInspectorEmail = queryDatabase<{ email: string }>(
      server.databaseFile,
      "SELECT email FROM users WHERE role = 'inspector' AND id NOT IN (SELECT inspector_id FROM visit_team_members WHERE visit_id = ?) ORDER BY email LIMIT 1",
      row!.visitId,
    )[0]!.email;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const url = () => `/inspections/${inspectionId}/report.pdf`;

  it.each(["team", "lead@deepdive.test", "admin@deepdive.test"])("gives %s a DRAFT PDF with the server's RFC 6266 name, and audits the view", async (who) => {
    const client = await signedIn(server.url, who === "team" ? teamEmail : who);
    const response = await client.get(url());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const name = reportFileName({ odsCode: trustCode, visitDate, version: 1, draft: true });
    expect(name).toBe(`${trustCode}-deep-dive-${visitDate}-v1-draft.pdf`);
    expect(response.headers.get("content-disposition")).toBe(reportContentDisposition(name));
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
    const read = await readPdf(bytes);
    for (const page of read.pages) expect(page.artefacts).toContain("DRAFT");
    const audit = new Database(server.databaseFile, { readonly: true });
    try {
      const views = audit
        .prepare("SELECT summary FROM audit_events WHERE action = 'inspection.viewed' AND object_id = ? AND actor_label = ?")
        .all(inspectionId, who === "team" ? teamEmail : who) as { summary: string }[];
      expect(views.some((v) => JSON.parse(v.summary).page === "report-preview")).toBe(true);
    } finally {
      audit.close();
    }
  });

  it("answers 404 to a trust user and to an inspector not on the team, and to a POST", async () => {
    for (const email of ["trust.rj1@deepdive.test", otherInspectorEmail]) {
      const client = await signedIn(server.url, email);
      const response = await client.get(url());
      expect(response.status, email).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    const lead = await signedIn(server.url, "lead@deepdive.test");
    expect((await lead.post(url(), {})).status).toBe(404);
    expect((await new Client(server.url).get(url())).status).toBe(302);
  });

  it("keeps answering /healthz while it renders", async () => {
    const lead = await signedIn(server.url, "lead@deepdive.test");
    let done = false;
    const preview = lead.get(url()).then(async (r) => {
      await r.arrayBuffer();
      done = true;
      return r.status;
    });
    const answers: { status: number; ms: number; duringRender: boolean }[] = [];
    while (!done) {
      const started = performance.now();
      const health = await fetch(`${server.url}/healthz`);
      await health.arrayBuffer();
      answers.push({ status: health.status, ms: performance.now() - started, duringRender: !done });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await preview).toBe(200);
    expect(answers.filter((a) => a.duringRender).length).toBeGreaterThan(0);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.ms).toBeLessThan(1_000);
    }
  });
});
