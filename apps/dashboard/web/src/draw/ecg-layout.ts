/** ECG paper speed and gain of the strip: the clinical standard. */
export const PAPER_SPEED_MM_PER_S = 25;
export const GAIN_MM_PER_MV = 10;
/** Lead label and the 1 mV calibration pulse sit left of the trace. */
const LEFT_MM = 12;
const RIGHT_MM = 2;
/** One attention band per target, then a lane for fiducial markers, above the leads. */
const BAND_MM = 3;
const FIDUCIAL_LANE_MM = 5;
const MIN_PX_PER_MM = 3;

export interface StripLayout {
  pxPerMm: number;
  widthPx: number;
  heightPx: number;
  /** x of time 0 of the window. */
  traceLeftPx: number;
  bandTopPx: number;
  bandHeightPx: number;
  fiducialLaneTopPx: number;
  leadsTopPx: number;
  rowPitchPx: number;
  /** y of 0 mV for each lead row. */
  rowBaselinePx: number[];
  durationS: number;
}

/**
 * Geometry of a strip of `durationS` seconds with `leadCount` stacked rows and `bandCount` attention
 * bands, for a drawing area `availableWidthPx` wide. Rows are 20 mm apart with many leads (25 mm with
 * six or fewer) so a 1 mV QRS fits; baselines fall on 5-mm lines of the paper.
 */
export function stripLayout(availableWidthPx: number, leadCount: number, durationS: number, bandCount: number): StripLayout {
  const widthMm = LEFT_MM + durationS * PAPER_SPEED_MM_PER_S + RIGHT_MM;
  const pxPerMm = Math.max(MIN_PX_PER_MM, availableWidthPx / widthMm);
  const rowPitchMm = leadCount > 6 ? 20 : 25;
  const bandTopMm = 1;
  const fiducialLaneTopMm = bandTopMm + Math.max(1, bandCount) * BAND_MM + 1;
  const leadsTopMm = Math.ceil((fiducialLaneTopMm + FIDUCIAL_LANE_MM) / 5) * 5;
  const rows = Math.max(1, leadCount);
  const heightMm = leadsTopMm + rows * rowPitchMm;
  // 0 mV at (or just below) the middle of the row, on a 5-mm line.
  const baselineInRowMm = Math.ceil(rowPitchMm / 2 / 5) * 5;
  const rowBaselinePx = Array.from({ length: rows }, (_, i) => (leadsTopMm + i * rowPitchMm + baselineInRowMm) * pxPerMm);
  return {
    pxPerMm,
    widthPx: Math.round(widthMm * pxPerMm),
    heightPx: Math.round(heightMm * pxPerMm),
    traceLeftPx: LEFT_MM * pxPerMm,
    bandTopPx: bandTopMm * pxPerMm,
    bandHeightPx: BAND_MM * pxPerMm,
    fiducialLaneTopPx: fiducialLaneTopMm * pxPerMm,
    leadsTopPx: leadsTopMm * pxPerMm,
    rowPitchPx: rowPitchMm * pxPerMm,
    rowBaselinePx,
    durationS,
  };
}

/** x of a time (seconds from the window start). */
export function timeToX(layout: StripLayout, seconds: number): number {
  return layout.traceLeftPx + seconds * PAPER_SPEED_MM_PER_S * layout.pxPerMm;
}

/** y of a voltage on a lead row. */
export function millivoltsToY(layout: StripLayout, row: number, mv: number): number {
  return layout.rowBaselinePx[row] - mv * GAIN_MM_PER_MV * layout.pxPerMm;
}
