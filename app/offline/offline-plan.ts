/**
 * What "Make available offline" keeps of an inspection (issue 7, docs/decisions/0020-offline-browser-storage.md):
 * the addresses of its workspace pages (the overview, every criterion page and every section page) and, for each,
 * the address Remix fetches its data from when moving between pages in the browser (single fetch: the page's path
 * with `.data`), so that the workspace opens and navigates with no connection. Nothing else: the service worker
 * answers from its store only for these addresses. Pure: no database, no clock.
 */

export interface OfflinePlan {
  /** The pages, as a browser navigates to them. */
  pages: string[];
  /** The data requests Remix makes for those pages when navigating within the app. */
  data: string[];
}

/**
 * The address Remix (single fetch, remix.config.js) requests a page's loader data from: the path with `.data`
 * (`/_root.data` for `/`). It may add `?_routes=…` to ask for some loaders only; the full response serves that too.
 */
export const singleFetchDataUrl = (path: string) => (path === "/" ? "/_root.data" : `${path.replace(/\/$/, "")}.data`);

/**
 * The addresses to keep for an inspection with these sections (in the overview's order) and their criteria. Each
 * page comes once, in the order a person reads them: the overview, then each section followed by its criteria.
 */
export function offlinePlan(inspectionId: string, sections: readonly { id: number; criteria: readonly { criterionId: number }[] }[]): OfflinePlan {
  const base = `/inspections/${encodeURIComponent(inspectionId)}`;
  const pages = new Set<string>([base]);
  for (const section of sections) {
    pages.add(`${base}/sections/${section.id}`);
    for (const criterion of section.criteria) pages.add(`${base}/criteria/${criterion.criterionId}`);
  }
  return { pages: [...pages], data: [...pages].map(singleFetchDataUrl) };
}
