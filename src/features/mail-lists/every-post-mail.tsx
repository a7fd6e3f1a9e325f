import type { MailMessage } from '../../platform/mail/mailer.js';
import { defaultLocale, supportedLocales, translator, type Translate } from '../../platform/views/i18n.js';
import { isPreset } from '../content-warnings/index.js';
import { threadUrl } from '../forum/index.js';
import { bounceAddress, groupAddress, replyAddress, unsubscribeUrl } from './addresses.js';
import { EmailPage, footerText, listHeaders, postMessageId, renderEmail, viaName, type Footer } from './compose.js';
import type { MailContext } from './context.js';

/** A published post with what its mail shows: its thread, its group and its author's name there. */
export interface MailablePost {
  id: number;
  groupId: number;
  threadId: number;
  authorId: number | null;
  isOpening: boolean;
  anonymous: boolean;
  anonymousNumber: number | null;
  body: string;
  /** Sanitised when the post was written (renderMarkdown). */
  bodyHtml: string;
  contentWarning: string | null;
  title: string;
  slug: string;
  name: string;
  postByEmail: boolean;
  /** The thread's opening post: what every reply's mail answers, for threading. */
  openingId: number;
  /** The author's name in the group (alias or pseudonym); null for anonymous posts and deleted accounts. */
  authorName: string | null;
}

export interface ListRecipient {
  id: number;
  email: string;
  /** users.locale: a supported locale, or 'auto' (the site's default language in mail). */
  locale: string;
}

/** The recipient's language: there is no browser to ask in a mail, so 'auto' is the default. */
export function mailTranslator(locale: string): { t: Translate; lang: string } {
  const lang = supportedLocales.includes(locale) ? locale : defaultLocale;
  return { t: translator(lang), lang };
}

/** The author as the group sees them: their name there, "Anonymous member 2", or a former member. */
function authorOf(t: Translate, post: MailablePost): string {
  if (post.anonymous) return t('mailLists.post.anonymous', { n: post.anonymousNumber ?? 1 });
  return post.authorName ?? t('forum.formerMember');
}

function warningOf(t: Translate, warning: string): string {
  return isPreset(warning) ? t(`contentWarnings.presets.${warning}`) : warning;
}

function subjectOf(t: Translate, post: MailablePost): string {
  const vars = { group: post.name, title: post.title };
  return post.isOpening ? t('mailLists.post.subject', vars) : t('mailLists.post.replySubject', vars);
}

function PostMail({
  t,
  lang,
  post,
  author,
  url,
  subject,
  footer,
}: {
  t: Translate;
  lang: string;
  post: MailablePost;
  author: string;
  url: string;
  subject: string;
  footer: Footer;
}) {
  return (
    <EmailPage lang={lang} title={subject} footer={footer} t={t}>
      <p style="margin:0 0 16px;color:#4a4a4a;font-size:14px">
        {t(post.isOpening ? 'mailLists.post.started' : 'mailLists.post.replied', { author, title: post.title })}
      </p>
      {post.contentWarning ? (
        <>
          <p style="margin:0 0 8px;padding:12px;border:1px solid #b35c00;background:#fff6ec">
            <strong>{t('mailLists.post.warning', { warning: warningOf(t, post.contentWarning) })}</strong>
          </p>
          <p style="margin:0 0 16px">{t('mailLists.post.warningHint')}</p>
          <p style="margin:0">
            <a href={url} style="color:#1a4f8b">
              {t('mailLists.post.readWarned')}
            </a>
          </p>
        </>
      ) : (
        <>
          {/* Sanitised Markdown, rendered by renderMarkdown when the post was written. */}
          <div dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          <p style="margin:16px 0 0">
            <a href={url} style="color:#1a4f8b">
              {t('mailLists.post.readOnWeb')}
            </a>
          </p>
        </>
      )}
    </EmailPage>
  );
}

/**
 * One post's mail to one member. From shows the author as the group knows them at the group's
 * address (never anyone's own address); replies go to the member's own reply address; the
 * Message-ID is the post's, and a reply answers the opening post, so mail clients thread the
 * discussion as the web shows it. A post with a content warning shows the warning and a link
 * instead of its words: members who keep such posts closed are not surprised in their inbox.
 */
export const everyPostMail = {
  messageId: (ctx: Pick<MailContext, 'domain'>, post: Pick<MailablePost, 'id'>) => postMessageId(ctx, post.id),

  compose(ctx: MailContext, post: MailablePost, to: ListRecipient): MailMessage {
    const { t, lang } = mailTranslator(to.locale);
    const group = { id: post.groupId, slug: post.slug, name: post.name };
    const author = authorOf(t, post);
    const subject = subjectOf(t, post);
    const url = `${ctx.baseUrl}${threadUrl(post.slug, { id: post.threadId })}#post-${post.id}`;
    const footer: Footer = {
      reason: t('mailLists.post.reason', { group: post.name }),
      settingsUrl: `${ctx.baseUrl}/g/${post.slug}/email`,
      unsubscribeUrl: unsubscribeUrl(ctx, to.id, post.groupId),
    };
    const intro = t(post.isOpening ? 'mailLists.post.started' : 'mailLists.post.replied', {
      author,
      title: post.title,
    });
    const content = post.contentWarning
      ? [
          t('mailLists.post.warning', { warning: warningOf(t, post.contentWarning) }),
          t('mailLists.post.warningHint'),
          `${t('mailLists.post.readWarned')}: ${url}`,
        ]
      : [post.body, `${t('mailLists.post.readOnWeb')}: ${url}`];
    const opening = postMessageId(ctx, post.openingId);
    return {
      to: to.email,
      from: { name: viaName(t, author, group), address: groupAddress(ctx, post.slug) },
      replyTo: replyAddress(ctx, to.id, post.threadId),
      subject,
      text: [intro, ...content, footerText(t, footer)].join('\n\n'),
      html: renderEmail(
        <PostMail t={t} lang={lang} post={post} author={author} url={url} subject={subject} footer={footer} />,
      ),
      messageId: postMessageId(ctx, post.id),
      ...(post.isOpening ? {} : { inReplyTo: opening, references: [opening] }),
      headers: listHeaders(ctx, group, to.id, { postByEmail: post.postByEmail }),
      envelopeFrom: bounceAddress(ctx, to.id),
    };
  },
};
