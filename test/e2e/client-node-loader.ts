import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * loadClientNode imports @kubernetes/client-node. Its 2.x line depends on
 * undici 8, which needs Node >= 22.19 (zlib zstd, webidl internals) and fails to
 * load on the Node 20 this project runs on. On an older Node the client's own
 * `undici` imports are resolved to the undici 6 that ships inside Node's npm
 * (same Agent/ProxyAgent/fetch API), so the real client still drives the test.
 * Returns undefined when neither works; the caller skips with that reason.
 */
export async function loadClientNode(): Promise<{ k8s: typeof import('@kubernetes/client-node'); note?: string } | { k8s: undefined; note: string }> {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 19)) return { k8s: await import('@kubernetes/client-node') };
  const bundled = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'undici', 'index.js');
  if (!existsSync(bundled)) return { k8s: undefined, note: `@kubernetes/client-node 2.x needs Node >= 22.19; this is ${process.versions.node} and no npm-bundled undici was found` };
  const target = pathToFileURL(bundled).href;
  const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'undici' && context.parentURL && context.parentURL.includes('/@kubernetes/client-node/')) return { url: ${JSON.stringify(target)}, shortCircuit: true };
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  try {
    return { k8s: await import('@kubernetes/client-node'), note: `undici resolved to Node's npm-bundled copy (${bundled}) on Node ${process.versions.node}` };
  } catch (err) {
    return { k8s: undefined, note: `@kubernetes/client-node could not be loaded on Node ${process.versions.node}: ${(err as Error).message}` };
  }
}
