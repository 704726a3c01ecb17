/**
 * The parts of the API server's Pod validation (pkg/apis/core/validation) that change what
 * the simulator does: input Kubernetes would refuse is refused here too, with upstream's
 * field.Error wording after ksim's file:line:column and field path.
 */
import {
  formatBadValue,
  invalid,
  labelNameErrors,
  notSupported,
  type FieldError,
} from '../scheduler-plugins/helpers/field-error.js';
import { parseResourceValue } from '../model/quantity.js';
import type { Path } from './errors.js';
import type { Obj, Reader } from './fields.js';

const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const TOLERATION_FIELDS = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'];

const LABEL_VALUE_FMT = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** apimachinery validation.IsValidLabelValue: the error details. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
        "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', " +
        `regex used for validation is '${LABEL_VALUE_FMT}')`,
    );
  }
  return errs;
}

/**
 * ValidateTolerations: a key is a label name; an empty key needs Exists; tolerationSeconds needs
 * NoExecute; Exists takes no value, Equal (or no operator) a label value; the operator and the
 * effect are among upstream's (the alpha Gt/Lt operators are off by default, as upstream).
 */
export function checkTolerations(r: Reader, v: unknown, path: Path): void {
  const list = r.list(v, path);
  if (!list) return;
  list.forEach((item, i) => {
    const tp = [...path, i];
    const t = r.obj(item, tp, TOLERATION_FIELDS);
    if (!t) return;
    const text = (k: string): string | undefined => {
      const x = t[k];
      if (x === undefined || x === null) return '';
      if (typeof x === 'string') return x;
      r.issues.expected(r.src, [...tp, k], 'a string', x);
      return undefined;
    };
    const key = text('key');
    const operator = text('operator');
    const value = text('value');
    const effect = text('effect');
    const errors: Array<[string, FieldError]> = [];
    if (key) for (const e of labelNameErrors(key, 'key')) errors.push(['key', e]);
    if (key === '' && operator !== undefined && operator !== 'Exists') {
      errors.push([
        'operator',
        invalid(
          'operator',
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      ]);
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) {
      r.int(t.tolerationSeconds, [...tp, 'tolerationSeconds']);
      if (effect !== undefined && effect !== 'NoExecute')
        errors.push([
          'effect',
          invalid('effect', effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
        ]);
    }
    if (operator === 'Exists') {
      if (value)
        errors.push([
          'value',
          invalid('value', value, "value must be empty when `operator` is 'Exists'"),
        ]);
    } else if (operator === '' || operator === 'Equal') {
      if (value !== undefined)
        for (const msg of labelValueErrors(value))
          errors.push(['value', invalid('value', value, msg)]);
    } else if (operator !== undefined) {
      errors.push(['operator', notSupported('operator', operator, TOLERATION_OPERATORS)]);
    }
    if (effect && !(TAINT_EFFECTS as readonly string[]).includes(effect))
      errors.push(['effect', notSupported('effect', effect, TAINT_EFFECTS)]);
    for (const [field, e] of errors) r.issues.at(r.src, [...tp, field], e.message);
  });
}

/**
 * validateResourceRequirements' request ≤ limit: a request above its limit is refused, reported
 * at the request (`must be less than or equal to cpu limit of 1`). Quantities that do not parse
 * are reported by the caller.
 */
export function checkRequestsWithinLimits(r: Reader, resources: Obj, path: Path): void {
  const { requests, limits } = resources;
  if (!r.isObj(requests) || !r.isObj(limits)) return;
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined || limit === null) continue;
    const req = quietly(name, request);
    const lim = quietly(name, limit);
    if (req === undefined || lim === undefined || req <= lim) continue;
    r.issues.at(
      r.src,
      [...path, 'requests', name],
      `Invalid value: ${formatBadValue(String(request))}: must be less than or equal to ${name} limit of ${String(limit)}`,
    );
  }
}

function quietly(name: string, q: unknown): number | undefined {
  try {
    return parseResourceValue(name, q as string | number);
  } catch {
    return undefined;
  }
}
