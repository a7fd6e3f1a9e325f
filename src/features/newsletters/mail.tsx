import type { MailMessage } from '../../platform/mail/mailer.js';
import { signMailToken, verifyMailToken } from '../../platform/mail/tokens.js';
import { translator, type Translate } from '../../platform/views/i18n.js';
import {
  bounceAddress,
  EmailPage,
  groupAddress,
  listIdentifier,
  renderEmail,
  type MailContext,
} from '../mail-lists/index.js';
import type { Newsletter } from './schema.js';

type Ctx = Pick<MailContext, 'domain' | 'secret' | 'baseUrl'>;

/** The group a newsletter comes from, as its mail needs it. */
export interface NewsletterGroup {
  id: number;
  slug: string;
  name: string;
  language: string;
}

/** Who one copy is for: a member (by account), or a public subscriber (by their row). */
export type NewsletterRecipient =
  | { kind: 'member'; userId: number; email: string; locale: string }
  | { kind: 'subscriber'; subscriberId: number; email: string };

/** A newsletter's Message-ID: the same in every copy, so a copy delivered twice reads as one. */
export function newsletterMessageId(ctx: Pick<MailContext, 'domain'>, id: number): string {
  return `<newsletter-${id}@${ctx.domain}>`;
}

/** The token of a one-click unsubscribe link: a member's (this group's newsletters) or a subscriber's. */
export function newsletterUnsubscribeToken(ctx: Ctx, r: NewsletterRecipient, groupId: number): string {
  return r.kind === 'member'
    ? signMailToken(ctx.secret, 'newsletter', [r.userId, groupId])
    : signMailToken(ctx.secret, 'subscriber', [r.subscriberId]);
}

export function newsletterUnsubscribeUrl(ctx: Ctx, r: NewsletterRecipient, groupId: number): string {
  return `${ctx.baseUrl}/newsletters/unsubscribe/${newsletterUnsubscribeToken(ctx, r, groupId)}`;
}

/** What an unsubscribe token names, or null when it is malformed or forged. */
export type UnsubscribeTarget =
  { kind: 'member'; userId: number; groupId: number } | { kind: 'subscriber'; id: number };

export function readUnsubscribeToken(secret: Buffer, token: string): UnsubscribeTarget | null {
  const member = verifyMailToken(secret, 'newsletter', token, 2);
  if (member) return { kind: 'member', userId: member[0]!, groupId: member[1]! };
  const subscriber = verifyMailToken(secret, 'subscriber', token, 1);
  return subscriber ? { kind: 'subscriber', id: subscriber[0]! } : null;
}

export function confirmToken(secret: Buffer, subscriberId: number): string {
  return signMailToken(secret, 'confirm', [subscriberId]);
}

export function readConfirmToken(secret: Buffer, token: string): number | null {
  return verifyMailToken(secret, 'confirm', token, 1)?.[0] ?? null;
}

function localeOf(r: NewsletterRecipient, group: NewsletterGroup): string {
  return r.kind === 'member' && r.locale !== 'auto' ? r.locale : group.language;
}

/** Why this person gets the newsletter, in their words: the last lines of every copy. */
function reasonOf(t: Translate, r: NewsletterRecipient, group: NewsletterGroup): string {
  return r.kind === 'member'
    ? t('newsletters.mail.reasonMember', { group: group.name })
    : t('newsletters.mail.reasonSubscriber', { group: group.name });
}

/**
 * The List-Id, with the group's name as its phrase when that can be written bare. nodemailer
 * MIME-encodes any header holding a quote or a non-ASCII letter from the first such character to
 * the last, which would swallow the <identifier> that filters match on; so a name that would need
 * either is left out, and the identifier alone is a complete List-Id (RFC 2919).
 */
function listId(ctx: Pick<MailContext, 'domain'>, group: NewsletterGroup): string {
  const id = `<${listIdentifier(ctx, group)}>`;
  const phrase = group.name.replace(/\s+/g, ' ').trim();
  return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/.test(phrase) ? `${phrase} ${id}` : id;
}

/**
 * One copy of a newsletter for one recipient: From the group's name at its address (never a
 * person's), the list headers mail clients use, List-Unsubscribe pointing at the newsletter's own
 * one-click unsubscribe, plain text (the Markdown as written) and HTML, and a footer saying why
 * they get it and how to stop. No address appears in it but the recipient's own.
 */
export function composeNewsletter(
  ctx: Ctx,
  newsletter: Pick<Newsletter, 'id' | 'subject' | 'body' | 'bodyHtml'>,
  group: NewsletterGroup,
  r: NewsletterRecipient,
): MailMessage {
  const locale = localeOf(r, group);
  const t = translator(locale);
  const unsubscribeUrl = newsletterUnsubscribeUrl(ctx, r, group.id);
  const archiveUrl = `${ctx.baseUrl}/g/${group.slug}/newsletters`;
  const reason = reasonOf(t, r, group);
  const text = [
    newsletter.body.trim(),
    '',
    '-- ',
    reason,
    t('newsletters.mail.readOnline', { url: `${archiveUrl}/${newsletter.id}` }),
    t('newsletters.mail.unsubscribe', { url: unsubscribeUrl }),
  ].join('\n');
  const html = renderEmail(
    <EmailPage lang={locale} title={newsletter.subject} t={t}>
      <h1 style="font-size:22px;margin:0 0 16px">{newsletter.subject}</h1>
      {/* Sanitised by renderMarkdown when the newsletter was saved. */}
      <div dangerouslySetInnerHTML={{ __html: newsletter.bodyHtml }} />
      <footer style="margin-top:32px;padding-top:12px;border-top:1px solid #cccccc;color:#4a4a4a;font-size:14px">
        <p style="margin:0 0 8px">{reason}</p>
        <p style="margin:0">
          <a href={`${archiveUrl}/${newsletter.id}`} style="color:#1a4f8b">
            {t('newsletters.mail.readOnlineLink')}
          </a>
          {' · '}
          <a href={unsubscribeUrl} style="color:#1a4f8b">
            {t('newsletters.mail.unsubscribeLink')}
          </a>
        </p>
      </footer>
    </EmailPage>,
  );
  return {
    to: r.email,
    from: { name: group.name, address: groupAddress(ctx, group.slug) },
    subject: newsletter.subject,
    text,
    html,
    messageId: newsletterMessageId(ctx, newsletter.id),
    headers: {
      'List-Id': listId(ctx, group),
      'List-Archive': `<${archiveUrl}>`,
      'List-Post': 'NO',
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      Precedence: 'bulk',
      'Auto-Submitted': 'auto-generated',
    },
    // Bounces of a member's copy name the member, so their address can be paused if it fails.
    ...(r.kind === 'member' ? { envelopeFrom: bounceAddress(ctx, r.userId) } : {}),
  };
}

/** The double opt-in message: a link to confirm, and what happens if they ignore it. */
export function composeConfirmation(
  ctx: Ctx,
  group: NewsletterGroup,
  subscriber: { id: number; email: string },
): MailMessage {
  const t = translator(group.language);
  const url = `${ctx.baseUrl}/newsletters/confirm/${confirmToken(ctx.secret, subscriber.id)}`;
  return {
    to: subscriber.email,
    subject: t('newsletters.confirmMail.subject', { group: group.name }),
    text: [
      t('newsletters.confirmMail.intro', { group: group.name }),
      '',
      url,
      '',
      t('newsletters.confirmMail.ignore'),
    ].join('\n'),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
