import type { VNode } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import type { ThreadExtension } from '../forum/index.js';
import type { PostPreview } from './service.js';

type ThreadPage = Parameters<ThreadExtension['render']>[2];

/**
 * A link's preview: its site, title and description as plain text, and the link. Nothing on it
 * loads from the other site (no image, no icon), so reading a thread tells that site nothing.
 */
function PreviewCard({ ctx, preview }: { ctx: PageContext; preview: PostPreview }) {
  const host = URL.canParse(preview.url) ? new URL(preview.url).host : preview.url;
  return (
    <div class="card link-preview">
      <p class="meta">
        {ctx.t('linkPreviews.from')} {preview.siteName ?? host}
      </p>
      <p>
        <strong>
          <a href={preview.url} rel="nofollow ugc noopener noreferrer">
            {preview.title ?? preview.url}
          </a>
        </strong>
      </p>
      {preview.description ? <p>{preview.description}</p> : null}
      <p class="meta">{preview.url}</p>
    </div>
  );
}

/**
 * The cards under each post the page shows, each link once. None under a post behind a content
 * warning the reader has not opened, or one they hid: a title can say what the warning holds back.
 */
export function previewsBelowPosts(ctx: PageContext, previews: PostPreview[], page: ThreadPage): Map<number, VNode> {
  const shown = new Set(page.posts.filter((v) => v.warningOpen && !v.hiddenForMe).map((v) => v.post.id));
  const byPost = new Map<number, PostPreview[]>();
  for (const preview of previews) {
    if (!shown.has(preview.postId)) continue;
    const list = byPost.get(preview.postId) ?? [];
    if (!list.some((p) => p.url === preview.url)) list.push(preview);
    byPost.set(preview.postId, list);
  }
  const cards = new Map<number, VNode>();
  for (const [postId, list] of byPost) {
    cards.set(
      postId,
      <div class="link-previews">
        {list.map((preview) => (
          <PreviewCard key={preview.url} ctx={ctx} preview={preview} />
        ))}
      </div>,
    );
  }
  return cards;
}
