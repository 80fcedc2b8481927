/**
 * The map of England for the national picture (pure: no database, no network). Every open trust is a point at its
 * headquarters' latitude and longitude, drawn as inline SVG: no tiles, no coastline, nothing fetched.
 *
 * The projection is equirectangular, scaled by the cosine of the middle latitude (so a degree of longitude is as
 * wide as it is at that latitude: at England's latitudes this is within a few per cent of Web Mercator), and fitted
 * to the points' bounding box: a fixed width, the height that keeps the proportions (at most `maxHeight`), and
 * `padding` on every side, so every point is inside the viewBox with room for its marker.
 *
 * Each band has its own marker shape as well as its own colour, so the map does not rely on colour alone; the page
 * also lists the trusts by band in a table.
 */

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface MapFrame {
  width: number;
  height: number;
  padding: number;
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
  /** Map units per degree of latitude. */
  scale: number;
  /** cos(middle latitude): map units per degree of longitude are scale × this. */
  lonFactor: number;
  /** Left margin that centres the map horizontally when the height limit makes it narrower than `width`. */
  offsetX: number;
}

export interface FitOptions {
  width?: number;
  maxHeight?: number;
  padding?: number;
  /** A bounding box narrower than this (in degrees, either way) is widened around its centre: one trust still fits. */
  minSpanDegrees?: number;
}

const DEG = Math.PI / 180;

/** Whether a latitude and longitude can be drawn at all (finite, and on the globe). */
export function isPlaceable<T extends { latitude: number | null; longitude: number | null }>(p: T): p is T & GeoPoint {
  return (
    typeof p.latitude === "number" &&
    typeof p.longitude === "number" &&
    Number.isFinite(p.latitude) &&
    Number.isFinite(p.longitude) &&
    Math.abs(p.latitude) <= 90 &&
    Math.abs(p.longitude) <= 180
  );
}

/**
 * The frame that fits `points` (their bounding box) into a viewBox `width` wide. With no points, a frame around
 * England's middle, so an empty map still has a size.
 */
