import { describe, expect, it } from 'vitest';
import { apiVersionOf, resources, servedGroupVersions } from '../api/resources.js';
import { groupVersionPath, kindComponent, openApiV3Document, openApiV3Index } from './openapi.js';

type Json = Record<string, any>;

const cases = resources.flatMap((r) => r.versions.map((version) => ({ name: `${apiVersionOf(r.group, version)} ${r.plural}`, r, version })));

describe('openApiV3Index', () => {
  it('lists every served group/version with a hash of its document', () => {
    // Act
    const index = openApiV3Index();
    // Assess
    expect(Object.keys(index.paths).sort()).toEqual(servedGroupVersions().map((gv) => groupVersionPath(gv.group, gv.version)).sort());
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    expect(index.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    expect(index.paths['apis/apps/v1beta1']).toBeDefined();
  });

  it('is stable between calls', () => {
    // Act + Assess
    expect(openApiV3Index()).toEqual(openApiV3Index());
  });
});

describe('openApiV3Document', () => {
  it('returns undefined for a group/version that is not served', () => {
    // Act + Assess
    expect(openApiV3Document('apis/apps/v2')).toBeUndefined();
  });

  it('keeps the header kubectl expects', () => {
    // Act
    const doc = openApiV3Document('apis/apps/v1')!;
    // Assess
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.info).toEqual({ title: 'Kubernetes', version: 'v1.32.0' });
  });

  it.each(cases)('$name: the item path has a patch op with the GVK and fieldValidation', ({ r, version }) => {
    // Prepare
    const doc = openApiV3Document(groupVersionPath(r.group, version))!;
    const base = `${r.group ? `/apis/${r.group}` : '/api'}/${version}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    // Act
    const item: Json = doc.paths[`${base}/{name}`];
    const collection: Json = doc.paths[base];
    // Assess
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: r.group, version, kind: r.kind });
    expect(item.patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(item.put.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(item.get['x-kubernetes-action']).toBe('get');
    expect(item.delete['x-kubernetes-action']).toBe('delete');
    expect(collection.get['x-kubernetes-action']).toBe('list');
    expect(collection.post.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation' }));
  });

  it.each(cases)('$name: the kind component carries its GVK and resolves every $ref', ({ r, version }) => {
    // Prepare
    const doc = openApiV3Document(groupVersionPath(r.group, version))!;
    const schemas: Json = doc.components.schemas;
    // Act
    const component = schemas[kindComponent(r, version)];
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    // Assess
    expect(component['x-kubernetes-group-version-kind']).toEqual([{ group: r.group, kind: r.kind, version }]);
    expect(component.properties.metadata).toBeDefined();
    for (const id of refs) expect(schemas[id], id).toBeDefined();
  });

  it('names Deployment components like Kubernetes, per version', () => {
    // Act
    const v1 = openApiV3Document('apis/apps/v1')!.components.schemas;
    const beta = openApiV3Document('apis/apps/v1beta1')!.components.schemas;
    // Assess
    expect(v1['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    expect(v1['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    expect(beta['io.k8s.api.apps.v1beta1.Deployment'].properties.spec).toBeDefined();
    expect(beta['io.k8s.api.apps.v1beta1.DeploymentSpec'].properties.rollbackTo).toBeDefined();
  });

  it.each([
    { name: 'PodSpec.containers', component: 'io.k8s.api.core.v1.PodSpec', field: 'containers', key: 'name' },
    { name: 'PodSpec.volumes', component: 'io.k8s.api.core.v1.PodSpec', field: 'volumes', key: 'name' },
    { name: 'Container.env', component: 'io.k8s.api.core.v1.Container', field: 'env', key: 'name' },
    { name: 'Container.ports', component: 'io.k8s.api.core.v1.Container', field: 'ports', key: 'containerPort' },
    { name: 'Container.volumeMounts', component: 'io.k8s.api.core.v1.Container', field: 'volumeMounts', key: 'mountPath' },
  ])('strategic merge metadata on $name', ({ component, field, key }) => {
    // Act
    const prop = openApiV3Document('apis/apps/v1')!.components.schemas[component].properties[field];
    // Assess
    expect(prop['x-kubernetes-patch-merge-key']).toBe(key);
    expect(prop['x-kubernetes-patch-strategy']).toMatch(/^merge/);
  });

  it('renders Kubernetes scalar formats', () => {
    // Act
    const schemas = openApiV3Document('apis/apps/v1')!.components.schemas;
    // Assess
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.replicas).toEqual({ type: 'integer', format: 'int32' });
    expect(schemas['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties.maxSurge).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy']).toBe('retainKeys');
    expect(JSON.stringify(schemas)).not.toContain('"additionalProperties":false');
  });
});
