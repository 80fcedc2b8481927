/**
 * The map's projection and layout: every point inside the viewBox with room for its marker (by property over
 * random locations, and on the real trust locations shipped in db/reference), north up and east right with
 * distances in proportion, the drawing order (band 1 on top), the text alternative by band, and region labels that
 * stay inside and apart.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BANDS, buildTrustMap, fitMap, isPlaceable, labelBox, markerPath, project, regionLabels, type MapTrust } from "./trust-map";

/** The real trust headquarters' locations (NHS England open-cyber, 2023). */
function referenceLocations(): { code: string; latitude: number; longitude: number }[] {
  const text = readFileSync(path.resolve("db", "reference", "trust_locations_2023.csv"), "utf8");
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [code, lat, long] = line.split(",");
      return { code: code!, latitude: Number(lat), longitude: Number(long) };
    });
}

/** Every coordinate pair in an SVG path (the numbers after each command letter, in pairs, arcs' radii excepted). */
function pathPoints(d: string): { x: number; y: number }[] {
  const points: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of d.matchAll(/([MLHVAZ])([^MLHVAZ]*)/g)) {
    const n = (args ?? "").trim() ? args!.trim().split(/[ ,]+/).map(Number) : [];
    if (command === "M" || command === "L") [x, y] = [n[0]!, n[1]!];
    else if (command === "H") x = n[0]!;
    else if (command === "V") y = n[0]!;
    else if (command === "A") [x, y] = [n[5]!, n[6]!];
    else continue;
    points.push({ x, y });
  }
  return points;
}

const MARKER_REACH = 7; // the largest marker reaches 1.25 × 5 from its centre

