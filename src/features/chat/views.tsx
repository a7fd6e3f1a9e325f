import { renderToString } from 'preact-render-to-string';
import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, type FieldErrors } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime, formatDateTime } from '../../platform/views/time.js';
import { ChatRoom, timeOf, type ChatRoomProps, type ChatStrings } from '../../client/islands/chat-room.js';
import { AttachmentFields, type PendingAttachment, type UploadLimits } from '../files/attaching.js';
import { canModerate, GroupHeader, type GroupAccess } from '../groups/index.js';
import { CrisisPanel, type CrisisPanelData } from '../safety/index.js';
import type { RoomExtra } from './extensions.js';
import type { Refusal, RoomMeeting, RoomState } from './policy.js';
import { roomPath } from './policy.js';
import type { ParticipantRow, RoomPage } from './rooms.js';

/** A refusal as a sentence, its dates on the reader's clock. */
export function refusalText(ctx: PageContext, refusal: Refusal): string {
  const vars = Object.fromEntries(
    Object.entries(refusal.vars ?? {}).map(([k, v]) => [k, v instanceof Date ? formatDateTime(ctx, v) : v]),
  );
  return ctx.t(refusal.key, vars);
}

function strings(ctx: PageContext, state: RoomState): ChatStrings {
  const { t } = ctx;
  return {
    log: t('chat.room.log'),
    empty: t('chat.room.empty'),
    older: t('chat.room.older'),
    newest: t('chat.room.newest'),
    here: t('chat.room.here'),
    nobodyHere: t('chat.room.nobodyHere'),
    label: t('chat.room.label'),
    hint: t('chat.room.hint'),
    send: t('chat.room.send'),
    remove: t('chat.room.remove'),
    formerMember: t('chat.room.formerMember'),
    paused: t('chat.errors.paused'),
    pausedLeader: t('chat.room.pausedLeader'),
    ended: t('chat.errors.ended'),
    opens: state.opensAt ? refusalText(ctx, { key: 'chat.errors.notYetOpen', vars: { opens: state.opensAt } }) : '',
    muted: t('chat.errors.muted'),
    gone: t('chat.room.gone'),
    offline: t('chat.room.offline'),
    failed: t('chat.room.failed'),
    description: t('files.view.description'),
  };
}

export interface RoomPageProps {
  ctx: PageContext;
  access: GroupAccess;
  page: RoomPage;
  meeting: RoomMeeting | null;
  state: RoomState;
  /** Why the viewer cannot write in this room at all; null when they can. */
  refusal: Refusal | null;
  crisisPanel: CrisisPanelData | null;
  /** The page of older history being read (?before=), if it is one. */
  before?: number | undefined;
  /** A message that was not sent, and why. */
  body?: string | undefined;
  error?: string | null | undefined;
  /** What a message may attach here, and a refused message's photos and files with what to change. */
  attach?: RoomAttach | undefined;
  /** What other features show in a meeting's room, above the chat (extensions.ts). */
  extras?: RoomExtra[] | undefined;
}

export interface RoomAttach {
  limits: UploadLimits;
  pending?: PendingAttachment[] | undefined;
  errors?: FieldErrors | undefined;
  alt?: string | undefined;
}

/** Errors the attachment fields show beside themselves: the file, or a photo's description. */
const isAttachError = (key: string) => key === 'file' || key.startsWith('alt-');

/**
 * The attachment fields of the room's form, as HTML for the island to keep as it is: the same
 * fields, and the same script (attach.js: upload at once, drag and drop, paste), as a post's form.
 * Only for someone who may write, on the page of the newest messages.
 */
function attachFields(p: RoomPageProps): string | null {
  const { ctx, access, attach } = p;
  if (!attach || !ctx.viewer || p.refusal || p.before !== undefined) return null;
  const html = renderToString(
    <AttachmentFields
      ctx={ctx}
      limits={attach.limits}
      place={`g:${access.group.slug}`}
      pending={attach.pending}
      errors={attach.errors}
      values={{ alt: attach.alt ?? '' }}
      idPrefix="chat-attach"
    />,
  );
  return html === '' ? null : html;
}

