import type { Point } from './mnist-preprocess.js';

/**
 * A canvas to draw on with mouse, pen or touch. It keeps the strokes as polylines (the
 * preprocessing redraws them at MNIST's pen width) and reports them after every move,
 * at most once per animation frame.
 */
export class DrawingPad {
  private strokes: Point[][] = [];
  private drawing = false;
  private pending = false;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: (strokes: readonly Point[][]) => void,
  ) {
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    canvas.addEventListener('pointerdown', (e) => this.start(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const end of ['pointerup', 'pointercancel', 'pointerleave'] as const)
      canvas.addEventListener(end, () => this.end());
    this.clear();
  }

  /** Removes every stroke. */
  clear(): void {
    this.strokes = [];
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.onChange(this.strokes);
  }

  private point(e: PointerEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * this.canvas.width) / box.width,
      y: ((e.clientY - box.top) * this.canvas.height) / box.height,
    };
  }

  private start(e: PointerEvent): void {
    this.drawing = true;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.strokes.push([this.point(e)]);
    this.paint();
  }

  private move(e: PointerEvent): void {
    if (!this.drawing) return;
    this.strokes[this.strokes.length - 1]!.push(this.point(e));
    this.paint();
  }

  private end(): void {
    if (!this.drawing) return;
    this.drawing = false;
    this.paint();
  }

  private paint(): void {
    const stroke = this.strokes[this.strokes.length - 1];
    if (stroke !== undefined) {
      const ctx = this.ctx;
      ctx.strokeStyle = '#fff';
      ctx.fillStyle = '#fff';
      ctx.lineWidth = 18;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.beginPath();
      for (const [i, p] of stroke.entries()) {
        if (i === 0) ctx.moveTo(p.x, p.y);
        else ctx.lineTo(p.x, p.y);
      }
      if (stroke.length === 1) ctx.arc(stroke[0]!.x, stroke[0]!.y, 9, 0, Math.PI * 2);
      ctx.stroke();
    }
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.onChange(this.strokes);
    });
  }
}
