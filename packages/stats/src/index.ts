export type { DriftMethod, DriftResult } from './types.js';
