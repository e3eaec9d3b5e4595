import type { CarrierAuth, CarrierProfile, CommonOptions } from '@carrier-auth/core'

export interface TestCredentials {
  clientId: string
  clientSecret: string
}

export interface TokenServerOptions {
  /** `expires_in` of every token. Default 3600. */
  expiresInSeconds?: number
  /** Hold every answer this long (changeable later with `setDelay`). Default 0. */
  delayMs?: number
}

export interface TokenServer {
  url: string
  /** Token requests received, answered or not. */
  stats: { tokenRequests: number }
  /** The access tokens issued, in order. */
  issued: string[]
  /** The only credentials it accepts (a wrong secret gets 401 invalid_client). */
  credentials: TestCredentials
  setDelay(ms: number): void
  close(): Promise<void>
}

export function startTokenServer(options?: TokenServerOptions): Promise<TokenServer>

export const testProfile: CarrierProfile<any, TestCredentials, 'test'>

export function testAuth(server: { url: string; credentials: TestCredentials }, options?: CommonOptions & { baseUrl?: string }): CarrierAuth
