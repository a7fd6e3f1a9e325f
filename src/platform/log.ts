import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs (pino, as Fastify uses), with what must never be written left out: a
 * request is logged as its method and path only. Cookies and tokens are secrets; IP addresses are
 * personal data we choose not to keep (see /privacy); query strings hold what people search for
 * ("hiv", "my mum has dementia").
 */
export function createLogger(level: string, role: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { pid: process.pid, role },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url?.split('?')[0] }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
