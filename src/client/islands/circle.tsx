import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { JanusPath } from './circle-janus.js';
import { Mesh, type MediaHooks, type MediaPath } from './circle-mesh.js';
import { Control, Media, ShareTimer, Tile, type Send } from './circle-parts.js';
import {
  fill,
  type CircleFrame,
  type CircleParticipant,
  type CircleProps,
  type CircleState,
  type CircleStrings,
  type Pid,
  type SignalData,
} from './circle-types.js';

export type { CircleParticipant, CircleProps, CircleState, CircleStrings } from './circle-types.js';

/*
 * A voice or video circle. The server renders it with the props below, where it is a list of
 * who is here with every control as a plain form; in the browser it is hydrated with the same
 * props, follows the circle over /live (topic "circle") and carries the sound (and pictures)
 * between the admitted people, as a full mesh. The server decides who is muted and who holds the
 * talking stick; this island obeys: a closed microphone sends nothing, and a person muted by a
 * facilitator is not played here even if their browser sends.
 */

const jsonHeaders = { accept: 'application/json' };

/** The microphone or camera chosen on the device check page, if any (storage may be refused). */
function chosen(kind: 'audioInput' | 'videoInput'): string | null {
  try {
    return sessionStorage.getItem(`mutual.circle.${kind}`);
  } catch {
    return null;
  }
}
const speakingLevel = 0.03;

/** What changed, in words for a screen reader: arrivals, departures, hands, the stick. */
function news(before: CircleState, after: CircleState, me: Pid, leader: boolean, t: CircleStrings): string[] {
  const said: string[] = [];
  const old = new Map(before.participants.map((x) => [x.pid, x]));
  const now = new Map(after.participants.map((x) => [x.pid, x]));
  for (const x of after.participants) {
    const was = old.get(x.pid);
    const name = { name: x.name };
    if (x.pid === me) {
      if (was?.status === 'waiting' && x.status === 'admitted') said.push(t.admittedYou);
      if (x.mutedByLeader && !was?.mutedByLeader) said.push(t.mutedYou);
      if (!x.mutedByLeader && was?.mutedByLeader) said.push(t.allowedYou);
      continue;
    }
    if (x.status === 'admitted' && was?.status !== 'admitted') said.push(fill(t.joined, name));
    if (x.status === 'waiting' && !was && leader) said.push(fill(t.arrived, name));
    if (x.handRaisedAt && !was?.handRaisedAt) said.push(fill(t.raisedHand, name));
  }
  for (const x of before.participants)
    if (x.pid !== me && x.status === 'admitted' && now.get(x.pid)?.status !== 'admitted')
      said.push(fill(t.left, { name: x.name }));
  const holder = after.circle.stickHolder;
  if (after.circle.mode === 'stick' && holder !== null && holder !== before.circle.stickHolder)
    said.push(holder === me ? t.stickToYou : fill(t.stickTo, { name: now.get(holder)?.name ?? '' }));
  if (after.circle.ended && !before.circle.ended) said.push(t.ended);
  return said;
}

function stateOf(frame: CircleFrame | CircleState): CircleState {
  const { circle, you, participants } = frame as CircleState;
  return { circle, you: you ?? null, participants };
}

