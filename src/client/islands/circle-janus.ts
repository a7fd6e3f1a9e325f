import type { MediaHooks, MediaPath } from './circle-mesh.js';
import type { Pid, SignalData } from './circle-types.js';

/*
 * A circle's media through the Janus media server, for circles larger than a mesh holds. The
 * browser talks only to Mutual (`to: "server"`), which holds the Janus session and relays the SDP:
 * it alone can mute or remove someone there, so a facilitator's mute holds whatever this page does.
 *
 * Voice (AudioBridge): one connection, our microphone up and one mixed stream of everyone else
 * down, given to the island as the stream of pid 0 (nobody's). Video (VideoRoom): our connection
 * publishes (audio first, so Janus knows its mid as "0"), and a second one, offered by the server
 * and renegotiated as people come and go, brings the others' streams, labelled "mutual-<pid>".
 * ICE is gathered before each description is sent (no trickle to the server).
 */

/** How long gathering candidates may hold a description back, and an offer wait for its answer. */
const gatherMs = 3000;
const answerWaitMs = 10_000;
export const mixPid = 0;

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = () => pc.iceGatheringState === 'complete' && resolve();
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, gatherMs);
  });
}

/** Which person each m-line of the server's offer carries: mid → pid, from its "mutual-<pid>" msid. */
function pidsByMid(sdp: string): Map<string, Pid> {
  const found = new Map<string, Pid>();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
    const pid = /^a=msid:mutual-(\d+)\s/m.exec(section)?.[1];
    if (mid !== undefined && pid !== undefined) found.set(mid, Number(pid));
  }
  return found;
}

export class JanusPath implements MediaPath {
  private main: RTCPeerConnection | null = null;
  private sub: RTCPeerConnection | null = null;
  private mids = new Map<string, Pid>();
  private shown = new Set<Pid>();
  private chain: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private closed = false;
  private mic: MediaStreamTrack | null = null;
  private micOpen = false;
  private camera: MediaStreamTrack | null = null;

  constructor(
    private readonly me: Pid,
    private readonly video: boolean,
    private readonly hooks: MediaHooks,
  ) {}

  sync(pids: Pid[]): void {
    // Janus brings whoever is there; the list only starts us, and drops the streams of those gone.
    if (!this.started) this.connect();
    this.started = true;
    const listed = new Set(pids);
    for (const pid of [...this.shown]) if (!listed.has(pid)) this.show(pid, null);
  }

  receive(from: Pid | 'server', data: SignalData): void {
    if (from !== 'server' || this.closed) return;
    if (data.kind === 'answer')
      this.run(async () => {
        const pc = this.main;
        if (pc?.signalingState !== 'have-local-offer') return;
        clearTimeout(this.timer);
        await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
        // Janus letting go (restarted, or the server's process gone) closes DTLS at once, well before ICE fails.
        const dtls = pc.getSenders()[0]?.transport;
        dtls?.addEventListener('statechange', () => {
          if ((dtls.state === 'closed' || dtls.state === 'failed') && this.main === pc) this.again();
        });
      });
    else if (data.kind === 'offer' && this.video) this.run(() => this.answer(data.sdp));
  }

  setMic(track: MediaStreamTrack | null, open: boolean): void {
    this.mic = track;
    this.micOpen = open && track !== null;
    if (track) track.enabled = this.micOpen;
    this.attach();
  }

  setCamera(track: MediaStreamTrack | null): void {
    this.camera = track;
    this.attach();
  }

