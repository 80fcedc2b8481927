/// <reference lib="webworker" />
/**
 * The service worker that lets the findings workspace open with no connection (issue 7,
 * docs/decisions/0020-offline-browser-storage.md). Built on its own by scripts/build-service-worker.mjs into
 * public/service-worker.js; it runs in the browser, so it imports nothing from the server.
 *
 * It keeps two things, in caches whose names carry the build so that a release starts afresh:
 * - The app's built assets (/build/…, content-hashed, and the GOV.UK images under /assets/…), cache-first. They are
 *   the same for everyone and hold no one's data; they are kept as they are used, and all of them when an inspection
 *   is prepared, so every workspace page can start offline.
 * - The pages an inspector chose to prepare, and nothing else. Every other request goes to the network, always; only
 *   when the network has failed is a prepared copy of that exact address given instead, and an address that was not
 *   prepared fails as it would without this worker. So nobody's schedule, risk scores, selection rounds or portal,
 *   nor any page the inspector did not prepare, is ever written to disk here, and someone who prepares nothing sees
 *   no difference. A prepared copy is kept current: each time the network gives a fresh one it replaces the old
 *   (so the versions the outbox bases its edits on are the latest seen), and an address the server no longer gives
 *   this person (404, as for someone taken off the team) is dropped.
 *
 * Requests that change something (anything but GET) are never touched: they go to the network as if there were no
 * worker. Sign-out clears all of it with Clear-Site-Data (app/routes/sign-out.tsx).
 *
 * The page talks to it with messages, answered on the MessageChannel port sent with the message (or, without one,
 * to the page that sent it):
 * - `{ type: "prepare", urls }`: fetch each address (same origin only, with the session cookie) and keep those the
 *   server answered 200 without redirecting, together with every built asset. Answers `{ type: "prepared", stored,
 *   failed, failedAssets }` (the addresses as given; any asset that could not be fetched, which offline use needs).
 * - `{ type: "forget", prefix }`: drop prepared pages whose path starts with `prefix` (e.g. `/inspections/<id>`, whose
 *   ids are UUIDs). Answers `{ type: "forgotten", removed }`.
 * - `{ type: "clear" }`: delete every cache of this app, whatever its build. Answers `{ type: "cleared", caches }`.
 */

// Module scope: within this file `self` is the service worker's global scope, not the window that the DOM lib,
// which the rest of the app is checked against, declares.
declare const self: ServiceWorkerGlobalScope;

/** Injected by scripts/build-service-worker.mjs (esbuild `define`): a hash of the built assets and of this file. */
declare const __BUILD_ID__: string;
/** Injected likewise: the address of every built asset, for preparing. */
declare const __BUILD_ASSETS__: readonly string[];

const CACHE_PREFIX = "deep-dive-";
const ASSETS_CACHE = `${CACHE_PREFIX}assets-${__BUILD_ID__}`;
const PREPARED_CACHE = `${CACHE_PREFIX}prepared-${__BUILD_ID__}`;
const CURRENT_CACHES = new Set([ASSETS_CACHE, PREPARED_CACHE]);

/** How many addresses a preparation fetches at once: quick on a good connection, gentle on a poor one. */
const PREPARE_CONCURRENCY = 4;

export type WorkerRequest = { type: "prepare"; urls: string[] } | { type: "forget"; prefix: string } | { type: "clear" };
export type WorkerReply =
  | { type: "prepared"; stored: string[]; failed: string[]; failedAssets: string[] }
  | { type: "forgotten"; removed: string[] }
  | { type: "cleared"; caches: string[] }
  | { type: "error"; message: string };

const isSameOrigin = (url: URL) => url.origin === self.location.origin;

/** Sent with each page fetched for preparing (app/offline/offline.server.ts reads it). */
const PREPARE_HEADER = "Deep-Dive-Offline-Prepare";

/** The app's own static files: content-hashed under /build/, GOV.UK Frontend's images under /assets/. */
const isStaticAsset = (url: URL) => isSameOrigin(url) && (url.pathname.startsWith("/build/") || url.pathname.startsWith("/assets/"));

/** Only a complete, same-origin answer to the address itself is worth keeping: never an error, a redirect or a part. */
const isKeepable = (response: Response) => response.status === 200 && response.type === "basic" && !response.redirected;

self.addEventListener("install", (event) => {
  // Nothing is stored at install: only what is used, or prepared. Take over at once, so a release's worker (and its
  // caches) replaces the old one on the next visit rather than when every tab has closed.
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && !CURRENT_CACHES.has(name)).map((name) => caches.delete(name)));
      // The one place the assets cache is made (besides preparing): see cacheFirst.
      await caches.open(ASSETS_CACHE);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  // Saves, sign-out and every other change go to the server untouched.
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!isSameOrigin(url)) return;
  if (isStaticAsset(url)) event.respondWith(cacheFirst(event, request));
  else event.respondWith(networkFirst(event, request));
});

/**
 * An asset from the cache, or from the network and then kept, but only in a cache that still exists. After sign-out
 * has cleared the site's data, this worker may still be running for the page that signed out: it must not make the
 * caches again (nor does anything else here but activating and preparing; `caches.open` would).
 */
async function cacheFirst(event: FetchEvent, request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: ASSETS_CACHE, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (isKeepable(response)) event.waitUntil(putIfCacheExists(ASSETS_CACHE, request, response.clone()));
  return response;
}

