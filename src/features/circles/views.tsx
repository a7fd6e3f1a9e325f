import type { PageContext } from '../../platform/http/page.js';
import { isAsset } from '../../platform/views/assets.js';
import { CsrfField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { Circle, type CircleProps, type CircleState } from '../../client/islands/circle.js';
import { refusalText, type Refusal } from '../chat/index.js';
import { canManage, GroupHeader } from '../groups/index.js';
import { circleStrings } from './circle-strings.js';
import type { CircleStateFrame } from './frames.js';
import { canRunCircle, isIn, type CirclePlace } from './policy.js';
import type { Circle as CircleRow, CircleParticipant } from './schema.js';
import type { CircleSettingsForm } from './settings.js';

/*
 * A circle's pages: its panel in the meeting's live room (open one, join it, go back to it), the
 * device check before joining, and the circle itself beside the live chat (the island, which the
 * server renders with every control as a plain form). Every word comes from the catalog.
 */

export const circlePath = (occurrenceId: number) => `/meetings/${occurrenceId}/circle`;
export const roomPath = (occurrenceId: number) => `/meetings/${occurrenceId}/room`;

/** The scripts a page asks for, once the site serves them (the island's helper registers them). */
export const scriptsIfServed = (...names: string[]) => names.filter((name) => isAsset(name));

interface PanelProps {
  ctx: PageContext;
  place: Pick<CirclePlace, 'access' | 'occurrence' | 'circle' | 'me'>;
  /** Why they may not join now; null when they may. */
  refusal: Refusal | null;
  /** The room takes a new circle now (open, not over). */
  roomOpen: boolean;
}

/** The circle's part of the meeting's live room: open a circle (leaders), join it, or go back to it. */
export function CirclePanel({ ctx, place, refusal, roomOpen }: PanelProps) {
  const { t } = ctx;
  const { circle, me, access } = place;
  const open = circle !== null && circle.endedAt === null;
  const leader = canRunCircle(access);
  if (!open && !(leader && roomOpen)) return null;
  const base = circlePath(place.occurrence.id);
  return (
    <section class="panel circle-panel" aria-labelledby="circle-panel-heading">
      <h2 id="circle-panel-heading">{t('circles.panel.heading')}</h2>
      {open ? (
        <>
          <p>{t(`circles.panel.isOpen.${circle.kind}`)}</p>
          {isIn(me) ? (
            <p>
              {t('circles.panel.inIt')}{' '}
              <a class="button" href={base}>
                {t('circles.panel.back')}
              </a>
            </p>
          ) : refusal ? (
            <p class="meta">{refusalText(ctx, refusal)}</p>
          ) : (
            <p>
              <a class="button" href={`${base}/check`}>
                {t(`circles.panel.join.${circle.kind}`)}
              </a>
            </p>
          )}
        </>
      ) : (
        <>
          <p class="meta">{t('circles.panel.openHint')}</p>
          <div class="actions">
            {(['voice', 'video'] as const).map((kind) => (
              <form method="post" action={`${base}/open`} class="inline-form">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="kind" value={kind} />
                <button type="submit" class="button">
                  {t(kind === 'voice' ? 'circles.panel.openVoice' : 'circles.panel.openVideo')}
                </button>
              </form>
            ))}
          </div>
        </>
      )}
      {canManage(access) ? (
        <p class="meta">
          <a href={`/g/${access.group.slug}/circles/settings`}>{t('circles.panel.settings')}</a>
        </p>
      ) : null}
    </section>
  );
}

/** The island's props: the circle as this person sees it, the addresses its controls post to, its words. */
export function circleProps(
  ctx: PageContext,
  circle: CircleRow,
  me: CircleParticipant,
  state: CircleStateFrame,
): CircleProps {
  const base = circlePath(circle.occurrenceId);
  const { circle: info, you, participants } = state;
  const view: CircleState = you ? { circle: info, you, participants } : { circle: info, participants };
  return {
    circleId: circle.id,
    occurrenceId: circle.occurrenceId,
    base,
    roomUrl: roomPath(circle.occurrenceId),
    checkUrl: `${base}/check`,
    iceUrl: `/circles/${circle.id}/ice`,
    csrf: ctx.csrfToken,
    pid: me.id,
    now: new Date().toISOString(),
    state: view,
    t: circleStrings(ctx.t),
  };
}

/** The circle beside the live chat: its heading, the promise that nothing is recorded, and the island. */
export function CircleSection({ ctx, title, props }: { ctx: PageContext; title: string; props: CircleProps }) {
  const { t } = ctx;
  return (
    <>
      <section class="circle-page" aria-labelledby="circle-heading">
        <h2 id="circle-heading">{title}</h2>
        <p class="circle-promise">
          <strong>{t('circles.page.notRecorded')}</strong>
        </p>
        <div id="circle" data-props={JSON.stringify(props)}>
          <Circle {...props} />
        </div>
      </section>
      <h2 class="circle-chat-heading">{t('circles.page.chat')}</h2>
    </>
  );
}

const retryable = new Set<string>(['circles.errors.noRelay', 'circles.errors.full']);

interface CheckProps {
  ctx: PageContext;
  place: CirclePlace;
  /** Why they may not join (now, or as they asked); null when they may. */
  refusal: Refusal | null;
  /** The box as it is: ticked by default for aliases and anonymous groups, always when forced. */
  hideAddress: boolean;
  /** The site has a TURN relay, so an address can be hidden at all. */
  relay: boolean;
}

/** Before joining: the microphone (and camera) checked, the address choice, and the join button. */
export function CheckPage({ ctx, place, refusal, hideAddress, relay }: CheckProps) {
  const { t } = ctx;
  const { circle, access, meeting, occurrence } = place;
  const kind = circle?.kind ?? 'voice';
  const base = circlePath(occurrence.id);
  const forced = place.settings.hideAddressesForced;
  const help = (name: 'denied' | 'missing' | 'unsupported' | 'failed') => (
    <p id={`device-check-${name}`} class="notice" role="status" hidden>
      {t(`circles.check.${name}`)}
    </p>
  );
  // Refused as they asked (hidden without a relay, or the circle full): the form stays, to try again.
  const canJoin = refusal === null || retryable.has(refusal.key);
  return (
    <Layout
      ctx={ctx}
      title={t('circles.check.title', { title: meeting.title })}
      scripts={canJoin ? scriptsIfServed('device-check.js') : []}
      htmx={false}
    >
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t(`circles.check.heading.${kind}`)}</h2>
      <p class="meta">{t('circles.check.intro')}</p>
      {refusal ? (
        <p class="form-errors" role="alert" id="circle-refusal">
          {refusalText(ctx, refusal)}
        </p>
      ) : null}
      {canJoin ? (
        <>
          <section id="device-check" data-kind={kind} aria-label={t(`circles.check.heading.${kind}`)}>
            <noscript>
              <p>{t('circles.check.noScript')}</p>
            </noscript>
            <div id="device-check-tools" hidden>
              <p>
                <label for="device-check-mic">{t('circles.check.mic')}</label> <select id="device-check-mic"></select>
              </p>
              <p>
                <label for="device-check-level">{t('circles.check.level')}</label>{' '}
                <meter id="device-check-level" min={0} max={1} value={0}></meter>
              </p>
              {kind === 'video' ? (
                <>
                  <p>
                    <label for="device-check-camera">{t('circles.check.camera')}</label>{' '}
                    <select id="device-check-camera"></select>
                  </p>
                  <p>
                    <button
                      type="button"
                      id="device-check-camera-button"
                      class="button button-secondary"
                      data-on={t('circles.check.showCamera')}
                      data-off={t('circles.check.hideCamera')}
                    >
                      {t('circles.check.showCamera')}
                    </button>
                  </p>
                  <video id="device-check-preview" muted playsinline aria-label={t('circles.check.preview')}></video>
                </>
              ) : null}
            </div>
            {help('denied')}
            {help('missing')}
            {help('unsupported')}
            {help('failed')}
          </section>
          <form id="circle-join" method="post" action={`${base}/join`}>
            <CsrfField ctx={ctx} />
            <div class="field choice">
              <input
                type="checkbox"
                id="circle-hide-address"
                name="hideAddress"
                value="on"
                checked={relay && hideAddress}
                disabled={forced || !relay}
                aria-describedby="circle-hide-address-hint"
              />
              <label for="circle-hide-address">{t('circles.check.hideAddress')}</label>
              <p class="hint" id="circle-hide-address-hint">
                {forced
                  ? t('circles.check.hideForced')
                  : relay
                    ? t('circles.check.hideAddressHint')
                    : t('circles.check.noRelay')}
              </p>
              {/* A disabled box sends nothing: the group's rule is sent for it. */}
              {forced ? <input type="hidden" name="hideAddress" value="on" /> : null}
            </div>
            {circle?.waitingRoom && !canRunCircle(access) ? <p class="meta">{t('circles.check.waitingRoom')}</p> : null}
            <button type="submit" class="button">
              {t('circles.check.join')}
            </button>
          </form>
        </>
      ) : null}
      <p>
        <a href={roomPath(occurrence.id)}>{t('circles.check.back')}</a>
      </p>
    </Layout>
  );
}

