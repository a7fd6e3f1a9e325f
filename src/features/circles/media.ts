import type { Deps } from '../../platform/deps.js';
import type { ClientSignal, CircleStateEvent, SignalData } from './frames.js';
import { JanusCircleMedia } from './janus-media.js';

/*
 * What carries a circle's sound and pictures. Small circles need nothing of the server but the
 * relay of their signals (a mesh: each browser sends to every other); a media server (Janus, see
 * janus-media.ts) takes over when a circle grows past the mesh limit. The circle's service tells
 * the media path of every change here, after it commits, so that what a facilitator decides (a
 * mute, a removal) is enforced by the server itself, never left to the browsers.
 */

export interface CircleRef {
  id: number;
  groupId: number;
  occurrenceId: number;
  kind: 'voice' | 'video';
  media: 'mesh' | 'janus';
}

export interface ParticipantRef {
  pid: number;
  userId: number;
  leader: boolean;
  hideAddress: boolean;
}

export interface CircleMedia {
  /** Whether a circle may grow past the mesh limit (it then switches to media 'janus'). */
  readonly scales: boolean;
  /**
   * The circle was switched to media 'janus' (committed), before anyone is told: make its room.
   * Throwing undoes the switch, and the join that needed it is refused as full.
   */
  onSwitched(circle: CircleRef): Promise<void>;
  onAdmitted(circle: CircleRef, participant: ParticipantRef): Promise<void>;
  onLeft(circle: CircleRef, participant: ParticipantRef): Promise<void>;
  onRemoved(circle: CircleRef, participant: ParticipantRef): Promise<void>;
  /** A leader muted them (true), or allowed them to unmute (false); mute-all calls it for each person. */
  onMuted(circle: CircleRef, participant: ParticipantRef, muted: boolean): Promise<void>;
  onEnded(circle: CircleRef): Promise<void>;
  /** After every change (the stick passed, someone muted themselves…), with the state everyone is told. */
  onState(circle: CircleRef, state: CircleStateEvent): Promise<void>;
  /**
   * A signal an admitted participant sent to the server (`to: "server"`); `reply` sends one back to
   * them alone. Only ever called for someone let into a circle that has not ended.
   */
  receiveSignal(
    circle: CircleRef,
    participant: ParticipantRef,
    data: ClientSignal,
    reply: (data: SignalData) => Promise<void>,
  ): Promise<void>;
  /** The site is shutting down: let go of what the media path holds (Janus's session). */
  close?(): Promise<void>;
}

const nothing = async () => {};

/** The mesh: browsers carry everything between themselves, so there is nothing for a server to do. */
export const meshMedia: CircleMedia = {
  scales: false,
  onSwitched: async () => {
    throw new Error('a mesh circle cannot switch media');
  },
  onAdmitted: nothing,
  onLeft: nothing,
  onRemoved: nothing,
  onMuted: nothing,
  onEnded: nothing,
  onState: nothing,
  receiveSignal: nothing,
};

/** One Janus path per site (per Deps.circles): it holds this process's Janus session. */
const janusPaths = new WeakMap<object, JanusCircleMedia>();

/** The site's media path: the mesh, or Janus when JANUS_URL is set (janus-media.ts). */
export function circleMediaFor(deps: Pick<Deps, 'circles' | 'db' | 'bus'>): CircleMedia {
  const settings = deps.circles.janus;
  if (!settings) return meshMedia;
  let media = janusPaths.get(deps.circles);
  if (!media) {
    media = new JanusCircleMedia(deps.db, settings);
    janusPaths.set(deps.circles, media);
  }
  return media;
}
