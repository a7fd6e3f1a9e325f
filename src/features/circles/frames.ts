import { z } from 'zod';

/*
 * What a circle's followers are told over /live (topic "circle", id = the circle's id), and what
 * their pages may send on it. People are named by their name in the group and known by their
 * participant id ("pid"); no account id is in any of it. See docs/circles.md, "Protocol".
 */

const id = z.number().int().positive().max(2_147_483_647);
const pid = id;

/** SDP and candidates as a browser makes them; a frame whose text is longer is refused. */
export const SDP_MAX = 16_000;
export const CANDIDATE_MAX = 1_000;

/** What a page sends on the circle topic: an offer, an answer or a candidate, for one person or the media server. */
export const clientSignal = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['offer', 'answer']),
    to: z.union([pid, z.literal('server')]),
    sdp: z.string().min(1).max(SDP_MAX),
  }),
  z.object({
    kind: z.literal('candidate'),
    to: z.union([pid, z.literal('server')]),
    // "" is the end of candidates.
    candidate: z.string().max(CANDIDATE_MAX),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  }),
]);
export type ClientSignal = z.infer<typeof clientSignal>;

/** A signal as it is passed on: what the sender sent, without whom it was for. */
export const signalData = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(SDP_MAX) }),
  z.object({
    kind: z.literal('candidate'),
    candidate: z.string().max(CANDIDATE_MAX),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  }),
]);
export type SignalData = z.infer<typeof signalData>;

const iso = z.string().max(40);

export const participantView = z.object({
  pid,
  name: z.string(),
  status: z.enum(['waiting', 'admitted']),
  selfMuted: z.boolean(),
  mutedByLeader: z.boolean(),
  cameraOn: z.boolean(),
  handRaisedAt: iso.nullable(),
  leader: z.boolean(),
  /** Kept for the person's own "you"; taken out of what others are sent. */
  hideAddress: z.boolean(),
});
export type ParticipantView = z.infer<typeof participantView>;

export const circleView = z.object({
  kind: z.enum(['voice', 'video']),
  media: z.enum(['mesh', 'janus']),
  mode: z.enum(['open', 'stick']),
  locked: z.boolean(),
  ended: z.boolean(),
  waitingRoom: z.boolean(),
  stickHolder: pid.nullable(),
  share: z.object({ seconds: z.number().int().positive(), startedAt: iso.nullable() }).nullable(),
});
export type CircleView = z.infer<typeof circleView>;

export const circleEvent = z.discriminatedUnion('type', [
  /** The whole circle as it is now: everyone present (waiting or let in), in the order they came. */
  z.object({
    type: z.literal('circle.state'),
    circleId: id,
    circle: circleView,
    participants: z.array(participantView).max(500),
  }),
  /** A signal for one person, from another or from the media server. */
  z.object({
    type: z.literal('circle.signal'),
    circleId: id,
    from: z.union([pid, z.literal('server')]),
    to: pid,
    data: signalData,
  }),
]);
export type CircleEvent = z.infer<typeof circleEvent>;
export type CircleStateEvent = Extract<CircleEvent, { type: 'circle.state' }>;
export type CircleSignalEvent = Extract<CircleEvent, { type: 'circle.signal' }>;

export const circleChannel = (circleId: number): string => `circle:${circleId}`;

/** A person's own part of the state. */
export interface You {
  pid: number;
  status: 'waiting' | 'admitted';
  hideAddress: boolean;
  mutedByLeader: boolean;
  leader: boolean;
}

export type ParticipantFrame = Omit<ParticipantView, 'hideAddress'>;

/** The state as one person is sent it (the frame, and the page's props). */
export interface CircleStateFrame {
  type: 'circle.state';
  circleId: number;
  circle: CircleView;
  you: You | null;
  participants: ParticipantFrame[];
}

/** What others are sent of someone: all but whether they hide their address. */
const publicPart = (p: ParticipantView): ParticipantFrame => ({
  pid: p.pid,
  name: p.name,
  status: p.status,
  selfMuted: p.selfMuted,
  mutedByLeader: p.mutedByLeader,
  cameraOn: p.cameraOn,
  handRaisedAt: p.handRaisedAt,
  leader: p.leader,
});

/**
 * The state as person `pid` sees it: leaders see everyone present, waiting or not (to let them
 * in); people let in see those let in; someone waiting sees only themselves until they are let in.
 */
export function stateFor(event: CircleStateEvent, pid: number | null): CircleStateFrame {
  const mine = event.participants.find((p) => p.pid === pid) ?? null;
  const seen = mine?.leader
    ? event.participants
    : mine?.status === 'admitted'
      ? event.participants.filter((p) => p.status === 'admitted')
      : mine
        ? [mine]
        : [];
  return {
    type: 'circle.state',
    circleId: event.circleId,
    circle: event.circle,
    you: mine && {
      pid: mine.pid,
      status: mine.status,
      hideAddress: mine.hideAddress,
      mutedByLeader: mine.mutedByLeader,
      leader: mine.leader,
    },
    participants: seen.map(publicPart),
  };
}
