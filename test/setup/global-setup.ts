import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';

let stack: LocalStack | undefined;
let stateDir: string | undefined;

/**
 * Starts one real local stack (DynamoDB Local, SQS emulator, HTTPS API,
 * controller workers) on free ports for the integration suite, so two runs on
 * one machine never collide. Pods on simulated nodes start at once.
 */
export async function setup(project: TestProject): Promise<void> {
  stateDir = mkdtempSync(join(tmpdir(), 'rollway-test-'));
  process.env.LOG_LEVEL ??= 'warn';
  stack = await startLocalStack({ port: 0, stateDir, simStartDelayMs: 0, workers: 4, resyncMs: 0 });
  project.provide('apiUrl', stack.apiUrl);
  project.provide('adminToken', stack.adminToken);
  project.provide('caPem', stack.caPem);
  project.provide('defaultToken', stack.defaultToken);
  project.provide('kubeconfigPath', stack.kubeconfigPath);
  project.provide('dynamoEndpoint', stack.dynamoEndpoint);
  project.provide('sqsEndpoint', stack.sqsEndpoint);
  project.provide('controllerQueueUrl', stack.config.controllerQueueUrl);
  project.provide('stateDir', stateDir);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    adminToken: string;
    caPem: string;
    defaultToken: string;
    kubeconfigPath: string;
    dynamoEndpoint: string;
    sqsEndpoint: string;
    controllerQueueUrl: string;
    stateDir: string;
  }
}
