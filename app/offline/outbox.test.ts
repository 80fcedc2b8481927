import "fake-indexeddb/auto";
import { IDBDatabase, IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  backoffMs,
  clearAll,
  clearInspection,
  allFiles,
  countWaiting,
  enqueueEdit,
  enqueueEvidence,
  filesOf,
  refuseInspection,
  removeFile,
  type EvidenceEntry,
  type EvidenceSendResult,
  latestFieldsFor,
  OUTBOX_LOCK_NAME,
  openOutbox,
  pendingFor,
  removeFinding,
  replayOutbox,
  type FindingEdit,
  type Outbox,
  type OutboxEntry,
  type SendEntry,
  type SendResult,
} from "./outbox";

const T0 = new Date("2026-12-01T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const clockAt = (ms: number) => () => at(ms);

const edit = (findingId: string, observed: string, more: Partial<FindingEdit> = {}): FindingEdit => ({
  inspectionId: "insp-1",
  findingId,
  criterionId: 101,
  baseVersion: 3,
  fields: [
    ["rating", "good"],
    ["observed", observed],
  ],
  ...more,
});

const observedOf = (fields: [string, string][]) => fields.find(([name]) => name === "observed")?.[1];

type Failure = "offline" | "answer lost" | "none";

/**
 * A server that saves as saveFinding does: a save based on an older version is a conflict, and every key's outcome
 * is kept, so a key sent again gets its first answer and is never applied twice. `failures` makes the next requests
 * fail: "offline" never reaches it, "answer lost" is applied but the answer never comes back.
 */
function fakeServer(versions: Record<string, number>) {
  const current = new Map(Object.entries(versions));
  const outcomes = new Map<string, SendResult>();
  const requests: { findingId: string; key: string; baseVersion: number | null; observed: string | undefined }[] = [];
  const stored: { findingId: string; version: number; observed: string | undefined }[] = [];
  const failures: Failure[] = [];
  const goneInspections = new Set<string>();
  const send: SendEntry = async (entry) => {
    requests.push({ findingId: entry.findingId, key: entry.idempotencyKey, baseVersion: entry.baseVersion, observed: observedOf(entry.fields) });
    const failure = failures.shift() ?? "none";
    if (failure === "offline") return { outcome: "network" };
    if (goneInspections.has(entry.inspectionId)) return { outcome: "gone" };
    if (observedOf(entry.fields) === "INVALID") return { outcome: "invalid", message: "What was observed is not valid" };
    let outcome = outcomes.get(entry.idempotencyKey);
    if (!outcome) {
      const version = current.get(entry.findingId) ?? 0;
      if (entry.baseVersion !== version) {
        outcome = { outcome: "conflict", currentVersion: version };
      } else {
        current.set(entry.findingId, version + 1);
        stored.push({ findingId: entry.findingId, version: version + 1, observed: observedOf(entry.fields) });
        outcome = { outcome: "saved", version: version + 1 };
      }
      outcomes.set(entry.idempotencyKey, outcome);
    }
    return failure === "answer lost" ? { outcome: "network" } : outcome;
  };
  return { send, requests, stored, failures, goneInspections, current };
}

/** A Web Locks manager shared by "tabs" in a test: one holder of a name at a time, in the order asked. */
function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  const asked: string[] = [];
  const locks = {
    request: (name: string, callback: (lock: Lock | null) => unknown) => {
      asked.push(name);
      const run = (tails.get(name) ?? Promise.resolve()).then(() => callback({ name, mode: "exclusive" } as Lock));
      tails.set(name, run.catch(() => undefined));
      return run;
    },
    query: async () => ({ held: [], pending: [] }),
  } as LockManager;
  return { locks, asked };
}

let factory: IDBFactory;
let outbox: Outbox;
const opened: Outbox[] = [];
/** Another page (a tab, or the same tab after a reload) on the same browser storage. */
const openAnotherPage = async (locks: LockManager | null = null) => {
  const page = await openOutbox(factory, { locks });
  opened.push(page);
  return page;
};

beforeEach(async () => {
  factory = new IDBFactory();
  outbox = await openOutbox(factory, { locks: null });
  opened.push(outbox);
});
afterEach(() => {
  for (const page of opened.splice(0)) page.db.close();
});

