import { jsonReply, textReply, type Reply } from './reply.js'
import type { Clock, Fault } from './types.js'

/** Injected faults, first in first out; a fault with `times: n` answers the next n token requests. */
export class FaultQueue {
  private readonly queue: Array<{ fault: Fault; remaining: number }> = []

  push(fault: Fault): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault ${fault.type}: times must be a positive integer`)
    if ((fault.type === 'slow' || fault.type === 'slow_rejection') && !(fault.delayMs >= 0)) throw new RangeError(`fault ${fault.type}: delayMs must be a non-negative number`)
    if (fault.type === 'redirect' && fault.status !== 307 && fault.status !== 308) throw new RangeError('fault redirect: status must be 307 or 308')
    this.queue.push({ fault, remaining: times })
  }

  take(): Fault | undefined {
    const head = this.queue[0]
    if (!head) return undefined
    if (--head.remaining === 0) this.queue.shift()
    return head.fault
  }

  clear(): void {
    this.queue.length = 0
  }
}

/**
 * The answer of a fault that replaces the carrier entirely (an overloaded gateway, a proxy, a cut
 * cable); `undefined` for faults that shape the carrier's own answer instead.
 */
export function transportFaultReply(fault: Fault, clock: Clock): Reply | undefined {
  switch (fault.type) {
    case 'server_error':
      return jsonReply(fault.status ?? 503, { error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable. Try again later.' })
    case 'rate_limited': {
      const seconds = fault.retryAfterSeconds ?? 1
      const retryAfter = fault.retryAfterAsDate ? new Date(clock.now() + seconds * 1000).toUTCString() : String(seconds)
      return jsonReply(429, { error: 'too_many_requests', error_description: 'Rate limit exceeded.' }, 'application/json', { 'retry-after': retryAfter })
    }
    case 'malformed_json':
      return { ...textReply(200, '{"token_type":"bearer","access_token":"', 'application/json'), offSpec: true }
    case 'html_error_page': {
      const status = fault.status ?? 200
      const page = `<!DOCTYPE html>\n<html><head><title>${status === 200 ? 'Sign in to the network' : 'Bad Gateway'}</title></head><body><h1>${status === 200 ? 'Please sign in to continue' : 'Bad Gateway'}</h1></body></html>\n`
      return { ...textReply(status, page, 'text/html; charset=utf-8'), offSpec: true }
    }
    case 'drop_connection':
      return { status: 0, headers: {}, drop: true, offSpec: true }
    default:
      return undefined
  }
}
