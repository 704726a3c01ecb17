/**
 * metav1.LabelSelector matching, as apimachinery's LabelSelectorAsSelector + Selector.Matches.
 *
 * The nil/empty distinction matters and differs per call site upstream:
 * - a nil selector selects nothing (`labels.Nothing()`): e.g. a pod (anti-)affinity term or a
 *   topology spread constraint without `labelSelector` matches no pods;
 * - an empty selector `{}` selects everything (`labels.Everything()`): e.g. a
 *   PodDisruptionBudget or a topology spread constraint with `labelSelector: {}`.
 * Callers whose upstream code treats nil differently must decide before calling.
 */
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { Labels } from '../../model/objects.js';
import { invalid, notSupported, type FieldError } from './field-error.js';

const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** True if `labels` satisfy the selector; nil → false, `{}` → true. */
export function labelSelectorMatches(
  selector: LabelSelector | undefined | null,
  labels: Labels,
): boolean {
  if (!selector) return false;
  const matchLabels = selector.matchLabels;
  if (matchLabels) {
    for (const key in matchLabels) {
      if (labels[key] !== matchLabels[key]) return false;
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions) {
    for (const expr of expressions) {
      if (!labelRequirementMatches(expr, labels)) return false;
    }
  }
  return true;
}

export type LabelMatcher = (labels: Labels) => boolean;

/**
 * labelSelectorMatches turned into a closure once, for selectors tested against many pods
 * (incremental indexes): matchLabels and single-value `In` become key/value comparisons.
 */
export function compileLabelSelector(selector: LabelSelector | undefined | null): LabelMatcher {
  if (!selector) return () => false;
  const keys: string[] = [];
  const values: string[] = [];
  const others: LabelSelectorRequirement[] = [];
  for (const key in selector.matchLabels ?? {}) {
    keys.push(key);
    values.push(selector.matchLabels![key]!);
  }
  for (const expr of selector.matchExpressions ?? []) {
    if (expr.operator === 'In' && expr.values?.length === 1) {
      keys.push(expr.key);
      values.push(expr.values[0]!);
    } else others.push(expr);
  }
  const n = keys.length;
  return (labels) => {
    // Equal to a string value implies the key is present, as `In` requires.
    for (let i = 0; i < n; i++) if (labels[keys[i]!] !== values[i]) return false;
    for (const expr of others) if (!labelRequirementMatches(expr, labels)) return false;
    return true;
  };
}

/**
 * One matchExpressions requirement. A requirement upstream would refuse to parse (unknown
 * operator, In/NotIn without values, Exists with values) matches nothing, which is what a
 * plugin observes when LabelSelectorAsSelector fails and it treats the term as non-matching.
 */
export function labelRequirementMatches(expr: LabelSelectorRequirement, labels: Labels): boolean {
  const values = expr.values ?? [];
  const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
  switch (expr.operator) {
    case 'In':
      return values.length > 0 && has && values.includes(labels[expr.key]!);
    case 'NotIn':
      return values.length > 0 && (!has || !values.includes(labels[expr.key]!));
    case 'Exists':
      return values.length === 0 && has;
    case 'DoesNotExist':
      return values.length === 0 && !has;
    default:
      return false;
  }
}

/** Parse errors LabelSelectorAsSelector would report (for scenario/args validation). */
export function labelSelectorErrors(
  selector: LabelSelector | undefined | null,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  (selector?.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    const setErrors = setOperatorErrors(expr.operator, values, p);
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        errors.push(...setErrors!);
        break;
      default:
        errors.push(notSupported(`${p}.operator`, expr.operator, LABEL_SELECTOR_OPERATORS));
    }
  });
  return errors;
}

/**
 * The value-count rules shared by label and node selector requirements (In/NotIn need
 * values, Exists/DoesNotExist take none), with upstream's messages; undefined for other
 * operators.
 */
export function setOperatorErrors(
  operator: string,
  values: readonly string[],
  p: string,
): FieldError[] | undefined {
  switch (operator) {
    case 'In':
    case 'NotIn':
      return values.length === 0
        ? [invalid(`${p}.values`, values, "for 'in', 'notin' operators, values set can't be empty")]
        : [];
    case 'Exists':
    case 'DoesNotExist':
      return values.length !== 0
        ? [invalid(`${p}.values`, values, 'values set must be empty for exists and does not exist')]
        : [];
    default:
      return undefined;
  }
}
