import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import { describeRule } from './occurrences.js';
import { canRsvp, canScheduleMeetings, canSeeDialIn, liveRoomState } from './policy.js';
import { placesLeft, type OccurrenceListItem, type OccurrencePage as PageData } from './reading.js';
import type { Meeting, MeetingOccurrence, RsvpStatus } from './schema.js';
import { formatStart, MeetingTime } from './time-views.js';

export const meetingsUrl = (slug: string) => `/g/${slug}/meetings`;
export const occurrenceUrl = (id: number) => `/meetings/${id}`;

function KindBadge({ ctx, kind }: { ctx: PageContext; kind: Meeting['kind'] }) {
  return <span class="badge">{ctx.t(`meetings.kind.${kind}`)}</span>;
}

/** "3 places left", "Full: the waitlist is open", or nothing for a meeting without a limit. */
function Places({
  ctx,
  meeting,
  going,
}: {
  ctx: PageContext;
  meeting: Pick<Meeting, 'capacity' | 'waitlist'>;
  going: number;
}) {
  const { t } = ctx;
  const left = placesLeft(meeting, going);
  if (left === null) return <>{t('meetings.places.noLimit')}</>;
  if (left > 0) return <>{t('meetings.places.left', { count: left })}</>;
  return <>{meeting.waitlist ? t('meetings.places.fullWaitlist') : t('meetings.places.full')}</>;
}

function AnswerText({ ctx, status, position }: { ctx: PageContext; status: RsvpStatus; position?: number | null }) {
  const { t } = ctx;
  if (status === 'waitlisted' && position) return <>{t('meetings.answer.waitlistedAt', { position })}</>;
  return <>{t(`meetings.answer.${status}`)}</>;
}

