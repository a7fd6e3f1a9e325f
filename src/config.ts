import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { JanusSettings } from './platform/media/janus.js';
import type { TurnSettings } from './platform/media/turn.js';

/**
 * Every setting Mutual reads from the environment, with its default and meaning.
 * README.md's configuration table is checked against this list by test/config.test.ts.
 */
export const settings = {
  PORT: { default: '3000', doc: 'TCP port the web server listens on.' },
  HOST: { default: '0.0.0.0', doc: 'Address the web server binds to.' },
  DATA_DIR: {
    default: './data',
    doc: 'Folder for the embedded database (PGlite) and the generated session secret.',
  },
  DATABASE_URL: {
    default: '',
    doc: 'A PostgreSQL connection URL (postgres://user:pass@host:5432/db). When set, Mutual uses that server instead of the embedded database.',
  },
  BASE_URL: {
    default: 'http://localhost:3000',
    doc: 'The public address of the site, used in links and to decide whether cookies are Secure (https).',
  },
  SESSION_SECRET: {
    default: '',
    doc: 'Secret used to sign cookies (at least 32 characters). Generated and kept in DATA_DIR/session-secret when absent.',
  },
  SMTP_URL: {
    default: '',
    doc: 'Outgoing mail server, e.g. smtp://user:pass@host:587. Without it, mail is kept in an outbox that site admins read at /admin/outbox.',
  },
  MAIL_FROM: { default: 'Mutual <no-reply@localhost>', doc: 'The From address of mail Mutual sends.' },
  MAIL_DOMAIN: {
    default: '',
    doc: 'The mail domain of group addresses (caregivers@MAIL_DOMAIN), reply-by-email and bounce addresses; its MX must point at the inbound mail server. Defaults to the host name of BASE_URL.',
  },
  MAIL_INBOUND_PORT: {
    default: '2525',
    doc: 'Port of the inbound mail server that takes replies, new discussions by email and bounces (on HOST). off: no inbound server.',
  },
  MAIL_MAX_BYTES: {
    default: '10485760',
    doc: 'The largest message the inbound mail server accepts, in bytes (10 MB).',
  },
  FILES_MAX_BYTES: {
    default: '10485760',
    doc: 'The largest image or file a member may upload, in bytes (10 MB); groups may set a lower limit. See docs/files.md.',
  },
  FILES_IMAGE_MAX_EDGE: {
    default: '2048',
    doc: 'Uploaded images are made at most this many pixels wide and high (the longest edge) before they are stored.',
  },
  FILES_IMAGE_MAX_PIXELS: {
    default: '50000000',
    doc: 'Images with more pixels than this (width × height) are refused before they are decoded.',
  },
  S3_ENDPOINT: {
    default: '',
    doc: 'With S3_BUCKET and the S3 keys, uploads are kept in S3-compatible object storage at this address (https://s3.eu-west-1.amazonaws.com, a MinIO server…) rather than DATA_DIR/files, so several web processes share them.',
  },
  S3_BUCKET: { default: '', doc: 'The bucket uploads are kept in (with S3_ENDPOINT).' },
  S3_REGION: { default: 'us-east-1', doc: "The bucket's region (with S3_ENDPOINT)." },
  S3_ACCESS_KEY_ID: { default: '', doc: 'The access key id for S3_BUCKET.' },
  S3_SECRET_ACCESS_KEY: { default: '', doc: 'The secret access key for S3_BUCKET.' },
  S3_FORCE_PATH_STYLE: {
    default: 'false',
    doc: 'true: address the bucket as ENDPOINT/BUCKET/key rather than BUCKET.ENDPOINT/key (MinIO and most self-hosted servers need true).',
  },
  DKIM_SELECTOR: {
    default: '',
    doc: 'With DKIM_PRIVATE_KEY_FILE, signs outgoing mail with DKIM for MAIL_DOMAIN under this selector (publish the key at <selector>._domainkey.<MAIL_DOMAIN>).',
  },
  DKIM_PRIVATE_KEY_FILE: {
    default: '',
    doc: 'A PEM file holding the DKIM private key; needed with DKIM_SELECTOR.',
  },
  RATE_LIMIT_FACTOR: {
    default: '1',
    doc: 'Multiplies every rate limit (sign-up, login, posting, and the posting limits of each trust level). Raise it only for load tests (npm run bench does).',
  },
  LOG_LEVEL: { default: 'info', doc: 'pino log level: fatal, error, warn, info, debug, trace or silent.' },
  TRUST_PROXY: {
    default: 'false',
    doc: 'Set to true behind a reverse proxy so client addresses (for rate limits) come from X-Forwarded-For.',
  },
  STRIPE_SECRET_KEY: {
    default: '',
    doc: 'A Stripe secret key (sk_… or rk_…) to let members pay group fees by card. Without it, card payments are off and treasurers record payments by hand.',
  },
  STRIPE_WEBHOOK_SECRET: {
    default: '',
    doc: 'The signing secret (whsec_…) of the Stripe webhook endpoint BASE_URL/webhooks/stripe; needed with STRIPE_SECRET_KEY, so card payments are confirmed.',
  },
  MUTUAL_ROLE: {
    default: 'all',
    doc: 'What this process does: all (web pages and background jobs, in one process), web (pages only) or worker (jobs only, such as sending mail). web and worker need DATABASE_URL.',
  },
  WEB_PROCESSES: {
    default: '1',
    doc: 'How many web processes to run on this machine, sharing PORT (Node cluster). Above 1 needs DATABASE_URL and REDIS_URL.',
  },
  REDIS_URL: {
    default: '',
    doc: 'A Redis server (redis://host:6379 or rediss://…). When set, web processes share live events (pub/sub) and rate limits through it; needed for more than one web process.',
  },
  REDIS_PREFIX: {
    default: 'mutual:',
    doc: 'Prefix for Mutual’s Redis keys and channels, so several sites (or test runs) can share one Redis server.',
  },
  LINK_PREVIEWS: {
    default: 'on',
    doc: 'on: the server fetches a short text preview (title, description, site name) of public http(s) links in posts, no images; off: it fetches nothing from other sites.',
  },
  VAPID_PUBLIC_KEY: {
    default: '',
    doc: 'The public key push services check Mutual’s Web Push messages against (base64url, as web-push generate-vapid-keys prints it); set with VAPID_PRIVATE_KEY. Without both, a pair is generated and kept in DATA_DIR/vapid.json. Set them when several machines send pushes and share no disk: every process must use the same pair.',
  },
  VAPID_PRIVATE_KEY: {
    default: '',
    doc: 'The private half of VAPID_PUBLIC_KEY (base64url). Changing the pair stops every device’s push notifications until its owner turns them on again.',
  },
  VAPID_SUBJECT: {
    default: '',
    doc: 'How a push service can reach the site’s operator: a mailto: address or an https: page. Defaults to BASE_URL when it is https, else the address in MAIL_FROM.',
  },
  PUSH_PRIVATE_NETWORK: {
    default: 'off',
    doc: 'on: push subscriptions may point at private or loopback addresses, and at plain http (a push service on your own network, or tests); off: public https push services only.',
  },
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: {
    default: 'off',
    doc: 'on: webhooks may be registered at, and delivered to, plain http and private, loopback or link-local addresses (receivers on your own network, or tests); off: public https addresses only.',
  },
  CIRCLE_MESH_LIMIT: {
    default: '6',
    doc: 'How many people a voice or video circle holds with browsers connected to each other directly (a mesh: each sends to every other). Past it, a circle moves to Janus when JANUS_URL is set, and is full when it is not.',
  },
  TURN_URLS: {
    default: '',
    doc: 'The TURN server (coturn) voice and video circles use, as comma-separated turn: and turns: URLs, e.g. turn:turn.example.org:3478,turns:turn.example.org:5349?transport=tcp. Needed, with TURN_SECRET, for "hide my network address" and for people behind strict firewalls. See docs/deploy.md.',
  },
  TURN_SECRET: {
    default: '',
    doc: "coturn's static-auth-secret (use-auth-secret), at least 16 characters: Mutual makes short-lived TURN credentials with it for people admitted to a circle.",
  },
  TURN_TTL_SECONDS: {
    default: '600',
    doc: 'How long the TURN credentials a person is given stay valid, in seconds (a new join gets new ones).',
  },
  JANUS_URL: {
    default: '',
    doc: "The HTTP API of the Janus media server (Debian's janus), e.g. http://127.0.0.1:8088/janus. Set, circles may grow past CIRCLE_MESH_LIMIT: they move to Janus (AudioBridge for voice, VideoRoom for video). Only Mutual talks to this address; keep it off the internet. See docs/deploy.md.",
  },
  JANUS_API_SECRET: {
    default: '',
    doc: "Janus's api_secret (janus.jcfg), when set there: Mutual sends it with every request.",
  },
} as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().min(1),
  DATA_DIR: z.string().min(1),
  DATABASE_URL: z
    .string()
    .refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://'),
  BASE_URL: z.url(),
  SESSION_SECRET: z.string().refine((v) => v === '' || v.length >= 32, 'must be at least 32 characters'),
  SMTP_URL: z.string().refine((v) => v === '' || /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://'),
  MAIL_FROM: z.string().min(3),
  MAIL_DOMAIN: z
    .string()
    .refine(
      (v) => v === '' || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(v),
      'must be a domain name, e.g. lists.example.org',
    ),
  MAIL_INBOUND_PORT: z.union([z.literal('off'), z.coerce.number().int().min(1).max(65535)], {
    error: 'must be a port number or off',
  }),
  MAIL_MAX_BYTES: z.coerce.number('must be a number of bytes').int().min(10_000).max(200_000_000),
  FILES_MAX_BYTES: z.coerce.number('must be a number of bytes').int().min(10_000).max(1_000_000_000),
  FILES_IMAGE_MAX_EDGE: z.coerce.number('must be a number of pixels').int().min(100).max(16_384),
  FILES_IMAGE_MAX_PIXELS: z.coerce.number('must be a number of pixels').int().min(10_000).max(1_000_000_000),
  S3_ENDPOINT: z.string().refine((v) => v === '' || /^https?:\/\//.test(v), 'must start with https:// or http://'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9.-]{0,63}$/, 'must be a bucket name: lower-case letters, digits, dots and dashes'),
  S3_REGION: z.string().min(1),
  S3_ACCESS_KEY_ID: z.string(),
  S3_SECRET_ACCESS_KEY: z.string(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
  DKIM_SELECTOR: z.string().regex(/^[\w.-]*$/, 'use letters, digits, dots, dashes or underscores'),
  DKIM_PRIVATE_KEY_FILE: z.string(),
  RATE_LIMIT_FACTOR: z.coerce.number().positive(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  TRUST_PROXY: z.enum(['true', 'false']).transform((v) => v === 'true'),
  STRIPE_SECRET_KEY: z.string().refine((v) => v === '' || /^(sk|rk)_\w+$/.test(v), 'must start with sk_ or rk_'),
  STRIPE_WEBHOOK_SECRET: z.string().refine((v) => v === '' || /^whsec_\w+$/.test(v), 'must start with whsec_'),
  MUTUAL_ROLE: z.enum(['all', 'web', 'worker'], 'must be all, web or worker'),
  WEB_PROCESSES: z.coerce.number('must be a whole number from 1 to 64').int().min(1).max(64),
  REDIS_URL: z.string().refine((v) => v === '' || /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,40}$/, 'use up to 40 letters, digits, colons, dots, dashes or underscores'),
  LINK_PREVIEWS: z.enum(['on', 'off'], 'must be on or off').transform((v) => v === 'on'),
  VAPID_PUBLIC_KEY: z
    .string()
    .refine((v) => v === '' || isVapidKey(v, 65), 'must be a P-256 public key, 65 bytes in base64url (87 characters)'),
  VAPID_PRIVATE_KEY: z
    .string()
    .refine((v) => v === '' || isVapidKey(v, 32), 'must be a P-256 private key, 32 bytes in base64url (43 characters)'),
  VAPID_SUBJECT: z
    .string()
    .refine(
      (v) => v === '' || /^(mailto:\S+@\S+|https:\/\/\S+)$/.test(v),
      'must be a mailto: address or an https: address',
    ),
  PUSH_PRIVATE_NETWORK: z.enum(['on', 'off'], 'must be on or off').transform((v) => v === 'on'),
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: z.enum(['on', 'off'], 'must be on or off').transform((v) => v === 'on'),
  CIRCLE_MESH_LIMIT: z.coerce.number('must be a whole number from 2 to 12').int().min(2).max(12),
  TURN_URLS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .refine(
      (urls) => urls.every((url) => /^turns?:[^\s?]+(\?transport=(udp|tcp))?$/.test(url)),
      'must be turn: or turns: URLs separated by commas, e.g. turn:turn.example.org:3478',
    ),
  TURN_SECRET: z.string().refine((v) => v === '' || v.length >= 16, 'must be at least 16 characters'),
  TURN_TTL_SECONDS: z.coerce.number('must be a number of seconds').int().min(60).max(86_400),
  JANUS_URL: z.string().refine((v) => v === '' || /^https?:\/\/[^/]+/.test(v), 'must start with http:// or https://'),
  JANUS_API_SECRET: z.string(),
});

/** A VAPID key as web-push writes it: URL-safe base64 without padding, of the given length in bytes. */
function isVapidKey(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, 'base64url').length === bytes;
}

