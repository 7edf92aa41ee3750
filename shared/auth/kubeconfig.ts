import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  tenant: string;
  token: string;
  /** PEM of the CA that signed the server certificate; omitted when the server has a publicly trusted certificate. */
  caPem?: string;
  contextName?: string;
  namespace?: string;
}

/** kubeconfigYaml renders a kubeconfig with one cluster, one user (bearer token) and one context. */
export function kubeconfigYaml(o: KubeconfigOptions): string {
  const context = o.contextName ?? `rollway-${o.tenant}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: context,
        cluster: { server: o.server, ...(o.caPem ? { 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') } : {}) },
      },
    ],
    users: [{ name: `${context}-${o.tenant}`, user: { token: o.token } }],
    contexts: [{ name: context, context: { cluster: context, user: `${context}-${o.tenant}`, namespace: o.namespace ?? 'default' } }],
    'current-context': context,
  });
}
