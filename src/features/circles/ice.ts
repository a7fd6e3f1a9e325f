import type { DbOrTx } from '../../platform/db/client.js';
import type { CircleOptions } from '../../platform/deps.js';
import { NotFound } from '../../platform/errors.js';
import { iceServersFor, type IceServer } from '../../platform/media/turn.js';
import type { Actor } from '../groups/index.js';
import { accessParticipant } from './policy.js';

export interface IceAnswer {
  iceServers: IceServer[];
  iceTransportPolicy: 'relay' | 'all';
}

/**
 * The ICE servers a person's browser connects with: only for someone let into an open circle
 * (NotFound for anyone else: someone waiting, removed, gone, or never in it), with fresh, short
 * TURN credentials when the site has a relay, and relay only when they hide their address.
 */
export async function iceFor(
  db: DbOrTx,
  actor: Actor,
  circleId: number,
  circles: Pick<CircleOptions, 'turn'>,
): Promise<IceAnswer> {
  const { me } = await accessParticipant(db, actor, circleId);
  if (me.status !== 'admitted') throw new NotFound();
  const plan = iceServersFor({ turn: circles.turn, hideAddress: me.hideAddress });
  return { iceServers: plan.iceServers, iceTransportPolicy: plan.iceTransportPolicy };
}
