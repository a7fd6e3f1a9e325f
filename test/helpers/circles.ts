import { expect } from 'vitest';
import type { Agent, TestWorld } from './app.js';
import type { Frame, LiveClient } from './live.js';
import { makeMeeting } from './meetings.js';

/*
 * Voice and video circles as their pages and sockets reach them, for the circle tests: an online
 * meeting whose live room is open, a circle opened and joined through the forms, and the circle
 * followed over /live.
 */

/** An online meeting of the group that started ten minutes ago (its live room is open); its occurrence id. */
export async function liveMeeting(world: TestWorld, group: { id: number }, title = 'Thursday circle'): Promise<number> {
  const { occurrenceIds } = await makeMeeting(world, group, {
    starts: [new Date(Date.now() - 10 * 60_000)],
    kind: 'online',
    title,
  });
  return occurrenceIds[0]!;
}

export const circleBase = (occurrenceId: number) => `/meetings/${occurrenceId}/circle`;

/** A leader opens a circle from the live room, as its form does. */
export async function openCircle(agent: Agent, occurrenceId: number, kind: 'voice' | 'video' = 'voice') {
  await agent.get(`/meetings/${occurrenceId}/room`);
  return agent.post(`${circleBase(occurrenceId)}/open`, { kind });
}

/** Joins through the device check page's form (hideAddress 'on' ticks the box). */
export async function joinCircle(agent: Agent, occurrenceId: number, form: Record<string, string> = {}) {
  await agent.get(`${circleBase(occurrenceId)}/check`);
  return agent.post(`${circleBase(occurrenceId)}/join`, form);
}

/** The island's props on the circle page: the circle's id and the viewer's pid. */
export async function circleProps(agent: Agent, occurrenceId: number): Promise<{ circleId: number; pid: number }> {
  const page = await agent.get(circleBase(occurrenceId));
  expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
  const props = /id="circle" data-props="([^"]+)"/.exec(page.body)![1]!;
  const json = JSON.parse(
    props
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'"),
  ) as {
    circleId: number;
    pid: number;
  };
  return { circleId: json.circleId, pid: json.pid };
}

/** A control of the island's, posted with fetch (JSON answers). */
export function control(agent: Agent, path: string, form: Record<string, string> = {}) {
  return agent.post(path, form, { headers: { accept: 'application/json' } });
}

/** Follows a circle over /live, once events published a moment ago have arrived. */
export async function followCircle(agent: Agent, circleId: number, sockets: LiveClient[] = []): Promise<LiveClient> {
  await new Promise((resolve) => setImmediate(resolve));
  const socket = await agent.live();
  sockets.push(socket);
  expect(await socket.subscribe('circle', circleId)).toEqual({ type: 'subscribed', topic: 'circle', id: circleId });
  return socket;
}

/** The next frame of this type (others, such as states between, are skipped). */
export async function nextOf(socket: LiveClient, type: string): Promise<Frame> {
  for (;;) {
    const frame = await socket.next();
    if (frame.type === type) return frame;
  }
}

/** Waits for a state that passes the test (states come after every change and as people come and go). */
export async function stateWhere(socket: LiveClient, test: (frame: Frame) => boolean): Promise<Frame> {
  for (;;) {
    const frame = await nextOf(socket, 'circle.state');
    if (test(frame)) return frame;
  }
}

export interface StateParticipant {
  pid: number;
  name: string;
  status: string;
  selfMuted: boolean;
  mutedByLeader: boolean;
  cameraOn: boolean;
  handRaisedAt: string | null;
  leader: boolean;
}
export const participantsOf = (frame: Frame) => frame.participants as StateParticipant[];
export const namesOf = (frame: Frame) => participantsOf(frame).map((p) => p.name);
