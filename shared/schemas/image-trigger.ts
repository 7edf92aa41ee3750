/**
 * rollway.dev/v1 ImageTrigger and Notifier: schemas, defaults and validation.
 *
 * ImageTrigger rolls a Deployment's container to a newly pushed image when a
 * registry webhook arrives (shared/webhooks). Notifier sends signed rollout
 * notifications (shared/notifications). Status of both is written by the
 * server only: the kinds have no status subresource, and updates keep the
 * stored status (object-service), so a client cannot choose the URL token.
 */
import { z } from 'zod';
import type { FieldError } from '../errors.js';
import semver from 'semver';
import { int64, str, strList, struct, time } from './go-types.js';
import { ObjectMetaSchema, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain, validateObjectMeta } from './object-meta.js';
import { LabelSelectorSchema, validateLabelSelector } from './label-selector.js';

/** OpenAPI package of the rollway.dev/v1 kinds. */
export const rollwayPkg = 'dev.rollway.v1';

export const ImageTriggerSources = ['generic', 'dockerhub', 'github', 'ecr', 'harbor', 'quay'] as const;
export type ImageTriggerSource = (typeof ImageTriggerSources)[number];
export const TagPolicyTypes = ['exact', 'glob', 'semver', 'any'] as const;
/** Sources that authenticate with a secret beyond the URL token (so secretRef is required). */
export const SourcesWithSecret: ReadonlySet<string> = new Set(['generic', 'github', 'ecr', 'harbor']);

export const SecretKeyRefSchema = struct('v1.SecretKeyRef', { name: str(), key: str() }, rollwayPkg);
export const TagPolicySchema = struct('v1.TagPolicy', { type: str(), value: str() }, rollwayPkg);

export const ImageTriggerSpecSchema = struct(
  'v1.ImageTriggerSpec',
  { deploymentName: str(), containerName: str(), source: str(), repository: str(), tagPolicy: TagPolicySchema, secretRef: SecretKeyRefSchema },
  rollwayPkg,
);
export const ImageTriggerDeliverySchema = struct('v1.ImageTriggerDelivery', { id: str(), receivedAt: time(), image: str() }, rollwayPkg);
export const ImageTriggerResultSchema = struct('v1.ImageTriggerResult', { outcome: str(), reason: str() }, rollwayPkg);
export const ImageTriggerStatusSchema = struct(
  'v1.ImageTriggerStatus',
  { endpointURL: str(), observedRotation: str(), lastDelivery: ImageTriggerDeliverySchema, lastResult: ImageTriggerResultSchema },
  rollwayPkg,
);
export const ImageTriggerSchema = struct(
  'v1.ImageTrigger',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: ImageTriggerSpecSchema, status: ImageTriggerStatusSchema },
  rollwayPkg,
);
export type ImageTrigger = z.infer<typeof ImageTriggerSchema>;

export const NotifierEvents = ['RolloutStarted', 'RolloutProgressing', 'RolloutComplete', 'ProgressDeadlineExceeded', 'RolledBack', 'Paused', 'Resumed'] as const;
export type NotifierEvent = (typeof NotifierEvents)[number];

export const NotifierSpecSchema = struct('v1.NotifierSpec', { url: str(), events: strList(), deploymentSelector: LabelSelectorSchema, secretRef: SecretKeyRefSchema }, rollwayPkg);
export const NotifierAttemptSchema = struct(
  'v1.NotifierAttempt',
  { id: str(), type: str(), deployment: str(), attempt: int64(), outcome: str(), code: int64(), time: time() },
  rollwayPkg,
);
export const NotifierStatusSchema = struct('v1.NotifierStatus', { lastAttempt: NotifierAttemptSchema, lastSuccess: time(), lastFailure: time() }, rollwayPkg);
export const NotifierSchema = struct(
  'v1.Notifier',
  { apiVersion: str(), kind: str(), metadata: ObjectMetaSchema, spec: NotifierSpecSchema, status: NotifierStatusSchema },
  rollwayPkg,
);
export type Notifier = z.infer<typeof NotifierSchema>;

type Obj = Record<string, any>;

const required = (field: string): FieldError => ({ type: 'FieldValueRequired', field, detail: '' });
const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