export function fitMap(points: readonly GeoPoint[], { width = 460, maxHeight = 640, padding = 24, minSpanDegrees = 0.5 }: FitOptions = {}): MapFrame {
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  let latMin = lats.length ? Math.min(...lats) : 52.5;
  let latMax = lats.length ? Math.max(...lats) : 52.5;
  let lonMin = lons.length ? Math.min(...lons) : -1.5;
  let lonMax = lons.length ? Math.max(...lons) : -1.5;
  if (latMax - latMin < minSpanDegrees) {
    const mid = (latMin + latMax) / 2;
    [latMin, latMax] = [mid - minSpanDegrees / 2, mid + minSpanDegrees / 2];
  }
  const lonFactor = Math.cos(((latMin + latMax) / 2) * DEG);
  if ((lonMax - lonMin) * lonFactor < minSpanDegrees) {
    const mid = (lonMin + lonMax) / 2;
    const half = minSpanDegrees / lonFactor / 2;
    [lonMin, lonMax] = [mid - half, mid + half];
  }
  const geoWidth = (lonMax - lonMin) * lonFactor;
  const geoHeight = latMax - latMin;
  const scale = Math.min((width - 2 * padding) / geoWidth, (maxHeight - 2 * padding) / geoHeight);
  const height = Math.ceil(geoHeight * scale + 2 * padding);
  const offsetX = (width - geoWidth * scale) / 2;
  return { width, height, padding, latMin, latMax, lonMin, lonMax, scale, lonFactor, offsetX };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Where a point is drawn in the frame's viewBox (x to the east, y to the south), to a tenth of a unit. */
export function project(frame: MapFrame, p: GeoPoint): { x: number; y: number } {
  return {
    x: round1(frame.offsetX + (p.longitude - frame.lonMin) * frame.lonFactor * frame.scale),
    y: round1(frame.padding + (frame.latMax - p.latitude) * frame.scale),
  };
}

// ── Bands and their markers ────────────────────────────────────────────────────────────────────────────────

export const BANDS = [1, 2, 3, 4, 5, 6] as const;

/** The marker of each band: a shape as well as a colour, so the map does not rely on colour alone. */
export const BAND_MARKERS: Readonly<Record<number, string>> = {
  1: "triangle",
  2: "diamond",
  3: "square",
  4: "circle",
  5: "upside-down triangle",
  6: "cross",
};

export function bandLabel(band: number): string {
  return `Band ${band}${band === 1 ? " (highest priority)" : band === 6 ? " (lowest priority)" : ""}`;
}

const f = (n: number) => round1(n).toString();

/** An SVG path for band `band`'s marker centred on (x, y), about 2r across. */
export function markerPath(band: number, x: number, y: number, r = 5): string {
  switch (band) {
    case 1:
      return `M${f(x)} ${f(y - r * 1.2)}L${f(x + r * 1.1)} ${f(y + r * 0.8)}L${f(x - r * 1.1)} ${f(y + r * 0.8)}Z`;
    case 2:
      return `M${f(x)} ${f(y - r * 1.25)}L${f(x + r * 1.25)} ${f(y)}L${f(x)} ${f(y + r * 1.25)}L${f(x - r * 1.25)} ${f(y)}Z`;
    case 3:
      return `M${f(x - r * 0.9)} ${f(y - r * 0.9)}H${f(x + r * 0.9)}V${f(y + r * 0.9)}H${f(x - r * 0.9)}Z`;
    case 5:
      return `M${f(x)} ${f(y + r * 1.2)}L${f(x + r * 1.1)} ${f(y - r * 0.8)}L${f(x - r * 1.1)} ${f(y - r * 0.8)}Z`;
    case 6: {
      const a = r * 0.4;
      const b = r * 1.1;
      return (
        `M${f(x - a)} ${f(y - b)}H${f(x + a)}V${f(y - a)}H${f(x + b)}V${f(y + a)}H${f(x + a)}V${f(y + b)}` +
        `H${f(x - a)}V${f(y + a)}H${f(x - b)}V${f(y - a)}H${f(x - a)}Z`
      );
    }
    default:
      return `M${f(x - r)} ${f(y)}A${f(r)} ${f(r)} 0 1 0 ${f(x + r)} ${f(y)}A${f(r)} ${f(r)} 0 1 0 ${f(x - r)} ${f(y)}Z`;
  }
}

// ── The map ────────────────────────────────────────────────────────────────────────────────────────────────

export interface MapTrust {
  trustCode: string;
  name: string;
  regionName: string;
  band: number;
  latitude: number | null;
  longitude: number | null;
}

export interface PlacedTrust {
  trustCode: string;
  name: string;
  regionName: string;
  band: number;
  x: number;
  y: number;
}

export interface RegionLabel {
  name: string;
  x: number;
  y: number;
}

export interface TrustMap {
  width: number;
  height: number;
  /** Drawn in this order: the lowest priority first, so band 1 is on top where points overlap. */
  points: PlacedTrust[];
  /** Open trusts with no usable location: listed, not drawn. */
  unplaced: { trustCode: string; name: string; band: number }[];
  /** Every trust (placed or not) by band then name: the map's text alternative. */
  byBand: { band: number; trusts: { trustCode: string; name: string; regionName: string; placed: boolean }[] }[];
  regions: RegionLabel[];
}

const collator = new Intl.Collator("en-GB");
const byNameThenCode = (a: { name: string; trustCode: string }, b: { name: string; trustCode: string }) =>
  collator.compare(a.name, b.name) || (a.trustCode < b.trustCode ? -1 : a.trustCode > b.trustCode ? 1 : 0);

/** The map's points, its text alternative by band, and region labels, from the open trusts with their bands. */
export function buildTrustMap(trusts: readonly MapTrust[], options: FitOptions = {}): TrustMap {
  const placeable = trusts.filter(isPlaceable);
  const frame = fitMap(placeable, options);
  const points = placeable
    .map((t) => ({ trustCode: t.trustCode, name: t.name, regionName: t.regionName, band: t.band, ...project(frame, t) }))
    .sort((a, b) => b.band - a.band || byNameThenCode(a, b));
  const placed = new Set(points.map((p) => p.trustCode));
  const unplaced = trusts
    .filter((t) => !placed.has(t.trustCode))
    .map((t) => ({ trustCode: t.trustCode, name: t.name, band: t.band }))
    .sort((a, b) => a.band - b.band || byNameThenCode(a, b));
  const bands = [...new Set([...BANDS, ...trusts.map((t) => t.band)])].sort((a, b) => a - b);
  const byBand = bands.map((band) => ({
    band,
    trusts: trusts
      .filter((t) => t.band === band)
      .map((t) => ({ trustCode: t.trustCode, name: t.name, regionName: t.regionName, placed: placed.has(t.trustCode) }))
      .sort(byNameThenCode),
  }));
  return { width: frame.width, height: frame.height, points, unplaced, byBand, regions: regionLabels(points, frame.width, frame.height) };
}

// ── Region labels ──────────────────────────────────────────────────────────────────────────────────────────

/** The box a label of `name` centred at (x, baseline y) takes, at the map's label size (12px). */
export function labelBox(label: RegionLabel): { left: number; right: number; top: number; bottom: number } {
  const half = (label.name.length * 7) / 2;
  return { left: label.x - half, right: label.x + half, top: label.y - 11, bottom: label.y + 3 };
}

const overlaps = (a: RegionLabel, b: RegionLabel) => {
  const p = labelBox(a);
  const q = labelBox(b);
  return p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
};

/** How many markers (about 6 units from their centre each way) a label's box would cover. */
function markersUnder(label: RegionLabel, points: readonly PlacedTrust[]): number {
  const box = labelBox(label);
  return points.filter((p) => p.x + 6 > box.left && p.x - 6 < box.right && p.y + 6 > box.top && p.y - 6 < box.bottom).length;
}

/**
 * A label for each region near the middle (mean position) of its trusts: of the places up to 48 units away, the one
 * covering fewest markers, then the nearest; never overlapping a label already placed, and inside the viewBox.
 * Regions with more trusts are placed first. Labels are drawn over the markers, so they keep clear of them where
 * there is room.
 */
export function regionLabels(points: readonly PlacedTrust[], width: number, height: number): RegionLabel[] {
  const groups = new Map<string, PlacedTrust[]>();
  for (const p of points) groups.set(p.regionName, [...(groups.get(p.regionName) ?? []), p]);
  const clamp = (label: RegionLabel): RegionLabel => {
    const half = (label.name.length * 7) / 2;
    return { name: label.name, x: round1(Math.min(Math.max(label.x, half + 2), width - half - 2)), y: round1(Math.min(Math.max(label.y, 13), height - 5)) };
  };
  const offsets: { dx: number; dy: number; distance: number }[] = [{ dx: 0, dy: 0, distance: 0 }];
  for (const distance of [12, 24, 36, 48]) {
    for (let k = 0; k < 16; k++) {
      const angle = (k * Math.PI) / 8;
      offsets.push({ dx: Math.cos(angle) * distance * 1.5, dy: Math.sin(angle) * distance, distance });
    }
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || collator.compare(a[0], b[0]));
  const placed: RegionLabel[] = [];
  for (const [name, members] of ordered) {
    const centre = { name, x: members.reduce((s, p) => s + p.x, 0) / members.length, y: members.reduce((s, p) => s + p.y, 0) / members.length };
    let best: { label: RegionLabel; covered: number; distance: number } | null = null;
    for (const { dx, dy, distance } of offsets) {
      const label = clamp({ name, x: centre.x + dx, y: centre.y + dy });
      if (placed.some((other) => overlaps(label, other))) continue;
      const covered = markersUnder(label, points);
      if (!best || covered < best.covered || (covered === best.covered && distance < best.distance)) best = { label, covered, distance };
    }
    // With no free place at all (labels packed tight), the middle of the region, overlapping.
    placed.push(best?.label ?? clamp(centre));
  }
  return placed.sort((a, b) => collator.compare(a.name, b.name));
}
