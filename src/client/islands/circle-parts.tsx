import type { ComponentChildren, TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fill, type CircleParticipant, type CircleState, type CircleStrings } from './circle-types.js';

/*
 * The pieces of a circle's panel: a control (a plain form the island sends with fetch), a
 * person's tile, the media elements, and the share timer.
 */

export type Send = (form: HTMLFormElement) => Promise<void>;

/** One control: a form that posts (and comes back) without JavaScript, sent with fetch with it. */
export function Control(p: {
  action: string;
  csrf: string;
  send: Send;
  label: ComponentChildren;
  /** Secondary unless said. */
  kind?: 'primary' | 'danger' | 'link';
  disabled?: boolean;
  describedBy?: string;
  children?: ComponentChildren;
}) {
  const submit = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    void p.send(e.currentTarget);
  };
  const style = p.kind === 'link' ? 'link-button' : `button button-small button-${p.kind ?? 'secondary'}`;
  return (
    <form method="post" action={p.action} class="inline-form" onSubmit={submit}>
      <input type="hidden" name="_csrf" value={p.csrf} />
      {p.children}
      <button type="submit" class={style} disabled={p.disabled} aria-describedby={p.describedBy}>
        {p.label}
      </button>
    </form>
  );
}

/** A person's sound or picture. The element is given the stream once it exists (it cannot be markup). */
export function Media(p: {
  stream: MediaStream;
  video?: boolean;
  muted?: boolean;
  label?: string;
  blocked?: () => void;
}) {
  const el = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  // After every render: the element itself may be new (a picture where a sound was).
  useEffect(() => {
    const media = el.current;
    if (!media || media.srcObject === p.stream) return;
    media.srcObject = p.stream;
    // A browser that wants a click before it plays sound says so here; the island offers a button.
    media.play().catch(() => p.blocked?.());
  });
  return p.video ? (
    <video ref={el} class="circle-video" autoPlay playsInline muted aria-label={p.label} />
  ) : (
    <audio ref={el} autoPlay muted={p.muted} />
  );
}

export interface TileProps {
  person: CircleParticipant;
  state: CircleState;
  you: boolean;
  speaking: boolean;
  /** Their sound and picture (not for the viewer's own tile: their own sound would echo). */
  stream: MediaStream | null;
  /** The viewer's own camera, in their own tile. */
  preview: MediaStream | null;
  /** Their sound is not played here: muted by a leader, or without the talking stick. */
  silenced: boolean;
  leaderControls: ComponentChildren;
  blocked: () => void;
  t: CircleStrings;
}

export function Tile(p: TileProps) {
  const { person, state, t } = p;
  const picture = p.you ? p.preview : person.cameraOn ? p.stream : null;
  const badges = [
    person.leader ? t.leader : '',
    person.mutedByLeader ? t.mutedByLeader : person.selfMuted ? t.muted : '',
    person.handRaisedAt ? t.handUp : '',
    state.circle.mode === 'stick' && state.circle.stickHolder === person.pid ? t.hasStick : '',
    p.speaking ? t.speaking : '',
  ].filter(Boolean);
  return (
    <li class={`circle-tile${p.speaking ? ' circle-speaking' : ''}`} data-pid={person.pid}>
      {picture ? (
        <Media key="picture" stream={picture} video label={fill(t.video, { name: person.name })} />
      ) : (
        <span class="circle-avatar" aria-hidden="true">
          {person.name.slice(0, 1).toUpperCase()}
        </span>
      )}
      {p.stream && !p.you ? <Media key="sound" stream={p.stream} muted={p.silenced} blocked={p.blocked} /> : null}
      <span class="circle-name">
        {person.name}
        {p.you ? ` ${t.you}` : ''}
      </span>
      {badges.length > 0 ? (
        <span class="circle-badges">
          {badges.map((b) => (
            <span class="badge" key={b}>
              {b}
            </span>
          ))}
        </span>
      ) : null}
      {p.leaderControls}
    </li>
  );
}

/** A short gentle chime: two soft tones, fading, with nothing to download. */
function chime(): void {
  const Context = window.AudioContext as typeof AudioContext | undefined;
  if (!Context) return;
  const ctx = new Context();
  [523.25, 783.99].forEach((hz, i) => {
    const tone = ctx.createOscillator();
    const gain = ctx.createGain();
    const at = ctx.currentTime + i * 0.35;
    tone.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.08, at + 0.04);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.4);
    tone.connect(gain).connect(ctx.destination);
    tone.start(at);
    tone.stop(at + 1.5);
  });
  setTimeout(() => void ctx.close(), 2500);
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** The share timer, counting down the same for everyone; at the end, a chime and a gentle glow. */
export function ShareTimer(p: {
  share: CircleState['circle']['share'];
  /** The server's clock minus this one's, in ms. */
  skew: number;
  over: () => void;
  t: CircleStrings;
}) {
  const startedAt = p.share?.startedAt ? Date.parse(p.share.startedAt) : null;
  const [now, setNow] = useState(() => Date.now() + p.skew);
  const running = useRef(false);
  const left = p.share && startedAt !== null ? Math.ceil(p.share.seconds - (now - startedAt) / 1000) : null;
  useEffect(() => {
    if (startedAt === null) return;
    setNow(Date.now() + p.skew);
    const tick = setInterval(() => setNow(Date.now() + p.skew), 1000);
    return () => clearInterval(tick);
  }, [startedAt]);
  useEffect(() => {
    if (left === null) running.current = false;
    else if (left > 0) running.current = true;
    else if (running.current) {
      // Only for a share that ran out while the page watched it, not one long over when it opened.
      running.current = false;
      chime();
      p.over();
    }
  }, [left !== null && left > 0, startedAt]);
  if (left === null) return null;
  return left > 0 ? (
    <p class="circle-timer" role="timer">
      {fill(p.t.shareLeft, { time: clock(left) })}
    </p>
  ) : (
    <p class="circle-timer circle-timer-over">{p.t.shareOver}</p>
  );
}
