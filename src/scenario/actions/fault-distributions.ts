/** The up and down times of a stochastic fault (`spec.faults[]`): `mtbf` and `mttr`. */
import type { Distribution } from '../../engine/distributions.js';
import type { Path } from '../errors.js';
import type { Obj, Reader } from '../fields.js';

export interface UpDown {
  mtbf: Distribution;
  mttr: Distribution;
}

/** Reads both duration distributions, recording an issue for each one missing or wrong. */
export function readUpDown(r: Reader, raw: Obj, path: Path): UpDown | undefined {
  const read = (k: 'mtbf' | 'mttr'): Distribution | undefined => {
    if (raw[k] === undefined) {
      r.issues.expected(
        r.src,
        [...path, k],
        'a duration distribution (e.g. {exponential: {mean: 720h}})',
        undefined,
      );
      return undefined;
    }
    return r.durationDistribution(raw[k], [...path, k]);
  };
  const mtbf = read('mtbf');
  const mttr = read('mttr');
  return mtbf && mttr ? { mtbf, mttr } : undefined;
}
