/**
 * "Make available offline" in the browser (docs/decisions/0020-offline-browser-storage.md): asks the server what to
 * keep of an inspection (/inspections/:id/offline.json, for its team only), registers the service worker
 * (public/service-worker.js) and has it fetch and keep those pages, then remembers when, so the page can say
 * "Prepared for offline use at 10:42". The record is in localStorage, which sign-out clears with the rest
 * (Clear-Site-Data "storage"). No React here: the panel (offline-panel.tsx) calls it.
 */

export interface PreparedRecord {
  inspectionId: string;
  /** When the server gave the plan (ISO 8601). */
  preparedAt: string;
  /** Pages kept (each with its data), and the addresses the worker could not fetch. */
  pages: number;
  failed: string[];
}

interface Plan {
  inspectionId: string;
  preparedAt: string;
  pages: string[];
  data: string[];
}

const STORAGE_KEY = "deep-dive-offline-prepared";

/** Something in the way of preparing, in plain English for the page. */
export class PrepareError extends Error {}

function readAll(): Record<string, PreparedRecord> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, PreparedRecord>) : {};
  } catch {
    return {};
  }
}

/** Whether this browser has prepared any inspection (nothing offline is opened or stored before one is). */
export function anyPrepared(): boolean {
  return Object.keys(readAll()).length > 0;
}

/** The inspections this browser has prepared. */
export function preparedInspectionIds(): string[] {
  return Object.keys(readAll());
}

/** When this browser last prepared the inspection, if it has. */
export function preparedRecord(inspectionId: string): PreparedRecord | null {
  return readAll()[inspectionId] ?? null;
}

/** Whether this browser can work offline at all (a service worker needs a secure context: HTTPS or this machine). */
export function offlineSupported(): boolean {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator && typeof caches !== "undefined" && window.isSecureContext;
}

/** The worker's answer to a message, on a channel of its own. */
function ask<T>(worker: ServiceWorker, message: unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new PrepareError("The browser took too long to keep the pages: try again")), timeoutMs);
    channel.port1.onmessage = (event: MessageEvent<T>) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/** Prepares the inspection for offline use in this browser; resolves with what was kept. */
export async function prepareInspection(inspectionId: string): Promise<PreparedRecord> {
  if (!offlineSupported()) throw new PrepareError("This browser cannot keep pages for offline use here");
  const response = await fetch(`/inspections/${encodeURIComponent(inspectionId)}/offline.json`, { credentials: "same-origin", cache: "no-store" }).catch(() => {
    throw new PrepareError("There is no connection: prepare the inspection while you are online");
  });
  if (!response.ok) throw new PrepareError("The inspection cannot be prepared: only its team can, while the findings are being recorded");
  const plan = (await response.json()) as Plan;
  await navigator.serviceWorker.register("/service-worker.js", { scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) throw new PrepareError("The browser did not start offline support: reload the page and try again");
  const answer = await ask<{ type: string; stored?: string[]; failed?: string[] }>(worker, { type: "prepare", urls: [...plan.pages, ...plan.data] }, 120_000);
  if (answer.type !== "prepared") throw new PrepareError("The pages could not be kept: try again");
  const stored = new Set(answer.stored ?? []);
  const record: PreparedRecord = { inspectionId, preparedAt: plan.preparedAt, pages: plan.pages.filter((page) => stored.has(page)).length, failed: answer.failed ?? [] };
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...readAll(), [inspectionId]: record }));
  return record;
}

/**
 * Forgets an inspection this browser prepared: the worker drops its pages and the record goes. Whatever happens to
 * the worker (not running, gone), the record goes, so nothing claims the pages are kept.
 */
export async function forgetPrepared(inspectionId: string): Promise<void> {
  const { [inspectionId]: _forgotten, ...rest } = readAll();
  localStorage.setItem(STORAGE_KEY, JSON.stringify(rest));
  const worker = offlineSupported() ? (await navigator.serviceWorker.getRegistration("/"))?.active : undefined;
  if (worker) await ask(worker, { type: "forget", prefix: `/inspections/${inspectionId}` }, 30_000).catch(() => undefined);
}
