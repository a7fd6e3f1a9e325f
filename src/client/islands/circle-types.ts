/*
 * The shapes a voice or video circle's island reads: the page's props, the circle.state frame
 * from /live (the same shape in both), the signals between browsers, and its translated words.
 */

export type Pid = number;

export interface CircleParticipant {
  pid: Pid;
  /** Their name in the group (alias, pseudonym or "Anonymous N"), never an account name. */
  name: string;
  status: 'waiting' | 'admitted' | 'removed';
  selfMuted: boolean;
  mutedByLeader: boolean;
  cameraOn: boolean;
  handRaisedAt: string | null;
  leader: boolean;
}

export interface CircleState {
  circle: {
    kind: 'voice' | 'video';
    media: 'mesh' | 'janus';
    mode: 'open' | 'stick';
    locked: boolean;
    ended: boolean;
    waitingRoom: boolean;
    stickHolder: Pid | null;
    share: { seconds: number; startedAt: string | null } | null;
  };
  /** The viewer; null when they are not in the circle now (left out, the island reads it from the list). */
  you?: {
    pid: Pid;
    status: CircleParticipant['status'];
    hideAddress: boolean;
    mutedByLeader: boolean;
    leader: boolean;
  } | null;
  participants: CircleParticipant[];
}

export type SignalData =
  | { kind: 'offer' | 'answer'; to: Pid | 'server'; sdp: string }
  | { kind: 'candidate'; to: Pid | 'server'; candidate: string; sdpMid?: string; sdpMLineIndex?: number };

/** A frame from /live, as far as the circle reads it. */
export interface CircleFrame extends Partial<CircleState> {
  type: string;
  circleId?: number;
  topic?: string;
  error?: string;
  from?: Pid | 'server';
  data?: SignalData;
}

/** Every word the circle shows, translated on the server; "{name}" and "{time}" are filled in here. */
export interface CircleStrings {
  people: string;
  you: string;
  leader: string;
  waiting: string;
  muted: string;
  mutedByLeader: string;
  handUp: string;
  hasStick: string;
  speaking: string;
  video: string;
  hands: string;
  noHands: string;
  stickWith: string;
  stickNobody: string;
  modeOpen: string;
  modeStick: string;
  locked: string;
  shareLeft: string;
  shareOver: string;
  yourControls: string;
  mute: string;
  unmute: string;
  unmuteLeader: string;
  unmuteStick: string;
  raiseHand: string;
  lowerHand: string;
  cameraOn: string;
  cameraOff: string;
  leave: string;
  leaderControls: string;
  admit: string;
  remove: string;
  muteOne: string;
  allowUnmute: string;
  giveStick: string;
  passStick: string;
  muteAll: string;
  lock: string;
  unlock: string;
  useStick: string;
  useOpen: string;
  timer: string;
  timerOff: string;
  /** The share timer's choices: seconds and how they read ("3 minutes"). */
  timerChoices: { seconds: number; label: string }[];
  setTimer: string;
  startShare: string;
  end: string;
  waitingYou: string;
  ended: string;
  gone: string;
  backToRoom: string;
  offline: string;
  failed: string;
  noMic: string;
  noCamera: string;
  checkDevices: string;
  sound: string;
  joined: string;
  left: string;
  raisedHand: string;
  stickTo: string;
  stickToYou: string;
  arrived: string;
  mutedYou: string;
  allowedYou: string;
  admittedYou: string;
}

export interface CircleProps {
  circleId: number;
  occurrenceId: number;
  /** The circle page, "/meetings/:occurrenceId/circle"; the controls post to addresses below it. */
  base: string;
  /** The meeting's live room, where leaving and an ended circle lead. */
  roomUrl: string;
  /** The device check page, for help when the microphone could not be used. */
  checkUrl: string;
  /** ICE servers for this person (JSON), once they are let in. */
  iceUrl: string;
  csrf: string;
  /** The viewer's participant id. */
  pid: Pid;
  /** The server's clock when the page was made (ISO), so the share timer counts down the same for all. */
  now: string;
  state: CircleState;
  t: CircleStrings;
}

/** A sentence with its {name} and {time} filled in. */
export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}
