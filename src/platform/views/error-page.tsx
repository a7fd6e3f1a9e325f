import type { PageContext } from '../http/page.js';
import type { ErrorKind } from '../http/server.js';
import type { MessageKey } from './i18n.js';
import { Layout } from './layout.js';

export function ErrorPage({ ctx, kind, reason }: { ctx: PageContext; kind: ErrorKind; reason?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`errors.${kind}.title`)} noindex>
      <section class="panel">
        <h1>{t(`errors.${kind}.title`)}</h1>
        <p>{reason ? t(reason as MessageKey) : t(`errors.${kind}.body`)}</p>
        <p>
          <a href="/">{t('errors.home')}</a> · <a href="/groups">{t('errors.findGroup')}</a>
        </p>
      </section>
    </Layout>
  );
}
