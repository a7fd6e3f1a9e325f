import { randomBytes } from 'node:crypto';
import type { Translate } from '../../platform/views/i18n.js';
import { formatDateTime } from '../../platform/views/time.js';
import { isPreset } from '../content-warnings/index.js';
import { EmailPage, footerText, renderEmail, type Footer, type ListGroup } from './compose.js';
import { excerptOf, type Digest, type DigestPost, type DigestReply } from './digest-content.js';

/** What one member's digest is written in and for. */
export interface DigestReader {
  t: Translate;
  locale: string;
  timeZone: string;
  mode: 'daily' | 'weekly';
  /** The start of the window: "what is new since". */
  since: Date;
}

const link = 'color:#1a4f8b';

/** The author as the group sees them: their name there, "Anonymous member 2", or "Deleted member". */
function authorOf(t: Translate, p: DigestPost): string {
  if (p.anonymous) return t('digests.anonymous', { n: p.anonymousNumber ?? 1 });
  return p.authorName ?? t('forum.formerMember');
}

function warningOf(t: Translate, warning: string): string {
  return t('digests.warned', { warning: isPreset(warning) ? t(`contentWarnings.presets.${warning}`) : warning });
}

/** When a post was written, in the member's language and time zone. */
function when(r: DigestReader, date: Date): string {
  try {
    return formatDateTime({ locale: r.locale, timeZone: r.timeZone }, date);
  } catch {
    // A time zone the browser's Intl does not know (PostgreSQL's list is longer): UTC, not no digest.
    return formatDateTime({ locale: r.locale, timeZone: 'UTC' }, date);
  }
}

export function digestSubject(r: DigestReader, group: ListGroup, digest: Digest): string {
  const kind = r.t(`digests.kind.${r.mode}`);
  const count = digest.threads.length + digest.moreThreads;
  if (count === 0 && digest.replies.length === 0 && digest.waiting.length > 0) {
    return r.t('support.waiting.digestSubject', { group: group.name, kind });
  }
  if (count === 0) return r.t('digests.subjectReplies', { group: group.name, kind });
  return r.t('digests.subject', { group: group.name, kind, count });
}

interface Urls {
  group: string;
  thread: (p: DigestPost) => string;
  reply: (p: DigestPost) => string;
}

function urlsFor(baseUrl: string, group: ListGroup): Urls {
  const groupUrl = `${baseUrl}/g/${group.slug}`;
  return {
    group: groupUrl,
    thread: (p) => `${groupUrl}/t/${p.threadId}`,
    reply: (p) => `${groupUrl}/t/${p.threadId}#post-${p.postId}`,
  };
}

const repliedMeta = (r: DigestReader, p: DigestReply) =>
  `${r.t('digests.repliedBy', { name: authorOf(r.t, p), date: when(r, p.createdAt) })} · ${r.t('digests.reactions', { count: p.reactions })}`;

/** A discussion waiting for a reply, for a leader: who started it and since when. */
const waitingMeta = (r: DigestReader, p: DigestPost) =>
  r.t('support.waiting.digestMeta', { name: authorOf(r.t, p), date: when(r, p.createdAt) });

