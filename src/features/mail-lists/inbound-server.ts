import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { ConfigError } from '../../config.js';
import { parseInboundAddress, type InboundAddress } from './addresses.js';
import type { MailContext } from './context.js';
import { MailRefused, receiveMail, refused } from './inbound.js';

export interface InboundOptions {
  port: number;
  host: string;
  /** The largest message accepted, in bytes (MAIL_MAX_BYTES). */
  maxBytes: number;
  /** Where faults of ours go (the sender is told to try later); stderr when absent. */
  report?: ((error: Error, what: string) => void) | undefined;
}

export interface InboundServer {
  /** The port it listens on (the one asked for, or the one chosen when asked for 0). */
  port: number;
  close(): Promise<void>;
}

/** More recipients than this in one message is not a member writing to a group. */
const MAX_RECIPIENTS = 10;
/** Connections at once: each may hold up to maxBytes while its message is read. */
const MAX_CLIENTS = 100;

/** What an SMTP answer is made of: smtp-server sends `responseCode message`. */
function smtpError(refusal: MailRefused): Error & { responseCode: number } {
  return Object.assign(new Error(refusal.text()), { responseCode: refusal.responseCode });
}

/** "10 MB" for the refusal of a message over the limit. */
function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;
}

/**
 * Reads the message as it streams in, keeping at most `maxBytes`: a message over the limit is
 * read to its end (SMTP must) but not kept, and is refused.
 */
function readLimited(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks)));
  });
}

/**
 * Mail that mailparser could make nothing of: no headers at all, or a multipart message whose
 * parts could not be found (no boundary, or none that matches).
 */
function isMalformed(mail: ParsedMail): boolean {
  if (mail.headers.size === 0) return true;
  const type = mail.headers.get('content-type') as { value?: string } | undefined;
  const multipart = /^multipart\//i.test(type?.value ?? '');
  return multipart && mail.text === undefined && mail.html === false && mail.attachments.length === 0;
}

/** The addresses of a session that Mutual handles (checked when each was given, in RCPT TO). */
function recipientsOf(ctx: MailContext, session: SMTPServerSession): InboundAddress[] {
  return session.envelope.rcptTo.map((r) => parseInboundAddress(ctx, r.address));
}

/**
 * The inbound SMTP server: the MX of MAIL_DOMAIN. It takes replies, new discussions by email,
 * one-click unsubscribes by mail and bounces, and refuses anything else with words the sender
 * will read in the bounce their server sends them. No login (it is an MX) and no STARTTLS: it
 * runs behind the operator's mail server or a TLS-terminating proxy on port 25 (docs/mailing-lists.md).
 */
export async function startInboundServer(ctx: MailContext, opts: InboundOptions): Promise<InboundServer> {
  const report =
    opts.report ??
    ((error: Error, what: string) => console.error(`inbound mail: ${what}: ${error.stack ?? error.message}`));
  const server = new SMTPServer({
    name: ctx.domain,
    banner: `Mutual mail for ${ctx.domain}`,
    size: opts.maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    maxClients: MAX_CLIENTS,
    logger: false,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        callback(smtpError(refused(452, '4.5.3', 'inboundMail.refused.tooManyRecipients')));
        return;
      }
      const to = parseInboundAddress(ctx, address.address);
      if (to.kind === 'forged') {
        callback(smtpError(refused(550, '5.1.1', 'inboundMail.refused.forged')));
      } else if (to.kind === 'unknown') {
        callback(smtpError(refused(550, '5.1.1', 'inboundMail.refused.unknownAddress')));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const answer = (error?: Error) => callback(error ?? null);
      void (async () => {
        const raw = await readLimited(stream, opts.maxBytes);
        if (raw === null) {
          throw refused(552, '5.3.4', 'inboundMail.refused.tooLarge', { size: megabytes(opts.maxBytes) });
        }
        let mail: ParsedMail;
        try {
          mail = await simpleParser(raw, { keepDeliveryStatus: true });
        } catch {
          throw refused(550, '5.6.0', 'inboundMail.refused.malformed');
        }
        if (isMalformed(mail)) throw refused(550, '5.6.0', 'inboundMail.refused.malformed');
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
        await receiveMail(ctx, { recipients: recipientsOf(ctx, session), envelopeFrom, mail });
      })().then(
        () => answer(),
        (error: unknown) => {
          if (error instanceof MailRefused) {
            answer(smtpError(error));
            return;
          }
          // A fault of ours: the sending server keeps the message and tries again later.
          report(error as Error, `message to ${session.envelope.rcptTo.length} address(es) not handled`);
          answer(smtpError(refused(451, '4.3.0', 'inboundMail.refused.tryLater')));
        },
      );
    },
  });
  // A port that cannot be opened is start-up's to report (below); later errors are a connection's.
  let listening = false;
  server.on('error', (error) => {
    if (listening) report(error, 'connection');
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'another program is using it'
          : error.code === 'EACCES'
            ? 'this user may not use it (ports below 1024 need privileges; see docs/mailing-lists.md)'
            : error.message;
      reject(
        new ConfigError(
          `Mutual could not receive mail on port ${opts.port} (MAIL_INBOUND_PORT): ${why}. ` +
            'Set MAIL_INBOUND_PORT to a free port, or MAIL_INBOUND_PORT=off to run without receiving mail.',
        ),
      );
    };
    server.server.once('error', failed);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', failed);
      listening = true;
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
