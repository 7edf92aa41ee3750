/**
 * Ownership of ReplicaSets: label selector matching and the claim rules
 * (keep owned matches, adopt matching orphans, release owned non-matches).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_ref_manager.go (ClaimObject, ClaimReplicaSets)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector)
 */
import type { Deployment, KubeObject, LabelSelector, OwnerReference, ReplicaSet } from '../k8s/types.js';
import { selectorMatches } from '../k8s/selectors.js';

/** selectorMatches: a missing selector matches nothing, an empty one everything (shared with the API). */
export { selectorMatches };

/** isEmptySelector returns true for a selector with no matchLabels and no matchExpressions. */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  if (!selector) return false;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** getControllerOf returns the ownerReference with controller: true, if any. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** deploymentControllerRef returns the controller ownerReference a Deployment puts on its ReplicaSets. */
export function deploymentControllerRef(d: Deployment): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: d.metadata.name,
    uid: d.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Claim is the outcome of claiming the namespace's ReplicaSets for a Deployment. */
export interface Claim {
  /** ReplicaSets the deployment owns after the claim (already owned and matching, plus adopted). */
  owned: ReplicaSet[];
  /** Orphans to adopt: the ownerReferences to write (existing ones plus ours). */
  adopt: Array<{ rs: ReplicaSet; ownerReferences: OwnerReference[] }>;
  /** Owned ReplicaSets that no longer match: the ownerReferences to write (ours removed). */
  release: Array<{ rs: ReplicaSet; ownerReferences: OwnerReference[] }>;
}

/**
 * claimReplicaSets applies the controller-ref rules to every ReplicaSet of
 * the namespace:
 * - controlled by another owner: ignored;
 * - controlled by us and matching: owned;
 * - controlled by us and not matching: released, unless we are being deleted;
 * - orphan, matching, neither side being deleted: adopted.
 */
export function claimReplicaSets(d: Deployment, all: ReplicaSet[]): Claim {
  const uid = d.metadata.uid;
  const deleting = !!d.metadata.deletionTimestamp;
  const claim: Claim = { owned: [], adopt: [], release: [] };
  for (const rs of all) {
    if (d.metadata.namespace && rs.metadata.namespace && rs.metadata.namespace !== d.metadata.namespace) continue;
    const matches = selectorMatches(d.spec.selector, rs.metadata.labels);
    const ref = getControllerOf(rs);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) claim.owned.push(rs);
      else if (!deleting) {
        claim.release.push({ rs, ownerReferences: (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid) });
      }
      continue;
    }
    if (deleting || !matches || rs.metadata.deletionTimestamp) continue;
    const others = (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    claim.adopt.push({ rs, ownerReferences: [...others, deploymentControllerRef(d)] });
    claim.owned.push(rs);
  }
  return claim;
}
