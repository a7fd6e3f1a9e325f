import { pino, type Logger } from 'pino';

/** Structured JSON logs (pino, as Fastify uses), with what must never be written redacted. */
export function createLogger(level: string, role: string): Logger {
  return pino({
    level,
    base: { pid: process.pid, role },
    // Cookies and tokens are secrets; IP addresses are personal data we choose not to keep (see /privacy).
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.remoteAddress', 'req.remotePort'],
      remove: true,
    },
  });
}
