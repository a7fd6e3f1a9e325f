import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps every message it is given, parsed. */
export class TestSmtpServer {
  readonly messages: ParsedMail[] = [];
  /** What each message was as it came over the wire, in the same order: for privacy checks of every byte. */
  readonly sources: { raw: string; envelopeFrom: string; envelopeTo: string[] }[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      })
        .then(async (raw) => {
          const mail = await simpleParser(raw);
          this.sources.push({
            raw: raw.toString('utf8'),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          });
          this.messages.push(mail);
          for (const wake of this.waiting.splice(0)) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    this.url = `smtp://127.0.0.1:${port}`;
    return this;
  }

  /** Waits until at least `count` messages have arrived (the test's timeout ends a wait for mail that never comes). */
  async received(count: number): Promise<ParsedMail[]> {
    while (this.messages.length < count) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.messages;
  }

  /** Waits for a message that matches (the test's timeout ends a wait for one that never comes). */
  async receivedWhere(match: (mail: ParsedMail) => boolean): Promise<ParsedMail> {
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
