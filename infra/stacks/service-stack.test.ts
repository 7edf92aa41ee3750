import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueueWithDlq, VISIBILITY_FACTOR } from '../constructs/queue-with-dlq.js';
import { ESM_REQUIRE_BANNER, RollwayFunction } from '../constructs/rollway-function.js';
import { buildRollwayApp } from '../rollway-app.js';
import type { ServiceStack } from './service-stack.js';

// One full synthesis (the built-in CloudFormation validation and the cdk-nag plugin exactly as
// infra/bin/app.ts registers them) shared by the structural tests below. Bundling is skipped
// here ('aws:cdk:bundling-stacks': []), so a function that does not compile yet fails the one
// bundling test at the end, with esbuild's message, instead of every infrastructure test.
let stack: ServiceStack;
let template: Template;

beforeAll(() => {
  const built = buildRollwayApp({ context: { 'rollway:stage': 'test', 'aws:cdk:bundling-stacks': [] } });
  stack = built.stack;
  // app.synth() throws ValidationFailed if cdk-nag reports an unacknowledged finding.
  const assembly = built.app.synth();
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
});

type Json = Record<string, any>;

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const logicalId = (c: IConstruct): string => stack.getLogicalId(c.node.defaultChild as CfnRole);

/** statementsOf returns every IAM statement attached (inline) to the role with this logical id. */
function statementsOf(roleLogicalId: string): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    asArray(policy.Properties.Roles).some((r: Json) => r.Ref === roleLogicalId)
      ? (policy.Properties.PolicyDocument.Statement as Json[])
      : [],
  );
}
const actionsOf = (statements: Json[]): string[] => statements.flatMap((s) => asArray<string>(s.Action));
const functionProps = (fn: { function: IConstruct }): Json =>
  template.toJSON().Resources[logicalId(fn.function)].Properties;

describe('table', () => {
  it('Should be on-demand with PITR, TTL, SSE and pk/sk keys', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttlEpochSeconds', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });

  it('Should have gsi1 (ALL) and the sparse gsi2 (KEYS_ONLY)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('Should be retained by default, without deletion protection outside prod', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});

describe('stage configuration', () => {
  // No bundling here: these stacks are only inspected for the table's policies.
  const synthTable = (context: Record<string, string>) => {
    const { stack: s } = buildRollwayApp({
      context: { ...context, 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: false,
    });
    return Template.fromStack(s);
  };

  it('Should turn deletion protection on for prod', () => {
    synthTable({ 'rollway:stage': 'prod' }).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('Should delete the table with the stack when rollway:destroyOnRemoval=true', () => {
    synthTable({ 'rollway:stage': 'dev', 'rollway:destroyOnRemoval': 'true' }).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
    });
  });

  it('Should refuse rollway:destroyOnRemoval=true for prod', () => {
    expect(() => synthTable({ 'rollway:stage': 'prod', 'rollway:destroyOnRemoval': 'true' })).toThrow(/refused/);
  });
});

describe('queues', () => {
  it.each([
    { name: 'controller', queue: () => stack.controllerQueue, maxReceiveCount: 5 },
    { name: 'notifications', queue: () => stack.notifyQueue, maxReceiveCount: 8 },
  ])('Should redrive $name to its DLQ after $maxReceiveCount receives', ({ queue, maxReceiveCount }) => {
    const q = template.toJSON().Resources[logicalId(queue().queue)].Properties;
    expect(q.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(queue().deadLetterQueue), 'Arn'] },
      maxReceiveCount,
    });
  });

  it.each([
    { name: 'controller', queue: () => stack.controllerQueue, fn: () => stack.controller },
    { name: 'notifications', queue: () => stack.notifyQueue, fn: () => stack.notifier },
  ])('Should give $name a visibility timeout >= 6x its consumer timeout', ({ queue, fn }) => {
    const visibility = template.toJSON().Resources[logicalId(queue().queue)].Properties.VisibilityTimeout;
    const timeout = functionProps(fn()).Timeout;
    expect(timeout).toBeGreaterThan(0);
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('Should encrypt all four queues with SQS-managed SSE and deny non-TLS access', () => {
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.resourceCountIs('AWS::SQS::QueuePolicy', 4);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('Should refuse a consumer whose timeout breaks the visibility rule', () => {
    const scratch = new Stack(new App(), 'Scratch');
    const q = new QueueWithDlq(scratch, 'Q', { consumerTimeout: Duration.seconds(30), maxReceiveCount: 5 });
    const slow = new LambdaFunction(scratch, 'Slow', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {}'),
      timeout: Duration.seconds(31),
    });
    expect(q.visibilityTimeout.toSeconds()).toBe(30 * VISIBILITY_FACTOR);
    expect(() => q.addConsumer(slow, { maxConcurrency: 2 })).toThrow(/visibility timeout of at least 186 s/);
  });
});

describe('functions', () => {
  it('Should run every function on nodejs22.x, arm64, JSON logs into its own group, X-Ray active', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(fns)).toHaveLength(4);
    for (const fn of Object.values(fns)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: expect.objectContaining({ ROLLWAY_RUNTIME: 'aws', LOG_LEVEL: 'INFO' }) },
      });
      expect(fn.Properties.VpcConfig).toBeUndefined();
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it.each([
    { name: 'api', fn: () => stack.api, memory: 1024, timeout: 900 },
    { name: 'controller', fn: () => stack.controller, memory: 1024, timeout: 30 },
    { name: 'resync', fn: () => stack.resync, memory: 256, timeout: 60 },
    { name: 'notifier', fn: () => stack.notifier, memory: 256, timeout: 30 },
  ])('Should size $name at $memory MB and $timeout s', ({ name, fn, memory, timeout }) => {
    expect(functionProps(fn())).toMatchObject({ MemorySize: memory, Timeout: timeout });
    expect(functionProps(fn()).Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe(`rollway-${name}`);
  });

  it('Should give each function exactly the environment it reads', () => {
    const env = (fn: { function: IConstruct }) => Object.keys(functionProps(fn).Environment.Variables).sort();
    const common = ['LOG_LEVEL', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'ROLLWAY_RUNTIME', 'TABLE_NAME'];
    expect(env(stack.api)).toEqual([...common, 'ADMIN_TOKEN_SECRET_ARN', 'CONTROLLER_QUEUE_URL'].sort());
    expect(env(stack.controller)).toEqual([...common, 'CONTROLLER_QUEUE_URL', 'NOTIFY_QUEUE_URL'].sort());
    expect(env(stack.resync)).toEqual([...common, 'CONTROLLER_QUEUE_URL'].sort());
    expect(env(stack.notifier)).toEqual([...common, 'NOTIFY_QUEUE_URL'].sort());
  });

  it('Should keep retained log groups with a retention period', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    template.allResources('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 30 },
    });
  });
});

describe('event sources', () => {
  it('Should consume both queues with partial batch failures, batches of 10 and a concurrency cap', () => {
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
    expect(Object.keys(mappings)).toHaveLength(2);
    for (const m of Object.values(mappings)) {
      expect(m.Properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: expect.any(Number) },
      });
    }
  });

  it.each([
    { name: 'controller', queue: () => stack.controllerQueue, fn: () => stack.controller, cap: 20 },
    { name: 'notifier', queue: () => stack.notifyQueue, fn: () => stack.notifier, cap: 10 },
  ])('Should wire the $name queue to the $name function capped at $cap', ({ queue, fn, cap }) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(queue().queue), 'Arn'] },
      FunctionName: { Ref: logicalId(fn().function) },
      ScalingConfig: { MaximumConcurrency: cap },
    });
  });

  it('Should run the resync sweep every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(stack.resync.function), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(stack.resync.function) },
      MaximumRetryAttempts: 0,
    });
  });
});

