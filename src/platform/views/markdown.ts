import MarkdownIt, { type StateInline } from 'markdown-it';

// Raw HTML is never passed through (html: false escapes it), and markdown-it refuses
// javascript:, vbscript: and data: links (except images) on its own.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'nofollow ugc noopener');
  return self.renderToken(tokens, idx, options);
};

// Images from anywhere would let a post track who reads it; show them as links instead.
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const src = md.utils.escapeHtml(String(token.attrGet('src') ?? ''));
  const alt = md.utils.escapeHtml(token.content || src);
  return `<a href="${src}" rel="nofollow ugc noopener">${alt}</a>`;
};

/*
 * Mentions. "@Sam" or, for a name with spaces, either "@Sam Taylor" (the longest name that
 * matches wins) or "@"Sam Taylor"". Only text the Markdown shows as text is read: an "@" inside
 * code, a link or an email address mentions nobody. Which names exist is not the platform's to
 * know: a first pass lists what could be a name (mentionCandidates), the caller looks those up,
 * and the render links only the names it was given.
 */

/** The longest name a mention may carry (as names are: aliases and pseudonyms). */
export const MENTION_NAME_MAX = 40;
/** How many possible names one post may yield for the look-up, however many "@"s it has. */
const CANDIDATES_MAX = 100;

const letterOrDigit = /[\p{L}\p{N}]/u;
const nameChar = /[\p{L}\p{N} ._()'-]/u;

/** The names the mention rule may link, and where each link goes. */
export interface MentionLinks {
  /** Display names by their lower-cased form as written after the "@". */
  names: ReadonlyMap<string, string>;
  href(name: string): string;
}

// A type, not an interface: markdown-it's env is an index signature.
type MentionEnv = {
  collect?: Set<string>;
  links?: MentionLinks;
  /** The display names the render linked. */
  used?: Set<string>;
};

/** What may follow an "@" at `pos` as a name: the quoted text, or every prefix that ends at a word's end. */
function possibleNames(src: string, pos: number, max: number): { quoted: string | null; prefixes: string[] } {
  if (src[pos + 1] === '"') {
    const end = src.indexOf('"', pos + 2);
    const inside = end === -1 ? '' : src.slice(pos + 2, end);
    const ok = inside.length >= 1 && inside.length <= MENTION_NAME_MAX && !inside.includes('\n');
    return { quoted: ok ? inside : null, prefixes: [] };
  }
  const prefixes: string[] = [];
  const start = pos + 1;
  if (start >= max || !letterOrDigit.test(src[start]!)) return { quoted: null, prefixes };
  let end = start;
  while (end < max && end - start < MENTION_NAME_MAX && nameChar.test(src[end]!)) {
    end += 1;
    const next = end < max ? src[end]! : '';
    // A name ends where a word does: not inside "Samuel" when looking for "Sam".
    if ((next === '' || !letterOrDigit.test(next)) && src[end - 1] !== ' ') prefixes.push(src.slice(start, end));
  }
  return { quoted: null, prefixes };
}

function mentionRule(state: StateInline, silent: boolean): boolean {
  const env = state.env as MentionEnv | undefined;
  if (!env || (!env.collect && !env.links)) return false;
  const { src, pos } = state;
  // Not inside a link's own text, where a link would nest.
  if (src.charCodeAt(pos) !== 0x40 || state.linkLevel > 0) return false;
  // "sam@example.org" is an address, not a mention.
  if (pos > 0 && /[\p{L}\p{N}_]/u.test(src[pos - 1]!)) return false;
  const { quoted, prefixes } = possibleNames(src, pos, state.posMax);
  if (env.collect) {
    for (const name of quoted === null ? prefixes : [quoted]) {
      if (env.collect.size < CANDIDATES_MAX) env.collect.add(name);
    }
    return false;
  }
  const links = env.links!;
  let written: string | null = null;
  let length = 0;
  if (quoted !== null) {
    if (links.names.has(quoted.toLowerCase())) [written, length] = [quoted, quoted.length + 2];
  } else {
    for (let i = prefixes.length - 1; i >= 0; i -= 1) {
      const prefix = prefixes[i]!;
      if (links.names.has(prefix.toLowerCase())) {
        [written, length] = [prefix, prefix.length];
        break;
      }
    }
  }
  if (written === null) return false;
  const name = links.names.get(written.toLowerCase())!;
  if (!silent) {
    const open = state.push('link_open', 'a', 1);
    open.attrs = [
      ['href', links.href(name)],
      ['class', 'mention'],
    ];
    const text = state.push('text', '', 0);
    text.content = `@${name}`;
    state.push('link_close', 'a', -1);
    env.used?.add(name);
  }
  state.pos += 1 + length;
  return true;
}

md.inline.ruler.before('emphasis', 'mention', mentionRule);

/** Renders a member's Markdown to HTML that is safe to put in a page, with the mentions it was given linked. */
export function renderMarkdown(source: string, mentions?: MentionLinks): string {
  if (!mentions || mentions.names.size === 0) return md.render(source);
  return md.render(source, { links: mentions } satisfies MentionEnv);
}

/** As renderMarkdown, and which of the names it linked (those the text really mentions). */
export function renderWithMentions(source: string, mentions: MentionLinks): { html: string; mentioned: string[] } {
  const env: MentionEnv = { links: mentions, used: new Set() };
  const html = md.render(source, env);
  return { html, mentioned: [...env.used!] };
}

/**
 * What could be a name after each "@" in text the Markdown shows as text: for "@Sam Taylor said",
 * "Sam", "Sam Taylor" and "Sam Taylor said"; for "@"Sam Taylor"", "Sam Taylor". At most 100.
 */
export function mentionCandidates(source: string): string[] {
  if (!source.includes('@')) return [];
  const env: MentionEnv = { collect: new Set() };
  md.parse(source, env);
  return [...env.collect!];
}
