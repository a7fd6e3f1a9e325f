import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApiToken } from '../../src/features/api/index.js';
import type { Db } from '../../src/platform/db/client.js';
import { apiScopes, type ApiScope } from '../../src/platform/http/api.js';

/** A program calling the JSON API with a bearer token (or none), as `curl` would: no cookies. */
export class ApiClient {
  constructor(
    private readonly app: FastifyInstance,
    readonly token: string | null,
  ) {}

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body: unknown = {}) {
    return this.request('POST', url, body);
  }
  put(url: string, body: unknown = {}) {
    return this.request('PUT', url, body);
  }
  patch(url: string, body: unknown = {}) {
    return this.request('PATCH', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}

/** A token for a person straight from the service (every scope unless told), and a client using it. */
export async function apiClientFor(
  app: FastifyInstance,
  db: Db,
  userId: number,
  opts: { scopes?: ApiScope[]; organisationId?: number } = {},
): Promise<ApiClient> {
  const { token } = await createApiToken(db, userId, {
    name: 'test',
    scopes: opts.scopes ?? [...apiScopes],
    expiresAt: null,
    organisationId: opts.organisationId ?? null,
  });
  return new ApiClient(app, token);
}