describe('api entry point', () => {
  it('Should serve the api through a streaming function URL', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      InvokeMode: 'RESPONSE_STREAM',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack.api.function), 'Arn'] },
    });
  });

  it('Should export ApiUrl, AdminTokenSecretArn, TableName and ControllerQueueUrl', () => {
    template.hasOutput('ApiUrl', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'FunctionUrl'] } });
    template.hasOutput('AdminTokenSecretArn', { Value: { Ref: logicalId(stack.adminToken) } });
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.table) } });
    template.hasOutput('ControllerQueueUrl', { Value: { Ref: logicalId(stack.controllerQueue.queue) } });
  });

  it('Should generate the admin token at deploy time, never put it in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    const secret = Object.values(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(secret.Properties.SecretString).toBeUndefined();
  });
});

describe('iam', () => {
  const roleOf = (fn: { role: IConstruct }) => logicalId(fn.role);
  const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

  it('Should attach no managed policies to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('Should have no statement with a wildcard action, and Resource "*" only for X-Ray', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Json[],
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      for (const action of asArray<string>(s.Action)) expect(action).not.toMatch(/\*/);
      if (asArray(s.Resource).includes('*')) {
        expect(asArray(s.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
    }
  });

  it('Should let resync read the table and Query gsi2 only, never write', () => {
    const statements = statementsOf(roleOf(stack.resync));
    const actions = actionsOf(statements);
    for (const write of WRITES) expect(actions).not.toContain(write);
    expect(actions).toContain('dynamodb:Query');
    expect(JSON.stringify(statements)).not.toContain('/index/gsi1');
    expect(JSON.stringify(statements)).toContain('/index/gsi2');
    expect(actions).not.toContain('sqs:ReceiveMessage');
  });

  it('Should keep the api away from the notifications queue and give it the secret', () => {
    const statements = statementsOf(roleOf(stack.api));
    const text = JSON.stringify(statements);
    expect(text).not.toContain(logicalId(stack.notifyQueue.queue));
    expect(text).not.toContain(logicalId(stack.notifyQueue.deadLetterQueue));
    expect(actionsOf(statements)).not.toContain('sqs:ReceiveMessage');
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: logicalId(stack.adminToken) } }),
    );
  });

  it('Should grant the admin secret to the api only', () => {
    for (const fn of [stack.controller, stack.resync, stack.notifier]) {
      expect(actionsOf(statementsOf(roleOf(fn))).some((a) => a.startsWith('secretsmanager:'))).toBe(false);
    }
  });

  it('Should let the notifier consume and re-send notifications but not touch the controller queue', () => {
    const statements = statementsOf(roleOf(stack.notifier));
    expect(JSON.stringify(statements)).not.toContain(logicalId(stack.controllerQueue.queue));
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:SendMessage', ...WRITES]));
  });

  it('Should let the controller send to both queues and consume only its own', () => {
    const statements = statementsOf(roleOf(stack.controller));
    const sendTargets = statements
      .filter((s) => asArray(s.Action).includes('sqs:SendMessage'))
      .map((s) => s.Resource['Fn::GetAtt'][0]);
    expect(sendTargets.sort()).toEqual([logicalId(stack.controllerQueue.queue), logicalId(stack.notifyQueue.queue)].sort());
    const receiveTargets = statements
      .filter((s) => asArray(s.Action).includes('sqs:ReceiveMessage'))
      .map((s) => s.Resource['Fn::GetAtt'][0]);
    expect(receiveTargets).toEqual([logicalId(stack.controllerQueue.queue)]);
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it.each([
    { name: 'controller', dlq: () => stack.controllerQueue.deadLetterQueue },
    { name: 'notifications', dlq: () => stack.notifyQueue.deadLetterQueue },
  ])('Should alarm when the $name DLQ holds a message', ({ dlq }) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(dlq()), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(['Errors', 'Throttles'])('Should alarm on %s for every function', (metric) => {
    const watched = alarms()
      .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric)
      .map((a) => a.Dimensions[0].Value.Ref)
      .sort();
    expect(watched).toEqual(
      [stack.api, stack.controller, stack.resync, stack.notifier].map((f) => logicalId(f.function)).sort(),
    );
  });

  it('Should alarm on HTTP 5xx from the api function URL', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Url5xxCount',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.api.function) } }],
      Statistic: 'Sum',
      Threshold: 5,
    });
  });

  it('Should alarm when the resync sweep stops running', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.resync.function) } }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('Should send every alarm and recovery to the TLS-only alarm topic', () => {
    const topic = { Ref: logicalId(stack.alarms.topic) };
    for (const a of alarms()) {
      expect(a.AlarmActions).toEqual([topic]);
      expect(a.OKActions).toEqual([topic]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('cdk-nag', () => {
  /** acknowledgments lists every Validations acknowledgment in the tree as { path, id, reason }. */
  function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
    return root.node.findAll().flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
            path: c.node.path.replace(`${stack.stackName}/`, ''),
            id: id.replace(/^annotation::/i, ''),
            reason,
          })),
        ),
    );
  }

  it('Should report no unacknowledged AwsSolutions finding (error or warning)', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('Should still catch a finding (the check is not vacuous)', () => {
    const scratch = new Stack(new App(), 'Scratch');
    new Queue(scratch, 'Bare');
    const rules = new AwsSolutionsChecks().validateScope(scratch).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('Should acknowledge only the reviewed rules, each with a written reason', () => {
    const acks = acknowledgments(stack);
    for (const a of acks) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(60);
    // A new acknowledgment must be reviewed and added here.
    expect([...new Set(acks.map((a) => `${a.id} @ ${a.path.replace(/^(Api|Controller|Resync|Notifier)\//, '<fn>/')}`))].sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ <fn>/Role',
      'AwsSolutions-L1 @ <fn>/Handler',
      'AwsSolutions-SMG4 @ AdminToken',
      'AwsSolutions-SQS3 @ ControllerQueue/Dlq',
      'AwsSolutions-SQS3 @ NotifyQueue/Dlq',
    ]);
  });
});

describe('bundling', () => {
  // Real local esbuild bundling of each real entry through RollwayFunction, as `cdk synth` does it;
  // one test per entry so a function that does not compile names itself.
  it.each(['api', 'controller', 'resync', 'notifier'])(
    'Should bundle functions/%s/index.ts as an ESM index.mjs with the createRequire banner and a source map',
    (name) => {
      const app = new App();
      const scratch = new Stack(app, `Bundle-${name}`);
      new RollwayFunction(scratch, 'Fn', { name, entry: `functions/${name}/index.ts` });
      const assemblyDir = app.synth().directory;
      const assets = readdirSync(assemblyDir).filter((d) => d.startsWith('asset.'));
      expect(assets).toHaveLength(1);
      const dir = path.join(assemblyDir, assets[0]);
      expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    },
  );
});
