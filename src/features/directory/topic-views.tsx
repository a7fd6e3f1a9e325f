import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import type { Topic } from './schema.js';
import type { TopicNode } from './topics.js';

function TopicFields({
  ctx,
  categories,
  values,
  errors,
  topicId,
}: {
  ctx: PageContext;
  categories: TopicNode[];
  values: Record<string, string>;
  errors: FieldErrors;
  topicId?: number;
}) {
  const { t } = ctx;
  const parentError = errors.parent;
  return (
    <>
      <Field
        ctx={ctx}
        name="name"
        label={t('directorySettings.topics.name')}
        errors={errors}
        value={values.name}
        maxLength={80}
      />
      <div class={parentError ? 'field field-error' : 'field'}>
        <label for="field-parent">{t('directorySettings.topics.parent')}</label>
        <p class="hint" id="field-parent-hint">
          {t('directorySettings.topics.parentHint')}
        </p>
        {parentError ? (
          <p class="error" id="field-parent-error">
            {errorMessage(ctx, parentError)}
          </p>
        ) : null}
        <select
          id="field-parent"
          name="parent"
          aria-describedby={parentError ? 'field-parent-hint field-parent-error' : 'field-parent-hint'}
        >
          <option value="">{t('directorySettings.topics.noParent')}</option>
          {categories
            .filter((c) => c.id !== topicId)
            .map((c) => (
              <option key={c.id} value={String(c.id)} selected={values.parent === String(c.id)}>
                {c.name}
              </option>
            ))}
        </select>
      </div>
      <Field
        ctx={ctx}
        name="synonyms"
        label={t('directorySettings.topics.synonyms')}
        hint={t('directorySettings.topics.synonymsHint')}
        errors={errors}
        value={values.synonyms}
        multiline
        rows={3}
      />
      <div class="choice">
        <input
          type="checkbox"
          id="field-forCarers"
          name="forCarers"
          value="on"
          checked={values.forCarers === 'on'}
          aria-describedby="field-forCarers-hint"
        />
        <label for="field-forCarers">{t('directorySettings.topics.forCarers')}</label>
        <p class="hint" id="field-forCarers-hint">
          {t('directorySettings.topics.forCarersHint')}
        </p>
      </div>
    </>
  );
}

function TopicRow({ ctx, topic }: { ctx: PageContext; topic: TopicNode }) {
  const { t } = ctx;
  return (
    <li>
      <strong>{topic.name}</strong>
      {topic.forCarers ? <span class="badge"> {t('directorySettings.topics.carersBadge')}</span> : null}{' '}
      <span class="meta">{t('directorySettings.topics.groupsCount', { count: topic.entries })}</span>
      {topic.synonyms.length > 0 ? <p class="hint">{topic.synonyms.join(', ')}</p> : null}
      <p class="actions">
        <a
          href={`/admin/topics/${topic.id}`}
          aria-label={t('directorySettings.topics.editTopic', { name: topic.name })}
        >
          {t('directorySettings.topics.edit')}
        </a>
      </p>
      {topic.children.length > 0 ? (
        <ul>
          {topic.children.map((child) => (
            <TopicRow key={child.id} ctx={ctx} topic={child} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** /admin/topics: the taxonomy as a tree, and a form to add a topic. */
export function TopicsPage({
  ctx,
  tree,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  tree: TopicNode[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('directorySettings.topics.title')}>
      <h1>{t('directorySettings.topics.title')}</h1>
      <p>{t('directorySettings.topics.intro')}</p>
      <section class="panel" aria-labelledby="add-topic-heading">
        <h2 id="add-topic-heading">{t('directorySettings.topics.addHeading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/admin/topics" novalidate>
          <CsrfField ctx={ctx} />
          <TopicFields ctx={ctx} categories={tree} values={values} errors={errors} />
          <button type="submit" class="button">
            {t('directorySettings.topics.add')}
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="topics-heading">
        <h2 id="topics-heading">{t('directorySettings.topics.listHeading')}</h2>
        <ul class="topic-tree">
          {tree.map((topic) => (
            <TopicRow key={topic.id} ctx={ctx} topic={topic} />
          ))}
        </ul>
      </section>
    </Layout>
  );
}

/** The values of a topic's form, as saved. */
export function topicValues(topic: Topic): Record<string, string> {
  return {
    name: topic.name,
    parent: topic.parentId === null ? '' : String(topic.parentId),
    synonyms: topic.synonyms.join(', '),
    forCarers: topic.forCarers ? 'on' : '',
  };
}

/** /admin/topics/:id: edit a topic, or remove it. */
export function TopicEditPage({
  ctx,
  topic,
  tree,
  errors = {},
  values,
}: {
  ctx: PageContext;
  topic: Topic;
  tree: TopicNode[];
  errors?: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('directorySettings.topics.editHeading', { name: topic.name })}>
      <p>
        <a href="/admin/topics">{t('directorySettings.topics.back')}</a>
      </p>
      <h1>{t('directorySettings.topics.editHeading', { name: topic.name })}</h1>
      <section class="panel">
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/admin/topics/${topic.id}`} novalidate>
          <CsrfField ctx={ctx} />
          <TopicFields ctx={ctx} categories={tree} values={values} errors={errors} topicId={topic.id} />
          <button type="submit" class="button">
            {t('directorySettings.topics.save')}
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="remove-heading">
        <h2 id="remove-heading">{t('directorySettings.topics.remove')}</h2>
        <p>{t('directorySettings.topics.removeHint')}</p>
        <form method="post" action={`/admin/topics/${topic.id}/remove`}>
          <CsrfField ctx={ctx} />
          <button type="submit" class="button button-secondary">
            {t('directorySettings.topics.removeTopic', { name: topic.name })}
          </button>
        </form>
      </section>
    </Layout>
  );
}
