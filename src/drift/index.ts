export { compareDeployed } from './compare-deployed.js';
export { detectDrift } from './detect-drift.js';
export type { DriftFinding } from './types.js';
