import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Translate } from '../../platform/views/i18n.js';
import type { MailContext } from './context.js';
import { groupAddress, unsubscribeAddress, unsubscribeUrl } from './addresses.js';

/** The group a list message belongs to, as its headers and footer need it. */
export interface ListGroup {
  id: number;
  slug: string;
  name: string;
}

/**
 * A post's Message-ID: the same in every copy and every digest, so mail clients thread replies
 * under the message they answer, as the web does.
 */
export function postMessageId(ctx: Pick<MailContext, 'domain'>, postId: number): string {
  return `<post-${postId}@${ctx.domain}>`;
}

/** The post a Message-ID of ours names, or null ("<post-42@lists.example.org>" → 42). */
export function postIdOfMessageId(ctx: Pick<MailContext, 'domain'>, messageId: string): number | null {
  const m = /^<?post-(\d{1,15})@([^>]+)>?$/.exec(messageId.trim());
  return m && m[2]!.toLowerCase() === ctx.domain.toLowerCase() ? Number(m[1]) : null;
}

/** `caregivers.lists.example.org`: the List-Id's identifier, stable for the group's life. */
export function listIdentifier(ctx: Pick<MailContext, 'domain'>, group: Pick<ListGroup, 'slug'>): string {
  return `${group.slug}.${ctx.domain}`;
}

/**
 * The RFC 2369/2919/8058 headers every list message carries, for one recipient: List-Id,
 * List-Post (the group's address, or NO when the group takes no mail), List-Archive, List-Help,
 * List-Unsubscribe with an https link and a mailto address, and List-Unsubscribe-Post so that a
 * mail client's "unsubscribe" button works in one click without signing in.
 */
export function listHeaders(
  ctx: Pick<MailContext, 'domain' | 'secret' | 'baseUrl'>,
  group: ListGroup,
  userId: number,
  opts: { postByEmail: boolean },
): Record<string, string> {
  return {
    'List-Id': `${listPhrase(group.name)} <${listIdentifier(ctx, group)}>`,
    'List-Post': opts.postByEmail ? `<mailto:${groupAddress(ctx, group.slug)}>` : 'NO',
    'List-Archive': `<${ctx.baseUrl}/g/${group.slug}>`,
    'List-Help': `<${ctx.baseUrl}/g/${group.slug}/email>`,
    'List-Unsubscribe': `<${unsubscribeUrl(ctx, userId, group.id)}>, <mailto:${unsubscribeAddress(ctx, userId, group.id)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    Precedence: 'list',
  };
}

/**
 * The group's name before its List-Id: quoted when it is plain ASCII, otherwise as RFC 2047
 * encoded words (each at most 75 characters, split between characters), so that the header stays
 * ASCII and its <identifier> readable.
 */
function listPhrase(name: string): string {
  const clean = name.replace(/["\\\r\n]/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean}"`;
  const words: string[] = [];
  let word = '';
  for (const char of clean) {
    if (Buffer.byteLength(word + char) > 45) {
      words.push(word);
      word = '';
    }
    word += char;
  }
  if (word) words.push(word);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/** The name in From: of list mail: "Sam via Caregivers Circle", never the author's address. */
export function viaName(t: Translate, author: string, group: Pick<ListGroup, 'name'>): string {
  return t('mailLists.via', { author, group: group.name });
}

/** Why the member gets this message and how to change it, as the last lines of every list message. */
export interface Footer {
  /** "You get every post from Caregivers Circle." (already translated) */
  reason: string;
  /** Where to change the member's email settings for the group. */
  settingsUrl: string;
  unsubscribeUrl: string;
}

export function footerText(t: Translate, f: Footer): string {
  return [
    '-- ',
    f.reason,
    t('mailLists.footer.settings', { url: f.settingsUrl }),
    t('mailLists.footer.unsubscribe', { url: f.unsubscribeUrl }),
  ].join('\n');
}

/** A whole HTML email: simple markup with inline styles, which every mail client shows the same. */
export function EmailPage({
  lang,
  title,
  children,
  footer,
  t,
}: {
  lang: string;
  title: string;
  children: ComponentChildren;
  footer?: Footer | undefined;
  t: Translate;
}) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style="margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5">
        <div style="max-width:640px;margin:0 auto">
          {children}
          {footer ? (
            <footer style="margin-top:32px;padding-top:12px;border-top:1px solid #cccccc;color:#4a4a4a;font-size:14px">
              <p style="margin:0 0 8px">{footer.reason}</p>
              <p style="margin:0">
                <a href={footer.settingsUrl} style="color:#1a4f8b">
                  {t('mailLists.footer.settingsLink')}
                </a>
                {' · '}
                <a href={footer.unsubscribeUrl} style="color:#1a4f8b">
                  {t('mailLists.footer.unsubscribeLink')}
                </a>
              </p>
            </footer>
          ) : null}
        </div>
      </body>
    </html>
  );
}

export function renderEmail(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
