import type { Pid, SignalData } from './circle-types.js';

/*
 * A circle's media between browsers: one RTCPeerConnection to each other admitted person (a full
 * mesh). The signals go through the server over /live, which relays them only between admitted
 * people of the same circle (and strips the addresses of those who hide theirs).
 */

/** What the island gives a media path: a way to signal, a place to show streams, ICE servers. */
export interface MediaHooks {
  send(data: SignalData): void;
  /** What a person sends, for their tile; null when the connection to them is gone. */
  stream(pid: Pid, stream: MediaStream | null): void;
  /** The ICE servers and policy for a new connection; rejects when there are none to have. */
  ice(): Promise<RTCConfiguration>;
}

/** What carries a circle's media: this mesh, or a media server (Janus) behind `to: "server"`. */
export interface MediaPath {
  /** The admitted people other than the viewer, as the latest state lists them. */
  sync(pids: Pid[]): void;
  receive(from: Pid | 'server', data: SignalData): void;
  /** The microphone, and whether it is open: when closed, no audio leaves at all. */
  setMic(track: MediaStreamTrack | null, open: boolean): void;
  setCamera(track: MediaStreamTrack | null): void;
  /** How loud each person's audio is now (0..1), the viewer's own under their pid. */
  levels(): Promise<Map<Pid, number>>;
  close(): void;
}

interface Peer {
  pc: RTCPeerConnection;
  /** Our candidates, held until our description has gone (then null). */
  outgoing: SignalData[] | null;
}

/** How long an offer may wait for its answer, and a newcomer for the offer they expect. */
const answerWaitMs = 8000;
const offerWaitMs = 5000;