  async levels(): Promise<Map<Pid, number>> {
    const levels = new Map<Pid, number>();
    const own = await this.main?.getStats().catch(() => null);
    own?.forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
      if (s.type === 'media-source' && s.kind === 'audio' && this.micOpen && s.audioLevel !== undefined)
        levels.set(this.me, s.audioLevel);
    });
    const byTrack = new Map(this.received().map(([pid, t]) => [t.receiver.track.id, pid]));
    const others = await this.sub?.getStats().catch(() => null);
    others?.forEach((s: { type: string; kind?: string; audioLevel?: number; trackIdentifier?: string }) => {
      const pid = byTrack.get(s.trackIdentifier ?? '');
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && pid !== undefined && s.audioLevel !== undefined)
        levels.set(pid, s.audioLevel);
    });
    return levels;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.main?.close();
    this.sub?.close();
    this.main = this.sub = null;
    for (const pid of [...this.shown]) this.show(pid, null);
  }

  private run(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch(() => undefined);
  }

  private show(pid: Pid, stream: MediaStream | null): void {
    if (stream) this.shown.add(pid);
    else this.shown.delete(pid);
    this.hooks.stream(pid, stream);
  }

  /** Connects again after a breath (the server may be starting again). */
  private again(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), 2000);
  }

  /** A new connection to the server (and, for video, the end of the old subscription with it). */
  private connect(): void {
    this.run(async () => {
      clearTimeout(this.timer);
      this.main?.close();
      this.sub?.close();
      this.main = this.sub = null;
      for (const pid of [...this.shown]) this.show(pid, null);
      const config = await this.hooks.ice();
      if (this.closed) return;
      const pc = new RTCPeerConnection(config);
      this.main = pc;
      pc.addTransceiver('audio', { direction: this.video ? 'sendonly' : 'sendrecv' });
      if (this.video) pc.addTransceiver('video', { direction: 'sendonly' });
      else pc.ontrack = ({ track }) => this.main === pc && this.show(mixPid, new MediaStream([track]));
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'failed' && this.main === pc) this.again();
      };
      this.attach();
      await pc.setLocalDescription();
      await gathered(pc);
      if (this.main !== pc || !pc.localDescription) return;
      this.hooks.send({ kind: 'offer', to: 'server', sdp: pc.localDescription.sdp });
      this.timer = setTimeout(() => {
        if (this.main === pc && pc.signalingState === 'have-local-offer') this.connect();
      }, answerWaitMs);
    });
  }

  /** The server's offer of the others' streams (video): answered on the subscription connection. */
  private async answer(sdp: string): Promise<void> {
    if (!this.sub || this.sub.connectionState === 'failed') {
      this.sub?.close();
      const pc = new RTCPeerConnection(await this.hooks.ice());
      if (this.closed) return pc.close();
      this.sub = pc;
      pc.ontrack = () => this.refresh();
    }
    const pc = this.sub;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    this.mids = pidsByMid(sdp);
    await pc.setLocalDescription();
    await gathered(pc);
    if (this.sub !== pc || !pc.localDescription) return;
    this.hooks.send({ kind: 'answer', to: 'server', sdp: pc.localDescription.sdp });
    this.refresh();
  }

  /** The subscription's live m-lines, with the person each carries. */
  private received(): [Pid, RTCRtpTransceiver][] {
    const found: [Pid, RTCRtpTransceiver][] = [];
    for (const t of this.sub?.getTransceivers() ?? []) {
      const pid = this.mids.get(t.mid ?? '');
      if (pid !== undefined && t.currentDirection !== 'inactive' && t.receiver.track.readyState === 'live')
        found.push([pid, t]);
    }
    return found;
  }

  /** Each person's tracks, as the subscription now carries them, for their tiles. */
  private refresh(): void {
    const tracks = new Map<Pid, MediaStreamTrack[]>();
    for (const [pid, t] of this.received()) tracks.set(pid, [...(tracks.get(pid) ?? []), t.receiver.track]);
    for (const pid of [...this.shown]) if (!tracks.has(pid)) this.show(pid, null);
    for (const [pid, list] of tracks) this.show(pid, new MediaStream(list));
  }

  /** Our tracks: the microphone only while open (else nothing is sent), the camera when on. */
  private attach(): void {
    for (const t of this.main?.getTransceivers() ?? []) {
      if (t.currentDirection === 'stopped') continue;
      const track = t.receiver.track.kind === 'audio' ? (this.micOpen ? this.mic : null) : this.camera;
      if (t.sender.track !== track) void t.sender.replaceTrack(track).catch(() => undefined);
    }
  }
}