/** What a process does: serve pages, run background jobs (mail), or both. */
export type ProcessRole = z.infer<typeof envSchema>['MUTUAL_ROLE'];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  baseUrl: string;
  secureCookies: boolean;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The domain of group, reply and bounce addresses. */
  mailDomain: string;
  /** Where the inbound mail server listens; undefined: it does not run. */
  inboundPort: number | undefined;
  mailMaxBytes: number;
  dkim: { keySelector: string; privateKeyFile: string } | undefined;
  /** Uploads (src/features/files): the site's limits, and S3 storage when configured (else DATA_DIR/files). */
  files: {
    maxBytes: number;
    maxEdge: number;
    maxPixels: number;
    s3: S3Config | undefined;
  };
  rateLimitFactor: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  /** Card payments for group fees; undefined when Stripe is not configured. */
  stripe: { secretKey: string; webhookSecret: string } | undefined;
  role: ProcessRole;
  webProcesses: number;
  /** Shared pub/sub and rate limits across processes; undefined runs them in memory. */
  redis: { url: string; prefix: string } | undefined;
  /** The server fetches text previews of links in posts (src/features/link-previews). */
  linkPreviews: boolean;
  /**
   * Web Push (src/features/push): the VAPID key pair when set in the environment (undefined: the
   * one kept in DATA_DIR/vapid.json, made on first start), the contact push services see, and
   * whether endpoints may be private addresses.
   */
  push: {
    vapid: { publicKey: string; privateKey: string } | undefined;
    subject: string;
    allowPrivateEndpoints: boolean;
  };
  /** Webhooks (src/features/webhooks): whether they may reach http and private addresses. */
  webhooks: { allowPrivateAddresses: boolean };
  /** Voice and video circles (src/features/circles): the TURN server and the Janus media server, when configured. */
  circles: { meshLimit: number; turn: TurnSettings | undefined; janus: JanusSettings | undefined };
}

