import type { Template } from 'aws-cdk-lib/assertions';
import { ITERATOR_AGE_ALARM_MS } from '../../../lib/constructs/pattern-dashboard';
import { getAttOf, refOf, renderTokens } from '../../helpers/intrinsics';
import { idOf, synthStacks } from '../../helpers/synth';

const { templates } = synthStacks();
const all = [
  ['RequestResponse', templates.requestResponse],
  ['AsyncEvents', templates.asyncEvents],
  ['StreamPolling', templates.streamPolling],
  ['QueuePolling', templates.queuePolling],
] as const;

type Resource = { readonly Type: string; readonly Properties: Record<string, unknown> };
/** `[namespace, metricName, dimensionName, dimensionValue, …, options]` as the dashboard JSON carries it. */
type MetricRow = readonly unknown[];
interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: MetricRow[]; readonly alarms?: string[] };
}

const resourcesOf = (t: Template): Record<string, Resource> => t.toJSON().Resources as Record<string, Resource>;
const idsOfType = (t: Template, type: string): string[] =>
  Object.entries(resourcesOf(t))
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);

function widgetsOf(t: Template): Widget[] {
  const [id] = idsOfType(t, 'AWS::CloudWatch::Dashboard');
  const body = renderTokens(resourcesOf(t)[id as string]?.Properties['DashboardBody']);
  return (JSON.parse(body) as { widgets: Widget[] }).widgets;
}

/** Each metric of the dashboard as `namespace metric {dimensions}`, e.g. `AWS/SQS ApproximateAgeOfOldestMessage`. */
function metricsOf(t: Template): { namespace: string; name: string; dimensions: Record<string, string> }[] {
  return widgetsOf(t).flatMap((w) =>
    (w.properties.metrics ?? []).map((row) => {
      const [namespace, name, ...rest] = row as [string, string, ...unknown[]];
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < rest.length && typeof rest[i] === 'string'; i += 2) {
        dimensions[rest[i] as string] = rest[i + 1] as string;
      }
      return { namespace, name, dimensions };
    }),
  );
}

