import { resolve } from 'node:path';
import { startLocalStack } from './stack.js';

/**
 * `npm start`: runs Rollway on this machine until Ctrl-C or SIGTERM.
 * ROLLWAY_PERSIST=1 (or --persist) keeps DynamoDB data under .local/dynamodb.
 */
const stateDir = resolve(process.env.ROLLWAY_STATE_DIR ?? '.local');
const persist = process.argv.includes('--persist') || process.env.ROLLWAY_PERSIST === '1';
const port = Number(process.env.PORT ?? 8443);
const say = (line: string) => process.stderr.write(`[rollway] ${line}\n`);

const stack = await startLocalStack({ port, stateDir, persist, progress: say, resyncMs: 30_000 });
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping…`);
  await stack.stop();
  say('stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

say(`ready: ${stack.apiUrl} (GET ${stack.apiUrl}/readyz)`);
process.stderr.write(`
Rollway is running.
  kubectl:      export KUBECONFIG=${stack.kubeconfigPath}
                kubectl get deployments
  admin token:  ${resolve(stateDir, 'admin-token')}
                curl --cacert ${resolve(stateDir, 'tls/ca.crt')} -H "Authorization: Bearer $(cat ${resolve(stateDir, 'admin-token')})" \\
                  -d '{"name":"acme"}' ${stack.apiUrl}/admin/v1/tenants
  Ctrl-C stops everything.
`);
