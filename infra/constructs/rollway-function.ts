import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { repoRoot, type RollwayLogLevel } from '../config.js';
import { bindTable, type BindTableOptions } from './bind-table.js';

/**
 * ESM_REQUIRE_BANNER gives the ESM bundle a `require`, which CommonJS dependencies bundled by
 * esbuild call for Node built-ins (`require("crypto")` would otherwise throw "Dynamic require
 * of ... is not supported"). `createRequire` is imported under a private alias so a bundled
 * module importing `createRequire` itself cannot collide with the banner.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __rollwayCreateRequire } from 'node:module';" +
  'const require = __rollwayCreateRequire(import.meta.url);';

/** DEFAULT_BUNDLING is local esbuild (a devDependency), ESM, minified, with source maps. */
export const DEFAULT_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Bundle AWS SDK v3 instead of using the runtime's copy: Lambda runs exactly the SDK version
  // in package-lock.json, the one the local stack and tests ran, and tree-shaking keeps it small.
  externalModules: [],
};

const APPLICATION_LOG_LEVEL: Record<RollwayLogLevel, ApplicationLogLevel> = {
  DEBUG: ApplicationLogLevel.DEBUG,
  INFO: ApplicationLogLevel.INFO,
  WARN: ApplicationLogLevel.WARN,
  ERROR: ApplicationLogLevel.ERROR,
};

export interface RollwayFunctionProps
  extends Omit<NodejsFunctionProps, 'entry' | 'role' | 'logGroup' | 'logRetention' | 'bundling'> {
  /** Entry file relative to the repository root, e.g. `functions/api/index.ts`. */
  readonly entry: string;
  /** Short name (`api`, `controller`, ...): names the Powertools service and the alarms. */
  readonly name: string;
  /** Bundling options merged over DEFAULT_BUNDLING. */
  readonly bundling?: BundlingOptions;
  readonly logLevel?: RollwayLogLevel;
  /** Default one month. */
  readonly logRetention?: RetentionDays;
  /** Removal policy of the log group. Default RETAIN (logs outlive a stack for forensics). */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * RollwayFunction is a NodejsFunction with Rollway's defaults (Node.js 22 on arm64, ESM bundle,
 * JSON logs into an explicit log group with retention, X-Ray active tracing) merged with caller
 * props, and its own role with no managed policy.
 *
 * Why Tracing.ACTIVE rather than only the Powertools Tracer: active tracing is what makes Lambda
 * sample the invocation and record the service segment (init, duration, throttles, the SQS
 * trigger) with no code at all; the Powertools Tracer only adds subsegments and annotations
 * inside that segment and itself requires active tracing. The functions may add it later.
 *
 * Why an explicit role: the default role attaches AWSLambdaBasicExecutionRole, which may write
 * to any log group in the account (cdk-nag IAM4). This role may write only to its own group.
 */
export class RollwayFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly name: string;

  constructor(scope: Construct, id: string, props: RollwayFunctionProps) {
    super(scope, id);
    const { name, entry, bundling, logLevel = 'INFO', logRetention, logRemovalPolicy, ...rest } = props;
    this.name = name;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Rollway ${name} function (${Stack.of(this).stackName})`,
    });
    // CreateLogStream + PutLogEvents on this group only; the group exists, so no CreateLogGroup.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Handler', {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: APPLICATION_LOG_LEVEL[logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      handler: 'handler',
      description: `Rollway ${name}`,
      ...rest,
      entry: path.join(repoRoot, entry),
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      role: this.role,
      logGroup: this.logGroup,
      bundling: { ...DEFAULT_BUNDLING, ...bundling },
      environment: {
        ROLLWAY_RUNTIME: 'aws',
        POWERTOOLS_SERVICE_NAME: `rollway-${name}`,
        LOG_LEVEL: logLevel,
        // Stack traces through the bundled source map (sourceMap: true above).
        NODE_OPTIONS: '--enable-source-maps',
        ...rest.environment,
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is a fixed design decision: the code is written and tested for Node 20 (local ' +
        'stack) and Node 22 (Lambda), and 22 is an LTS runtime supported by Lambda until 2027. ' +
        'Node.js 24 moves in deliberately, with the local toolchain, not through a CDK upgrade.',
    });
    // Tracing.ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; AWS ' +
        'requires Resource "*" for them. These are the only actions on "*" in this role.',
    });
  }

  /** bindTable grants table access and sets TABLE_NAME; see bind-table.ts. */
  bindTable(options: BindTableOptions): this {
    bindTable(this.function, options);
    return this;
  }
}