/** A group's meetings: the dates to come (or the past ones), each with its places and the viewer's answer. */
export function MeetingsPage({
  ctx,
  access,
  items,
  when,
}: {
  ctx: PageContext;
  access: GroupAccess;
  items: OccurrenceListItem[];
  when: 'upcoming' | 'past';
}) {
  const { t } = ctx;
  const base = meetingsUrl(access.group.slug);
  const leader = canScheduleMeetings(access);
  return (
    <Layout
      ctx={ctx}
      title={t(when === 'past' ? 'meetings.pastTitle' : 'meetings.listTitle', { group: access.group.name })}
    >
      <GroupHeader ctx={ctx} access={access} />
      <section aria-labelledby="meetings-heading">
        <h2 id="meetings-heading">{t(when === 'past' ? 'meetings.pastHeading' : 'meetings.heading')}</h2>
        {when === 'upcoming' ? <p>{t('meetings.intro')}</p> : null}
        {leader && when === 'upcoming' ? (
          <p>
            <a class="button" href={`${base}/new`}>
              {t('meetings.schedule')}
            </a>
          </p>
        ) : null}
        {items.length === 0 ? (
          <p class="empty">{t(when === 'past' ? 'meetings.nonePast' : 'meetings.none')}</p>
        ) : (
          <ul class="plain-list meetings">
            {items.map((i) => (
              <li key={i.id} class="panel">
                <h3>
                  <a href={occurrenceUrl(i.id)}>{i.title}</a>
                </h3>
                <p>
                  <MeetingTime ctx={ctx} startsAt={i.startsAt} endsAt={i.endsAt} timeZone={i.timeZone} />
                </p>
                <p class="meta">
                  <KindBadge ctx={ctx} kind={i.kind} />
                  {i.cancelled ? (
                    <>
                      {' '}
                      <span class="badge badge-warning">{t('meetings.cancelledBadge')}</span>
                    </>
                  ) : when === 'upcoming' ? (
                    <>
                      {' · '}
                      <Places ctx={ctx} meeting={i} going={i.going} />
                    </>
                  ) : null}
                  {i.mine && i.mine !== 'not_going' && !i.cancelled ? (
                    <>
                      {' · '}
                      <strong>
                        <AnswerText ctx={ctx} status={i.mine} />
                      </strong>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
        <p>
          {when === 'past' ? (
            <a href={base}>{t('meetings.showUpcoming')}</a>
          ) : (
            <a href={`${base}?when=past`}>{t('meetings.showPast')}</a>
          )}
        </p>
      </section>
    </Layout>
  );
}

/** Text written on several lines, kept on them (escaped as all text is). */
function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </>
  );
}

/** Where the meeting happens, as this reader may know it. */
function Place({ ctx, page }: { ctx: PageContext; page: PageData }) {
  const { t } = ctx;
  const { meeting, occurrence, access } = page;
  if (meeting.kind === 'in_person') {
    return (
      <dl class="meeting-place">
        <dt>{t('meetings.place.address')}</dt>
        <dd>{meeting.address}</dd>
        {meeting.directions ? (
          <>
            <dt>{t('meetings.place.directions')}</dt>
            <dd>
              <Lines text={meeting.directions} />
            </dd>
          </>
        ) : null}
        {meeting.accessibilityNotes ? (
          <>
            <dt>{t('meetings.place.accessibility')}</dt>
            <dd>
              <Lines text={meeting.accessibilityNotes} />
            </dd>
          </>
        ) : null}
      </dl>
    );
  }
  if (meeting.kind === 'phone') {
    if (!canSeeDialIn(access)) return <p>{t('meetings.place.dialInMembersOnly')}</p>;
    return (
      <dl class="meeting-place">
        <dt>{t('meetings.place.dialIn')}</dt>
        <dd>
          <a href={`tel:${(meeting.dialIn ?? '').replace(/[^+0-9]/g, '')}`}>{meeting.dialIn}</a>
        </dd>
        {meeting.dialInPin ? (
          <>
            <dt>{t('meetings.place.pin')}</dt>
            <dd>{meeting.dialInPin}</dd>
          </>
        ) : null}
      </dl>
    );
  }
  const state = liveRoomState(meeting, occurrence);
  const room = `${occurrenceUrl(occurrence.id)}/room`;
  return (
    <p>
      {state === 'open' ? (
        <a class="button" href={room}>
          {t('meetings.place.joinRoom')}
        </a>
      ) : state === 'notYetOpen' ? (
        <>
          {t('meetings.place.roomOpensLater')} <a href={room}>{t('meetings.place.roomLink')}</a>
        </>
      ) : state === 'ended' ? (
        <>
          {t('meetings.place.roomEnded')} <a href={room}>{t('meetings.place.roomHistory')}</a>
        </>
      ) : (
        t('meetings.place.roomClosed')
      )}
    </p>
  );
}

const answers = ['going', 'maybe', 'not_going'] as const;

/** Whether answers are still taken: not for a cancelled date, nor once it has begun. */
export function takesAnswers(meeting: Meeting, occurrence: MeetingOccurrence, now = new Date()): boolean {
  return !meeting.cancelledAt && !occurrence.cancelledAt && occurrence.startsAt.getTime() > now.getTime();
}

/**
 * The answer buttons with the places and the viewer's answer: swapped in place by htmx after an
 * answer, and posted as plain forms without JavaScript.
 */
export function RsvpPanel({ ctx, page, errors = {} }: { ctx: PageContext; page: PageData; errors?: FieldErrors }) {
  const { t } = ctx;
  const { access, meeting, occurrence, mine, position } = page;
  const open = takesAnswers(meeting, occurrence);
  const action = `${occurrenceUrl(occurrence.id)}/rsvp`;
  return (
    <section class="panel" id="rsvp" aria-labelledby="rsvp-heading">
      <h2 id="rsvp-heading">{t('meetings.rsvp.heading')}</h2>
      <p>
        {t('meetings.rsvp.going', { count: page.going })}
        {' · '}
        <Places ctx={ctx} meeting={meeting} going={page.going} />
        {page.waitlisted > 0 ? (
          <>
            {' · '}
            {t('meetings.rsvp.waitlisted', { count: page.waitlisted })}
          </>
        ) : null}
        {page.maybe > 0 ? (
          <>
            {' · '}
            {t('meetings.rsvp.maybe', { count: page.maybe })}
          </>
        ) : null}
      </p>
      <FormErrors ctx={ctx} errors={errors} />
      <div role="status">
        {mine ? (
          <p>
            <strong>
              <AnswerText ctx={ctx} status={mine} position={position} />
            </strong>
          </p>
        ) : null}
      </div>
      {!open ? null : !ctx.viewer ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(occurrenceUrl(occurrence.id))}`}>{t('meetings.rsvp.logIn')}</a>
        </p>
      ) : canRsvp(access) ? (
        <div class="actions" role="group" aria-label={t('meetings.rsvp.question')}>
          {answers.map((answer) => (
            <form
              key={answer}
              method="post"
              action={action}
              class="inline-form"
              hx-post={action}
              hx-target="#rsvp"
              hx-swap="outerHTML"
            >
              <CsrfField ctx={ctx} />
              <input type="hidden" name="status" value={answer} />
              <button
                type="submit"
                class={
                  mine === answer || (answer === 'going' && mine === 'waitlisted')
                    ? 'button'
                    : 'button button-secondary'
                }
                aria-pressed={mine === answer || (answer === 'going' && mine === 'waitlisted') ? 'true' : 'false'}
              >
                {t(`meetings.rsvp.answer.${answer}`)}
              </button>
            </form>
          ))}
        </div>
      ) : canScheduleMeetings(access) ? null : (
        <p>
          {t('meetings.rsvp.membersAnswer')} <a href={`/g/${access.group.slug}`}>{t('meetings.rsvp.toGroup')}</a>
        </p>
      )}
      {open && canScheduleMeetings(access) ? <p class="meta">{t('meetings.rsvp.leadersNeedNot')}</p> : null}
      {page.attendees ? <Attendees ctx={ctx} page={page} /> : null}
    </section>
  );
}

/** For the leaders: who answered, by their names in the group, in the order they answered. */
function Attendees({ ctx, page }: { ctx: PageContext; page: PageData }) {
  const { t } = ctx;
  const groups = (['going', 'waitlisted', 'maybe'] as const).map((status) => ({
    status,
    names: (page.attendees ?? []).filter((a) => a.status === status).map((a) => a.name),
  }));
  return (
    <div class="attendees">
      {groups.map((g) =>
        g.names.length === 0 ? null : (
          <div key={g.status}>
            <h3>{t(`meetings.attendees.${g.status}`)}</h3>
            <ol class={g.status === 'waitlisted' ? undefined : 'plain-list'}>
              {g.names.map((name, i) => (
                <li key={i}>{name}</li>
              ))}
            </ol>
          </div>
        ),
      )}
    </div>
  );
}

/** What the group's leaders can do with this date and its meeting. */
function LeaderActions({
  ctx,
  page,
  errors,
  values,
}: {
  ctx: PageContext;
  page: PageData;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const { access, meeting, occurrence } = page;
  const at = occurrenceUrl(occurrence.id);
  const series = `${meetingsUrl(access.group.slug)}/${meeting.id}`;
  const open = takesAnswers(meeting, occurrence);
  return (
    <section class="panel" aria-labelledby="leader-heading">
      <h2 id="leader-heading">{t('meetings.actions.heading')}</h2>
      <FormErrors ctx={ctx} errors={errors} />
      {meeting.cancelledAt ? (
        <p>{t('meetings.actions.seriesCancelled')}</p>
      ) : (
        <div class="actions">
          <a class="button button-secondary" href={`${series}/edit`}>
            {meeting.rrule ? t('meetings.actions.editSeries') : t('meetings.actions.edit')}
          </a>
          {open && meeting.rrule ? (
            <a class="button button-secondary" href={`${at}/move`}>
              {t('meetings.actions.move')}
            </a>
          ) : null}
        </div>
      )}
      {open && meeting.rrule ? (
        <form method="post" action={`${at}/cancel`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="note"
            label={t('meetings.actions.cancelDateNote')}
            hint={t('meetings.actions.noteHint')}
            errors={errors}
            value={values.note}
            maxLength={1000}
            multiline
            rows={3}
          />
          <button type="submit" class="button button-secondary">
            {t('meetings.actions.cancelDate')}
          </button>
        </form>
      ) : null}
      {meeting.cancelledAt ? null : (
        <form method="post" action={`${series}/cancel`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="note"
            label={meeting.rrule ? t('meetings.actions.cancelSeriesNote') : t('meetings.actions.cancelOnceNote')}
            hint={t('meetings.actions.noteHint')}
            errors={{}}
            value=""
            maxLength={1000}
            multiline
            rows={3}
          />
          <button type="submit" class="button button-danger">
            {meeting.rrule ? t('meetings.actions.cancelSeries') : t('meetings.actions.cancelOnce')}
          </button>
        </form>
      )}
    </section>
  );
}

/** One date of a meeting: when, where, what it is, who is coming, and the answer buttons. */
export function OccurrencePage({
  ctx,
  page,
  errors = {},
  errorsAt = 'rsvp',
  values = {},
}: {
  ctx: PageContext;
  page: PageData;
  errors?: FieldErrors;
  errorsAt?: 'rsvp' | 'leader';
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { access, meeting, occurrence } = page;
  const cancelled = occurrence.cancelledAt !== null;
  const moved = occurrence.startsAt.getTime() !== occurrence.originalStartsAt.getTime();
  return (
    <Layout ctx={ctx} title={meeting.title}>
      <p>
        <a href={meetingsUrl(access.group.slug)}>{t('meetings.back', { group: access.group.name })}</a>
      </p>
      <article aria-labelledby="meeting-title">
        <h1 id="meeting-title">{meeting.title}</h1>
        <p class="meta">
          <KindBadge ctx={ctx} kind={meeting.kind} /> {t('meetings.ofGroup')}{' '}
          <a href={`/g/${access.group.slug}`}>{access.group.name}</a>
        </p>
        {cancelled ? (
          <div class="notice notice-warning" role="note">
            <p>
              <strong>{t('meetings.cancelledNotice')}</strong>
            </p>
            {occurrence.cancelNote ? (
              <p>
                {t('meetings.cancelNoteIntro')} <q>{occurrence.cancelNote}</q>
              </p>
            ) : null}
          </div>
        ) : null}
        <h2>{t('meetings.whenHeading')}</h2>
        <p>
          <MeetingTime
            ctx={ctx}
            startsAt={occurrence.startsAt}
            endsAt={occurrence.endsAt}
            timeZone={meeting.timeZone}
          />
        </p>
        {moved ? (
          <p class="meta">
            {t('meetings.movedFrom', { when: formatStart(ctx, occurrence.originalStartsAt, ctx.timeZone) })}
          </p>
        ) : null}
        {meeting.rrule ? (
          <p class="meta">
            {t('meetings.repeats', {
              rule: describeRule({ ...meeting, rrule: meeting.rrule }, ctx.locale),
              zone: meeting.timeZone,
            })}
          </p>
        ) : null}
        <h2>{t('meetings.whereHeading')}</h2>
        <Place ctx={ctx} page={page} />
        {meeting.descriptionHtml ? (
          <>
            <h2>{t('meetings.aboutHeading')}</h2>
            {/* Sanitised by renderMarkdown when it was saved. */}
            <div class="prose" dangerouslySetInnerHTML={{ __html: meeting.descriptionHtml }} />
          </>
        ) : null}
      </article>
      <RsvpPanel ctx={ctx} page={page} errors={errorsAt === 'rsvp' ? errors : {}} />
      {page.others.length > 0 ? (
        <section class="panel" aria-labelledby="others-heading">
          <h2 id="others-heading">{t('meetings.otherDates')}</h2>
          <ul class="plain-list">
            {page.others.map((o) => (
              <li key={o.id}>
                <a href={occurrenceUrl(o.id)}>{formatStart(ctx, o.startsAt, ctx.timeZone)}</a>
                {o.cancelled ? <> ({t('meetings.cancelledBadge')})</> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {canScheduleMeetings(access) ? (
        <LeaderActions ctx={ctx} page={page} errors={errorsAt === 'leader' ? errors : {}} values={values} />
      ) : null}
    </Layout>
  );
}
