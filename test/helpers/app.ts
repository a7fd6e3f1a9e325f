import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db/client.js';
import type { RateLimits } from '../../src/platform/deps.js';
import { createMailer, readOutbox, type Mailer } from '../../src/platform/mail/mailer.js';
import { signUp } from '../../src/features/accounts/service.js';
import { openTestDatabase } from './database.js';

const generous = { max: 10_000, timeWindow: 60_000 };

export interface TestWorld {
  app: FastifyInstance;
  database: Database;
  mailer: Mailer;
  /** An agent that keeps cookies and CSRF tokens, like one browser. */
  agent(): Agent;
  /** Creates an account directly (the first one becomes the site administrator). */
  createUser(
    pseudonym: string,
    password?: string,
  ): Promise<{ id: number; email: string; password: string; pseudonym: string }>;
  /** An agent already logged in as a new user. */
  member(pseudonym: string): Promise<Agent>;
  outbox(): ReturnType<typeof readOutbox>;
  close(): Promise<void>;
}

export async function createWorld(opts: { limits?: Partial<RateLimits>; baseUrl?: string } = {}): Promise<TestWorld> {
  const database = await openTestDatabase();
  const mailer = createMailer({ db: database.db, smtpUrl: undefined, from: 'Mutual <no-reply@test>' });
  const app = await buildApp({
    database,
    mailer,
    baseUrl: opts.baseUrl ?? 'http://localhost:3000',
    cookieSecret: 'test-secret-that-is-long-enough-for-cookies',
    logLevel: 'silent',
    limits: {
      signUp: generous,
      logIn: generous,
      post: generous,
      passwordReset: generous,
      ...opts.limits,
    },
  });
  await app.ready();
  const world: TestWorld = {
    app,
    database,
    mailer,
    agent: () => new Agent(app),
    async createUser(pseudonym, password = 'correct horse battery') {
      const email = `${pseudonym.toLowerCase().replace(/[^a-z0-9]/g, '')}@example.org`;
      const user = await signUp(database.db, { email, password, pseudonym });
      return { id: user.id, email, password, pseudonym };
    },
    async member(pseudonym) {
      const user = await world.createUser(pseudonym);
      const agent = world.agent();
      await agent.logIn(user.email, user.password);
      return agent;
    },
    outbox: () => readOutbox(database.db),
    async close() {
      await app.close();
      await database.close();
    },
  };
  return world;
}

/** One browser's worth of state over app.inject: cookies and the page's CSRF token. */
export class Agent {
  private cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.maxAge === 0 || c.value === '' || (c.expires && c.expires.getTime() < Date.now()))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    // Signed-in pages give htmx the token; a visitor's pages only in the forms that need one.
    const token =
      /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(res.body)?.[1] ??
      /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }

  /** Posts a form as a browser would, with the CSRF token from the last page seen. */
  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    opts: { htmx?: boolean; csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    // A signed-in page carries the token for htmx; a visitor's, only the pages with a form.
    if (opts.csrf === undefined && !this.csrf) await this.get('/groups');
    if (opts.csrf === undefined && !this.csrf) await this.get('/login');
    const params = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token && !opts.htmx) params.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) params.append(k, item);
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
      ...opts.headers,
    };
    if (opts.htmx) {
      headers['hx-request'] = 'true';
      if (token) headers['x-csrf-token'] = token;
    }
    const res = await this.app.inject({ method: 'POST', url, payload: params.toString(), headers });
    this.remember(res);
    return res;
  }

  async logIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode}`);
    return res;
  }
}

/** The visible text of an HTML response, tags stripped, for asserting what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
