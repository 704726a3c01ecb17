/**
 * Node selection as component-helpers/scheduling/corev1/nodeaffinity: `spec.nodeSelector`
 * (every key=value must match), NodeSelectorTerms (ORed; expressions and fields in a term
 * ANDed) and preferred terms (Σ weights of matching terms).
 *
 * Upstream parses terms once and then ignores terms that failed to parse ("lazy errors"): a term
 * with an invalid requirement (unknown operator, In/NotIn without values, Exists with values,
 * Gt/Lt without exactly one integer, matchFields other than In/NotIn with one value) never
 * matches, while the other terms still can. An empty term (no expressions, no fields) matches
 * nothing. Label key/value syntax is not re-validated here (the scenario loader does that).
 */
import { setOperatorErrors } from './label-selector.js';
import type {
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1.js';
import type { Labels, SimNode, SimPod } from '../../model/objects.js';
import { invalid, notSupported, type FieldError } from './field-error.js';

export const OBJECT_NAME_FIELD = 'metadata.name';

const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;
const FIELD_SELECTOR_OPERATORS = ['In', 'NotIn'] as const;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64); undefined where Go returns an error. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** A matchExpressions requirement against node labels; invalid requirements match nothing. */
export function nodeSelectorRequirementMatches(
  req: NodeSelectorRequirement,
  labels: Labels,
): boolean {
  const values = req.values ?? [];
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return values.length > 0 && has && values.includes(labels[req.key]!);
    case 'NotIn':
      return values.length > 0 && (!has || !values.includes(labels[req.key]!));
    case 'Exists':
      return values.length === 0 && has;
    case 'DoesNotExist':
      return values.length === 0 && !has;
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1) return false;
      const bound = parseInt64(values[0]!);
      if (bound === undefined || !has) return false;
      const actual = parseInt64(labels[req.key]!);
      if (actual === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** A matchFields requirement; only `metadata.name` has a value (others read as ""), as fields.Set. */
function nodeFieldRequirementMatches(req: NodeSelectorRequirement, node: SimNode): boolean {
  const values = req.values ?? [];
  if (values.length !== 1) return false;
  const actual = req.key === OBJECT_NAME_FIELD ? node.metadata.name : '';
  if (req.operator === 'In') return actual === values[0];
  if (req.operator === 'NotIn') return actual !== values[0];
  return false;
}

export function isEmptyNodeSelectorTerm(term: NodeSelectorTerm): boolean {
  return !term.matchExpressions?.length && !term.matchFields?.length;
}

/** One NodeSelectorTerm: expressions and fields ANDed; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: SimNode): boolean {
  if (isEmptyNodeSelectorTerm(term)) return false;
  const labels = node.metadata.labels;
  for (const req of term.matchExpressions ?? []) {
    if (!nodeSelectorRequirementMatches(req, labels)) return false;
  }
  for (const req of term.matchFields ?? []) {
    if (!nodeFieldRequirementMatches(req, node)) return false;
  }
  return true;
}

/** NodeSelector.nodeSelectorTerms: ORed; no terms matches nothing. */
export function nodeMatchesNodeSelectorTerms(
  terms: readonly NodeSelectorTerm[] | undefined,
  node: SimNode,
): boolean {
  if (!terms) return false;
  for (const term of terms) if (nodeSelectorTermMatches(term, node)) return true;
  return false;
}

/** `spec.nodeSelector`: every key must be present with the given value; none → matches. */
export function nodeMatchesNodeSelector(
  nodeSelector: Record<string, string> | undefined,
  node: SimNode,
): boolean {
  if (!nodeSelector) return true;
  const labels = node.metadata.labels;
  for (const key in nodeSelector) {
    if (labels[key] !== nodeSelector[key]) return false;
  }
  return true;
}

/**
 * nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): the pod's nodeSelector AND its
 * required node affinity (a present `requiredDuringSchedulingIgnoredDuringExecution` with no
 * matching term rejects the node). Used by NodeAffinity's Filter and by PodTopologySpread's
 * node inclusion policy.
 */
export function podMatchesNodeSelectorAndAffinityTerms(pod: SimPod, node: SimNode): boolean {
  if (!nodeMatchesNodeSelector(pod.spec.nodeSelector, node)) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return nodeMatchesNodeSelectorTerms(required.nodeSelectorTerms, node);
}

/**
 * PreferredSchedulingTerms.Score: Σ weights of matching terms. Terms with weight 0 or an empty
 * preference are skipped, as upstream does when it parses them.
 */
export function preferredSchedulingTermsScore(
  terms: readonly PreferredSchedulingTerm[] | undefined,
  node: SimNode,
): number {
  let score = 0;
  if (!terms) return score;
  for (const term of terms) {
    if (term.weight === 0) continue;
    if (nodeSelectorTermMatches(term.preference, node)) score += term.weight;
  }
  return score;
}

/** Parse errors of one term, with upstream's field paths and messages (for args validation). */
export function nodeSelectorTermErrors(term: NodeSelectorTerm, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((req, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = req.values ?? [];
    const setErrors = setOperatorErrors(req.operator, values, p);
    switch (req.operator) {
      case 'In':
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        errors.push(...setErrors!);
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) {
          errors.push(
            invalid(
              `${p}.values`,
              values,
              "for 'Gt', 'Lt' operators, exactly one value is required",
            ),
          );
        }
        values.forEach((v, j) => {
          if (parseInt64(v) === undefined) {
            errors.push(
              invalid(
                `${p}.values[${j}]`,
                v,
                "for 'Gt', 'Lt' operators, the value must be an integer",
              ),
            );
          }
        });
        break;
      default:
        errors.push(notSupported(`${p}.operator`, req.operator, NODE_SELECTOR_OPERATORS));
    }
  });
  (term.matchFields ?? []).forEach((req, i) => {
    const p = `${path}.matchFields[${i}]`;
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if ((req.values ?? []).length !== 1)
        errors.push(invalid(`${p}.values`, req.values ?? [], 'must have one element'));
    } else {
      errors.push(notSupported(`${p}.operator`, req.operator, FIELD_SELECTOR_OPERATORS));
    }
  });
  return errors;
}

/** NewNodeSelector's errors: every non-empty term's parse errors. */
export function nodeSelectorErrors(terms: readonly NodeSelectorTerm[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  terms.forEach((term, i) => {
    if (!isEmptyNodeSelectorTerm(term))
      errors.push(...nodeSelectorTermErrors(term, `${path}.nodeSelectorTerms[${i}]`));
  });
  return errors;
}

/** NewPreferredSchedulingTerms' errors (terms with weight 0 or an empty preference are not parsed). */
export function preferredSchedulingTermsErrors(
  terms: readonly PreferredSchedulingTerm[],
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  terms.forEach((term, i) => {
    if (term.weight === 0 || isEmptyNodeSelectorTerm(term.preference)) return;
    errors.push(...nodeSelectorTermErrors(term.preference, `${path}[${i}]`));
  });
  return errors;
}
