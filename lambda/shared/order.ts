/**
 * The one business payload every source carries: an order.
 *
 * Pure: no SDK, no environment, no clock. Every function validates its input with {@link validateOrder}.
 */
// zod/mini: the same validation as `zod`, but tree-shakable, so the bundle carries ~18 KB of Zod instead of ~450 KB
import * as z from 'zod/mini';

/** Failure drills every function recognizes (see README, "Failure drills"). */
export const DRILLS = ['error', 'error-once', 'timeout'] as const;

/** A failure drill: `error` fails every attempt, `error-once` only the first, `timeout` runs past the timeout. */
export type Drill = (typeof DRILLS)[number];

/** Shape of an order id a sender may choose: safe in a URL path segment and a DynamoDB key. */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Tells a missing required key from a value of the wrong type. */
function typeError(expected: string): (issue: { readonly input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
}

/**
 * The order as it arrives: `{ "orderId"?: string, "item": string, "quantity": positive integer, "drill"?: … }`.
 * Unknown keys are rejected so that a typo such as `"dril"` is reported instead of silently ignored.
 */
export const OrderSchema = z.strictObject(
  {
    orderId: z.optional(
      z
        .string({ error: 'must be a string' })
        .check(
          z.regex(ORDER_ID_PATTERN, { error: 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"' }),
        ),
    ),
    item: z
      .string({ error: typeError('a string') })
      .check(
        z.trim(),
        z.minLength(1, { error: 'must not be empty' }),
        z.maxLength(100, { error: 'must be at most 100 characters' }),
      ),
    quantity: z
      .number({ error: typeError('a number') })
      .check(z.int({ error: 'must be a whole number' }), z.positive({ error: 'must be a positive integer' })),
    drill: z.optional(z.enum(DRILLS, { error: `must be one of ${DRILLS.join(', ')}` })),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.join(', ')}; allowed: orderId, item, quantity, drill`
        : 'must be a JSON object',
  },
);

/** A validated order; `orderId` is always present (the sender's, or one derived from the delivery). */
export interface Order {
  readonly orderId: string;
  readonly item: string;
  readonly quantity: number;
  readonly drill?: Drill;
}

/** Business limits that come from run-time settings (Parameter Store). */
export interface OrderLimits {
  /** Largest quantity accepted. */
  readonly maxQuantity: number;
}

/** Result of validating one payload: an order, or the reason it was rejected. */
export type OrderValidation =
  { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly reason: string };

/**
 * Validates a decoded payload against {@link OrderSchema} and the limits.
 *
 * @param input the decoded JSON payload
 * @param fallbackOrderId id to use when the payload has none: derived from the delivery (request id, message id,
 *   sequence number…), so a redelivery of the same event maps to the same order
 */
export function validateOrder(input: unknown, fallbackOrderId: string, limits: OrderLimits): OrderValidation {
  const parsed = OrderSchema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => {
        const where = issue.path.length > 0 ? issue.path.join('.') : 'order';
        return `${where}: ${issue.message}`;
      })
      .join('; ');
    return { ok: false, reason: `invalid order: ${reason}` };
  }
  const { orderId, item, quantity, drill } = parsed.data;
  if (quantity > limits.maxQuantity) {
    return {
      ok: false,
      reason: `invalid order: quantity: ${quantity} exceeds the maximum of ${limits.maxQuantity}`,
    };
  }
  const order: Order = { orderId: orderId ?? fallbackOrderId, item, quantity, ...(drill ? { drill } : {}) };
  return { ok: true, order };
}

/** Parses JSON text and validates it as one order; a parse error becomes a rejection reason. */
export function parseOrder(
  text: string | null | undefined,
  fallbackOrderId: string,
  limits: OrderLimits,
): OrderValidation {
  const decoded = parseJson(text);
  return decoded.ok ? validateOrder(decoded.value, fallbackOrderId, limits) : decoded;
}

/** Result of decoding JSON text. */
export type JsonResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** Decodes JSON text without throwing. */
export function parseJson(text: string | null | undefined): JsonResult {
  if (text === null || text === undefined || text.trim() === '') {
    return { ok: false, reason: 'invalid order: the payload is empty' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'invalid order: the payload is not valid JSON' };
  }
}

/** Thrown by handlers for a rejected payload, so a batch item or an async event fails with the reason. */
export class InvalidOrderError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidOrderError';
  }
}