/** A group's chat room, or a meeting's live room: the island, and for leaders the room's controls. */
export function RoomPageView(p: RoomPageProps) {
  const { ctx, access, page, meeting, state } = p;
  const { t } = ctx;
  const path = roomPath(page.room, access.group.slug);
  const messagesUrl = `/chat/rooms/${page.room.id}/messages`;
  const leader = canModerate(access);
  const attach = attachFields(p);
  // What the attachment fields show beside themselves is not said a second time above the box.
  const errorKeys = Object.keys(p.attach?.errors ?? {});
  const shownBeside = attach !== null && errorKeys.length > 0 && errorKeys.every(isAttachError);
  const props: ChatRoomProps = {
    roomId: page.room.id,
    messagesUrl,
    messages: page.messages.map((m) => ({ ...m, time: timeOf(ctx.locale, ctx.timeZone, m.createdAt) })),
    olderUrl: page.hasOlder && page.messages[0] ? `${path}?before=${page.messages[0].id}` : null,
    newestUrl: p.before === undefined ? null : path,
    present: page.present,
    paused: state.paused,
    ended: state.ended,
    opensAt: state.opensAt?.toISOString() ?? null,
    muted: page.me?.mutedAt != null,
    refusal: p.refusal ? refusalText(ctx, p.refusal) : null,
    leader,
    // A visitor's page carries no token (they cannot write), so it stays the same for every visitor.
    csrf: ctx.viewer ? ctx.csrfToken : '',
    body: p.body ?? '',
    error: shownBeside ? null : (p.error ?? null),
    attach: null,
    locale: ctx.locale,
    timeZone: ctx.timeZone,
    t: strings(ctx, state),
  };
  const extras = p.extras ?? [];
  // An extension's own address for the room (a circle): its part leads, with its own heading.
  const focused = extras.find((x) => x.title);
  const title =
    focused?.title ??
    (meeting
      ? t('chat.meetingRoom.title', { title: meeting.meeting.title })
      : t('chat.room.title', { name: access.group.name }));
  const scripts = ['chat-room.js', ...extras.flatMap((x) => x.scripts ?? [])];
  return (
    <Layout ctx={ctx} title={title} scripts={scripts} htmx={false}>
      <GroupHeader ctx={ctx} access={access} />
      {focused ? null : meeting ? (
        <>
          <h2>{t('chat.meetingRoom.heading', { title: meeting.meeting.title })}</h2>
          <p class="meta">
            <DateTime ctx={ctx} date={meeting.occurrence.startsAt} /> ·{' '}
            <a href={`/meetings/${meeting.occurrence.id}`}>{t('chat.meetingRoom.about')}</a>
          </p>
        </>
      ) : (
        <>
          <h2>{t('chat.room.heading')}</h2>
          <p class="meta">{t('chat.room.intro')}</p>
        </>
      )}
      {p.crisisPanel ? <CrisisPanel ctx={ctx} {...p.crisisPanel} /> : null}
      {extras.map((x) => x.panel ?? null)}
      {/* The attachment fields are not in the props: the island takes them from its own markup. */}
      <div id="chat-room" data-props={JSON.stringify(props)}>
        <ChatRoom {...props} attach={attach} />
      </div>
      {leader ? <Controls ctx={ctx} page={page} meeting={meeting} state={state} /> : null}
    </Layout>
  );
}

/** What a room's leaders can do: pause, end a meeting, mute or take out someone, each a plain form. */
function Controls({
  ctx,
  page,
  meeting,
  state,
}: {
  ctx: PageContext;
  page: RoomPage;
  meeting: RoomMeeting | null;
  state: RoomState;
}) {
  const { t } = ctx;
  const base = `/chat/rooms/${page.room.id}`;
  return (
    <section class="panel chat-controls" aria-labelledby="chat-controls-heading">
      <h2 id="chat-controls-heading">{t('chat.controls.heading')}</h2>
      {state.ended ? null : (
        <div class="actions">
          <form method="post" action={`${base}/${state.paused ? 'resume' : 'pause'}`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button button-secondary">
              {state.paused ? t('chat.controls.resume') : t('chat.controls.pause')}
            </button>
          </form>
          {meeting ? (
            <form method="post" action={`${base}/end`}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="button button-secondary">
                {t('chat.controls.end')}
              </button>
            </form>
          ) : null}
        </div>
      )}
      <h3>{t('chat.controls.people')}</h3>
      {page.participants && page.participants.length > 0 ? (
        <ul class="chat-people">
          {page.participants.map((person) => (
            <Participant ctx={ctx} base={base} person={person} />
          ))}
        </ul>
      ) : (
        <p class="muted">{t('chat.controls.nobody')}</p>
      )}
    </section>
  );
}

function Participant({ ctx, base, person }: { ctx: PageContext; base: string; person: ParticipantRow }) {
  const { t } = ctx;
  const at = `${base}/participants/${encodeURIComponent(person.name)}`;
  const standing: MessageKey = person.removed
    ? 'chat.controls.removed'
    : person.muted
      ? 'chat.controls.muted'
      : person.present
        ? 'chat.controls.present'
        : 'chat.controls.away';
  const action = (name: 'mute' | 'unmute' | 'remove', label: MessageKey) => (
    <form method="post" action={`${at}/${name}`} class="inline-form">
      <CsrfField ctx={ctx} />
      <button type="submit" class="link-button">
        {t(label)}
        <span class="visually-hidden"> {person.name}</span>
      </button>
    </form>
  );
  return (
    <li>
      <strong>{person.name}</strong> <span class="meta">{t(standing)}</span>{' '}
      {person.muted || person.removed
        ? action('unmute', person.removed ? 'chat.controls.letBack' : 'chat.controls.unmute')
        : action('mute', 'chat.controls.mute')}{' '}
      {person.removed ? null : action('remove', 'chat.controls.remove')}
    </li>
  );
}
