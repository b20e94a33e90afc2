import { PNG } from 'pngjs';
import { drawText } from './bitmap-font';

export type Rgb = readonly [number, number, number];

/**
 * A white RGBA canvas for the plots (Bland-Altman, attention maps). Coordinates are rounded to the nearest
 * pixel and anything outside the canvas is dropped, so a plot clips at its edge instead of wrapping into
 * the next row of the buffer.
 */
export class Raster {
  private readonly png: PNG;

  /** `filterType` 0 fixes one row filter (cheaper for flat plots); by default pngjs tries all five per row. */
  constructor(
    readonly width: number,
    readonly height: number,
    private readonly options: { filterType?: number } = {},
  ) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }

  /** An arrow property so drawing helpers can take it as a plain `(x, y, colour)` function. */
  readonly set = (x: number, y: number, [r, g, b]: Rgb): void => {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const at = (py * this.width + px) * 4;
    this.png.data[at] = r;
    this.png.data[at + 1] = g;
    this.png.data[at + 2] = b;
    this.png.data[at + 3] = 255;
  };

  /** Text in the 3x5 bitmap font, top-left corner at (x, y). */
  text(value: string, x: number, y: number, scale: number, colour: Rgb): void {
    drawText(value, x, y, scale, (px, py) => this.set(px, py, colour));
  }

  toPng(): Buffer {
    return PNG.sync.write(this.png, this.options.filterType === undefined ? {} : { filterType: this.options.filterType });
  }
}
