import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { ServiceStack } from './stacks/service-stack.js';

export interface RollwayApp {
  readonly app: App;
  readonly stack: ServiceStack;
}

/**
 * buildRollwayApp returns the CDK app with the Rollway stack and cdk-nag registered, unsynthesised,
 * so infra/bin/app.ts and the tests build exactly the same thing.
 *
 * Stage and tuning come from context (infra/config.ts); account and region from
 * CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, which the CLI sets from --profile/--region. With
 * neither (no credentials, offline synth) the stack is environment-agnostic, which it supports
 * fully: no lookups, no availability zones, no account-specific names.
 */
export function buildRollwayApp(props: AppProps = {}): RollwayApp {
  const app = new App(props);
  const config = readConfig(app.node);
  const stack = new ServiceStack(app, `Rollway-${config.stage}`, {
    config,
    description: `Rollway (${config.stage}): Kubernetes-style Deployments on Lambda, DynamoDB and SQS`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Tags.of(stack).add('app', 'rollway');
  Tags.of(stack).add('rollway:stage', config.stage);

  // cdk-nag 3 is a policy-validation plugin (it replaced the v2 Aspect and NagSuppressions): it
  // runs during synthesis and fails `cdk synth` / `cdk deploy` on any finding that is not
  // acknowledged with `Validations.of(construct).acknowledge({ id, reason })`. The reasons are
  // also written into the template metadata (`cdk_nag.rules_to_suppress`) for auditors.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return { app, stack };
}
