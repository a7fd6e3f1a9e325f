import type { MailContext } from './context.js';

export interface InboundOptions {
  port: number;
  host: string;
  /** The largest message accepted, in bytes (MAIL_MAX_BYTES). */
  maxBytes: number;
}

export interface InboundServer {
  /** The port it listens on (the one asked for, or the one chosen when asked for 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * The inbound SMTP server: replies, new discussions by email, one-click unsubscribes by mail and
 * bounces. PLACEHOLDER: written by the inbound helper.
 */
export async function startInboundServer(_ctx: MailContext, _opts: InboundOptions): Promise<InboundServer> {
  return { port: 0, close: async () => undefined };
}
