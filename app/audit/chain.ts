/**
 * The audit hash chain (pure). Each event's hash is SHA-256 over the previous event's hash and a canonical
 * encoding of the event's own content, so editing, inserting or deleting a row breaks every later link.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditContent {
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  actorLabel: string;
  clientAddress: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  summary: string;
}

export interface ChainedAuditEvent extends AuditContent {
  prevHash: string;
  hash: string;
}

/** A fixed field order, so the same content always hashes the same way. */
function canonical(content: AuditContent): string {
  return JSON.stringify([
    content.seq,
    content.occurredAt,
    content.actorUserId,
    content.actorLabel,
    content.clientAddress,
    content.action,
    content.objectType,
    content.objectId,
    content.summary,
  ]);
}

export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash("sha256").update(prevHash).update("\n").update(canonical(content)).digest("hex");
}

export type ChainVerdict =
  | { ok: true; checked: number; headHash: string }
  | { ok: false; checked: number; brokenAt: number; reason: string };

/**
 * Checks a run of events in sequence order. `expectPrev` is the hash before the first event (the genesis
 * hash when starting from the beginning). Reports the first broken link.
 */
export function verifyChain(
  events: Iterable<ChainedAuditEvent>,
  expectPrev: string = GENESIS_HASH,
  expectSeq = 1,
): ChainVerdict {
  let prev = expectPrev;
  let seq = expectSeq;
  let checked = 0;
  for (const event of events) {
    if (event.seq !== seq) {
      return { ok: false, checked, brokenAt: event.seq, reason: `expected event ${seq}, found ${event.seq} (a row is missing)` };
    }
    if (event.prevHash !== prev) {
      return { ok: false, checked, brokenAt: event.seq, reason: "its previous-hash does not match the event before it" };
    }
    if (chainHash(event.prevHash, event) !== event.hash) {
      return { ok: false, checked, brokenAt: event.seq, reason: "its content does not match its hash (the row was changed)" };
    }
    prev = event.hash;
    seq += 1;
    checked += 1;
  }
  return { ok: true, checked, headHash: prev };
}
