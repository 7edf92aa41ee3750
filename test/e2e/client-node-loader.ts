/**
 * loadClientNode imports @kubernetes/client-node. The project pins the 1.x
 * line, which runs on Node 20 (2.x needs undici 8 and Node >= 22.19).
 */
export async function loadClientNode(): Promise<{ k8s: typeof import('@kubernetes/client-node'); note?: string } | { k8s: undefined; note: string }> {
  try {
    return { k8s: await import('@kubernetes/client-node') };
  } catch (err) {
    return { k8s: undefined, note: `@kubernetes/client-node could not be loaded on Node ${process.versions.node}: ${(err as Error).message}` };
  }
}
