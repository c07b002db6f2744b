export { Detector, DEFAULT_THRESHOLD, DEFAULT_WARMUP, DEVIATION_CAP } from './detector.js';
export type { DetectorOptions, PointScore } from './detector.js';
export { scoreSeries, sigmaText, stoppedAt, stopText, UNUSUAL_SIGMA } from './series.js';
export type { Stop } from './series.js';
export type { Anomaly, ScoredSeries, SeriesPoint } from './series.js';
export { anomalyChanges } from './evidence.js';