export class Mesh implements MediaPath {
  private readonly peers = new Map<Pid, Peer>();
  /** Each person's signals are handled one after another, so a candidate never beats its offer. */
  private readonly chains = new Map<Pid, Promise<void>>();
  private readonly waits = new Map<Pid, ReturnType<typeof setTimeout>>();
  private wanted = new Set<Pid>();
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
    this.wanted = new Set(pids);
    for (const pid of [...this.peers.keys()]) if (!this.wanted.has(pid)) this.drop(pid);
    for (const [pid, wait] of this.waits) {
      if (this.wanted.has(pid)) continue;
      clearTimeout(wait);
      this.waits.delete(pid);
    }
    for (const pid of pids) {
      if (this.peers.has(pid) || this.waits.has(pid)) continue;
      // The newer one offers: on arrival, to everyone already here; later arrivals offer to us,
      // and should their offer not come (a lost frame), we offer ourselves.
      if (!this.started) this.offer(pid);
      else
        this.waits.set(
          pid,
          setTimeout(() => this.offer(pid), offerWaitMs),
        );
    }
    this.started = true;
  }

  receive(from: Pid | 'server', data: SignalData): void {
    if (from === 'server' || this.closed) return;
    if (data.kind === 'candidate') {
      const { candidate, sdpMid, sdpMLineIndex } = data;
      this.run(from, async () => {
        const peer = this.peers.get(from);
        if (!peer?.pc.remoteDescription) return;
        // A candidate of a connection since replaced fails here, and is of no use anyway.
        await peer.pc.addIceCandidate({ candidate, sdpMid: sdpMid ?? null, sdpMLineIndex: sdpMLineIndex ?? null });
      });
    } else if (data.kind === 'offer') this.run(from, () => this.answer(from, data.sdp));
    else
      this.run(from, async () => {
        const peer = this.peers.get(from);
        if (peer?.pc.signalingState === 'have-local-offer')
          await peer.pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
      });
  }

  setMic(track: MediaStreamTrack | null, open: boolean): void {
    this.mic = track;
    this.micOpen = open && track !== null;
    if (track) track.enabled = this.micOpen;
    for (const peer of this.peers.values()) this.attach(peer);
  }

  setCamera(track: MediaStreamTrack | null): void {
    this.camera = track;
    for (const peer of this.peers.values()) this.attach(peer);
  }

  async levels(): Promise<Map<Pid, number>> {
    const levels = new Map<Pid, number>();
    for (const [pid, peer] of this.peers) {
      const report = await peer.pc.getStats().catch(() => null);
      report?.forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
        if (s.kind !== 'audio' || s.audioLevel === undefined) return;
        if (s.type === 'inbound-rtp') levels.set(pid, s.audioLevel);
        else if (s.type === 'media-source' && this.micOpen)
          levels.set(this.me, Math.max(levels.get(this.me) ?? 0, s.audioLevel));
      });
    }
    return levels;
  }

  close(): void {
    this.closed = true;
    for (const wait of this.waits.values()) clearTimeout(wait);
    this.waits.clear();
    for (const pid of [...this.peers.keys()]) this.drop(pid);
  }

  private run(pid: Pid, step: () => Promise<void>): void {
    const next = (this.chains.get(pid) ?? Promise.resolve()).then(step).catch(() => undefined);
    this.chains.set(pid, next);
  }

  private offer(pid: Pid): void {
    clearTimeout(this.waits.get(pid));
    this.waits.delete(pid);
    this.run(pid, async () => {
      if (this.closed || this.peers.has(pid)) return;
      const config = await this.hooks.ice();
      if (this.closed || this.peers.has(pid) || !this.wanted.has(pid)) return;
      const peer = this.connect(pid, config);
      // Video circles always carry a video line, so a camera turned on later needs no new offer.
      peer.pc.addTransceiver('audio', { direction: 'sendrecv' });
      if (this.video) peer.pc.addTransceiver('video', { direction: 'sendrecv' });
      this.attach(peer);
      await peer.pc.setLocalDescription();
      this.describe(pid, peer, 'offer');
      // No answer (a lost frame, a page gone): start again, while they are still listed.
      setTimeout(() => {
        if (this.peers.get(pid) !== peer || peer.pc.signalingState !== 'have-local-offer') return;
        this.drop(pid);
        this.offer(pid);
      }, answerWaitMs);
    });
  }

  private async answer(from: Pid, sdp: string): Promise<void> {
    const old = this.peers.get(from);
    // Both offered at once: the lower pid gives way and answers; the higher waits for its answer.
    if (old?.pc.signalingState === 'have-local-offer' && this.me > from) return;
    clearTimeout(this.waits.get(from));
    this.waits.delete(from);
    // An offer on a settled connection comes from a page that started again: it replaces it.
    this.drop(from);
    const config = await this.hooks.ice();
    if (this.closed || this.peers.has(from)) return;
    const peer = this.connect(from, config);
    await peer.pc.setRemoteDescription({ type: 'offer', sdp });
    this.attach(peer);
    await peer.pc.setLocalDescription();
    this.describe(from, peer, 'answer');
  }

  private connect(pid: Pid, config: RTCConfiguration): Peer {
    const pc = new RTCPeerConnection(config);
    const peer: Peer = { pc, outgoing: [] };
    this.peers.set(pid, peer);
    const stream = new MediaStream();
    pc.onicecandidate = ({ candidate: c }) => {
      if (!c?.candidate) return;
      const data: SignalData = { kind: 'candidate', to: pid, candidate: c.candidate };
      if (c.sdpMid !== null) data.sdpMid = c.sdpMid;
      if (c.sdpMLineIndex !== null) data.sdpMLineIndex = c.sdpMLineIndex;
      if (peer.outgoing) peer.outgoing.push(data);
      else this.hooks.send(data);
    };
    pc.ontrack = ({ track }) => {
      stream.addTrack(track);
      if (this.peers.get(pid) === peer) this.hooks.stream(pid, new MediaStream(stream.getTracks()));
    };
    pc.onconnectionstatechange = () => {
      // A broken connection is made again by one side only (the higher pid), after a breath.
      if (pc.connectionState !== 'failed' || this.me < pid) return;
      setTimeout(() => {
        if (this.peers.get(pid) !== peer) return;
        this.drop(pid);
        this.offer(pid);
      }, 2000);
    };
    return peer;
  }

  /** Our tracks on a connection: the microphone only while open, else nothing is sent. */
  private attach(peer: Peer): void {
    for (const t of peer.pc.getTransceivers()) {
      if (t.currentDirection === 'stopped') continue;
      if (t.direction !== 'sendrecv') t.direction = 'sendrecv';
      const track = t.receiver.track.kind === 'audio' ? (this.micOpen ? this.mic : null) : this.camera;
      if (t.sender.track !== track) void t.sender.replaceTrack(track).catch(() => undefined);
    }
  }

  private describe(pid: Pid, peer: Peer, kind: 'offer' | 'answer'): void {
    if (this.peers.get(pid) !== peer || !peer.pc.localDescription) return;
    this.hooks.send({ kind, to: pid, sdp: peer.pc.localDescription.sdp });
    for (const c of peer.outgoing ?? []) this.hooks.send(c);
    peer.outgoing = null;
  }

  private drop(pid: Pid): void {
    const peer = this.peers.get(pid);
    if (!peer) return;
    this.peers.delete(pid);
    peer.pc.close();
    this.hooks.stream(pid, null);
  }
}
