import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { accessPost } from '../forum/index.js';
import { readPreferences, savePreferences, setContentWarning } from './service.js';
import { PreferencesPage, WarningPage } from './views.js';
import { warningFromForm, warningFields } from './warnings.js';

const idParam = z.coerce.number().int().positive().max(2_147_483_647);
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
    const id = idParam.safeParse(request.params.id);
    if (!id.success) throw new NotFound();
    const form = warningForm.safeParse(request.body ?? {});
    const data = form.success ? form.data : {};
    try {
      const own = data.warningOther?.trim() ?? '';
      if (data.warning === 'other' && own === '')
        throw new Invalid({ warningOther: 'contentWarnings.errors.ownWords' });
      await setContentWarning(
        db,
        request.viewer,
        id.data,
        data.warning === 'other' ? own : (warningFromForm(data) ?? null),
      );
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // The form again on a page of its own, with what was typed and why it was refused.
      const { access, thread } = await accessPost(db, request.viewer, id.data);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(
        reply,
        WarningPage({ ctx, access, thread, postId: id.data, errors: error.fieldErrors, values }),
        400,
      );
    }
    const { access, thread } = await accessPost(db, request.viewer, id.data);
    return redirectAfterPost(
      request,
      reply,
      `/g/${access.group.slug}/t/${thread.id}?notice=warningSaved#post-${id.data}`,
    );
  });
}
