import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, newTenant } from '../support/client.js';

/**
 * The seed, command by command, through the real kubectl (v1.32 behind the
 * gcloud dispatcher at /usr/bin/kubectl) against a fresh tenant of the local
 * stack. Every command is the one a user types; assertions read kubectl's own
 * output and the stored objects.
 */

const KUBECTL = '/usr/bin/kubectl';
const SEED_V1 = `apiVersion: apps/v1beta1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  template:
    metadata:
      name: kubia
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v1
        name: nodejs
`;
const SEED_PATCH = '{"spec": {"template": {"spec": {"containers": [{"name": "nodejs", "image": "luksa/kubia:v2" }]}}}}';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let env: NodeJS.ProcessEnv;
let token: string;

/** kubectl runs the real kubectl once, bounded by a timeout, and never throws on a non-zero exit. */
function kubectl(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** ok runs kubectl and fails the test with kubectl's stderr when it exits non-zero. */
async function ok(args: string[], opts: Parameters<typeof kubectl>[1] = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';
const PODS = '/api/v1/namespaces/default/pods';

async function getJson(path: string): Promise<any> {
  const r = await api(path, { token });
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return r.json;
}
const deployment = () => getJson(`${DEPLOY}/kubia`);
const replicaSets = async (app = 'kubia') => (await getJson(`${RS}?labelSelector=app%3D${app}`)).items as any[];
const pods = async (app = 'kubia') => (await getJson(`${PODS}?labelSelector=app%3D${app}`)).items as any[];
const image = (o: any) => o.spec.template.spec.containers[0].image as string;
const revision = (o: any) => o.metadata.annotations?.['deployment.kubernetes.io/revision'] as string | undefined;

/** rolledOut waits with `kubectl rollout status` and checks its last line. */
async function rolledOut(name = 'kubia'): Promise<string> {
  const out = await ok(['rollout', 'status', 'deployment', name, '--timeout=60s'], { timeoutMs: 70_000 });
  expect(out.trim().split('\n').at(-1)).toBe(`deployment "${name}" successfully rolled out`);
  return out;
}

/** settled waits until the Deployment's pods all run the image and no others are left. */
async function settled(img: string, replicas: number) {
  await eventually(async () => {
    const ps = (await pods()).filter((p) => !p.metadata.deletionTimestamp);
    return ps.length === replicas && ps.every((p) => p.spec.containers[0].image === img);
  }, 30_000);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollway-kubectl-'));
  const tenant = await newTenant('kubectl');
  token = tenant.token;
  writeFileSync(join(dir, 'kubeconfig'), tenant.kubeconfig, { mode: 0o600 });
  mkdirSync(join(dir, 'cache'));
  env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache') };
  writeFileSync(join(dir, 'kubia-deployment-v1.yaml'), SEED_V1);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the seed through the real kubectl', () => {
  it('kubectl apply -f kubia-deployment-v1.yaml creates the apps/v1beta1 Deployment with a defaulted selector', async () => {
    expect(await ok(['apply', '-f', 'kubia-deployment-v1.yaml'])).toBe('deployment.apps/kubia created\n');
    const d = await deployment();
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'kubia' } });
    expect(d.spec.replicas).toBe(3);
    expect(image(d)).toBe('luksa/kubia:v1');
    // apps/v1beta1 defaults, as a real cluster applies them.
    expect(d.spec.revisionHistoryLimit).toBe(2);
    expect(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"apiVersion":"apps/v1beta1"');
  });

  it('kubectl rollout status deployment kubia waits for the rollout and reports success', async () => {
    const out = await rolledOut();
    for (const line of out.trim().split('\n').slice(0, -1)) {
      expect(line).toMatch(/^Waiting for (deployment spec update to be observed|deployment "kubia" rollout to finish: .*)\.\.\.$/);
    }
    const d = await deployment();
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: d.metadata.generation });
    expect(revision(d)).toBe('1');
  });

  it('kubectl rollout status --watch=false and --timeout behave', async () => {
    expect(await ok(['rollout', 'status', 'deployment', 'kubia', '--watch=false'], { timeoutMs: 20_000 })).toBe('deployment "kubia" successfully rolled out\n');
    const missing = await kubectl(['rollout', 'status', 'deployment', 'nope', '--timeout=2s'], { timeoutMs: 20_000 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('kubectl get deployments / rs / pods print the columns of a real cluster', async () => {
    const d = rows(await ok(['get', 'deployments']));
    expect(d[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(d[1].slice(0, 4)).toEqual(['kubia', '3/3', '3', '3']);
    const rs = rows(await ok(['get', 'rs']));
    expect(rs[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(rs).toHaveLength(2);
    expect(rs[1][0]).toMatch(/^kubia-[a-z0-9]{6,10}$/);
    expect(rs[1].slice(1, 4)).toEqual(['3', '3', '3']);
    const po = rows(await ok(['get', 'pods']));
    expect(po[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(po).toHaveLength(4);
    for (const p of po.slice(1)) {
      expect(p[0]).toMatch(new RegExp(`^${rs[1][0]}-[a-z0-9]{5}$`));
      expect(p.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    }
  });

  it('kubectl get -o wide adds the wide columns', async () => {
    const d = rows(await ok(['get', 'deployments', '-o', 'wide']));
    expect(d[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(d[1].slice(5)).toEqual(['nodejs', 'luksa/kubia:v1', 'app=kubia']);
    const rs = rows(await ok(['get', 'rs', '-o', 'wide']));
    expect(rs[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(rs[1][7]).toMatch(/^app=kubia,pod-template-hash=[a-z0-9]+$/);
    const po = rows(await ok(['get', 'pods', '-o', 'wide']));
    expect(po[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(po[1][5]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('kubectl get -o yaml / -o json print whole objects with apiVersion and kind', async () => {
    const one = await ok(['get', 'deployment', 'kubia', '-o', 'yaml']);
    expect(one).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(one).toContain('deployment.kubernetes.io/revision: "1"');
    const list = await ok(['get', 'deploy', '-o', 'yaml']);
    expect(list).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: apps\/v1\n  kind: Deployment\n/);
    const json = JSON.parse(await ok(['get', 'deployments', '-o', 'json']));
    expect(json.kind).toBe('List');
    expect(json.items).toHaveLength(1);
    expect(json.items[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kubia' } });
    const rs = JSON.parse(await ok(['get', 'rs', '-o', 'json']));
    expect(rs.items[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    const po = JSON.parse(await ok(['get', 'pods', '-o', 'json']));
    expect(po.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', status: { phase: 'Running' } });
  });

  it('short names (deploy, rs, po, ns, ev) and kubectl get all', async () => {
    const multi = await ok(['get', 'deploy,rs,po,ns,ev']);
    expect(multi).toContain('deployment.apps/kubia');
    expect(multi).toMatch(/replicaset\.apps\/kubia-/);
    expect(multi).toMatch(/pod\/kubia-/);
    expect(multi).toContain('namespace/default');
    for (const [short, header] of [
      ['deploy', 'NAME READY UP-TO-DATE AVAILABLE AGE'],
      ['rs', 'NAME DESIRED CURRENT READY AGE'],
      ['po', 'NAME READY STATUS RESTARTS AGE'],
      ['ns', 'NAME STATUS AGE'],
      ['ev', 'LAST SEEN TYPE REASON OBJECT MESSAGE'],
    ]) {
      const out = await ok(['get', short]);
      expect(out.split('\n')[0].split(/\s{2,}/).join(' ').trim(), short).toBe(header);
    }
    const all = await ok(['get', 'all']);
    expect(all).toContain('deployment.apps/kubia');
    expect(all).toMatch(/replicaset\.apps\/kubia-/);
    expect(all).toMatch(/pod\/kubia-/);
  });

  it('kubectl set image --record starts a rollout and records the change cause (seed: history with revisions 2 and 3)', async () => {
    expect(await ok(['set', 'image', 'deployment', 'kubia', 'nodejs=luksa/kubia:v2', '--record'])).toBe('deployment.apps/kubia image updated\n');
    await rolledOut();
    expect(await ok(['set', 'image', 'deployment', 'kubia', 'nodejs=luksa/kubia:v3', '--record'])).toBe('deployment.apps/kubia image updated\n');
    await rolledOut();
    await settled('luksa/kubia:v3', 3);
    const history = await ok(['rollout', 'history', 'deployment', 'kubia']);
    expect(rows(history)).toEqual([
      ['deployment.apps/kubia'],
      ['REVISION', 'CHANGE-CAUSE'],
      ['1', '<none>'],
      ['2', 'kubectl set image deployment kubia nodejs=luksa/kubia:v2 --record=true'],
      ['3', 'kubectl set image deployment kubia nodejs=luksa/kubia:v3 --record=true'],
    ]);
    const rev2 = await ok(['rollout', 'history', 'deployment', 'kubia', '--revision=2']);
    expect(rev2).toContain('deployment.apps/kubia with revision #2');
    expect(rev2).toMatch(/Image:\s+luksa\/kubia:v2/);
    const bad = await kubectl(['rollout', 'history', 'deployment', 'kubia', '--revision=42']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unable to find the specified revision');
    const sets = await replicaSets();
    expect(sets).toHaveLength(3);
    expect(sets.map((r) => [image(r), revision(r)]).sort()).toEqual([
      ['luksa/kubia:v1', '1'],
      ['luksa/kubia:v2', '2'],
      ['luksa/kubia:v3', '3'],
    ]);
  });

  it('kubectl rollout undo --to-revision=1 reuses the first ReplicaSet (new revision, revision-history, no duplicate)', async () => {
    expect(await ok(['rollout', 'undo', 'deployment', 'kubia', '--to-revision=1'])).toBe('deployment.apps/kubia rolled back\n');
    await rolledOut();
    await settled('luksa/kubia:v1', 3);
    const sets = await replicaSets();
    expect(sets).toHaveLength(3);
    const v1 = sets.find((r) => image(r) === 'luksa/kubia:v1');
    expect(revision(v1)).toBe('4');
    expect(v1.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(v1.spec.replicas).toBe(3);
    expect(revision(await deployment())).toBe('4');
    const history = rows(await ok(['rollout', 'history', 'deployment', 'kubia']));
    expect(history.slice(2).map((r) => r[0])).toEqual(['2', '3', '4']);
    const again = await ok(['rollout', 'undo', 'deployment', 'kubia', '--to-revision=4']);
    expect(again).toContain('skipped rollback (current template already matches revision 4)');
    const unknown = await kubectl(['rollout', 'undo', 'deployment', 'kubia', '--to-revision=9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unable to find specified revision 9 in history');
  });

  it('kubectl rollout undo (no revision) returns to the previous one', async () => {
    expect(await ok(['rollout', 'undo', 'deployment', 'kubia'])).toBe('deployment.apps/kubia rolled back\n');
    await rolledOut();
    await settled('luksa/kubia:v3', 3);
    const d = await deployment();
    expect(image(d)).toBe('luksa/kubia:v3');
    expect(revision(d)).toBe('5');
    const sets = await replicaSets();
    expect(sets).toHaveLength(3);
    expect(sets.find((r) => image(r) === 'luksa/kubia:v3').metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('3');
  });

  it("kubectl set image deployment kubia nodejs=luksa/kubia:v2 (verbatim) rolls back onto the v2 ReplicaSet", async () => {
    expect(await ok(['set', 'image', 'deployment', 'kubia', 'nodejs=luksa/kubia:v2'])).toBe('deployment.apps/kubia image updated\n');
    await rolledOut();
    const d = await deployment();
    expect(image(d)).toBe('luksa/kubia:v2');
    const sets = await replicaSets();
    expect(sets).toHaveLength(3);
    expect(revision(sets.find((r) => image(r) === 'luksa/kubia:v2'))).toBe('6');
  });

  it("kubectl patch: the seed's strategic merge patch, no-op, --type=merge and --type=json", async () => {
    await ok(['set', 'image', 'deployment', 'kubia', 'nodejs=luksa/kubia:v1']);
    await rolledOut();
    expect(await ok(['patch', 'deployment', 'kubia', '-p', SEED_PATCH])).toBe('deployment.apps/kubia patched\n');
    let d = await deployment();
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nodejs', image: 'luksa/kubia:v2', imagePullPolicy: 'IfNotPresent' });
    await rolledOut();
    await settled('luksa/kubia:v2', 3);
    // kubectl says "no change" only when the reply equals the object it fetched (same resourceVersion).
    expect(await ok(['patch', 'deployment', 'kubia', '-p', SEED_PATCH])).toBe('deployment.apps/kubia patched (no change)\n');

    expect(await ok(['patch', 'deployment', 'kubia', '--type=merge', '-p', '{"spec":{"revisionHistoryLimit":10}}'])).toBe('deployment.apps/kubia patched\n');
    expect((await deployment()).spec.revisionHistoryLimit).toBe(10);
    expect(await ok(['patch', 'deployment', 'kubia', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"luksa/kubia:v3"}]'])).toBe(
      'deployment.apps/kubia patched\n',
    );
    d = await deployment();
    expect(image(d)).toBe('luksa/kubia:v3');
    await rolledOut();
    const bad = await kubectl(['patch', 'deployment', 'kubia', '--type=json', '-p', '[{"op":"replace","path":"/spec/nope/x","value":1}]']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^The request is invalid/);
  });

  it('kubectl edit deployment kubia with a non-interactive EDITOR', async () => {
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i 's#image: luksa/kubia:.*#image: luksa/kubia:v5#; s#^  replicas: 3$#  replicas: 2#' "$1"\n`);
    chmodSync(editor, 0o755);
    expect(await ok(['edit', 'deployment', 'kubia'], { env: { EDITOR: editor } })).toBe('deployment.apps/kubia edited\n');
    const d = await deployment();
    expect(d.spec.replicas).toBe(2);
    expect(image(d)).toBe('luksa/kubia:v5');
    await rolledOut();
    const noop = await kubectl(['edit', 'deployment', 'kubia'], { env: { EDITOR: 'true' } });
    expect(noop.code).toBe(0);
    expect(noop.stderr + noop.stdout).toContain('Edit cancelled, no changes made.');
  });

  it('kubectl apply -f kubia-deployment-v2.yaml updates, kubectl replace -f replaces, and replace of an absent object fails', async () => {
    writeFileSync(join(dir, 'kubia-deployment-v2.yaml'), SEED_V1.replace('luksa/kubia:v1', 'luksa/kubia:v2'));
    expect(await ok(['apply', '-f', 'kubia-deployment-v2.yaml'])).toBe('deployment.apps/kubia configured\n');
    let d = await deployment();
    expect(image(d)).toBe('luksa/kubia:v2');
    expect(d.spec.replicas).toBe(3);
    await rolledOut();
    // Edited file: apply updates only what changed.
    writeFileSync(join(dir, 'kubia-deployment-v2.yaml'), SEED_V1.replace('luksa/kubia:v1', 'luksa/kubia:v2').replace('replicas: 3', 'replicas: 4'));
    expect(await ok(['apply', '-f', 'kubia-deployment-v2.yaml'])).toBe('deployment.apps/kubia configured\n');
    expect((await deployment()).spec.replicas).toBe(4);
    expect(await ok(['apply', '-f', 'kubia-deployment-v2.yaml'])).toBe('deployment.apps/kubia unchanged\n');
    await rolledOut();

    writeFileSync(join(dir, 'kubia-deployment-v2.yaml'), SEED_V1.replace('luksa/kubia:v1', 'luksa/kubia:v4'));
    expect(await ok(['replace', '-f', 'kubia-deployment-v2.yaml'])).toBe('deployment.apps/kubia replaced\n');
    d = await deployment();
    expect(image(d)).toBe('luksa/kubia:v4');
    expect(d.spec.replicas).toBe(3);
    // replace drops what the file does not hold: the last-applied annotation goes.
    expect(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    await rolledOut();

    const other = join(dir, 'absent');
    mkdirSync(other);
    writeFileSync(join(other, 'kubia-deployment-v2.yaml'), SEED_V1.replace(/name: kubia\n/, 'name: kubia-absent\n'));
    const missing = await kubectl(['replace', '-f', 'kubia-deployment-v2.yaml'], { cwd: other });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): error when replacing "kubia-deployment-v2.yaml": deployments.apps "kubia-absent" not found');
  });

  it('canary: kubectl rollout pause → set image → nothing rolls → kubectl rollout resume completes', async () => {
    await settled('luksa/kubia:v4', 3);
    expect(await ok(['rollout', 'pause', 'deployment', 'kubia'])).toBe('deployment.apps/kubia paused\n');
    const twice = await kubectl(['rollout', 'pause', 'deployment', 'kubia']);
    expect(twice.stderr).toContain('error: deployments.apps "kubia" is already paused');
    expect(await ok(['set', 'image', 'deployment', 'kubia', 'nodejs=luksa/kubia:v6'])).toBe('deployment.apps/kubia image updated\n');
    await eventually(async () => {
      const d = await deployment();
      return d.status.observedGeneration === d.metadata.generation;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await replicaSets()).filter((r) => image(r) === 'luksa/kubia:v6')).toEqual([]);
    expect((await pods()).every((p) => p.spec.containers[0].image === 'luksa/kubia:v4')).toBe(true);
    const d = await deployment();
    expect(d.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    const timedOut = await kubectl(['rollout', 'status', 'deployment', 'kubia', '--timeout=2s'], { timeoutMs: 20_000 });
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toContain('error: timed out waiting for the condition');
    const undo = await kubectl(['rollout', 'undo', 'deployment', 'kubia']);
    expect(undo.stderr).toContain("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");

    expect(await ok(['rollout', 'resume', 'deployment', 'kubia'])).toBe('deployment.apps/kubia resumed\n');
    await rolledOut();
    await settled('luksa/kubia:v6', 3);
    expect((await deployment()).spec.paused).toBeUndefined();
  });

  it('kubectl describe deployment kubia shows the ReplicaSets and the events', async () => {
    const out = await ok(['describe', 'deployment', 'kubia']);
    expect(out).toMatch(/^Name:\s+kubia$/m);
    expect(out).toMatch(/^Namespace:\s+default$/m);
    expect(out).toMatch(/^Selector:\s+app=kubia$/m);
    expect(out).toMatch(/^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(out).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(out).toMatch(/Image:\s+luksa\/kubia:v6/);
    expect(out).toMatch(/^NewReplicaSet:\s+kubia-[a-z0-9]+ \(3\/3 replicas created\)$/m);
    expect(out).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/m);
    expect(out).toMatch(/Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set kubia-[a-z0-9]+ (from \d+ )?to \d+/);
  });

  it('kubectl scale deployment kubia --replicas=5', async () => {
    expect(await ok(['scale', 'deployment', 'kubia', '--replicas=5'])).toBe('deployment.apps/kubia scaled\n');
    await rolledOut();
    await settled('luksa/kubia:v6', 5);
    expect(rows(await ok(['get', 'deploy', 'kubia']))[1].slice(0, 4)).toEqual(['kubia', '5/5', '5', '5']);
    const stale = await kubectl(['scale', 'deployment', 'kubia', '--replicas=3', '--current-replicas=4']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('error: Expected replicas to be 4, was 5');
  });

  it('kubectl rollout restart makes a new ReplicaSet with the same image', async () => {
    const before = new Set((await replicaSets()).map((r) => r.metadata.name));
    expect(await ok(['rollout', 'restart', 'deployment', 'kubia'])).toBe('deployment.apps/kubia restarted\n');
    const d = await deployment();
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    await rolledOut();
    await settled('luksa/kubia:v6', 5);
    const fresh = (await replicaSets()).filter((r) => !before.has(r.metadata.name));
    expect(fresh).toHaveLength(1);
    expect(fresh[0].spec.replicas).toBe(5);
  });

  it('kubectl get events lists the controllers’ events', async () => {
    const ev = rows(await ok(['get', 'events']));
    expect(ev[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(ev.some((r) => r[2] === 'ScalingReplicaSet' && r[3] === 'deployment/kubia')).toBe(true);
    expect(ev.some((r) => r[2] === 'SuccessfulCreate' && /^replicaset\/kubia-/.test(r[3]))).toBe(true);
    const filtered = rows(await ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=kubia']));
    expect(filtered.slice(1).every((r) => r[3] === 'deployment/kubia')).toBe(true);
  });

  it('--dry-run=server on apply, scale, set image and delete changes nothing', async () => {
    const before = await deployment();
    writeFileSync(join(dir, 'kubia-deployment-v2.yaml'), SEED_V1.replace('luksa/kubia:v1', 'luksa/kubia:v9').replace('replicas: 3', 'replicas: 7'));
    expect(await ok(['apply', '-f', 'kubia-deployment-v2.yaml', '--dry-run=server'])).toBe('deployment.apps/kubia configured (server dry run)\n');
    expect(await ok(['scale', 'deployment', 'kubia', '--replicas=9', '--dry-run=server'])).toBe('deployment.apps/kubia scaled (server dry run)\n');
    expect(await ok(['set', 'image', 'deployment', 'kubia', 'nodejs=luksa/kubia:v9', '--dry-run=server'])).toBe('deployment.apps/kubia image updated (server dry run)\n');
    expect(await ok(['delete', 'deployment', 'kubia', '--dry-run=server'])).toBe('deployment.apps "kubia" deleted (server dry run)\n');
    expect(await ok(['create', 'deployment', 'dry', '--image=nginx', '--dry-run=server'])).toBe('deployment.apps/dry created (server dry run)\n');
    const after = await deployment();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec).toEqual(before.spec);
    expect((await api(`${DEPLOY}/dry`, { token })).status).toBe(404);
  });

  it('kubectl get deploy -w prints a row per change', async () => {
    const child = spawn(KUBECTL, ['get', 'deploy', 'kubia', '-w', '--request-timeout=60s'], { cwd: dir, env });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await eventually(async () => out.includes('5/5'), 20_000);
      await ok(['scale', 'deployment', 'kubia', '--replicas=3']);
      await eventually(async () => /kubia\s+3\/3\s+3\s+3\s+/.test(out), 30_000);
    } finally {
      clearTimeout(killer);
      child.kill('SIGTERM');
    }
    const printed = rows(out);
    expect(printed[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(printed[1].slice(0, 4)).toEqual(['kubia', '5/5', '5', '5']);
    expect(printed.length).toBeGreaterThan(2);
    for (const r of printed.slice(1)) expect(r[0]).toBe('kubia');
    expect(printed.some((r) => r[1] === '5/3' || r[1].endsWith('/3'))).toBe(true);
  });

  it('kubectl create deployment (protobuf body) and its AlreadyExists error', async () => {
    expect(await ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2'])).toBe('deployment.apps/web created\n');
    const web = await getJson(`${DEPLOY}/web`);
    expect(web.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'web' } } });
    expect(web.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.25' });
    const dup = await kubectl(['create', 'deployment', 'web', '--image=nginx:1.25']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('deployments.apps "web" already exists');
    await rolledOut('web');
  });

  it('kubectl apply --server-side creates and updates; a strategy switch to Recreate drops rollingUpdate', async () => {
    const manifest = (replicas: number, strategy = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ssa}
${strategy}  template:
    metadata:
      labels: {app: ssa}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:v1
`;
    writeFileSync(join(dir, 'ssa.yaml'), manifest(2));
    expect(await ok(['apply', '--server-side', '-f', 'ssa.yaml'])).toBe('deployment.apps/ssa serverside-applied\n');
    expect((await getJson(`${DEPLOY}/ssa`)).spec.replicas).toBe(2);
    writeFileSync(join(dir, 'ssa.yaml'), manifest(3));
    expect(await ok(['apply', '--server-side', '-f', 'ssa.yaml'])).toBe('deployment.apps/ssa serverside-applied\n');
    expect((await getJson(`${DEPLOY}/ssa`)).spec.replicas).toBe(3);
    await rolledOut('ssa');

    // Client-side apply sends {"strategy":{"$retainKeys":["type"],"type":"Recreate"}}.
    const recreate = SEED_V1.replace(/name: kubia\n/, 'name: recreate\n').replace('app: kubia', 'app: recreate');
    writeFileSync(join(dir, 'seed-recreate.yaml'), recreate);
    expect(await ok(['apply', '-f', 'seed-recreate.yaml'])).toBe('deployment.apps/recreate created\n');
    expect((await getJson(`${DEPLOY}/recreate`)).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    writeFileSync(join(dir, 'seed-recreate.yaml'), recreate.replace('  template:', '  strategy:\n    type: Recreate\n  template:'));
    expect(await ok(['apply', '-f', 'seed-recreate.yaml'])).toBe('deployment.apps/recreate configured\n');
    expect((await getJson(`${DEPLOY}/recreate`)).spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('kubectl delete deployment kubia removes its ReplicaSets and pods', async () => {
    expect(await ok(['delete', 'deployment', 'kubia'], { timeoutMs: 60_000 })).toBe('deployment.apps "kubia" deleted\n');
    expect((await api(`${DEPLOY}/kubia`, { token })).status).toBe(404);
    await eventually(async () => (await replicaSets()).length === 0 && (await pods()).length === 0, 30_000);
    const again = await kubectl(['delete', 'deployment', 'kubia']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Error from server (NotFound): deployments.apps "kubia" not found');
    expect(rows(await ok(['get', 'deploy']))[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  });
});
