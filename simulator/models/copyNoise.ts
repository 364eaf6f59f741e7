/**
 * How untidy a copy's progress and RemainTime are (`CopyModel.noise` in ../types.ts; in a file of its own so that
 * ../types.ts and ./records.ts both use it without an import cycle). Real RemainTime is an estimate the
 * API reference does not promise anything about; this lets tests and benchmarks check that waiting does not
 * depend on it being right.
 */
export interface CopyNoise {
  /** Seeds every draw. */
  seed: number;
  /**
   * RemainTime = true remaining × (1 + e), e uniform in [−remainError, +remainError] (0.5: off by up to ±50 %),
   * drawn afresh every `windowMs`, so it can go up between two looks.
   */
  remainError: number;
  /** Virtual ms one draw of the RemainTime error (or absence) holds. */
  windowMs: number;
  /** Share of windows in which RemainTime is absent from the answer. */
  missingRate: number;
  /** Share of windows in which RemainTime is 0 although the copy is still progressing. */
  zeroRate: number;
  /**
   * The transfer is cut into this many pieces of equal time; each moves a random share of the data (0.25 to
   * 1.75 of an even share), so Progress advances unevenly.
   */
  segments: number;
  /** Share of those pieces that move nothing: Progress pauses (at least one piece always moves). */
  pauseRate: number;
}
