export { Engine, type Handler, type RunOptions, type Timer } from './engine.js';
export { RngStreams, type Rng } from './rng.js';
export {
  clamped,
  constant,
  describeFound,
  DISTRIBUTION_NAMES,
  DistributionSpecError,
  empirical,
  exponential,
  gamma,
  lognormal,
  normal,
  parseDistribution,
  standardNormalQuantile,
  uniform,
  weibull,
  type Distribution,
  type DistributionMinMax,
  type DistributionName,
  type QuantileDistribution,
  type SpecPath,
} from './distributions.js';
