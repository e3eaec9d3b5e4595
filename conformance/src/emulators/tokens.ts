import { randomBytes } from 'node:crypto'
import type { IssuedToken, Redemption } from '@carrier-auth/core'
import type { Clock } from './types.js'

/** 32 url-safe characters of randomness (24 bytes): never guessable, never shared between tests. */
export function mintToken(): string {
  return randomBytes(24).toString('base64url')
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 32 letters and digits, like the client ids and keys in the carriers' doc samples. */
export function mintCredential(): string {
  let out = ''
  while (out.length < 32) {
    // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
    for (const byte of randomBytes(40)) if (byte < 248 && out.length < 32) out += ALPHANUMERIC[byte % 62]
  }
  return out
}

export type { IssuedToken, Redemption }

/** Access tokens this emulator handed out, judged by the emulator's own clock. */
export class AccessTokenLedger {
  readonly issued: string[] = []
  private readonly expiresAt = new Map<string, number>()

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  issue(): IssuedToken {
    const accessToken = mintToken()
    const issuedAtMs = this.clock.now()
    this.issued.push(accessToken)
    this.expiresAt.set(accessToken, issuedAtMs + this.ttlSeconds * 1000)
    return { accessToken, issuedAtMs, expiresInSeconds: this.ttlSeconds }
  }

  /** For a response that lost the token on the way (a fault): it was never handed out. */
  withdraw(accessToken: string): void {
    this.expiresAt.delete(accessToken)
    const index = this.issued.lastIndexOf(accessToken)
    if (index >= 0) this.issued.splice(index, 1)
  }

  isLive(accessToken: string): boolean {
    const expiresAt = this.expiresAt.get(accessToken)
    return expiresAt !== undefined && this.clock.now() < expiresAt
  }

  revokeAll(): void {
    this.expiresAt.clear()
  }
}

/**
 * Single-use secrets bound to what they were issued for (authorization codes, refresh tokens). A
 * redeemed secret is remembered, so a replay can be told apart from a made-up value.
 */
export class SingleUseSecrets<T> {
  private readonly entries = new Map<string, { binding: T; expiresAt: number; used: boolean }>()

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
    private readonly onIssue: (secret: string) => void = () => {},
  ) {}

  issue(binding: T): string {
    const secret = mintToken()
    this.onIssue(secret)
    this.entries.set(secret, { binding, expiresAt: this.clock.now() + this.ttlMs, used: false })
    return secret
  }

  redeem(secret: string): Redemption<T> {
    const entry = this.entries.get(secret)
    if (!entry) return { outcome: 'unknown' }
    if (entry.used) return { outcome: 'replayed', binding: entry.binding }
    entry.used = true
    if (this.clock.now() >= entry.expiresAt) return { outcome: 'expired' }
    return { outcome: 'redeemed', binding: entry.binding }
  }
}