/** The named cache if it exists; unlike `caches.open`, never makes it. */
const existingCache = async (cacheName: string) => ((await caches.has(cacheName)) ? caches.open(cacheName) : undefined);

async function putIfCacheExists(cacheName: string, request: Request | string, response: Response) {
  await (await existingCache(cacheName))?.put(request, response);
}

async function networkFirst(event: FetchEvent, request: Request): Promise<Response> {
  // Looked up while the network answers, so a prepared page costs no wait online.
  const wasPrepared = isPrepared(request.url).catch(() => false);
  let response: Response;
  try {
    response = await fetch(request);
  } catch {
    return (await preparedCopy(request.url)) ?? Response.error();
  }
  // Only a prepared address is copied (the copy must be taken before the page reads the answer).
  if (await wasPrepared) event.waitUntil(keepPreparedCopyCurrent(request.url, response.clone()));
  return response;
}

/** The prepared copy of exactly this address, if there is one (looking does not make the cache). */
const preparedCopy = (url: string) => caches.match(url, { cacheName: PREPARED_CACHE, ignoreVary: true });

const isPrepared = async (url: string) => (await preparedCopy(url)) !== undefined;

/** Replaces the prepared copy of an address with a fresh answer, or drops it if the server no longer gives it. */
async function keepPreparedCopyCurrent(url: string, fresh: Response) {
  if (isKeepable(fresh)) await putIfCacheExists(PREPARED_CACHE, url, fresh);
  else if (fresh.status === 404 || fresh.status === 410) await (await existingCache(PREPARED_CACHE))?.delete(url, { ignoreVary: true });
}

self.addEventListener("message", (event) => {
  const reply = (message: WorkerReply) => {
    const port = event.ports[0];
    if (port) port.postMessage(message);
    else event.source?.postMessage(message);
  };
  // Only the app's own pages may instruct it.
  if (event.origin !== self.location.origin) return;
  const message = event.data as Partial<WorkerRequest> | null;
  event.waitUntil(
    handle(message).then(reply, (error: unknown) => reply({ type: "error", message: error instanceof Error ? error.message : String(error) })),
  );
});

async function handle(message: Partial<WorkerRequest> | null): Promise<WorkerReply> {
  switch (message?.type) {
    case "prepare":
      if (!Array.isArray(message.urls) || !message.urls.every((u) => typeof u === "string")) throw new Error("prepare needs urls: string[]");
      return prepare(message.urls);
    case "forget":
      if (typeof message.prefix !== "string" || !message.prefix.startsWith("/")) throw new Error("forget needs a path prefix starting with /");
      return { type: "forgotten", removed: await forget(message.prefix) };
    case "clear":
      return { type: "cleared", caches: await clearAll() };
    default:
      throw new Error("unknown message");
  }
}

/**
 * Fetches and keeps the given addresses (pages in the prepared cache; an asset among them with the other assets),
 * then every built asset not already kept. An address on another origin, or one the server did not answer with a
 * plain 200 (a redirect to sign in, say), is reported as failed and not kept.
 */
async function prepare(urls: readonly string[]): Promise<WorkerReply> {
  const given = urls.map((text) => ({ text, url: safeUrl(text) }));
  const pagesKept = await inParallel(given, PREPARE_CONCURRENCY, ({ url }) => (url && isSameOrigin(url) ? keep(url) : Promise.resolve(false)));
  const asked = new Set(given.map(({ url }) => url?.href));
  const assets = __BUILD_ASSETS__.map((path) => new URL(path, self.location.origin)).filter((url) => !asked.has(url.href));
  const assetsKept = await inParallel(assets, PREPARE_CONCURRENCY, keep);
  return {
    type: "prepared",
    stored: given.filter((_, i) => pagesKept[i]).map(({ text }) => text),
    failed: given.filter((_, i) => !pagesKept[i]).map(({ text }) => text),
    failedAssets: assets.filter((_, i) => !assetsKept[i]).map((url) => url.pathname),
  };
}

/** Fetches one same-origin address with the session cookie and keeps a plain 200; true if it is kept. */
async function keep(url: URL): Promise<boolean> {
  const cache = await caches.open(isStaticAsset(url) ? ASSETS_CACHE : PREPARED_CACHE);
  // Assets are content-hashed or fixed for the build: one already kept needs no second download.
  if (isStaticAsset(url) && (await cache.match(url.href, { ignoreVary: true }))) return true;
  try {
    // Marked as preparation, so the server does not take it for the inspector reading each page (presence).
    const response = await fetch(url.href, { credentials: "same-origin", redirect: "manual", cache: "no-store", headers: { [PREPARE_HEADER]: "1" } });
    if (!isKeepable(response)) return false;
    await cache.put(url.href, response);
    return true;
  } catch {
    return false;
  }
}

async function forget(prefix: string): Promise<string[]> {
  const cache = await existingCache(PREPARED_CACHE);
  if (!cache) return [];
  const removed: string[] = [];
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(prefix)) continue;
    await cache.delete(request, { ignoreVary: true });
    removed.push(url.pathname + url.search);
  }
  return removed;
}

async function clearAll(): Promise<string[]> {
  const names = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX));
  await Promise.all(names.map((name) => caches.delete(name)));
  return names;
}

function safeUrl(given: string): URL | null {
  try {
    return new URL(given, self.location.origin);
  } catch {
    return null;
  }
}

/** Runs `task` over `items`, at most `limit` at a time, and gives the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
