/** deploymentBody is a Deployment manifest for the benchmarks (one container, RollingUpdate defaults 25%/25%). */
export function deploymentBody(name: string, replicas: number, image = 'registry.local/app:v1') {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } } },
  };
}

/** complete says a Deployment has rolled out: observed, all replicas updated and available, no old ones left. */
export function complete(d: any): boolean {
  const s = d?.status ?? {};
  const r = d?.spec?.replicas;
  return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r;
}
