import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { fileServeRoutes } from './serve-routes.js';
import { readGroupFileSettings, updateGroupFileSettings } from './settings.js';
import { FileSettingsPage } from './settings-views.js';
import { uploadRoutes } from './upload-routes.js';

/** Uploading, serving and deleting images and files, and what each group allows. */
export async function fileRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  await fileServeRoutes(app, deps);
  await uploadRoutes(app, deps);

  app.get<{ Params: { slug: string } }>('/g/:slug/settings/files', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { access, choices } = await readGroupFileSettings(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, FileSettingsPage({ ctx, access, choices, siteMaxBytes: deps.uploads.maxBytes }));
  });

  app.post<{ Params: { slug: string } }>('/g/:slug/settings/files', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug } = request.params;
    try {
      await updateGroupFileSettings(db, request.viewer, slug, deps.uploads, request.body);
      return redirectAfterPost(request, reply, `/g/${slug}/settings/files?notice=settingsSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const { access, choices } = await readGroupFileSettings(db, request.viewer, slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(
        reply,
        FileSettingsPage({
          ctx,
          access,
          choices,
          siteMaxBytes: deps.uploads.maxBytes,
          errors: error.fieldErrors,
          values,
        }),
        400,
      );
    }
  });
}
