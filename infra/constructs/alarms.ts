import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ServiceAlarmsProps {
  /** Optional address subscribed to the alarm topic (confirm the subscription e-mail). */
  readonly email?: string;
}

interface AlarmSpec {
  readonly name: string;
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparison?: ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly treatMissingData?: TreatMissingData;
}

/**
 * ServiceAlarms owns the alarm topic and the CloudWatch alarms, named `<stack>-<name>` so a pager
 * message says which stage and what broke. Every alarm notifies on ALARM and on OK.
 *
 * The topic enforces TLS for publishers (cdk-nag SNS3). It is not KMS-encrypted: CloudWatch
 * alarms cannot publish to a topic encrypted with the AWS-managed `aws/sns` key, and alarm
 * messages carry only alarm names and metric values, no tenant data.
 */
export class ServiceAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: `Rollway alarms (${Stack.of(this).stackName})`,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /**
   * watchFunction alarms on any Errors (an invocation that threw: for the SQS consumers that is a
   * whole-batch failure, since per-record failures are reported, not thrown) and any Throttles
   * (the account concurrency quota or a concurrency cap is biting) in a 5-minute window.
   */
  watchFunction(name: string, fn: LambdaFunction): this {
    const period = Duration.minutes(5);
    this.add({
      name: `${name}-errors`,
      description: `Rollway ${name}: invocations failed (Errors >= 1 in 5 min). See the function's log group.`,
      metric: fn.metricErrors({ period, statistic: 'Sum' }),
      threshold: 1,
    });
    this.add({
      name: `${name}-throttles`,
      description: `Rollway ${name}: invocations throttled (Throttles >= 1 in 5 min). Check account concurrency.`,
      metric: fn.metricThrottles({ period, statistic: 'Sum' }),
      threshold: 1,
    });
    return this;
  }

  /**
   * watchFunctionUrl alarms on server errors returned through the function URL (Url5xxCount, with
   * the FunctionName dimension: the URL on $LATEST). The app turns its own exceptions into
   * Kubernetes Status 500s instead of throwing, so the Errors metric alone misses them; 5 in
   * 5 minutes, so a single unlucky request does not page.
   */
  watchFunctionUrl(name: string, fn: LambdaFunction): this {
    this.add({
      name: `${name}-5xx`,
      description: `Rollway ${name}: 5 or more HTTP 5xx responses in 5 min. See the function's log group.`,
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Url5xxCount',
        dimensionsMap: { FunctionName: fn.functionName },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      threshold: 5,
    });
    return this;
  }

  /**
   * watchHeartbeat alarms when a scheduled function stopped running: fewer than one invocation
   * in 5 minutes of a 1-minute schedule, missing data counted as breaching. For the resync sweep
   * this is the alarm that says "no lost wake-up safety net".
   */
  watchHeartbeat(name: string, fn: LambdaFunction): this {
    this.add({
      name: `${name}-not-running`,
      description: `Rollway ${name}: no invocation in 5 min; the schedule or the function is broken.`,
      metric: fn.metricInvocations({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
    return this;
  }

  /** watchDeadLetterQueue alarms as soon as one message is visible in a DLQ. */
  watchDeadLetterQueue(name: string, dlq: IQueue): this {
    this.add({
      name: `${name}-dlq-not-empty`,
      description:
        `Rollway ${name}: messages in the dead-letter queue. Inspect them, fix the cause, then ` +
        `redrive (aws sqs start-message-move-task --source-arn <dlq arn>).`,
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
    });
    return this;
  }

  /**
   * watchQueueAge alarms when the oldest message has waited longer than `maxAge` for 3
   * consecutive minutes: consumers are failing, throttled or capped below the arrival rate.
   * Keep `maxAge` above the longest requeue delay (DelaySeconds, at most 900 s) so a delayed
   * re-check that is merely waiting its turn can never page anyone.
   */
  watchQueueAge(name: string, queue: IQueue, maxAge: Duration): this {
    this.add({
      name: `${name}-backlog`,
      description: `Rollway ${name}: oldest message older than ${maxAge.toSeconds()} s; consumers are behind.`,
      metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: maxAge.toSeconds(),
      evaluationPeriods: 3,
    });
    return this;
  }

  private add(spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, spec.name, {
      alarmName: `${Stack.of(this).stackName}-${spec.name}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
