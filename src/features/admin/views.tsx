import type { PageContext } from '../../platform/http/page.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';

interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

export function OutboxPage({ ctx, messages }: { ctx: PageContext; messages: OutboxMessage[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.outbox.title')}>
      <h1>{t('admin.outbox.title')}</h1>
      <p>{t('admin.outbox.intro')}</p>
      {messages.length === 0 ? <p class="empty">{t('admin.outbox.empty')}</p> : null}
      {messages.map((m) => (
        <article class="panel" key={m.id} aria-labelledby={`mail-${m.id}`}>
          <h2 id={`mail-${m.id}`}>{m.subject}</h2>
          <p class="meta">
            {t('admin.outbox.to', { to: m.to })} · <RelativeTime ctx={ctx} date={m.createdAt} />
          </p>
          <pre class="source">{m.text}</pre>
        </article>
      ))}
    </Layout>
  );
}
