import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { watchedWordActionEnum, type WatchedWord, type WatchedWordAction } from './schema.js';

const actionKey = (a: WatchedWordAction) => `watchedWords.actions.${a}` as const;
const hintKey = (a: WatchedWordAction) => `watchedWords.actions.${a}Hint` as const;

export function WatchedWordsPage({
  ctx,
  words,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  words: WatchedWord[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const chosen = values.action ?? 'flag';
  return (
    <Layout ctx={ctx} title={t('watchedWords.title')}>
      <h1>{t('watchedWords.title')}</h1>
      <p>{t('watchedWords.intro')}</p>
      <section class="panel" aria-labelledby="add-heading">
        <h2 id="add-heading">{t('watchedWords.addHeading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/admin/watched-words" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="word"
            label={t('watchedWords.word')}
            hint={t('watchedWords.wordHint')}
            errors={errors}
            value={values.word}
            maxLength={100}
          />
          <fieldset class={errors.action ? 'field field-error' : 'field'}>
            <legend>{t('watchedWords.action')}</legend>
            {errors.action ? (
              <p class="error" id="action-error">
                {errorMessage(ctx, errors.action)}
              </p>
            ) : null}
            {watchedWordActionEnum.enumValues.map((a) => (
              <div class="choice" key={a}>
                <input
                  type="radio"
                  id={`action-${a}`}
                  name="action"
                  value={a}
                  checked={chosen === a}
                  aria-describedby={errors.action ? `action-error action-${a}-hint` : `action-${a}-hint`}
                />
                <label for={`action-${a}`}>{t(actionKey(a))}</label>
                <p class="hint" id={`action-${a}-hint`}>
                  {t(hintKey(a))}
                </p>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button">
            {t('watchedWords.add')}
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="list-heading">
        <h2 id="list-heading">{t('watchedWords.listHeading')}</h2>
        {words.length === 0 ? <p class="empty">{t('watchedWords.empty')}</p> : null}
        {words.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('watchedWords.word')}</th>
                <th scope="col">{t('watchedWords.action')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('watchedWords.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {words.map((w) => (
                <tr key={w.id}>
                  <td>{w.word}</td>
                  <td>{t(actionKey(w.action))}</td>
                  <td>
                    <form method="post" action={`/admin/watched-words/${w.id}/remove`}>
                      <CsrfField ctx={ctx} />
                      <button
                        type="submit"
                        class="button secondary"
                        aria-label={t('watchedWords.removeWord', { word: w.word })}
                      >
                        {t('watchedWords.remove')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </Layout>
  );
}
