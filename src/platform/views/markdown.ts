import MarkdownIt from 'markdown-it';

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

/** Renders a member's Markdown to HTML that is safe to put in a page. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
