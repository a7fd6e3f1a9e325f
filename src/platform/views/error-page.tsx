import type { NextStep } from '../errors.js';
import type { PageContext } from '../http/page.js';
import type { ErrorKind } from '../http/server.js';
import type { MessageKey, Vars } from './i18n.js';
import { Layout } from './layout.js';

interface ErrorPageProps {
  ctx: PageContext;
  kind: ErrorKind;
  reason?: string | undefined;
  vars?: Vars | undefined;
  nextStep?: NextStep | undefined;
}

export function ErrorPage({ ctx, kind, reason, vars, nextStep }: ErrorPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`errors.${kind}.title`)}>
      <section class="panel">
        <h1>{t(`errors.${kind}.title`)}</h1>
        <p>{reason ? t(reason as MessageKey, vars) : t(`errors.${kind}.body`)}</p>
        {nextStep ? (
          <p>
            <a class="button" href={nextStep.href}>
              {t(nextStep.label as MessageKey)}
            </a>
          </p>
        ) : null}
        <p>
          <a href="/">{t('errors.home')}</a> · <a href="/groups">{t('errors.findGroup')}</a>
        </p>
      </section>
    </Layout>
  );
}