/** The order functions (ours, not the CDK's internal handlers) of a template. */
const orderFunctions = (t: Template): string[] =>
  idsOfType(t, 'AWS::Lambda::Function').filter((id) =>
    Boolean(
      (resourcesOf(t)[id]?.Properties['Environment'] as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables?.['POWERTOOLS_SERVICE_NAME'],
    ),
  );

/** What each dimension must point at, by namespace: the resource type and how the value refers to it. */
const DIMENSION_TARGETS: Record<string, Record<string, { type: string; value: (id: string) => string }>> = {
  'AWS/Lambda': { FunctionName: { type: 'AWS::Lambda::Function', value: refOf } },
  'AWS/SQS': { QueueName: { type: 'AWS::SQS::Queue', value: (id) => getAttOf(id, 'QueueName') } },
  'AWS/SNS': { TopicName: { type: 'AWS::SNS::Topic', value: (id) => getAttOf(id, 'TopicName') } },
  'AWS/Kinesis': { StreamName: { type: 'AWS::Kinesis::Stream', value: refOf } },
};

describe('PatternDashboard', () => {
  test.each(all)('%s has one dashboard, linked from the outputs', (_n, t) => {
    expect(idsOfType(t, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(Object.keys(t.toJSON().Outputs as object)).toEqual(
      expect.arrayContaining(['DashboardName', 'DashboardConsoleLink']),
    );
  });

  test.each(all)(
    '%s: every metric has exactly the dimensions AWS publishes it with, naming a resource of the stack',
    (_n, t) => {
      const resources = resourcesOf(t);
      for (const metric of metricsOf(t)) {
        if (metric.namespace === 'AWS/ApiGateway') continue; // checked against the API below
        const targets = DIMENSION_TARGETS[metric.namespace];
        expect([metric.namespace, Object.keys(metric.dimensions)]).toEqual([
          metric.namespace,
          Object.keys(targets ?? { unknown: 0 }),
        ]);
        for (const [dimension, value] of Object.entries(metric.dimensions)) {
          const target = targets?.[dimension];
          const pointsAt = Object.entries(resources).filter(
            ([id, r]) => r.Type === target?.type && target.value(id) === value,
          );
          expect([metric.name, dimension, pointsAt.length]).toEqual([metric.name, dimension, 1]);
        }
      }
    },
  );

  test.each(all)(
    '%s shows invocations, errors, throttles, duration p50/p99 and concurrency of every function',
    (_n, t) => {
      const metrics = metricsOf(t).filter((m) => m.namespace === 'AWS/Lambda');
      for (const id of orderFunctions(t)) {
        const names = metrics.filter((m) => m.dimensions['FunctionName'] === refOf(id)).map((m) => m.name);
        expect(names).toEqual(
          expect.arrayContaining(['Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions']),
        );
        expect(names.filter((n) => n === 'Duration')).toHaveLength(2);
      }
    },
  );

  test('RequestResponse shows the API stage requests, 4XX, 5XX and latency with its name and stage', () => {
    const t = templates.requestResponse;
    const api = resourcesOf(t)[idsOfType(t, 'AWS::ApiGateway::RestApi')[0] as string];
    const stageId = idsOfType(t, 'AWS::ApiGateway::Stage')[0] as string;
    const apiMetrics = metricsOf(t).filter((m) => m.namespace === 'AWS/ApiGateway');
    expect(apiMetrics.map((m) => m.name).sort()).toEqual(['4XXError', '5XXError', 'Count', 'Latency', 'Latency']);
    for (const m of apiMetrics) {
      // Ref of a stage is its name
      expect(m.dimensions).toEqual({ ApiName: api?.Properties['Name'], Stage: refOf(stageId) });
    }
  });

  test('AsyncEvents shows the asynchronous metrics of both functions and the SNS failures', () => {
    const t = templates.asyncEvents;
    const names = (fnPrefix: string) =>
      metricsOf(t)
        .filter((m) => m.dimensions['FunctionName'] === refOf(idOf(t, 'AWS::Lambda::Function', fnPrefix)))
        .map((m) => m.name);
    for (const prefix of ['FilesHandler', 'NotificationsHandler']) {
      expect(names(prefix)).toEqual(
        expect.arrayContaining([
          'AsyncEventsReceived',
          'AsyncEventAge',
          'AsyncEventsDropped',
          'DestinationDeliveryFailures',
          'DeadLetterErrors',
        ]),
      );
    }
    expect(
      metricsOf(t)
        .filter((m) => m.namespace === 'AWS/SNS')
        .map((m) => m.name),
    ).toEqual(expect.arrayContaining(['NumberOfNotificationsFailed', 'NumberOfNotificationsRedrivenToDlq']));
  });

  test('StreamPolling shows the iterator age of both mappings and of the Kinesis stream', () => {
    const t = templates.streamPolling;
    const ages = metricsOf(t).filter((m) => m.name === 'IteratorAge');
    expect(ages.map((m) => m.dimensions['FunctionName']).sort()).toEqual(
      [
        refOf(idOf(t, 'AWS::Lambda::Function', 'StreamConsumerHandler')),
        refOf(idOf(t, 'AWS::Lambda::Function', 'ChangeConsumerHandler')),
      ].sort(),
    );
    expect(metricsOf(t).filter((m) => m.name === 'GetRecords.IteratorAgeMilliseconds')).toHaveLength(1);
  });

  test.each(all)('%s shows visible, in-flight and oldest-message age for every queue', (_n, t) => {
    for (const id of idsOfType(t, 'AWS::SQS::Queue')) {
      const names = metricsOf(t)
        .filter((m) => m.dimensions['QueueName'] === getAttOf(id, 'QueueName'))
        .map((m) => m.name);
      expect([id, names.sort()]).toEqual([
        id,
        [
          'ApproximateAgeOfOldestMessage',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesVisible',
        ],
      ]);
    }
  });
});

describe('alarms', () => {
  const alarmsOf = (t: Template) => idsOfType(t, 'AWS::CloudWatch::Alarm').map((id) => resourcesOf(t)[id] as Resource);
  const dims = (r: Resource) =>
    Object.fromEntries(
      (r.Properties['Dimensions'] as { Name: string; Value: unknown }[]).map((d) => [d.Name, renderTokens(d.Value)]),
    );

  test.each(all)('%s alarms on any error of every function', (_n, t) => {
    const errorAlarms = alarmsOf(t).filter((a) => a.Properties['MetricName'] === 'Errors');
    expect(errorAlarms.map((a) => dims(a)['FunctionName']).sort()).toEqual(orderFunctions(t).map(refOf).sort());
    for (const a of errorAlarms) {
      expect(a.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  test.each(all.slice(1))('%s alarms on any message in each DLQ and failure destination, and only those', (_n, t) => {
    const queueAlarms = alarmsOf(t).filter((a) => a.Properties['MetricName'] === 'ApproximateNumberOfMessagesVisible');
    // The failure-path queues are exactly the queues that nothing consumes and that are not the success destination
    const consumed = Object.values(resourcesOf(t))
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
      .map((r) => renderTokens(r.Properties['EventSourceArn']));
    const failurePath = idsOfType(t, 'AWS::SQS::Queue').filter(
      (id) => !consumed.includes(getAttOf(id, 'Arn')) && !id.includes('Success'),
    );
    expect(queueAlarms.map((a) => dims(a)['QueueName']).sort()).toEqual(
      failurePath.map((id) => getAttOf(id, 'QueueName')).sort(),
    );
    expect(failurePath.length).toBeGreaterThanOrEqual(2);
    for (const a of queueAlarms) expect(a.Properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
  });

  test('StreamPolling alarms when a mapping iterator age passes the threshold', () => {
    const ageAlarms = alarmsOf(templates.streamPolling).filter((a) => a.Properties['MetricName'] === 'IteratorAge');
    expect(ageAlarms).toHaveLength(2);
    for (const a of ageAlarms)
      expect(a.Properties).toMatchObject({ Threshold: ITERATOR_AGE_ALARM_MS, Statistic: 'Maximum' });
  });

  test.each(all)('%s shows every alarm on the dashboard, with no notification target', (_n, t) => {
    const alarmWidget = widgetsOf(t).find((w) => w.type === 'alarm');
    expect(alarmWidget?.properties.alarms?.sort()).toEqual(
      idsOfType(t, 'AWS::CloudWatch::Alarm')
        .map((id) => getAttOf(id, 'Arn'))
        .sort(),
    );
    for (const a of alarmsOf(t)) expect(a.Properties['AlarmActions']).toBeUndefined();
  });
});