/** S3-compatible object storage for uploads. */
export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export class ConfigError extends Error {}

/** Reads the environment into a typed config; a bad value stops start-up with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, env[name] ?? s.default]));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // A key without the webhook secret would take members' money without ever recording it.
  if (Boolean(e.STRIPE_SECRET_KEY) !== Boolean(e.STRIPE_WEBHOOK_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: set both to take card payments, or neither',
    );
  }
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    throw new ConfigError(
      'Invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both (a pair made together), or neither to have one generated',
    );
  }
  if (Boolean(e.DKIM_SELECTOR) !== Boolean(e.DKIM_PRIVATE_KEY_FILE)) {
    throw new ConfigError(
      'Invalid configuration:\n  DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE: set both to sign mail with DKIM, or neither',
    );
  }
  const s3Set = [e.S3_ENDPOINT, e.S3_BUCKET, e.S3_ACCESS_KEY_ID, e.S3_SECRET_ACCESS_KEY].filter(Boolean).length;
  if (s3Set !== 0 && s3Set !== 4) {
    throw new ConfigError(
      'Invalid configuration:\n  S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set all four to keep uploads in S3, or none to keep them in DATA_DIR/files',
    );
  }
  if (Boolean(e.TURN_URLS.length) !== Boolean(e.TURN_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  TURN_URLS and TURN_SECRET: set both to use a TURN server for voice and video circles, or neither',
    );
  }
  checkProcesses(e);
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL || undefined,
    baseUrl: e.BASE_URL.replace(/\/$/, ''),
    secureCookies: e.BASE_URL.startsWith('https:'),
    sessionSecret: e.SESSION_SECRET || loadOrCreateSecret(dataDir),
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    mailDomain: e.MAIL_DOMAIN || new URL(e.BASE_URL).hostname,
    inboundPort: e.MAIL_INBOUND_PORT === 'off' ? undefined : e.MAIL_INBOUND_PORT,
    mailMaxBytes: e.MAIL_MAX_BYTES,
    files: {
      maxBytes: e.FILES_MAX_BYTES,
      maxEdge: e.FILES_IMAGE_MAX_EDGE,
      maxPixels: e.FILES_IMAGE_MAX_PIXELS,
      s3: e.S3_ENDPOINT
        ? {
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          }
        : undefined,
    },
    dkim: e.DKIM_SELECTOR ? { keySelector: e.DKIM_SELECTOR, privateKeyFile: e.DKIM_PRIVATE_KEY_FILE } : undefined,
    rateLimitFactor: e.RATE_LIMIT_FACTOR,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    stripe: e.STRIPE_SECRET_KEY
      ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET }
      : undefined,
    role: e.MUTUAL_ROLE,
    webProcesses: e.WEB_PROCESSES,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : undefined,
    linkPreviews: e.LINK_PREVIEWS,
    push: {
      vapid: e.VAPID_PUBLIC_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY } : undefined,
      subject: e.VAPID_SUBJECT || defaultVapidSubject(e.BASE_URL, e.MAIL_FROM),
      allowPrivateEndpoints: e.PUSH_PRIVATE_NETWORK,
    },
    webhooks: { allowPrivateAddresses: e.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES },
    circles: {
      meshLimit: e.CIRCLE_MESH_LIMIT,
      turn: e.TURN_SECRET ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL_SECONDS } : undefined,
      janus: e.JANUS_URL
        ? { url: e.JANUS_URL.replace(/\/+$/, ''), ...(e.JANUS_API_SECRET ? { apiSecret: e.JANUS_API_SECRET } : {}) }
        : undefined,
    },
  };
}

/** The site's own https address, or else the address mail comes from: push services write to the operator there. */
function defaultVapidSubject(baseUrl: string, mailFrom: string): string {
  if (baseUrl.startsWith('https://')) return baseUrl.replace(/\/$/, '');
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `mailto:${address}`;
}

