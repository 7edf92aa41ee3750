import { selectorMatches as matchSelector } from '../k8s/selectors.js';
import type { LabelSelector as K8sLabelSelector } from '../k8s/types.js';
/**
 * LabelSelector (metav1.LabelSelector): schema, validation and matching.
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { arr, pkg, str, strList, strMap, struct } from './go-types.js';
import { isQualifiedName, isValidLabelValue, validateLabels } from './object-meta.js';

export const LabelSelectorRequirementSchema = struct('v1.LabelSelectorRequirement', { key: str(), operator: str(), values: strList() }, pkg.meta);

export const LabelSelectorSchema = struct('v1.LabelSelector', { matchLabels: strMap(), matchExpressions: arr(LabelSelectorRequirementSchema) }, pkg.meta);
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** validateLabelSelector mirrors ValidateLabelSelector (strict label values). */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  (sel.matchExpressions ?? []).forEach((req, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push({ type: 'FieldValueRequired', field: `${p}.values`, detail: "must be specified when `operator` is 'In' or 'NotIn'" });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push({ type: 'FieldValueForbidden', field: `${p}.values`, detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
        break;
      default:
        errs.push({ type: 'FieldValueInvalid', field: `${p}.operator`, value: req.operator ?? '', detail: 'not a valid selector operator' });
    }
    for (const d of isQualifiedName(req.key ?? '')) errs.push({ type: 'FieldValueInvalid', field: `${p}.key`, value: req.key ?? '', detail: d });
    values.forEach((v, j) => {
      for (const d of isValidLabelValue(v)) errs.push({ type: 'FieldValueInvalid', field: `${p}.values[${j}]`, value: v, detail: d });
    });
  });
  errs.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  return errs;
}

/**
 * selectorConvertible mirrors LabelSelectorAsSelector's error cases: an
 * unknown operator, In/NotIn without values, Exists/DoesNotExist with values,
 * or an invalid key or value.
 */
export function selectorConvertible(sel: LabelSelector | undefined): boolean {
  if (!sel) return true;
  for (const req of sel.matchExpressions ?? []) {
    const values = req.values ?? [];
    if (!operators.includes(req.operator ?? '')) return false;
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) return false;
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) return false;
    if (isQualifiedName(req.key ?? '').length > 0) return false;
    if (values.some((v) => isValidLabelValue(v).length > 0)) return false;
  }
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (isQualifiedName(k).length > 0 || isValidLabelValue(v).length > 0) return false;
  }
  return true;
}

/** selectorIsEmpty is true for a selector with no matchLabels and no matchExpressions (it selects everything). */
export function selectorIsEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/** selectorMatches: a nil selector selects nothing, an empty one everything (one implementation, in shared/k8s). */
export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return matchSelector(sel as K8sLabelSelector | undefined, labels);
}
