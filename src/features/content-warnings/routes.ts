import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { parseId } from '../../platform/http/params.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { accessPost } from '../forum/index.js';
import { readPreferences, savePreferences, setContentWarning } from './service.js';
import { PreferencesPage, WarningPage } from './views.js';
import { warningFromForm, warningFields } from './warnings.js';

const warningForm = z.object(warningFields);

export async function contentWarningRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  app.get('/account/content-warnings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const shown = await readPreferences(db, request.viewer!);
    return sendPage(reply, PreferencesPage({ ctx: pageContext(request, reply), shown }));
  });

  app.post('/account/content-warnings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await savePreferences(db, request.viewer!, request.body);
    return redirectAfterPost(request, reply, '/account/content-warnings?notice=warningPreferencesSaved');
  });

  // Moderators (and the author) change a post's warning from the small form on the post.
  app.post<{ Params: { id: string } }>('/posts/:id/warning', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const postId = parseId(request.params.id);
    const form = warningForm.safeParse(request.body ?? {});
    const data = form.success ? form.data : {};
    try {
      const own = data.warningOther?.trim() ?? '';
      if (data.warning === 'other' && own === '')
        throw new Invalid({ warningOther: 'contentWarnings.errors.ownWords' });
      await setContentWarning(
        db,
        request.viewer,
        postId,
        data.warning === 'other' ? own : (warningFromForm(data) ?? null),
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // The form again on a page of its own, with what was typed and why it was refused.
      const { access, thread } = await accessPost(db, request.viewer, postId);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(
        reply,
        WarningPage({ ctx, access, thread, postId: postId, errors: error.fieldErrors, values }),
        400,
      );
    }
    const { access, thread } = await accessPost(db, request.viewer, postId);
    return redirectAfterPost(
      request,
      reply,
      `/g/${access.group.slug}/t/${thread.id}?notice=warningSaved#post-${postId}`,
    );
  });
}
