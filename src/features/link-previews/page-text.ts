/*
 * The words of a preview, read from a page's HTML: its title, description and site name. Only
 * text, and short: the page is written by a stranger, so nothing of it is kept as HTML (the card
 * escapes what it shows, like all text).
 */

export interface PageText {
  title: string | null;
  description: string | null;
  siteName: string | null;
}

const TITLE_MAX = 200;
const DESCRIPTION_MAX = 300;
const SITE_MAX = 80;

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return named[name.toLowerCase()] ?? whole;
  });
}

/** One line of plain text, no longer than max (cut at a word, with an ellipsis); null when empty. */
function clean(raw: string | undefined, max: number): string | null {
  if (raw === undefined) return null;
  const text = decodeEntities(raw.replace(/<[^>]*>/gu, ' '))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (!text) return null;
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/([a-zA-Z_:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gu)) {
    const name = m[1]!.toLowerCase();
    if (!found.has(name)) found.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return found;
}

/** The title, description and site name of an HTML page; Open Graph tags first, then <title> and description. */
export function pageText(html: string): PageText {
  // Scripts and styles can hold anything, "<meta" too.
  const page = html.replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/giu, ' ');
  const meta = new Map<string, string>();
  for (const m of page.matchAll(/<meta\b[^>]*>/giu)) {
    const a = attributes(m[0]);
    const key = (a.get('property') ?? a.get('name'))?.toLowerCase();
    const content = a.get('content');
    if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
  }
  const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/iu.exec(page)?.[1];
  return {
    title: clean(meta.get('og:title') ?? title, TITLE_MAX),
    description: clean(meta.get('og:description') ?? meta.get('description'), DESCRIPTION_MAX),
    siteName: clean(meta.get('og:site_name'), SITE_MAX),
  };
}
