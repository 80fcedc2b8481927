/** Appends events to the audit chain, always inside the caller's write transaction. */
import { asc, desc, gte } from "drizzle-orm";
import { auditEvents } from "../../db/schema";
import type { Db, Tx } from "../db.server";
import { GENESIS_HASH, chainHash, verifyChain, type ChainVerdict } from "./chain";

export interface Actor {
  userId: string | null;
  /** Who it was, as a person reads it: an email address, or "system", or "anonymous". */
  label: string;
  clientAddress: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: "system", clientAddress: null };

export interface AuditEntry {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  /** What changed, as a small JSON-serialisable object. Never passwords or session ids. */
  summary?: Record<string, unknown>;
}

const MAX_SUMMARY_CHARS = 8000;

export function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry, now: Date = new Date()) {
  const last = tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .get();
  let summary = JSON.stringify(entry.summary ?? {});
  if (summary.length > MAX_SUMMARY_CHARS) summary = JSON.stringify({ truncated: summary.slice(0, MAX_SUMMARY_CHARS) });
  const content = {
    seq: (last?.seq ?? 0) + 1,
    occurredAt: now.toISOString(),
    actorUserId: actor.userId,
    actorLabel: actor.label,
    clientAddress: actor.clientAddress,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    summary,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  tx.insert(auditEvents)
    .values({ ...content, prevHash, hash: chainHash(prevHash, content) })
    .run();
}

/** Walks the whole chain in pages, so a long trail does not have to fit in memory. */
export function verifyAuditChain(db: Db, pageSize = 5000): ChainVerdict {
  let prev = GENESIS_HASH;
  let nextSeq = 1;
  let checked = 0;
  for (;;) {
    const page = db.select().from(auditEvents).where(gte(auditEvents.seq, nextSeq)).orderBy(asc(auditEvents.seq)).limit(pageSize).all();
    if (page.length === 0) return { ok: true, checked, headHash: prev };
    const verdict = verifyChain(page, prev, nextSeq);
    if (!verdict.ok) return { ...verdict, checked: checked + verdict.checked };
    checked += verdict.checked;
    prev = verdict.headHash;
    nextSeq += page.length;
  }
}