/** A group's circle settings, for those who manage it. */
export function SettingsPage({ ctx, form, relay }: { ctx: PageContext; form: CircleSettingsForm; relay: boolean }) {
  const { t } = ctx;
  const { access } = form;
  const chosen = form.waitingRoomDefault === null ? 'leadership' : form.waitingRoomDefault ? 'on' : 'off';
  return (
    <Layout ctx={ctx} title={t('circles.settings.title', { name: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t('circles.settings.heading')}</h2>
      <p class="meta">{t('circles.settings.intro')}</p>
      <form method="post" action={`/g/${access.group.slug}/circles/settings`}>
        <CsrfField ctx={ctx} />
        <div class="field choice">
          <input
            type="checkbox"
            id="field-hideAddressesForced"
            name="hideAddressesForced"
            value="on"
            checked={form.hideAddressesForced}
            aria-describedby="field-hideAddressesForced-hint"
          />
          <label for="field-hideAddressesForced">{t('circles.settings.hideForced')}</label>
          <p class="hint" id="field-hideAddressesForced-hint">
            {t('circles.settings.hideForcedHint')} {relay ? null : t('circles.settings.noRelay')}
          </p>
        </div>
        <fieldset class="field">
          <legend>{t('circles.settings.waitingRoom')}</legend>
          <p class="hint">{t('circles.settings.waitingRoomHint')}</p>
          {(
            [
              ['leadership', 'circles.settings.byLeadership'],
              ['on', 'circles.settings.on'],
              ['off', 'circles.settings.off'],
            ] as const
          ).map(([value, label]) => (
            <div class="choice">
              <input
                type="radio"
                id={`field-waitingRoom-${value}`}
                name="waitingRoom"
                value={value}
                checked={chosen === value}
              />
              <label for={`field-waitingRoom-${value}`}>{t(label)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          {t('circles.settings.save')}
        </button>
      </form>
    </Layout>
  );
}
