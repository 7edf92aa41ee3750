import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { configFromEnv } from './config.js';
import { createRuntime, type Runtime } from './runtime.js';
import { constantTimeEqual } from './auth/tenants.js';

let runtime: Runtime | undefined;

/** lambdaRuntime builds the process-wide runtime once per Lambda container (module scope survives warm starts). */
export function lambdaRuntime(): Runtime {
  runtime ??= createRuntime(configFromEnv());
  return runtime;
}

let adminToken: Promise<string | undefined> | undefined;

/**
 * isAdminTokenFromSecret compares a bearer token with the admin bootstrap
 * token kept in Secrets Manager (ADMIN_TOKEN_SECRET_ARN), or in
 * ROLLWAY_ADMIN_TOKEN where no secret is configured. Cached per container;
 * after a rotation, new containers pick the new value up.
 */
export async function isAdminTokenFromSecret(token: string): Promise<boolean> {
  adminToken ??= (async () => {
    const arn = process.env.ADMIN_TOKEN_SECRET_ARN;
    if (!arn) return process.env.ROLLWAY_ADMIN_TOKEN || undefined;
    const sm = new SecretsManagerClient({});
    const out = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const value = out.SecretString ?? '';
    try {
      const parsed = JSON.parse(value);
      if (parsed && typeof parsed.token === 'string') return parsed.token as string;
    } catch {
      /* a plain string secret */
    }
    return value || undefined;
  })();
  const expected = await adminToken;
  return expected !== undefined && constantTimeEqual(token, expected);
}
