/**
 * The selection draw's random numbers: a deterministic generator keyed by the round's secret seed, so that
 * anyone given the seed (revealed when the round closes) can produce exactly the same numbers.
 *
 * Exactly, so it can be re-implemented in any language (docs/selection.md has test vectors):
 *
 * 1. The seed is 32 bytes, written as 64 lowercase hexadecimal characters. The HMAC key is the 32 raw bytes
 *    (the hex decoded), not the hex text.
 * 2. The commitment published when a round opens is SHA-256 of those same 32 raw bytes, in lowercase hex.
 * 3. Numbers come in independent numbered streams (0 = the risk-weighted draw, 1 = the validation sample).
 *    The i-th number (i = 0, 1, 2, …) of stream s uses the 64-bit counter c = s × 2^32 + i, written as
 *    8 bytes big-endian (so the first 4 bytes are the stream and the last 4 the index).
 * 4. block = HMAC-SHA256(key = seed bytes, message = those 8 counter bytes) — 32 bytes.
 * 5. n = the first 8 bytes of the block read as an unsigned 64-bit big-endian integer, shifted right by
 *    11 bits: a 53-bit integer, 0 ≤ n < 2^53.
 * 6. u = n / 2^53, a double in [0, 1) that is exact (every 53-bit integer is a double). If n is 0, u would
 *    be 0, and the number is taken from the NEXT block instead (counter index + 1), and so on; every later
 *    number of that stream then moves along by one too. So u is always in (0, 1). (The chance of n = 0 is
 *    2^-53 per number: it is defined, not expected.)
 *
 * Streams are read in order: a stream's numbers are the blocks i = 0, 1, 2, … with the zero blocks skipped.
 */
import { createHash, createHmac } from "node:crypto";

/** The random streams, numbered. A new use of randomness must get a new number, never share one. */
export const STREAMS = {
  /** The risk-weighted draw (Efraimidis–Spirakis keys, one number per candidate). */
  draw: 0,
  /** The uniform validation sample from the low-risk bands (one number per candidate). */
  validation: 1,
  /** The visit planner's seeded variation (app/scheduling/planner.ts), keyed by a schedule's own secret seed. */
  planner: 2,
} as const;

const SEED_HEX = /^[0-9a-f]{64}$/;

/** Whether a string is a seed as stored: 64 lowercase hexadecimal characters (32 bytes). */
export function isSeedHex(seed: string): boolean {
  return SEED_HEX.test(seed);
}

function seedBytes(seed: string): Buffer {
  if (!isSeedHex(seed)) throw new Error("A seed is 64 lowercase hexadecimal characters");
  return Buffer.from(seed, "hex");
}

/** The commitment to a seed: SHA-256 of its 32 raw bytes, lowercase hex. Published before the draw. */
export function commitmentFor(seed: string): string {
  return createHash("sha256").update(seedBytes(seed)).digest("hex");
}

const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;

/** The 8 counter bytes for the i-th block of stream s: s × 2^32 + i, big-endian. */
export function counterBytes(stream: number, index: number): Buffer {
  if (!Number.isInteger(stream) || stream < 0 || stream >= TWO_POW_32) throw new Error("stream out of range");
  if (!Number.isInteger(index) || index < 0 || index >= TWO_POW_32) throw new Error("index out of range");
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(stream, 0);
  bytes.writeUInt32BE(index, 4);
  return bytes;
}

/** The 53-bit integer n of block i of stream s (before the skip of zeros): exposed for test vectors. */
export function block53(seed: string, stream: number, index: number): number {
  const block = createHmac("sha256", seedBytes(seed)).update(counterBytes(stream, index)).digest();
  // The top 53 of the first 64 bits: all 32 of the first word and the top 21 of the second.
  return block.readUInt32BE(0) * 2 ** 21 + (block.readUInt32BE(4) >>> 11);
}

/** A stream of uniform doubles in (0, 1), as described above. */
export interface UniformStream {
  /** The next number of the stream. */
  next(): number;
}

export function uniformStream(seed: string, stream: number): UniformStream {
  const key = seedBytes(seed);
  let index = 0;
  return {
    next() {
      for (;;) {
        const block = createHmac("sha256", key).update(counterBytes(stream, index)).digest();
        index += 1;
        const n = block.readUInt32BE(0) * 2 ** 21 + (block.readUInt32BE(4) >>> 11);
        if (n !== 0) return n / TWO_POW_53;
      }
    },
  };
}

/** The first `count` numbers of a stream. */
export function uniforms(seed: string, stream: number, count: number): number[] {
  const s = uniformStream(seed, stream);
  return Array.from({ length: count }, () => s.next());
}
