/**
 * Stack outputs with stable keys: people read them after `cdk deploy`, and the trigger CLI and the local engine
 * find resources by them. Outputs are created in the stack's own scope so each key is the output's logical id.
 */
import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { consoleLink } from './console-links';
import type { OrderFunction } from './order-function';

/** Adds one output `key` to the stack of `scope`. */
export function output(scope: Stack, key: string, value: string, description: string): CfnOutput {
  return new CfnOutput(scope, key, { value, description });
}

/** `<prefix>Url`, `<prefix>Arn`, `<prefix>Name` and `<prefix>ConsoleLink` of a queue. */
export function outputQueue(scope: Stack, prefix: string, queue: IQueue, what: string): void {
  output(scope, `${prefix}Url`, queue.queueUrl, `URL of ${what}`);
  output(scope, `${prefix}Arn`, queue.queueArn, `ARN of ${what}`);
  output(scope, `${prefix}Name`, queue.queueName, `Name of ${what}`);
  output(scope, `${prefix}ConsoleLink`, consoleLink.queue(queue.queueName), `Console: ${what}`);
}

/** `<prefix>Name`, `<prefix>Arn` and `<prefix>ConsoleLink` of a table. */
export function outputTable(scope: Stack, prefix: string, table: ITable, what: string): void {
  output(scope, `${prefix}Name`, table.tableName, `Name of ${what}`);
  output(scope, `${prefix}Arn`, table.tableArn, `ARN of ${what}`);
  output(scope, `${prefix}ConsoleLink`, consoleLink.table(table.tableName), `Console: items of ${what}`);
}

/** `<prefix>FunctionName`, `<prefix>FunctionArn`, `<prefix>FunctionConsoleLink`, `<prefix>LogGroupName`, `<prefix>LogsConsoleLink`. */
export function outputFunction(scope: Stack, prefix: string, fn: OrderFunction, what: string): void {
  output(scope, `${prefix}FunctionName`, fn.function.functionName, `Name of ${what}`);
  output(scope, `${prefix}FunctionArn`, fn.function.functionArn, `ARN of ${what}`);
  output(
    scope,
    `${prefix}FunctionConsoleLink`,
    consoleLink.lambdaFunction(fn.function.functionName),
    `Console: ${what}`,
  );
  output(scope, `${prefix}LogGroupName`, fn.logGroup.logGroupName, `Log group of ${what}`);
  output(scope, `${prefix}LogsConsoleLink`, consoleLink.logGroup(fn.logGroup.logGroupName), `Console: logs of ${what}`);
}