export function Circle(p: CircleProps) {
  const { t, base } = p;
  const [state, setState] = useState(p.state);
  const [hydrated, setHydrated] = useState(false);
  const [offline, setOffline] = useState(false);
  const [gone, setGone] = useState(false);
  const [said, setSaid] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [streams, setStreams] = useState<Map<Pid, MediaStream>>(new Map());
  const [speaking, setSpeaking] = useState('');
  const [micTrack, setMicTrack] = useState<MediaStreamTrack | null>(null);
  const [noMic, setNoMic] = useState(false);
  const [preview, setPreview] = useState<MediaStream | null>(null);
  const [blocked, setBlocked] = useState(false);
  /** Muted here at once on a click, before the server's state says so. */
  const [mutedNow, setMutedNow] = useState(false);
  const path = useRef<MediaPath | null>(null);
  const socket = useRef<WebSocket | null>(null);
  /** Signals wait here until the socket follows the circle (the server takes them only then). */
  const outbox = useRef<string[]>([]);
  const following = useRef(false);
  const flush = () => {
    if (!following.current) return;
    for (const frame of outbox.current.splice(0)) socket.current?.send(frame);
  };
  const before = useRef(p.state);
  const skew = useMemo(() => Date.parse(p.now) - Date.now(), []);

  const c = state.circle;
  const me: CircleParticipant | undefined = state.participants.find((x) => x.pid === p.pid);
  const status = gone ? 'removed' : (me?.status ?? state.you?.status ?? 'removed');
  const leader = me?.leader ?? state.you?.leader ?? false;
  const mutedByLeader = me?.mutedByLeader ?? state.you?.mutedByLeader ?? false;
  const inCircle = status === 'admitted' && !c.ended;
  const mayTalk = !mutedByLeader && (c.mode === 'open' || leader || c.stickHolder === p.pid);
  const selfMuted = (me?.selfMuted ?? true) || mutedNow;
  const micOpen = inCircle && mayTalk && !selfMuted;
  const others = state.participants.filter((x) => x.status === 'admitted' && x.pid !== p.pid);
  const othersKey = others.map((x) => x.pid).join(',');

  const say = (lines: string[]) => {
    if (lines.length > 0) setSaid(lines.join(' '));
  };

  // Follows the circle once hydrated; its state again after each (re)connection.
  useEffect(() => {
    setHydrated(true);
    if (!window.WebSocket) return;
    let stopped = false;
    let wait = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const catchUp = async () => {
      const res = await fetch(`${base}/state`, { headers: jsonHeaders });
      if (res.ok) setState(stateOf((await res.json()) as CircleState));
    };
    const receive = (f: CircleFrame) => {
      if (f.type === 'subscribed') {
        wait = 1000;
        following.current = true;
        flush();
        setOffline(false);
        void catchUp().catch(() => undefined);
      } else if (f.type === 'error') {
        // Removed, or out of the group: nothing more to follow.
        if (f.error === 'notFound') {
          stopped = true;
          setGone(true);
          socket.current?.close();
        }
      } else if (f.circleId !== p.circleId) return;
      else if (f.type === 'circle.state') setState(stateOf(f));
      else if (f.type === 'circle.signal' && f.from !== undefined && f.data) path.current?.receive(f.from, f.data);
    };
    const connect = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
      socket.current = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', topic: 'circle', id: p.circleId }));
      ws.onmessage = (e) => receive(JSON.parse(String(e.data)) as CircleFrame);
      ws.onclose = () => {
        following.current = false;
        if (stopped) return;
        setOffline(true);
        timer = setTimeout(connect, wait * (1 + Math.random() / 2));
        wait = Math.min(wait * 2, 30_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket.current?.close();
    };
  }, []);

  // What changed, said aloud.
  useEffect(() => {
    say(news(before.current, state, p.pid, leader, t));
    before.current = state;
    // The server has it now: from here on its word (muted or not) is what counts.
    if (me?.selfMuted) setMutedNow(false);
  }, [state]);

  // The media, while the person is in the circle: microphone, connections, levels.
  useEffect(() => {
    if (!hydrated || !inCircle || !window.RTCPeerConnection) return;
    let ice: { at: number; config: Promise<RTCConfiguration> } | null = null;
    const hooks: MediaHooks = {
      send: (data: SignalData) => {
        outbox.current.push(JSON.stringify({ type: 'send', topic: 'circle', id: p.circleId, data }));
        flush();
      },
      stream: (pid, stream) =>
        setStreams((all) => {
          const next = new Map(all);
          if (stream) next.set(pid, stream);
          else next.delete(pid);
          return next;
        }),
      // TURN credentials last minutes: fetched again for connections made a minute later.
      ice: () => {
        if (!ice || Date.now() - ice.at > 60_000) {
          const config = fetch(p.iceUrl, { headers: jsonHeaders }).then(async (res) => {
            if (!res.ok) throw new Error(`ice ${res.status}`);
            return (await res.json()) as RTCConfiguration;
          });
          ice = { at: Date.now(), config };
          config.catch(() => (ice = null));
        }
        return ice.config;
      },
    };
    // The one place a circle's media path is chosen: browser to browser, or through Janus (circle-janus.ts).
    const mesh: MediaPath =
      c.media === 'janus'
        ? new JanusPath(p.pid, c.kind === 'video', hooks)
        : new Mesh(p.pid, c.kind === 'video', hooks);
    path.current = mesh;
    let track: MediaStreamTrack | null = null;
    let stopped = false;
    const mic = chosen('audioInput');
    navigator.mediaDevices
      .getUserMedia({ audio: mic ? { deviceId: mic } : true })
      .then((stream) => {
        track = stream.getAudioTracks()[0] ?? null;
        if (stopped) track?.stop();
        else setMicTrack(track);
      })
      .catch(() => !stopped && setNoMic(true));
    const levels = setInterval(() => {
      void mesh.levels().then((found) => {
        const loud = [...found].filter(([, level]) => level > speakingLevel).map(([pid]) => pid);
        setSpeaking(loud.sort().join(','));
      });
    }, 500);
    return () => {
      stopped = true;
      clearInterval(levels);
      mesh.close();
      path.current = null;
      outbox.current = [];
      track?.stop();
      setMicTrack(null);
      setStreams(new Map());
      setSpeaking('');
    };
  }, [hydrated, inCircle, c.media]);

  useEffect(() => path.current?.sync(others.map((x) => x.pid)), [othersKey, hydrated, inCircle, c.media]);
  useEffect(() => path.current?.setMic(micTrack, micOpen), [micTrack, micOpen]);
  useEffect(() => {
    path.current?.setCamera(preview?.getVideoTracks()[0] ?? null);
    if (preview && !inCircle) {
      preview.getTracks().forEach((track) => track.stop());
      setPreview(null);
    }
  }, [preview, inCircle, c.media]);

  const post = async (url: string, body: URLSearchParams) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...jsonHeaders, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': p.csrf },
      body: body.toString(),
    });
    if (res.ok) return true;
    const data = (await res.json().catch(() => ({}))) as { error?: string };
    setError(data.error ?? t.failed);
    return false;
  };

  const send: Send = async (form) => {
    const action = new URL(form.action).pathname.slice(base.length + 1);
    const fields = new URLSearchParams([...new FormData(form)].map(([k, v]) => [k, String(v)]));
    setError(null);
    if (action === 'mute') setMutedNow(true);
    if (action === 'camera-on') {
      const camera = chosen('videoInput');
      try {
        setPreview(await navigator.mediaDevices.getUserMedia({ video: camera ? { deviceId: camera } : true }));
      } catch {
        setError(t.noCamera);
        return;
      }
    }
    if (action === 'camera-off' || action === 'leave') {
      preview?.getTracks().forEach((track) => track.stop());
      setPreview(null);
    }
    const ok = await post(form.action, fields).catch(() => {
      setError(t.failed);
      return false;
    });
    if (ok && action === 'leave') location.assign(p.roomUrl);
    if (!ok && action === 'mute') setMutedNow(false);
    if (!ok && action === 'camera-on') setPreview((stream) => (stream?.getTracks().forEach((x) => x.stop()), null));
  };

  const playAll = () => {
    document.querySelectorAll<HTMLMediaElement>('.circle audio').forEach((el) => void el.play());
    setBlocked(false);
  };

  const at = (name: string) => `${base}/${name}`;
  const control = (name: string, label: ComponentChildren, extra: Partial<Parameters<typeof Control>[0]> = {}) => (
    <Control action={at(name)} csrf={p.csrf} send={send} label={label} {...extra} />
  );
  const named = (label: string, name: string) => (
    <>
      {label}
      <span class="visually-hidden"> {name}</span>
    </>
  );
  const talking = new Set(speaking.split(',').filter(Boolean).map(Number));
  const waiting = state.participants.filter((x) => x.status === 'waiting');
  const inside = state.participants.filter((x) => x.status === 'admitted');
  const hands = inside.filter((x) => x.handRaisedAt).sort((a, b) => a.handRaisedAt!.localeCompare(b.handRaisedAt!));
  const holder = c.mode === 'stick' && c.stickHolder !== null ? inside.find((x) => x.pid === c.stickHolder) : null;
  const open = !c.ended && !gone;
  const unmuteHint = mutedByLeader ? t.unmuteLeader : !mayTalk ? t.unmuteStick : null;

  const personControls = (x: CircleParticipant) =>
    leader && open && x.pid !== p.pid ? (
      <span class="circle-person-actions">
        {x.mutedByLeader
          ? control(`participants/${x.pid}/allow-unmute`, named(t.allowUnmute, x.name), { kind: 'link' })
          : control(`participants/${x.pid}/mute`, named(t.muteOne, x.name), { kind: 'link' })}
        {c.mode === 'stick' && c.stickHolder !== x.pid
          ? control(`participants/${x.pid}/give-stick`, fill(t.giveStick, { name: x.name }), { kind: 'link' })
          : null}
        {control(`participants/${x.pid}/remove`, named(t.remove, x.name), { kind: 'link' })}
      </span>
    ) : null;

  return (
    <div class="circle">
      <p class="circle-news" role="status">
        {said}
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {c.ended || gone || status === 'removed' ? (
        <p class="notice">
          {c.ended ? t.ended : t.gone} <a href={p.roomUrl}>{t.backToRoom}</a>
        </p>
      ) : status === 'waiting' ? (
        <p class="notice">{t.waitingYou}</p>
      ) : null}
      {offline && open ? <p class="meta">{t.offline}</p> : null}
      {noMic && inCircle ? (
        <p class="notice notice-warning">
          {t.noMic} <a href={p.checkUrl}>{t.checkDevices}</a>
        </p>
      ) : null}
      {blocked ? (
        <p>
          <button type="button" class="button" onClick={playAll}>
            {t.sound}
          </button>
        </p>
      ) : null}

      <p class="meta circle-mode">
        {c.mode === 'stick' ? t.modeStick : t.modeOpen} {c.locked ? t.locked : ''}
      </p>
      {c.mode === 'stick' ? (
        <p class="circle-stick">{holder ? fill(t.stickWith, { name: holder.name }) : t.stickNobody}</p>
      ) : null}
      {open ? <ShareTimer share={c.share} skew={skew} over={() => say([t.shareOver])} t={t} /> : null}

      {/* A media server's mix of everyone else's sound comes as pid 0, which is nobody's tile. */}
      {hydrated && streams.get(0) ? <Media stream={streams.get(0)!} blocked={() => setBlocked(true)} /> : null}
      <h3 id="circle-people">{t.people}</h3>
      <ul class="circle-tiles" aria-labelledby="circle-people">
        {inside.map((x) => (
          <Tile
            key={x.pid}
            person={x}
            state={state}
            you={x.pid === p.pid}
            speaking={talking.has(x.pid) && !x.mutedByLeader}
            stream={hydrated ? (streams.get(x.pid) ?? null) : null}
            preview={x.pid === p.pid ? preview : null}
            silenced={x.mutedByLeader || (c.mode === 'stick' && !x.leader && c.stickHolder !== x.pid)}
            leaderControls={personControls(x)}
            blocked={() => setBlocked(true)}
            t={t}
          />
        ))}
      </ul>

      <h3 id="circle-hands">{t.hands}</h3>
      {hands.length > 0 ? (
        <ol class="circle-hands" aria-labelledby="circle-hands">
          {hands.map((x) => (
            <li key={x.pid}>{x.pid === p.pid ? `${x.name} ${t.you}` : x.name}</li>
          ))}
        </ol>
      ) : (
        <p class="muted">{t.noHands}</p>
      )}

      {inCircle ? (
        <section class="circle-controls" aria-labelledby="circle-yours">
          <h3 id="circle-yours">{t.yourControls}</h3>
          <div class="actions">
            {selfMuted || mutedByLeader
              ? control('unmute', t.unmute, {
                  kind: 'primary',
                  disabled: !mayTalk,
                  describedBy: unmuteHint ? 'circle-unmute-hint' : undefined,
                })
              : control('mute', t.mute, { kind: 'primary' })}
            {me?.handRaisedAt ? control('lower-hand', t.lowerHand) : control('raise-hand', t.raiseHand)}
            {c.kind === 'video'
              ? me?.cameraOn || preview
                ? control('camera-off', t.cameraOff)
                : control('camera-on', t.cameraOn)
              : null}
            {control('leave', t.leave)}
          </div>
          {unmuteHint ? (
            <p class="hint" id="circle-unmute-hint">
              {unmuteHint}
            </p>
          ) : null}
        </section>
      ) : status === 'waiting' ? (
        <div class="actions">{control('leave', t.leave)}</div>
      ) : null}

      {leader && open ? (
        <section class="circle-controls" aria-labelledby="circle-leading">
          <h3 id="circle-leading">{t.leaderControls}</h3>
          {waiting.length > 0 ? (
            <>
              <h4 id="circle-waiting">{t.waiting}</h4>
              <ul class="circle-waiting" aria-labelledby="circle-waiting">
                {waiting.map((x) => (
                  <li key={x.pid}>
                    {x.name} {control(`participants/${x.pid}/admit`, named(t.admit, x.name), { kind: 'link' })}{' '}
                    {control(`participants/${x.pid}/remove`, named(t.remove, x.name), { kind: 'link' })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div class="actions">
            {control('mute-all', t.muteAll)}
            {control(c.locked ? 'unlock' : 'lock', c.locked ? t.unlock : t.lock)}
            {control('mode', c.mode === 'stick' ? t.useOpen : t.useStick, {
              children: <input type="hidden" name="mode" value={c.mode === 'stick' ? 'open' : 'stick'} />,
            })}
            {c.mode === 'stick' && hands.length > 0 ? control('pass-stick', t.passStick) : null}
          </div>
          <div class="actions">
            {control('timer', t.setTimer, {
              children: (
                <>
                  <label for="circle-timer">{t.timer}</label>{' '}
                  <select id="circle-timer" name="seconds">
                    <option value="" selected={!c.share}>
                      {t.timerOff}
                    </option>
                    {t.timerChoices.map((o) => (
                      <option value={String(o.seconds)} selected={c.share?.seconds === o.seconds}>
                        {o.label}
                      </option>
                    ))}
                  </select>{' '}
                </>
              ),
            })}
            {c.share ? control('start-share', t.startShare) : null}
          </div>
          <div class="actions">{control('end', t.end, { kind: 'danger' })}</div>
        </section>
      ) : null}
    </div>
  );
}
