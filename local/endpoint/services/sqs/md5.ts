import { createHash } from 'node:crypto';

/** A message attribute as the SQS JSON API carries it (`BinaryValue` is base64). */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

/** Hex MD5 of a message body, as in `MD5OfMessageBody` (the SDK checks it). */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * Hex MD5 of message attributes, as in `MD5OfMessageAttributes`: attributes sorted by name, each
 * encoded as length-prefixed (4-byte big-endian) name, data type, a one-byte transport type
 * (1 for String/Number, 2 for Binary) and the length-prefixed value. Undefined for no attributes.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const put = (bytes: Buffer): void => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    hash.update(len);
    hash.update(bytes);
  };
  for (const name of names) {
    const value = attributes[name]!;
    put(Buffer.from(name, 'utf8'));
    put(Buffer.from(value.DataType, 'utf8'));
    if (value.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      put(Buffer.from(value.BinaryValue ?? '', 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      put(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