/** The plain-text part: readable in any mail client, every link written out. */
export function digestText(
  r: DigestReader,
  group: ListGroup,
  digest: Digest,
  baseUrl: string,
  footer: Footer,
  /** The month's reminder of the group's agreements (src/features/agreements). */
  agreementsReminder = false,
): string {
  const { t } = r;
  const urls = urlsFor(baseUrl, group);
  const lines: string[] = [
    t(`digests.heading.${r.mode}`, { group: group.name }),
    '',
    t('digests.since', { date: when(r, r.since) }),
  ];
  const body = (p: DigestPost) => (p.contentWarning ? warningOf(t, p.contentWarning) : excerptOf(p.body));
  if (digest.threads.length > 0) {
    lines.push('', t('digests.newThreads'), '='.repeat(t('digests.newThreads').length));
    for (const p of digest.threads) {
      lines.push(
        '',
        `* ${p.title}`,
        `  ${t('digests.startedBy', { name: authorOf(t, p), date: when(r, p.createdAt) })}`,
        `  ${body(p)}`,
        `  ${t('digests.readIt', { url: urls.thread(p) })}`,
      );
    }
    if (digest.moreThreads > 0) lines.push('', t('digests.more', { count: digest.moreThreads, url: urls.group }));
  }
  if (digest.replies.length > 0) {
    lines.push('', t('digests.popularReplies'), '='.repeat(t('digests.popularReplies').length));
    for (const p of digest.replies) {
      lines.push(
        '',
        `* ${p.title}`,
        `  ${repliedMeta(r, p)}`,
        `  ${body(p)}`,
        `  ${t('digests.readIt', { url: urls.reply(p) })}`,
      );
    }
  }
  if (digest.waiting.length > 0) {
    lines.push('', t('support.waiting.digestHeading'), '='.repeat(t('support.waiting.digestHeading').length));
    for (const p of digest.waiting) {
      lines.push('', `* ${p.title}`, `  ${waitingMeta(r, p)}`, `  ${t('digests.readIt', { url: urls.thread(p) })}`);
    }
  }
  if (agreementsReminder) {
    lines.push('', t('agreements.digest.heading'), '='.repeat(t('agreements.digest.heading').length));
    lines.push('', t('agreements.digest.text'), `${t('agreements.digest.link')}: ${urls.group}/agreements`);
  }
  lines.push('', `${t('digests.visit', { group: group.name })}: ${urls.group}`, '', footerText(t, footer));
  return lines.join('\n');
}

function PostItem({ r, p, url, meta }: { r: DigestReader; p: DigestPost; url: string; meta: string }) {
  return (
    <li style="margin:0 0 16px">
      <a href={url} style={`${link};font-weight:bold`}>
        {p.title}
      </a>
      <div style="color:#4a4a4a;font-size:14px">{meta}</div>
      {p.contentWarning ? (
        <p style="margin:4px 0 0;font-style:italic">{warningOf(r.t, p.contentWarning)}</p>
      ) : (
        <p style="margin:4px 0 0">{excerptOf(p.body)}</p>
      )}
    </li>
  );
}