describe("fitMap and project", () => {
  it("keeps every point inside the viewBox, with room for its marker, for any set of locations", () => {
    const location = fc.record({ latitude: fc.double({ min: -89, max: 89, noNaN: true }), longitude: fc.double({ min: -179, max: 179, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(location, { minLength: 1, maxLength: 60 }), fc.integer({ min: 200, max: 900 }), (points, width) => {
        const frame = fitMap(points, { width });
        expect(frame.width).toBe(width);
        for (const p of points) {
          const { x, y } = project(frame, p);
          expect(x).toBeGreaterThanOrEqual(frame.padding - 0.1);
          expect(x).toBeLessThanOrEqual(frame.width - frame.padding + 0.1);
          expect(y).toBeGreaterThanOrEqual(frame.padding - 0.1);
          expect(y).toBeLessThanOrEqual(frame.height - frame.padding + 0.1);
        }
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });

  it("fits the real trust locations: all inside, England taller than wide, the bounding box touching the padding", () => {
    const locations = referenceLocations();
    expect(locations.length).toBeGreaterThan(200);
    const frame = fitMap(locations);
    const placed = locations.map((l) => project(frame, l));
    for (const p of placed) {
      expect(p.x - MARKER_REACH).toBeGreaterThanOrEqual(0);
      expect(p.x + MARKER_REACH).toBeLessThanOrEqual(frame.width);
      expect(p.y - MARKER_REACH).toBeGreaterThanOrEqual(0);
      expect(p.y + MARKER_REACH).toBeLessThanOrEqual(frame.height);
    }
    expect(frame.height).toBeGreaterThan(frame.width);
    // The northernmost point is on the top padding line, the southernmost on the bottom one (to the rounding).
    expect(Math.min(...placed.map((p) => p.y))).toBeCloseTo(frame.padding, 0);
    expect(Math.max(...placed.map((p) => p.y))).toBeCloseTo(frame.height - frame.padding, 0);
    // Newcastle (RTD) is north of London (RJ1), Cornwall (REF) west of Norfolk (RM1).
    const at = (code: string) => project(frame, locations.find((l) => l.code === code)!);
    expect(at("RTD").y).toBeLessThan(at("RJ1").y);
    expect(at("REF").x).toBeLessThan(at("RM1").x);
  });

  it("puts north up and east right, with a degree of longitude cos(latitude) as wide as a degree of latitude", () => {
    const frame = fitMap([
      { latitude: 50, longitude: -4 },
      { latitude: 54, longitude: 0 },
    ]);
    const sw = project(frame, { latitude: 50, longitude: -4 });
    const ne = project(frame, { latitude: 54, longitude: 0 });
    expect(ne.y).toBeLessThan(sw.y);
    expect(ne.x).toBeGreaterThan(sw.x);
    const widthPerDegree = (ne.x - sw.x) / 4;
    const heightPerDegree = (sw.y - ne.y) / 4;
    expect(widthPerDegree / heightPerDegree).toBeCloseTo(Math.cos((52 * Math.PI) / 180), 2);
  });

  it("centres a single trust, and still gives an empty map a size", () => {
    const frame = fitMap([{ latitude: 51.5, longitude: -0.1 }], { width: 400 });
    const p = project(frame, { latitude: 51.5, longitude: -0.1 });
    expect(p.x).toBeCloseTo(200, 0);
    expect(p.y).toBeCloseTo(frame.height / 2, 0);
    const empty = fitMap([]);
    expect(empty.width).toBe(460);
    expect(empty.height).toBeGreaterThan(0);
    expect(Number.isFinite(empty.scale)).toBe(true);
  });

  it("keeps a very tall box within the height limit, centred across", () => {
    const frame = fitMap(
      [
        { latitude: 40, longitude: 0 },
        { latitude: 60, longitude: 0.001 },
      ],
      { width: 400, maxHeight: 500 },
    );
    expect(frame.height).toBeLessThanOrEqual(500);
    expect(project(frame, { latitude: 50, longitude: 0.0005 }).x).toBeCloseTo(200, 0);
  });
});

describe("isPlaceable", () => {
  it("accepts real coordinates and refuses missing, non-finite and off-globe ones", () => {
    expect(isPlaceable({ latitude: 51.5, longitude: -0.1 })).toBe(true);
    expect(isPlaceable({ latitude: null, longitude: -0.1 })).toBe(false);
    expect(isPlaceable({ latitude: 51.5, longitude: null })).toBe(false);
    expect(isPlaceable({ latitude: Number.NaN, longitude: 0 })).toBe(false);
    expect(isPlaceable({ latitude: 91, longitude: 0 })).toBe(false);
    expect(isPlaceable({ latitude: 0, longitude: Number.POSITIVE_INFINITY })).toBe(false);
  });
});

describe("markerPath", () => {
  it("draws a marker for each band around its centre, within reach, each band a different shape", () => {
    const paths = BANDS.map((band) => markerPath(band, 100, 50, 5));
    // Five outlines (triangle, diamond, square, circle, cross); bands 1 and 5 are triangles pointing opposite ways.
    expect(new Set(paths.map((d) => d.replace(/[\d.]+/g, "#"))).size).toBe(5);
    expect(pathPoints(paths[0]!)[0]!.y).toBeLessThan(50);
    expect(pathPoints(paths[4]!)[0]!.y).toBeGreaterThan(50);
    for (const d of paths) {
      const points = pathPoints(d);
      expect(points.length).toBeGreaterThanOrEqual(2);
      for (const p of points) {
        expect(Math.abs(p.x - 100)).toBeLessThanOrEqual(MARKER_REACH);
        expect(Math.abs(p.y - 50)).toBeLessThanOrEqual(MARKER_REACH);
      }
    }
  });
});

const trust = (trustCode: string, name: string, band: number, latitude: number | null, longitude: number | null, regionName = "London"): MapTrust => ({
  trustCode,
  name,
  band,
  latitude,
  longitude,
  regionName,
});

describe("buildTrustMap", () => {
  const trusts = [
    trust("R1", "Zeta Trust", 1, 51.5, -0.1),
    trust("R2", "Alpha Trust", 6, 51.6, -0.2),
    trust("R3", "Beta Trust", 3, 53.4, -2.2, "North West"),
    trust("R4", "Gamma Trust", 1, 50.4, -4.1, "South West"),
    trust("R5", "No Location Trust", 2, null, null),
    trust("R6", "Broken Location Trust", 4, Number.NaN, -1),
  ];

  it("draws every trust with a location once, lowest priority first so band 1 is on top", () => {
    const map = buildTrustMap(trusts);
    expect(map.points.map((p) => p.trustCode)).toEqual(["R2", "R3", "R4", "R1"]);
    for (const p of map.points) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(map.width);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(map.height);
    }
  });

  it("lists the trusts it cannot place, by band", () => {
    expect(buildTrustMap(trusts).unplaced).toEqual([
      { trustCode: "R5", name: "No Location Trust", band: 2 },
      { trustCode: "R6", name: "Broken Location Trust", band: 4 },
    ]);
  });

  it("lists every trust exactly once by band, then name, with every band present", () => {
    const map = buildTrustMap(trusts);
    expect(map.byBand.map((b) => b.band)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(map.byBand.map((b) => b.trusts.map((t) => t.trustCode))).toEqual([["R4", "R1"], ["R5"], ["R3"], ["R6"], [], ["R2"]]);
    expect(map.byBand.flatMap((b) => b.trusts).filter((t) => !t.placed).map((t) => t.trustCode)).toEqual(["R5", "R6"]);
  });

  it("labels each region once, inside the map", () => {
    const map = buildTrustMap(trusts);
    expect(map.regions.map((r) => r.name)).toEqual(["London", "North West", "South West"]);
    for (const r of map.regions) {
      const box = labelBox(r);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(map.width);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(map.height);
    }
  });
});

describe("regionLabels", () => {
  const at = (regionName: string, x: number, y: number) => ({ trustCode: `${regionName}-${x}-${y}`, name: "", band: 1, regionName, x, y });
  const covered = (label: ReturnType<typeof regionLabels>[number], points: { x: number; y: number }[]) => {
    const box = labelBox(label);
    return points.filter((p) => p.x + 6 > box.left && p.x - 6 < box.right && p.y + 6 > box.top && p.y - 6 < box.bottom).length;
  };

  it("keeps labels apart and inside the map, even for regions whose trusts sit together", () => {
    const points = [at("London", 200, 300), at("London", 202, 302), at("South East", 210, 305), at("East of England", 205, 296)];
    const labels = regionLabels(points, 460, 600);
    expect(labels.map((l) => l.name)).toEqual(["East of England", "London", "South East"]);
    for (const a of labels) {
      for (const b of labels) {
        if (a === b) continue;
        const p = labelBox(a);
        const q = labelBox(b);
        expect(p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom, `${a.name} overlaps ${b.name}`).toBe(false);
      }
      const box = labelBox(a);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(460);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(600);
      // Near its region: within the 48 units (72 across) it may move.
      expect(Math.abs(a.x - 204)).toBeLessThanOrEqual(73);
      expect(Math.abs(a.y - 300)).toBeLessThanOrEqual(49);
      // Covering none of the markers, since there is room around them.
      expect(covered(a, points)).toBe(0);
    }
  });

  it("stays at the middle of its trusts when nothing is there", () => {
    const [label] = regionLabels([at("Midlands", 100, 100), at("Midlands", 300, 300)], 460, 600);
    expect(label).toEqual({ name: "Midlands", x: 200, y: 200 });
  });

  it("moves off a dense cluster of markers to a clear place nearby", () => {
    const cluster = [];
    for (let dx = -20; dx <= 20; dx += 5) for (let dy = -8; dy <= 8; dy += 4) cluster.push(at("London", 230 + dx, 300 + dy));
    const [label] = regionLabels(cluster, 460, 600);
    expect(covered(label!, cluster)).toBe(0);
  });

  it("keeps a label at the edge inside the map", () => {
    const [label] = regionLabels([at("North East and Yorkshire", 455, 2)], 460, 600);
    const box = labelBox(label!);
    expect(box.right).toBeLessThanOrEqual(460);
    expect(box.top).toBeGreaterThanOrEqual(0);
  });
});
