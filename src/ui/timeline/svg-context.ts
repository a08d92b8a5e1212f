/**
 * Just enough of a 2D canvas context for the timeline's drawing code to draw into SVG: the
 * same calls that paint the canvas record rectangles, paths and text, so the SVG is the
 * picture on screen as vectors, not a bitmap wrapped in SVG.
 */
export class SvgContext {
  fillStyle = '#000';
  font = '10px sans-serif';
  textAlign: CanvasTextAlign = 'start';
  textBaseline: CanvasTextBaseline = 'alphabetic';
  private readonly parts: string[] = [];
  private path: string[] = [];

  constructor(
    private readonly width: number,
    private readonly height: number,
    /** A real context, for text widths. */
    private readonly measurer: CanvasRenderingContext2D,
  ) {}

  /** The device-pixel scale is the canvas's business, not the picture's. */
  setTransform(): void {}

  fillRect(x: number, y: number, w: number, h: number): void {
    this.parts.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${escapeXml(this.fillStyle)}"/>`);
  }

  fillText(text: string, x: number, y: number): void {
    const anchor = this.textAlign === 'center' ? 'middle' : this.textAlign === 'right' || this.textAlign === 'end' ? 'end' : 'start';
    const baseline = this.textBaseline === 'top' ? 'hanging' : this.textBaseline === 'middle' ? 'middle' : 'alphabetic';
    this.parts.push(
      `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}" dominant-baseline="${baseline}" fill="${escapeXml(this.fillStyle)}" style="font: ${escapeXml(this.font)}">${escapeXml(text)}</text>`,
    );
  }

  measureText(text: string): TextMetrics {
    this.measurer.font = this.font;
    return this.measurer.measureText(text);
  }

  beginPath(): void {
    this.path = [];
  }

  moveTo(x: number, y: number): void {
    this.path.push(`M${n(x)} ${n(y)}`);
  }

  lineTo(x: number, y: number): void {
    this.path.push(`L${n(x)} ${n(y)}`);
  }

  fill(): void {
    this.parts.push(`<path d="${this.path.join(' ')}Z" fill="${escapeXml(this.fillStyle)}"/>`);
  }

  toString(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">${this.parts.join('')}</svg>`;
  }
}

function n(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
