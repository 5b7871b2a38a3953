/**
 * Checks DynamoDB makes before an operation runs, where dynalite (the engine underneath) checks
 * less or differently. Each returns the ValidationException message, or undefined when the input
 * may go on to the engine.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
 */

type Json = Readonly<Record<string, unknown>>;

/** A table ARN as the tagging operations accept it. @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html */
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Scan's parallel-scan parameters come as a pair (dynalite misses `Segment: 0` alone).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-Segment
 */
export function scanProblem(input: Json): string | undefined {
  if (present(input.Segment) && !present(input.TotalSegments))
    return 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present';
  return undefined;
}

/**
 * DeleteItem, like PutItem, only returns the old item.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html#DDB-DeleteItem-request-ReturnValues
 */
export function deleteItemProblem(input: Json): string | undefined {
  const returnValues = input.ReturnValues;
  if (returnValues === 'UPDATED_OLD' || returnValues === 'ALL_NEW' || returnValues === 'UPDATED_NEW')
    return 'ReturnValues can only be ALL_OLD or NONE';
  return undefined;
}

/**
 * TagResource, UntagResource and ListTagsOfResource take a table ARN; TagResource's tags each
 * need a key of 1-128 and a value of 0-256 characters.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html#TaggingRestrictions
 */
export function taggingProblem(operation: string, input: Json): string | undefined {
  const arn = input.ResourceArn;
  if (typeof arn === 'string' && !TABLE_ARN.test(arn))
    return `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`;
  if (operation !== 'TagResource' || !Array.isArray(input.Tags)) return undefined;
  const errors: string[] = [];
  (input.Tags as unknown[]).forEach((tag, i) => {
    const at = `tags.${i + 1}.member`;
    if (typeof tag !== 'object' || tag === null) {
      errors.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return;
    }
    const { Key, Value } = tag as Json;
    if (typeof Key !== 'string')
      errors.push(`Value null at '${at}.key' failed to satisfy constraint: Member must not be null`);
    else if (Key.length < 1 || Key.length > 128)
      errors.push(
        `Value '${Key}' at '${at}.key' failed to satisfy constraint: Member must have length between 1 and 128`,
      );
    if (typeof Value !== 'string')
      errors.push(`Value null at '${at}.value' failed to satisfy constraint: Member must not be null`);
    else if (Value.length > 256)
      errors.push(
        `Value '${Value}' at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
  });
  if (errors.length === 0) return undefined;
  return `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;
}