describe("enqueueEdit", () => {
  it("keeps edits durably: a page opened afterwards finds them, in order", async () => {
    await enqueueEdit(outbox, edit("f1", "one"), T0);
    await enqueueEdit(outbox, edit("f2", "two", { criterionId: 102 }), at(1000));
    outbox.db.close();
    const reopened = await openAnotherPage();
    const entries = await pendingFor(reopened, "insp-1");
    expect(entries.map((e) => [e.findingId, e.criterionId, e.baseVersion, e.after, e.attempts, e.state, observedOf(e.fields)])).toEqual([
      ["f1", 101, 3, null, 0, "waiting", "one"],
      ["f2", 102, 3, null, 0, "waiting", "two"],
    ]);
    expect(entries[0]!.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(entries[0]!.createdAt).toBe(T0.toISOString());
    expect(entries[1]!.seq).toBeGreaterThan(entries[0]!.seq);
  });

  it("collapses edits of a finding not yet sent into its one entry: the same key and base, the newest fields", async () => {
    const first = await enqueueEdit(outbox, edit("f1", "a"), T0);
    await enqueueEdit(outbox, edit("f2", "x"), at(500));
    const last = await enqueueEdit(outbox, edit("f1", "abc", { baseVersion: 9 }), at(1000));
    expect(last.seq).toBe(first.seq);
    expect(last.idempotencyKey).toBe(first.idempotencyKey);
    const entries = await pendingFor(outbox, "insp-1");
    expect(entries.map((e) => [e.findingId, e.idempotencyKey, e.baseVersion, observedOf(e.fields), e.createdAt, e.updatedAt])).toEqual([
      ["f1", first.idempotencyKey, 3, "abc", T0.toISOString(), at(1000).toISOString()],
      ["f2", entries[1]!.idempotencyKey, 3, "x", at(500).toISOString(), at(500).toISOString()],
    ]);
    expect(await latestFieldsFor(outbox, "f1")).toEqual([
      ["rating", "good"],
      ["observed", "abc"],
    ]);
    expect(await latestFieldsFor(outbox, "f3")).toBeNull();

    const server = fakeServer({ f1: 3, f2: 3 });
    await replayOutbox(outbox, server.send, clockAt(2000));
    expect(server.requests).toEqual([
      { findingId: "f1", key: first.idempotencyKey, baseVersion: 3, observed: "abc" },
      { findingId: "f2", key: entries[1]!.idempotencyKey, baseVersion: 3, observed: "x" },
    ]);
  });

  it("does not keep the fields the outbox sets itself, nor a merge or a page move", async () => {
    const entry = await enqueueEdit(
      outbox,
      edit("f1", "a", {
        fields: [
          ["idempotencyKey", "from-the-form-0000000000"],
          ["baseVersion", "1"],
          ["mode", "autosave"],
          ["intent", "merge"],
          ["then", "next"],
          ["observed", "a"],
          ["indicator", "A1"],
          ["indicator", "A2"],
        ],
      }),
      T0,
    );
    expect(entry.fields).toEqual([
      ["observed", "a"],
      ["indicator", "A1"],
      ["indicator", "A2"],
    ]);
    expect(entry.idempotencyKey).not.toBe("from-the-form-0000000000");
  });
});

describe("replayOutbox", () => {
  it("sends entries in the order they were made, across findings, each once, with its own base and key, and removes them", async () => {
    const a = await enqueueEdit(outbox, edit("f2", "two", { baseVersion: 7 }), T0);
    const b = await enqueueEdit(outbox, edit("f1", "one", { baseVersion: 3 }), at(1));
    const c = await enqueueEdit(outbox, edit("f3", "three", { baseVersion: 0 }), at(2));
    const server = fakeServer({ f1: 3, f2: 7, f3: 0 });
    const summary = await replayOutbox(outbox, server.send, clockAt(10));
    expect(server.requests).toEqual([
      { findingId: "f2", key: a.idempotencyKey, baseVersion: 7, observed: "two" },
      { findingId: "f1", key: b.idempotencyKey, baseVersion: 3, observed: "one" },
      { findingId: "f3", key: c.idempotencyKey, baseVersion: 0, observed: "three" },
    ]);
    expect(new Set([a.idempotencyKey, b.idempotencyKey, c.idempotencyKey]).size).toBe(3);
    expect(summary).toEqual({ sent: 3, saved: 3, conflicts: 0, invalid: 0, waiting: 0, stoppedBy: null, clearedInspections: [], filesStored: 0, filesRefused: 0 });
    expect(await countWaiting(outbox)).toBe(0);
  });

  it("chains an edit made after a save was tried as a new entry, based on the version that save gives", async () => {
    const server = fakeServer({ f1: 3 });
    const first = await enqueueEdit(outbox, edit("f1", "a"), T0);
    server.failures.push("offline");
    expect((await replayOutbox(outbox, server.send, clockAt(0))).stoppedBy).toBe("network");

    const second = await enqueueEdit(outbox, edit("f1", "ab"), at(1000));
    expect(second.seq).not.toBe(first.seq);
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    expect([second.after, second.baseVersion]).toEqual([first.seq, null]);
    // The chained entry, not sent yet, takes later edits itself.
    const third = await enqueueEdit(outbox, edit("f1", "abc"), at(2000));
    expect([third.seq, third.idempotencyKey, third.after]).toEqual([second.seq, second.idempotencyKey, first.seq]);
    expect(await countWaiting(outbox)).toBe(2);

    const summary = await replayOutbox(outbox, server.send, clockAt(2000));
    expect(server.requests).toEqual([
      { findingId: "f1", key: first.idempotencyKey, baseVersion: 3, observed: "a" },
      { findingId: "f1", key: first.idempotencyKey, baseVersion: 3, observed: "a" },
      { findingId: "f1", key: second.idempotencyKey, baseVersion: 4, observed: "abc" },
    ]);
    expect(server.stored).toEqual([
      { findingId: "f1", version: 4, observed: "a" },
      { findingId: "f1", version: 5, observed: "abc" },
    ]);
    expect(summary).toMatchObject({ sent: 2, saved: 2, waiting: 0, stoppedBy: null });
  });

  it("retries with the same key after no connection, so a save whose answer was lost is stored once", async () => {
    const server = fakeServer({ f1: 3 });
    const entry = await enqueueEdit(outbox, edit("f1", "a"), T0);
    server.failures.push("answer lost");
    const summary = await replayOutbox(outbox, server.send, clockAt(0));
    expect(summary).toEqual({ sent: 1, saved: 0, conflicts: 0, invalid: 0, waiting: 1, stoppedBy: "network", clearedInspections: [], filesStored: 0, filesRefused: 0 });
    const [kept] = await pendingFor(outbox, "insp-1");
    expect(kept).toMatchObject({ seq: entry.seq, attempts: 1, nextAttemptAt: at(2000).toISOString(), lastError: "No connection to the server", state: "waiting" });

    expect(await replayOutbox(outbox, server.send, clockAt(2000))).toMatchObject({ sent: 1, saved: 1, waiting: 0 });
    expect(server.requests.map((r) => r.key)).toEqual([entry.idempotencyKey, entry.idempotencyKey]);
    expect(server.stored).toEqual([{ findingId: "f1", version: 4, observed: "a" }]);
    expect(await countWaiting(outbox)).toBe(0);
  });

  it("backs off 2 s, doubling, up to 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(backoffMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
    expect(backoffMs(0)).toBe(2_000);
    expect(backoffMs(5_000)).toBe(300_000);
  });

  it("does not send an entry before its next attempt is due, unless forced (Sync now)", async () => {
    const server = fakeServer({ f1: 3 });
    await enqueueEdit(outbox, edit("f1", "a"), T0);
    server.failures.push("offline", "offline");
    await replayOutbox(outbox, server.send, clockAt(0));
    expect((await pendingFor(outbox, "insp-1"))[0]!.nextAttemptAt).toBe(at(2_000).toISOString());

    expect(await replayOutbox(outbox, server.send, clockAt(1_999))).toMatchObject({ sent: 0, waiting: 1, stoppedBy: null });
    expect(server.requests).toHaveLength(1);

    expect(await replayOutbox(outbox, server.send, clockAt(2_000))).toMatchObject({ sent: 1, stoppedBy: "network" });
    expect((await pendingFor(outbox, "insp-1"))[0]).toMatchObject({ attempts: 2, nextAttemptAt: at(2_000 + 4_000).toISOString() });

    expect(await replayOutbox(outbox, server.send, clockAt(3_000))).toMatchObject({ sent: 0 });
    expect(await replayOutbox(outbox, server.send, clockAt(3_000), { force: true })).toMatchObject({ sent: 1, saved: 1, waiting: 0 });
    expect(server.requests).toHaveLength(3);
    expect(server.stored).toHaveLength(1);
  });

  it("stops when the connection drops mid-replay, then goes on from the entry that failed and never resends one saved", async () => {
    const server = fakeServer({ f1: 3, f2: 3, f3: 3 });
    const e1 = await enqueueEdit(outbox, edit("f1", "one"), T0);
    const e2 = await enqueueEdit(outbox, edit("f2", "two"), T0);
    const e3 = await enqueueEdit(outbox, edit("f3", "three"), T0);
    server.failures.push("none", "offline");

    const summary = await replayOutbox(outbox, server.send, clockAt(0));
    expect(summary).toEqual({ sent: 2, saved: 1, conflicts: 0, invalid: 0, waiting: 2, stoppedBy: "network", clearedInspections: [], filesStored: 0, filesRefused: 0 });
    const left = await pendingFor(outbox, "insp-1");
    expect(left.map((e) => [e.seq, e.attempts])).toEqual([
      [e2.seq, 1],
      [e3.seq, 0],
    ]);

    await replayOutbox(outbox, server.send, clockAt(60_000));
    expect(server.requests.map((r) => [r.findingId, r.key])).toEqual([
      ["f1", e1.idempotencyKey],
      ["f2", e2.idempotencyKey],
      ["f2", e2.idempotencyKey],
      ["f3", e3.idempotencyKey],
    ]);
    expect(server.stored.map((s) => [s.findingId, s.version])).toEqual([
      ["f1", 4],
      ["f2", 4],
      ["f3", 4],
    ]);
    expect(await countWaiting(outbox)).toBe(0);
  });

  it("keeps a conflict, which holds back the edits chained after it but not other findings", async () => {
    const server = fakeServer({ f1: 3, f2: 3 });
    const first = await enqueueEdit(outbox, edit("f1", "mine"), T0);
    server.failures.push("offline");
    await replayOutbox(outbox, server.send, clockAt(0));
    const chained = await enqueueEdit(outbox, edit("f1", "mine, more"), at(1_000));
    await enqueueEdit(outbox, edit("f2", "other finding"), at(1_000));
    // Someone else saves f1 meanwhile.
    server.current.set("f1", 4);

    const summary = await replayOutbox(outbox, server.send, clockAt(10_000));
    expect(summary).toEqual({ sent: 2, saved: 1, conflicts: 1, invalid: 0, waiting: 1, stoppedBy: null, clearedInspections: [], filesStored: 0, filesRefused: 0 });
    expect(server.requests.slice(1).map((r) => [r.findingId, r.observed])).toEqual([
      ["f1", "mine"],
      ["f2", "other finding"],
    ]);
    const left = await pendingFor(outbox, "insp-1");
    expect(left.map((e) => [e.seq, e.state, e.after, e.baseVersion, e.lastError])).toEqual([
      [first.seq, "conflict", null, 3, "Someone else saved this finding first: it is now at version 4"],
      [chained.seq, "waiting", first.seq, null, null],
    ]);
    // Nothing more is sent for f1 until the person deals with the conflict, which shows the newest text.
    expect(await replayOutbox(outbox, server.send, clockAt(600_000), { force: true })).toMatchObject({ sent: 0, waiting: 1 });
    expect(await latestFieldsFor(outbox, "f1")).toEqual([
      ["rating", "good"],
      ["observed", "mine, more"],
    ]);
    expect(await countWaiting(outbox)).toBe(2);

    await removeFinding(outbox, "f1");
    expect(await countWaiting(outbox)).toBe(0);
  });

  it("keeps a save the server refuses as invalid, with its message, and does not send it again", async () => {
    const server = fakeServer({ f1: 3, f2: 3 });
    await enqueueEdit(outbox, edit("f1", "INVALID"), T0);
    await enqueueEdit(outbox, edit("f2", "fine"), T0);
    expect(await replayOutbox(outbox, server.send, clockAt(0))).toMatchObject({ sent: 2, saved: 1, invalid: 1, waiting: 0 });
    expect(await pendingFor(outbox, "insp-1")).toMatchObject([{ findingId: "f1", state: "invalid", lastError: "What was observed is not valid", attempts: 1 }]);
    expect(await replayOutbox(outbox, server.send, clockAt(600_000), { force: true })).toMatchObject({ sent: 0 });
    expect(server.requests).toHaveLength(2);
  });

  it("removes every entry of an inspection no longer available to the person, and only that inspection's", async () => {
    const server = fakeServer({ f1: 3, f2: 3, f3: 3 });
    await enqueueEdit(outbox, edit("f1", "one"), T0);
    await enqueueEdit(outbox, edit("f3", "three", { inspectionId: "insp-2" }), T0);
    await enqueueEdit(outbox, edit("f2", "two"), T0);
    server.goneInspections.add("insp-1");

    const summary = await replayOutbox(outbox, server.send, clockAt(0));
    expect(summary).toEqual({ sent: 2, saved: 1, conflicts: 0, invalid: 0, waiting: 0, stoppedBy: null, clearedInspections: ["insp-1"], filesStored: 0, filesRefused: 0 });
    expect(server.requests.map((r) => r.findingId)).toEqual(["f1", "f3"]);
    expect(server.stored.map((s) => s.findingId)).toEqual(["f3"]);
    expect(await pendingFor(outbox, "insp-1")).toEqual([]);
    expect(await countWaiting(outbox)).toBe(0);
  });

  it("counts an attempt before sending: a send that throws is kept as a failed attempt", async () => {
    const entry = await enqueueEdit(outbox, edit("f1", "a"), T0);
    const summary = await replayOutbox(
      outbox,
      async () => {
        throw new TypeError("Failed to fetch");
      },
      clockAt(0),
    );
    expect(summary).toMatchObject({ sent: 1, saved: 0, waiting: 1, stoppedBy: "network" });
    expect(await pendingFor(outbox, "insp-1")).toMatchObject([{ seq: entry.seq, attempts: 1, lastError: "Failed to fetch", nextAttemptAt: at(2_000).toISOString() }]);
  });

  it("counts an attempt before sending: after a page dies mid-send, later edits do not change what may have reached the server", async () => {
    const first = await enqueueEdit(outbox, edit("f1", "a"), T0);
    let sending: (entry: OutboxEntry) => void = () => {};
    const sendStarted = new Promise<OutboxEntry>((resolve) => (sending = resolve));
    void replayOutbox(
      outbox,
      (entry) => {
        sending(entry);
        return new Promise<SendResult>(() => {});
      },
      clockAt(0),
    );
    expect((await sendStarted).attempts).toBe(1);

    // The page never hears back (it is closed, or the laptop sleeps): what is on disk already says it was tried.
    const reloaded = await openAnotherPage();
    expect(await pendingFor(reloaded, "insp-1")).toMatchObject([{ seq: first.seq, attempts: 1 }]);
    const second = await enqueueEdit(reloaded, edit("f1", "ab"), at(1_000));
    expect(second).toMatchObject({ after: first.seq, baseVersion: null });
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);

    const server = fakeServer({ f1: 3 });
    await replayOutbox(reloaded, server.send, clockAt(2_000));
    expect(server.requests).toEqual([
      { findingId: "f1", key: first.idempotencyKey, baseVersion: 3, observed: "a" },
      { findingId: "f1", key: second.idempotencyKey, baseVersion: 4, observed: "ab" },
    ]);
    expect(await countWaiting(reloaded)).toBe(0);
  });

  it("runs one replay at a time in a page: calls made meanwhile wait for it and share one follow-up, and nothing is sent twice", async () => {
    const server = fakeServer({ f1: 3, f2: 3 });
    await enqueueEdit(outbox, edit("f1", "one"), T0);
    await enqueueEdit(outbox, edit("f2", "two"), T0);
    let firstSendStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (firstSendStarted = resolve));
    const slowSend: SendEntry = async (entry) => {
      firstSendStarted();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return server.send(entry);
    };

    const online = replayOutbox(outbox, slowSend, clockAt(0));
    const sameMoment = replayOutbox(outbox, slowSend, clockAt(0));
    expect(sameMoment).toBe(online);
    await started;
    const syncNow = replayOutbox(outbox, slowSend, clockAt(0), { force: true });
    const alsoSyncNow = replayOutbox(outbox, slowSend, clockAt(0));
    expect(alsoSyncNow).toBe(syncNow);
    expect(syncNow).not.toBe(online);

    expect(await online).toMatchObject({ sent: 2, saved: 2 });
    expect(await syncNow).toMatchObject({ sent: 0, saved: 0, waiting: 0 });
    expect(server.requests.map((r) => r.findingId)).toEqual(["f1", "f2"]);
  });

  it("runs one replay at a time across tabs, through the Web Lock", async () => {
    const server = fakeServer({ f1: 3, f2: 3 });
    const { locks, asked } = fakeLocks();
    const tabA = await openAnotherPage(locks);
    const tabB = await openAnotherPage(locks);
    await enqueueEdit(tabA, edit("f1", "one"), T0);
    await enqueueEdit(tabB, edit("f2", "two"), T0);
    const slowSend: SendEntry = async (entry) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return server.send(entry);
    };

    const [a, b] = await Promise.all([replayOutbox(tabA, slowSend, clockAt(0)), replayOutbox(tabB, slowSend, clockAt(0))]);
    expect(asked).toEqual([OUTBOX_LOCK_NAME, OUTBOX_LOCK_NAME]);
    expect([a.sent, b.sent]).toEqual([2, 0]);
    expect(server.requests.map((r) => r.findingId)).toEqual(["f1", "f2"]);
  });

  it("writes with strict durability", async () => {
    const transaction = vi.spyOn(IDBDatabase.prototype, "transaction");
    const server = fakeServer({ f1: 3 });
    await enqueueEdit(outbox, edit("f1", "a"), T0);
    await enqueueEdit(outbox, edit("f1", "ab"), T0);
    await replayOutbox(outbox, server.send, clockAt(0));
    await removeFinding(outbox, "f1");
    await clearInspection(outbox, "insp-1");
    await clearAll(outbox);
    const writes = transaction.mock.calls.filter(([, mode]) => mode === "readwrite");
    expect(writes.length).toBeGreaterThanOrEqual(7);
    for (const [, , options] of writes) expect(options).toEqual({ durability: "strict" });
  });
});

