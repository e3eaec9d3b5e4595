// The libraries users would otherwise pick, pointed at the same emulator.
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client'
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
