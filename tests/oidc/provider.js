// A real OpenID Provider (the certified `oidc-provider`) for the OAuth tests, on 127.0.0.1 only.
// Usage: node provider.js <port> <clients.json>
// clients.json: {"assertion_jwks": {"keys": [...]}} — the public key of the private_key_jwt client.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const settings = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
// Any port on the loopback address: RFC 8252 section 7.3, and oidc-provider for native clients.
const redirectUris = ['http://127.0.0.1/oauth/callback'];
const grants = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];

const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const signingJwk = { ...signing.export({ format: 'jwk' }), kid: 'provider-key-1', alg: 'RS256', use: 'sig' };

function client(clientId, method, extra = {}) {
  return {
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: method,
    redirect_uris: redirectUris,
    grant_types: method === 'none' ? grants : [...grants, 'client_credentials'],
    response_types: ['code'],
    scope: 'openid profile email offline_access api:read',
    ...extra,
  };
}

const configuration = {
  clients: [
    client('public-app', 'none'),
    client('basic-app', 'client_secret_basic', { client_secret: 'basic-app-secret-0123456789abcdef' }),
    client('post-app', 'client_secret_post', { client_secret: 'post-app-secret-0123456789abcdef' }),
    client('jwt-app', 'private_key_jwt', {
      jwks: settings.assertion_jwks,
      token_endpoint_auth_signing_alg: 'RS256',
    }),
  ],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['test-provider-cookie-key-not-secret'] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'offline_access', 'api:read'],
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => false,
      getResourceServerInfo: () => ({
        scope: 'api:read',
        audience: 'urn:test:api',
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // Refresh tokens for every client allowed the grant, without the offline_access ceremony.
  issueRefreshToken: async (ctx, oidcClient) => oidcClient.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: 600, IdToken: 600, DeviceCode: 600, RefreshToken: 3600 },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`provider listening at ${issuer}`);
});