function DigestBody({
  r,
  group,
  digest,
  urls,
  agreementsReminder,
}: {
  r: DigestReader;
  group: ListGroup;
  digest: Digest;
  urls: Urls;
  agreementsReminder: boolean;
}) {
  const { t } = r;
  return (
    <>
      <h1 style="font-size:22px;margin:0 0 8px">{t(`digests.heading.${r.mode}`, { group: group.name })}</h1>
      <p style="margin:0 0 16px">{t('digests.since', { date: when(r, r.since) })}</p>
      {digest.threads.length > 0 ? (
        <section>
          <h2 style="font-size:18px;margin:24px 0 8px">{t('digests.newThreads')}</h2>
          <ul style="padding-left:20px;margin:0">
            {digest.threads.map((p) => (
              <PostItem
                key={p.postId}
                r={r}
                p={p}
                url={urls.thread(p)}
                meta={t('digests.startedBy', { name: authorOf(t, p), date: when(r, p.createdAt) })}
              />
            ))}
          </ul>
          {digest.moreThreads > 0 ? (
            <p>
              <a href={urls.group} style={link}>
                {t('digests.moreLink', { count: digest.moreThreads })}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
      {digest.replies.length > 0 ? (
        <section>
          <h2 style="font-size:18px;margin:24px 0 8px">{t('digests.popularReplies')}</h2>
          <ul style="padding-left:20px;margin:0">
            {digest.replies.map((p: DigestReply) => (
              <PostItem key={p.postId} r={r} p={p} url={urls.reply(p)} meta={repliedMeta(r, p)} />
            ))}
          </ul>
        </section>
      ) : null}
      {digest.waiting.length > 0 ? (
        <section>
          <h2 style="font-size:18px;margin:24px 0 8px">{t('support.waiting.digestHeading')}</h2>
          <ul style="padding-left:20px;margin:0">
            {digest.waiting.map((p) => (
              <li key={p.postId} style="margin:0 0 16px">
                <a href={urls.thread(p)} style={`${link};font-weight:bold`}>
                  {p.title}
                </a>
                <div style="color:#4a4a4a;font-size:14px">{waitingMeta(r, p)}</div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {agreementsReminder ? (
        <section>
          <h2 style="font-size:18px;margin:24px 0 8px">{t('agreements.digest.heading')}</h2>
          <p style="margin:0 0 8px">{t('agreements.digest.text')}</p>
          <p style="margin:0">
            <a href={`${urls.group}/agreements`} style={link}>
              {t('agreements.digest.link')}
            </a>
          </p>
        </section>
      ) : null}
      <p style="margin:24px 0 0">
        <a href={urls.group} style={link}>
          {t('digests.visit', { group: group.name })}
        </a>
      </p>
    </>
  );
}

/** The HTML part: the same digest, with the shared email layout and footer. */
export function digestHtml(
  r: DigestReader,
  group: ListGroup,
  digest: Digest,
  baseUrl: string,
  footer: Footer,
  agreementsReminder = false,
): string {
  return renderEmail(
    <EmailPage lang={r.locale} title={digestSubject(r, group, digest)} footer={footer} t={r.t}>
      <DigestBody
        r={r}
        group={group}
        digest={digest}
        urls={urlsFor(baseUrl, group)}
        agreementsReminder={agreementsReminder}
      />
    </EmailPage>,
  );
}

/** One member's digest, ready to send. */
export interface WrittenDigest {
  subject: string;
  text: string;
  html: string;
}

/** Stands for the member's own unsubscribe link while a digest shared by several members is written. */
const UNSUBSCRIBE_SLOT = `urn:mutual:unsubscribe:${randomBytes(12).toString('hex')}`;

const attribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Writes the digests of one job. Members who would read the same digest (the same posts, window,
 * language, time zone and kind) share one rendering, and only their unsubscribe link differs:
 * most members of a group see the same news, so a job of 500 renders a handful of digests.
 */
export function digestWriter(group: ListGroup, baseUrl: string) {
  const written = new Map<string, WrittenDigest>();
  const settingsUrl = `${baseUrl}/g/${group.slug}/email`;
  return (r: DigestReader, digest: Digest, unsubscribeUrl: string, agreementsReminder = false): WrittenDigest => {
    const key = [
      agreementsReminder,
      r.locale,
      r.timeZone,
      r.mode,
      r.since.getTime(),
      digest.moreThreads,
      digest.threads.map((p) => p.postId).join(' '),
      digest.replies.map((p) => p.postId).join(' '),
      digest.waiting.map((p) => p.postId).join(' '),
    ].join('|');
    let shared = written.get(key);
    if (!shared) {
      const footer: Footer = {
        reason: r.t(`digests.reason.${r.mode}`, { group: group.name }),
        settingsUrl,
        unsubscribeUrl: UNSUBSCRIBE_SLOT,
      };
      shared = {
        subject: digestSubject(r, group, digest),
        text: digestText(r, group, digest, baseUrl, footer, agreementsReminder),
        html: digestHtml(r, group, digest, baseUrl, footer, agreementsReminder),
      };
      written.set(key, shared);
    }
    return {
      subject: shared.subject,
      text: shared.text.split(UNSUBSCRIBE_SLOT).join(unsubscribeUrl),
      html: shared.html.split(UNSUBSCRIBE_SLOT).join(attribute(unsubscribeUrl)),
    };
  };
}
