import type { Clock } from '../core/clock';

/**
 * A token bucket as API Gateway throttles with: `burstLimit` tokens at most, refilled at
 * `rateLimit` tokens per second of its clock (real time in the gateway); each request takes one token.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly rateLimit: number,
    readonly burstLimit: number,
    private readonly clock: Clock,
  ) {
    if (!(rateLimit >= 0)) throw new Error(`rateLimit must be >= 0 (given ${rateLimit})`);
    if (!(burstLimit >= 0)) throw new Error(`burstLimit must be >= 0 (given ${burstLimit})`);
    this.tokens = burstLimit;
    this.updatedAt = clock.now();
  }

  /** Takes a token if one is left; false means "429 Too Many Requests". */
  tryTake(): boolean {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burstLimit, this.tokens + elapsedSeconds * this.rateLimit);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