/**
 * The embedded database lives in one process, which must then do everything; several web
 * processes must share live events and rate limits, which only Redis can carry between them.
 */
function checkProcesses(e: z.infer<typeof envSchema>): void {
  const problems: string[] = [];
  if (!e.DATABASE_URL && e.MUTUAL_ROLE !== 'all') {
    problems.push(
      `MUTUAL_ROLE=${e.MUTUAL_ROLE} needs DATABASE_URL: the embedded database belongs to one process, so that process has to serve pages and run jobs (MUTUAL_ROLE=all). To split the work, move to PostgreSQL first (see docs/deploy.md).`,
    );
  }
  if (e.WEB_PROCESSES > 1 && !e.DATABASE_URL) {
    problems.push(
      `WEB_PROCESSES=${e.WEB_PROCESSES} needs DATABASE_URL: the embedded database can be opened by only one process. One process serves a small community well; for more, move to PostgreSQL (see docs/deploy.md).`,
    );
  }
  if (e.WEB_PROCESSES > 1 && !e.REDIS_URL) {
    problems.push(
      `WEB_PROCESSES=${e.WEB_PROCESSES} needs REDIS_URL, so that live updates and rate limits reach every web process.`,
    );
  }
  if (e.WEB_PROCESSES > 1 && e.MUTUAL_ROLE === 'worker') {
    problems.push('WEB_PROCESSES: a worker (MUTUAL_ROLE=worker) runs no web processes; leave WEB_PROCESSES at 1.');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
