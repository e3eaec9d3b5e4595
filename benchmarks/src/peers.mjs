// The libraries users would otherwise pick, pointed at the same emulator.
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client'
import * as openid from 'openid-client'
import { ClientCredentials } from 'simple-oauth2'

/** Packly's token endpoint as @badgateway/oauth2-client's OAuth2Fetch sees it. */
export function badgatewayFetch(emulator) {
  const client = new OAuth2Client({
    server: emulator.url,
    tokenEndpoint: '/v1/oauth2/token',
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    // Packly, like most carriers, decodes Basic credentials without RFC 6749's form-encoding.
    authenticationMethod: 'client_secret_basic_interop',
  })
  return new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials({ scope: ['external'] }) })
}

/** simple-oauth2 has no cache: the usual pattern keeps the last token and checks `expired()`. */
export function simpleOauth2(emulator) {
  const client = new ClientCredentials({
    client: { id: emulator.credentials.clientId, secret: emulator.credentials.clientSecret },
    auth: { tokenHost: emulator.url, tokenPath: '/v1/oauth2/token' },
    options: { authorizationMethod: 'header' },
  })
  let token
  return {
    async getToken() {
      if (!token || token.expired(60)) token = await client.getToken({ scope: 'external' })
      return token
    },
  }
}

/**
 * openid-client 6 as its docs show a client credentials grant: a Configuration from the server's
 * metadata (given by hand: Packly publishes no discovery document), Basic client authentication,
 * `clientCredentialsGrant()`; it caches nothing, so the token is kept until `expiresIn()` is
 * within a minute of its end. `fetch` is its `fetchProtectedResource()`.
 */
export function openidClient(emulator) {
  const config = new openid.Configuration(
    { issuer: emulator.url, token_endpoint: `${emulator.url}/v1/oauth2/token` },
    emulator.credentials.clientId,
    undefined,
    openid.ClientSecretBasic(emulator.credentials.clientSecret),
  )
  // The emulator listens on plain http on loopback.
  openid.allowInsecureRequests(config)
  let tokens
  async function getToken() {
    if (!tokens || (tokens.expiresIn() ?? 0) <= 60) tokens = await openid.clientCredentialsGrant(config, { scope: 'external' })
    return tokens
  }
  return {
    getToken,
    async fetch(url) {
      return openid.fetchProtectedResource(config, (await getToken()).access_token, new URL(url), 'GET')
    },
  }
}
