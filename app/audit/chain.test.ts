import { describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH, verifyChain, type ChainedAuditEvent } from "./chain";

function buildChain(n: number): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      occurredAt: `2026-03-12T09:00:0${seq % 10}.000Z`,
      actorUserId: "u1",
      actorLabel: "lead@deepdive.test",
      clientAddress: "127.0.0.1",
      action: "user.updated",
      objectType: "user",
      objectId: `u${seq}`,
      summary: JSON.stringify({ n: seq }),
    };
    const hash = chainHash(prev, content);
    events.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe("audit hash chain", () => {
  it("verifies an untouched chain", () => {
    const verdict = verifyChain(buildChain(5));
    expect(verdict).toMatchObject({ ok: true, checked: 5 });
  });

  it("detects a changed row and names it", () => {
    const events = buildChain(5);
    events[2] = { ...events[2]!, summary: JSON.stringify({ n: 999 }) };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3, checked: 2 });
  });

  it("detects a row whose hash was recomputed to cover a change, at the next link", () => {
    const events = buildChain(5);
    const changed = { ...events[2]!, actorLabel: "someone else" };
    changed.hash = chainHash(changed.prevHash, changed);
    events[2] = changed;
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it("detects a deleted row", () => {
    const events = buildChain(5);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringMatching(/missing/) });
  });

  it("hashes every field: changing any one changes the hash", () => {
    const [event] = buildChain(1);
    const fields = ["occurredAt", "actorUserId", "actorLabel", "clientAddress", "action", "objectType", "objectId", "summary"] as const;
    for (const field of fields) {
      expect(chainHash(GENESIS_HASH, { ...event!, [field]: "x" })).not.toBe(event!.hash);
    }
  });
});
