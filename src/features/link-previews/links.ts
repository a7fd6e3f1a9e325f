import { sql, type SQL } from 'drizzle-orm';

/*
 * Finding links in a post's text, in JavaScript and in SQL alike: the worker finds them in SQL to
 * queue the fetches, and a thread page looks their previews up in SQL, so both must turn the same
 * text into the same address. The rules are plain string rules for that reason (not a full URL
 * parser, which SQL has not): the scheme and host lower-cased, the fragment dropped, trailing
 * punctuation ("see https://example.org.") left out, an empty path made "/".
 */

/** The characters of a link as people paste them; quotes, brackets and spaces end it. */
const LINK_PATTERN = 'https?://[A-Za-z0-9._~:/?#@!$&*+,;=%-]+';
const TRAILING = /[.,;:!?*]+$/u;
const SPLIT = /^([A-Za-z]+:\/\/[^/?]*)(.*)$/su;

/** Only the first links of a post are previewed: a post is not a link list. */
export const LINKS_PER_POST = 3;

/** The address a link is known by (its preview's key), or null when it is no web address. */
export function normaliseLink(raw: string): string | null {
  const trimmed = raw.replace(/#.*$/su, '').replace(TRAILING, '');
  const parts = SPLIT.exec(trimmed);
  if (!parts) return null;
  const rest = parts[2]!;
  return parts[1]!.toLowerCase() + (rest === '' || rest.startsWith('?') ? `/${rest}` : rest);
}

/** The first links of a post's text, normalised, each once. */
export function linksIn(body: string): string[] {
  const found: string[] = [];
  let seen = 0;
  for (const match of body.matchAll(new RegExp(LINK_PATTERN, 'giu'))) {
    if (++seen > LINKS_PER_POST) break;
    const link = normaliseLink(match[0]);
    if (link && !found.includes(link)) found.push(link);
  }
  return found;
}

/**
 * A normalised link the server may try to fetch: http or https, a host, no user name or password
 * (which would be sent to the other site), not absurdly long. Null otherwise.
 */
export function fetchableUrl(link: string): URL | null {
  if (link.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url;
}

/**
 * For a query: the first links of a post's text (a qualified column), normalised as normaliseLink
 * does, as rows of (url, ord), for `cross join lateral`.
 */
export function linksSql(body: SQL): SQL {
  const raw = sql`regexp_replace(regexp_replace(m.match[1], '#.*$', ''), '[.,;:!?*]+$', '')`;
  const head = sql`substring(${raw} from '^[A-Za-z]+://[^/?]*')`;
  const rest = sql`substring(${raw} from '^[A-Za-z]+://[^/?]*(.*)$')`;
  return sql`(select lower(${head}) || case when ${rest} = '' or left(${rest}, 1) = '?' then '/' || ${rest}
      else ${rest} end as url, m.ord as ord
    from regexp_matches(${body}, ${'(' + LINK_PATTERN + ')'}, 'gi') with ordinality as m(match, ord)
    where m.ord <= ${LINKS_PER_POST})`;
}
