/**
 * Hand-drawn strokes → the 28×28 image an MNIST model expects, the way MNIST itself was
 * made: the digit is scaled (aspect kept) to fit a 20×20 box, then placed so its centre
 * of mass sits at the image centre (14, 14). The strokes are kept as polylines and drawn
 * again at MNIST's own pen width after scaling, so a small or a large drawing, a thin or
 * a thick pen, all give strokes about 2.5 pixels wide as in the training data.
 *
 * Values are raw MNIST pixels, 0 (background) … 255 (ink): the exported model takes them
 * as they are.
 */

/** A point of a stroke, in any coordinates (canvas pixels). */
export interface Point {
  x: number;
  y: number;
}

/** Side of the image. */
export const MNIST_SIDE = 28;
/** MNIST digits fit this box (pen width included). */
const BOX = 20;
/** Pen radius in image pixels: MNIST strokes are 2–3 pixels wide. */
const PEN_RADIUS = 1.2;
/** Sub-samples per pixel side, for anti-aliased edges like MNIST's. */
const SUPERSAMPLE = 3;

/** Squared distance from (px, py) to the segment a–b. */
function distanceSquared(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t =
    length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / length2));
  const ex = px - (a.x + t * dx);
  const ey = py - (a.y + t * dy);
  return ex * ex + ey * ey;
}

/** Draws the strokes (already in image coordinates) as ink 0…1 into a 28×28 array. */
function rasterize(strokes: readonly Point[][]): Float64Array {
  const out = new Float64Array(MNIST_SIDE * MNIST_SIDE);
  const segments: Array<[Point, Point]> = [];
  for (const s of strokes) {
    if (s.length === 1) segments.push([s[0]!, s[0]!]);
    for (let i = 1; i < s.length; i++) segments.push([s[i - 1]!, s[i]!]);
  }
  const r2 = PEN_RADIUS * PEN_RADIUS;
  const step = 1 / SUPERSAMPLE;
  for (let row = 0; row < MNIST_SIDE; row++) {
    for (let col = 0; col < MNIST_SIDE; col++) {
      // Only segments near this pixel can reach it.
      const near = segments.filter(
        ([a, b]) =>
          Math.min(a.x, b.x) - PEN_RADIUS - 1 <= col + 1 &&
          Math.max(a.x, b.x) + PEN_RADIUS + 1 >= col &&
          Math.min(a.y, b.y) - PEN_RADIUS - 1 <= row + 1 &&
          Math.max(a.y, b.y) + PEN_RADIUS + 1 >= row,
      );
      if (near.length === 0) continue;
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const px = col + (sx + 0.5) * step;
          const py = row + (sy + 0.5) * step;
          if (near.some(([a, b]) => distanceSquared(px, py, a, b) <= r2)) hits++;
        }
      }
      out[row * MNIST_SIDE + col] = hits / (SUPERSAMPLE * SUPERSAMPLE);
    }
  }
  return out;
}

/** Centre of mass (x, y) of an image, or the centre when it is empty. */
function centreOfMass(image: Float64Array): Point {
  let mass = 0;
  let x = 0;
  let y = 0;
  for (let row = 0; row < MNIST_SIDE; row++) {
    for (let col = 0; col < MNIST_SIDE; col++) {
      const v = image[row * MNIST_SIDE + col]!;
      mass += v;
      x += v * (col + 0.5);
      y += v * (row + 0.5);
    }
  }
  return mass === 0 ? { x: MNIST_SIDE / 2, y: MNIST_SIDE / 2 } : { x: x / mass, y: y / mass };
}

/**
 * The 28×28 MNIST image (row-major, 0…255) of the strokes, or undefined when there is
 * nothing drawn.
 */
export function strokesToMnist(strokes: readonly Point[][]): Float32Array | undefined {
  const points = strokes.flat();
  if (points.length === 0) return undefined;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const width = Math.max(...xs) - minX;
  const height = Math.max(...ys) - minY;
  // The pen is drawn around the centre line: the centre line fits what the pen leaves free.
  const inner = BOX - 2 * PEN_RADIUS;
  const scale = Math.max(width, height) === 0 ? 1 : inner / Math.max(width, height);
  const place = (dx: number, dy: number): Point[][] =>
    strokes.map((s) =>
      s.map((p) => ({
        x: (p.x - minX - width / 2) * scale + MNIST_SIDE / 2 + dx,
        y: (p.y - minY - height / 2) * scale + MNIST_SIDE / 2 + dy,
      })),
    );
  // Box-centred first, then shifted so the centre of mass is the image centre.
  const com = centreOfMass(rasterize(place(0, 0)));
  const image = rasterize(place(MNIST_SIDE / 2 - com.x, MNIST_SIDE / 2 - com.y));
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) out[i] = Math.round(image[i]! * 255);
  return out;
}
