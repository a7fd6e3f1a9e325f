import { sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import type { Db } from '../../platform/db/client.js';
import { mailBounces, mailSettings } from './schema.js';

/** After this many hard bounces in a row, list mail to the address stops until its owner resumes it. */
export const HARD_BOUNCES_BEFORE_PAUSE = 3;

export interface Bounce {
  /** The address does not work (unknown user, domain gone): trying again will not help. */
  hard: boolean;
  /** The status code and the server's words, without any address ("5.1.1 user unknown"). */
  diagnostic: string;
}

/** Words of bounces that say the address itself is wrong, when no status code says so. */
const permanent =
  /user unknown|unknown user|no such (user|mailbox|recipient|address)|does not exist|doesn't exist|mailbox (unavailable|not found)|invalid (recipient|mailbox|address)|recipient (address )?rejected|address rejected|account (has been )?(disabled|closed|deleted)/i;
/** What marks a message as a bounce at all (and not, say, someone's holiday auto-reply). */
const bounceSubject =
  /undeliver|delivery (status|failure|has failed|problem)|returned mail|failure notice|mail delivery|non-?delivery|could ?n[o']t be delivered|delivery incomplete/i;

/** Addresses, and anything in angle brackets, out of a server's words: a diagnostic names nobody. */
function withoutAddresses(text: string): string {
  return text
    .replace(/<[^>\s]{0,300}>/g, '')
    .replace(/[^\s<>"']{1,200}@[^\s<>"']{1,200}/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** The fields of the first recipient of a message/delivery-status part ("Status", "Action", …). */
function deliveryStatusFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  // The first block is about the message; the recipients' blocks follow, separated by blank lines.
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const block of blocks) {
    if (!/^\s*(Final-Recipient|Original-Recipient|Action|Status)\s*:/im.test(block)) continue;
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const m = /^([A-Za-z-]{1,40})\s*:\s*(.{0,500})$/.exec(line.trim());
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    if (fields.has('status')) return fields;
  }
  return fields;
}

/**
 * What a message to a bounce address says: a hard or soft bounce, or null when it is no bounce
 * (a delivery report that it arrived, an auto-reply). A delivery status notification (RFC 3464)
 * is read by its Status; other bounces by their words: soft unless clearly permanent.
 */
export function readBounce(mail: ParsedMail, envelopeFrom: string | null): Bounce | null {
  const report = mail.attachments.find((a) => /^(message|text)\/(global-)?delivery-status$/i.test(a.contentType));
  if (report) {
    const fields = deliveryStatusFields(report.content.toString('utf8'));
    const action = fields.get('action')?.toLowerCase() ?? '';
    const status = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(fields.get('status') ?? '')?.[0];
    if (action === 'delivered' || action === 'relayed' || action === 'expanded' || status?.startsWith('2')) return null;
    const diagnosticCode = (fields.get('diagnostic-code') ?? '').replace(/^[a-z-]+;\s*/i, '');
    const words = withoutAddresses(diagnosticCode);
    const code = status ?? (action === 'delayed' ? '4.0.0' : '5.0.0');
    const hard = code.startsWith('5') && action !== 'delayed';
    return { hard, diagnostic: words.includes(code) ? words : withoutAddresses(`${code} ${words}`) };
  }
  const text = `${mail.subject ?? ''}\n${mail.text ?? ''}`.slice(0, 20_000);
  const fromDaemon = /mailer-daemon|postmaster/i.test(mail.from?.value[0]?.address ?? '');
  if (!(envelopeFrom === null || fromDaemon || bounceSubject.test(mail.subject ?? ''))) return null;
  const status = /\b([45])\.\d{1,3}\.\d{1,3}\b/.exec(text)?.[0];
  const reason = permanent.exec(text)?.[0];
  const hard = (status?.startsWith('5.1.') ?? false) || (reason !== undefined && !status?.startsWith('4'));
  const diagnostic = withoutAddresses([status ?? (hard ? '5.0.0' : '4.0.0'), reason ?? ''].join(' '));
  return { hard, diagnostic };
}

/**
 * Keeps a bounce for a person and counts the hard ones; the third in a row pauses their list mail
 * (list mail, digests and newsletters then skip them until they resume it). Returns whether mail is
 * now paused.
 */
export async function recordBounce(db: Db, userId: number, bounce: Bounce): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.insert(mailBounces).values({ userId, hard: bounce.hard, diagnostic: bounce.diagnostic });
    if (!bounce.hard) return false;
    const [row] = await tx
      .insert(mailSettings)
      .values({ userId, hardBounces: 1 })
      .onConflictDoUpdate({
        target: mailSettings.userId,
        set: {
          hardBounces: sql`${mailSettings.hardBounces} + 1`,
          pausedAt: sql`case when ${mailSettings.pausedAt} is null and ${mailSettings.hardBounces} + 1 >= ${HARD_BOUNCES_BEFORE_PAUSE}
            then now() else ${mailSettings.pausedAt} end`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ pausedAt: mailSettings.pausedAt });
    return row?.pausedAt !== null && row?.pausedAt !== undefined;
  });
}
