import type { AssemblyModel, ResourceModel, StackModel } from '../assembly/model';
import { AwsError, serveQuery, type XmlObject, type XmlValue } from '../endpoint/protocols/query';
import type { EndpointContext, LocalService, ServiceRequest, ServiceResponse } from '../endpoint/types';

/** The Query namespace of CloudFormation's responses. */
const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** Options of {@link cloudFormationService}. */
export interface CloudFormationServiceOptions {
  /** The deployed model, read on every request so a later deploy shows up; undefined before the first. */
  readonly model: () => AssemblyModel | undefined;
  /** When the stacks were deployed (`CreationTime`). @default the time the service was created */
  readonly deployedAt?: () => Date;
}

/** The local CloudFormation API: read-only views of the deployed stacks. */
export interface CloudFormationService extends LocalService {
  readonly name: 'cloudformation';
}

/**
 * CloudFormation's read API for the stacks the engine deployed, so the trigger CLI finds stack
 * outputs the same way locally and on AWS: DescribeStacks, ListStacks, ListStackResources,
 * DescribeStackResources, DescribeStackResource and ListExports, over the AWS Query protocol.
 * Every stack is `CREATE_COMPLETE`; resources the engine skips are listed with the reason.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/Welcome.html
 */
export function cloudFormationService(
  opts: CloudFormationServiceOptions,
): (ctx: EndpointContext) => CloudFormationService {
  return () => {
    const createdAt = new Date();
    const deployedAt = (): string => (opts.deployedAt?.() ?? createdAt).toISOString();
    const stacks = (): readonly StackModel[] => opts.model()?.stacks ?? [];

    /** A stack by name or stack id; ValidationError like AWS for an unknown one. */
    const stackOf = (p: URLSearchParams, required = true): StackModel | undefined => {
      const name = p.get('StackName');
      if (name === null || name === '') {
        if (required) throw new AwsError('ValidationError', '1 validation error detected: StackName must not be null');
        return undefined;
      }
      const found = stacks().find((s) => s.stackName === name || s.stackId === name);
      // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
      if (!found) throw new AwsError('ValidationError', `Stack with id ${name} does not exist`);
      return found;
    };

    const stackXml = (s: StackModel): XmlObject => ({
      StackId: s.stackId,
      StackName: s.stackName,
      Description: s.description,
      CreationTime: deployedAt(),
      StackStatus: 'CREATE_COMPLETE',
      DisableRollback: false,
      Outputs: s.outputs.map((o) => ({
        OutputKey: o.key,
        OutputValue: o.value,
        Description: o.description,
        ExportName: o.exportName,
      })),
      Tags: [],
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    });

    const reasonOf = (r: ResourceModel): string | undefined => {
      if (r.disposition === 'deployed') return undefined;
      const label = { applied: 'Applied locally', skipped: 'Skipped locally', unsupported: 'Not supported locally' }[
        r.disposition
      ];
      return r.note ? `${label}: ${r.note}` : label;
    };

    const resourceXml = (s: StackModel, r: ResourceModel, withStack: boolean, timeKey: string): XmlObject => ({
      ...(withStack && { StackName: s.stackName, StackId: s.stackId }),
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      [timeKey]: deployedAt(),
      ResourceStatus: 'CREATE_COMPLETE',
      ResourceStatusReason: reasonOf(r),
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    });

    const actions: Record<string, (p: URLSearchParams) => XmlValue> = {
      /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html */
      DescribeStacks: (p) => {
        const one = stackOf(p, false);
        return { Stacks: (one ? [one] : stacks()).map(stackXml) };
      },
      /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html */
      ListStacks: (p) => {
        const filter = [...p.entries()].filter(([k]) => k.startsWith('StackStatusFilter.member.')).map(([, v]) => v);
        const listed = filter.length === 0 || filter.includes('CREATE_COMPLETE') ? stacks() : [];
        return {
          StackSummaries: listed.map((s) => ({
            StackId: s.stackId,
            StackName: s.stackName,
            TemplateDescription: s.description,
            CreationTime: deployedAt(),
            StackStatus: 'CREATE_COMPLETE',
            DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
          })),
        };
      },
      /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html */
      ListStackResources: (p) => {
        const s = stackOf(p) as StackModel;
        return { StackResourceSummaries: s.resources.map((r) => resourceXml(s, r, false, 'LastUpdatedTimestamp')) };
      },
      /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html */
      DescribeStackResources: (p) => {
        const physical = p.get('PhysicalResourceId');
        let s = stackOf(p, false);
        if (!s && physical) s = stacks().find((st) => st.resources.some((r) => r.physicalId === physical));
        if (!s) {
          throw new AwsError(
            'ValidationError',
            physical
              ? `Stack for ${physical} does not exist`
              : 'Either StackName or PhysicalResourceId must be specified.',
          );
        }
        const logical = p.get('LogicalResourceId');
        const stack = s;
        const listed = stack.resources.filter(
          (r) => (!logical || r.logicalId === logical) && (!physical || r.physicalId === physical),
        );
        return { StackResources: listed.map((r) => resourceXml(stack, r, true, 'Timestamp')) };
      },
      /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResource.html */
      DescribeStackResource: (p) => {
        const s = stackOf(p) as StackModel;
        const logical = p.get('LogicalResourceId') ?? '';
        const r = s.resources.find((x) => x.logicalId === logical);
        if (!r) throw new AwsError('ValidationError', `Resource ${logical} does not exist for stack ${s.stackName}`);
        return { StackResourceDetail: { ...resourceXml(s, r, true, 'LastUpdatedTimestamp'), Metadata: '{}' } };
      },
      /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListExports.html */
      ListExports: () => ({
        Exports: stacks().flatMap((s) =>
          s.outputs
            .filter((o) => o.exportName !== undefined)
            .map((o) => ({ ExportingStackId: s.stackId, Name: o.exportName, Value: o.value })),
        ),
      }),
    };

    return {
      name: 'cloudformation',
      handle: (req: ServiceRequest): Promise<ServiceResponse> =>
        serveQuery(req, { xmlns: XMLNS, serviceLabel: 'CloudFormation service' }, actions),
    };
  };
}