describe("clearing", () => {
  it("clears one inspection's entries, or all of them", async () => {
    await enqueueEdit(outbox, edit("f1", "one"), T0);
    await enqueueEdit(outbox, edit("f2", "two"), T0);
    await enqueueEdit(outbox, edit("f3", "three", { inspectionId: "insp-2" }), T0);
    expect([await countWaiting(outbox), await countWaiting(outbox, "insp-1"), await countWaiting(outbox, "insp-2")]).toEqual([3, 2, 1]);

    await clearInspection(outbox, "insp-1");
    expect((await pendingFor(outbox, "insp-2")).map((e) => e.findingId)).toEqual(["f3"]);
    expect(await countWaiting(outbox)).toBe(1);

    await enqueueEdit(outbox, edit("f1", "again"), T0);
    await clearAll(outbox);
    expect(await countWaiting(outbox)).toBe(0);
  });
});

describe("evidence files kept offline", () => {
  const photo = (findingId: string, name: string, inspectionId = "insp-1") => ({
    inspectionId,
    findingId,
    criterionId: 7,
    name,
    file: new Blob([`bytes of ${name}`], { type: "image/jpeg" }),
    capturedAt: String(T0.getTime()),
  });
  /** A server that stores each key once and answers a retry with the first outcome. */
  function fileServer() {
    const stored: string[] = [];
    const byKey = new Map<string, EvidenceSendResult>();
    const requests: string[] = [];
    let failNext: "none" | "no connection" | "answer lost" = "none";
    const sendEvidence = async (entry: EvidenceEntry): Promise<EvidenceSendResult> => {
      requests.push(entry.name);
      const failure = failNext;
      failNext = "none";
      if (failure === "no connection") return { outcome: "network" };
      let outcome = byKey.get(entry.clientKey);
      if (!outcome) {
        outcome = entry.name.endsWith(".exe") ? { outcome: "refused", message: "The selected file must be a photo" } : { outcome: "stored" };
        if (outcome.outcome === "stored") stored.push(`${entry.findingId}:${entry.name}:${await entry.file.text()}`);
        byKey.set(entry.clientKey, outcome);
      }
      return failure === "answer lost" ? { outcome: "network" } : outcome;
    };
    return { sendEvidence, stored, requests, fail: (how: typeof failNext) => (failNext = how) };
  }

  it("keeps files with their bytes, sends them after the edits in the order kept, each once, and counts them as waiting", async () => {
    const server = fakeServer({ f1: 3 });
    const files = fileServer();
    await enqueueEvidence(outbox, photo("f1", "rack.jpg"), T0);
    await enqueueEdit(outbox, edit("f1", "note"), T0);
    await enqueueEvidence(outbox, photo("f2", "cabinet.jpg"), T0);
    expect(await countWaiting(outbox)).toBe(3);
    const reopened = await openAnotherPage();
    expect((await filesOf(reopened, "f1")).map((f) => [f.name, f.sizeBytes])).toEqual([["rack.jpg", "bytes of rack.jpg".length]]);

    const summary = await replayOutbox(reopened, server.send, clockAt(0), { sendEvidence: files.sendEvidence });
    expect(server.requests.map((r) => r.observed)).toEqual(["note"]);
    expect(files.requests).toEqual(["rack.jpg", "cabinet.jpg"]);
    expect(files.stored).toEqual(["f1:rack.jpg:bytes of rack.jpg", "f2:cabinet.jpg:bytes of cabinet.jpg"]);
    expect(summary).toMatchObject({ sent: 3, saved: 1, filesStored: 2, filesRefused: 0, waiting: 0, stoppedBy: null });
    expect(await countWaiting(reopened)).toBe(0);
  });

  it("sends a file again with the same key after its answer was lost, so it is stored once; backs off after no connection", async () => {
    const server = fakeServer({});
    const files = fileServer();
    const kept = await enqueueEvidence(outbox, photo("f1", "rack.jpg"), T0);
    files.fail("answer lost");
    const first = await replayOutbox(outbox, server.send, clockAt(0), { sendEvidence: files.sendEvidence });
    expect(first).toMatchObject({ filesStored: 0, stoppedBy: "network", waiting: 1 });
    const [waiting] = await allFiles(outbox);
    expect(waiting).toMatchObject({ clientKey: kept.clientKey, attempts: 1, nextAttemptAt: at(backoffMs(1)).toISOString() });
    // Not before its back-off.
    expect(await replayOutbox(outbox, server.send, clockAt(1_000), { sendEvidence: files.sendEvidence })).toMatchObject({ sent: 0 });
    const second = await replayOutbox(outbox, server.send, clockAt(backoffMs(1)), { sendEvidence: files.sendEvidence });
    expect(second).toMatchObject({ filesStored: 1, waiting: 0 });
    expect(files.requests).toEqual(["rack.jpg", "rack.jpg"]);
    expect(files.stored).toEqual(["f1:rack.jpg:bytes of rack.jpg"]);
  });

  it("keeps a file the server refuses, with its reason, until the person removes it; a refused inspection's waiting files are kept the same way", async () => {
    const server = fakeServer({});
    const files = fileServer();
    const refused = await enqueueEvidence(outbox, photo("f1", "tool.exe"), T0);
    await replayOutbox(outbox, server.send, clockAt(0), { sendEvidence: files.sendEvidence });
    expect(await allFiles(outbox)).toMatchObject([{ seq: refused.seq, state: "refused", lastError: "The selected file must be a photo" }]);
    // Not sent again.
    await replayOutbox(outbox, server.send, clockAt(60_000), { sendEvidence: files.sendEvidence, force: true });
    expect(files.requests).toEqual(["tool.exe"]);

    await enqueueEvidence(outbox, photo("f2", "late.jpg"), T0);
    await enqueueEdit(outbox, edit("f2", "late note"), T0);
    await enqueueEvidence(outbox, photo("f9", "other.jpg", "insp-2"), T0);
    expect(await refuseInspection(outbox, "insp-1", "submitted first")).toBe(2);
    expect((await allFiles(outbox)).map((f) => [f.name, f.state])).toEqual([
      ["tool.exe", "refused"],
      ["late.jpg", "refused"],
      ["other.jpg", "waiting"],
    ]);
    expect((await pendingFor(outbox, "insp-1")).map((e) => [e.state, e.lastError])).toEqual([["invalid", "submitted first"]]);
    await removeFile(outbox, refused.seq);
    await clearInspection(outbox, "insp-1");
    expect((await allFiles(outbox)).map((f) => f.name)).toEqual(["other.jpg"]);
    await clearAll(outbox);
    expect(await countWaiting(outbox)).toBe(0);
  });
});