/** defaultImageTrigger sets tagPolicy.type `any` when no policy is given. */
export function defaultImageTrigger(t: Obj): void {
  t.spec ??= {};
  t.spec.tagPolicy ??= {};
  t.spec.tagPolicy.type ||= 'any';
}

/** An image repository: optional registry host[:port], then lower-case path components. */
const repositoryRe = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$/;

function validateSecretRef(ref: Obj | undefined, path: string): FieldError[] {
  if (!ref) return [];
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(required(`${path}.name`));
  else for (const d of isDNS1123Subdomain(ref.name)) errs.push({ type: 'FieldValueInvalid', field: `${path}.name`, value: ref.name, detail: d });
  if (!ref.key) errs.push(required(`${path}.key`));
  return errs;
}

/** validateImageTrigger checks the spec of an ImageTrigger. */
export function validateImageTrigger(t: Obj): FieldError[] {
  const errs = validateObjectMeta(t.metadata, true, nameIsDNSSubdomain);
  const s = t.spec ?? {};
  if (!s.deploymentName) errs.push(required('spec.deploymentName'));
  else for (const d of isDNS1123Subdomain(s.deploymentName)) errs.push({ type: 'FieldValueInvalid', field: 'spec.deploymentName', value: s.deploymentName, detail: d });
  if (!s.containerName) errs.push(required('spec.containerName'));
  else for (const d of isDNS1123Label(s.containerName)) errs.push({ type: 'FieldValueInvalid', field: 'spec.containerName', value: s.containerName, detail: d });
  if (!s.source) errs.push(required('spec.source'));
  else if (!(ImageTriggerSources as readonly string[]).includes(s.source)) errs.push(notSupported('spec.source', s.source, ImageTriggerSources));
  if (!s.repository) errs.push(required('spec.repository'));
  else if (!repositoryRe.test(s.repository) || s.repository.length > 255) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.repository', value: s.repository, detail: 'must be an image repository without tag or digest, e.g. "ghcr.io/acme/web"' });
  }
  const p = s.tagPolicy ?? {};
  if (!(TagPolicyTypes as readonly string[]).includes(p.type)) errs.push(notSupported('spec.tagPolicy.type', p.type ?? '', TagPolicyTypes));
  else if ((p.type === 'exact' || p.type === 'glob') && !p.value) errs.push({ type: 'FieldValueRequired', field: 'spec.tagPolicy.value', detail: `required for type ${p.type}` });
  else if (p.type === 'semver' && p.value && !isSemverRange(p.value)) errs.push({ type: 'FieldValueInvalid', field: 'spec.tagPolicy.value', value: p.value, detail: 'must be a semver range, e.g. ">=1.2.0 <2"' });
  if (SourcesWithSecret.has(s.source) && !s.secretRef) errs.push({ type: 'FieldValueRequired', field: 'spec.secretRef', detail: `source ${s.source} authenticates with a secret` });
  errs.push(...validateSecretRef(s.secretRef, 'spec.secretRef'));
  return errs;
}

function isSemverRange(v: string): boolean {
  return semver.validRange(v) !== null;
}

/** validateNotifier checks the spec of a Notifier. */
export function validateNotifier(n: Obj): FieldError[] {
  const errs = validateObjectMeta(n.metadata, true, nameIsDNSSubdomain);
  const s = n.spec ?? {};
  if (!s.url) errs.push(required('spec.url'));
  else {
    let u: URL | undefined;
    try {
      u = new URL(s.url);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.url', value: s.url, detail: 'must be an absolute http or https URL without credentials' });
    }
  }
  const events: string[] = s.events ?? [];
  if (!events.length) errs.push({ type: 'FieldValueRequired', field: 'spec.events', detail: `any of ${NotifierEvents.join(', ')}` });
  events.forEach((e, i) => {
    if (!(NotifierEvents as readonly string[]).includes(e)) errs.push(notSupported(`spec.events[${i}]`, e, NotifierEvents));
  });
  errs.push(...validateLabelSelector(s.deploymentSelector, 'spec.deploymentSelector'));
  errs.push(...validateSecretRef(s.secretRef, 'spec.secretRef'));
  return errs;
}

