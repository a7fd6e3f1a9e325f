import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessGroup, assertCanManage, recordAudit, type Actor, type GroupAccess } from '../groups/index.js';
import { circleSettings } from './schema.js';

/*
 * A group's circle settings, for those who manage it: whether everyone's network address is
 * hidden in its circles whatever they choose, and whether new circles have a waiting room.
 */

export interface CircleSettingsForm {
  access: GroupAccess;
  hideAddressesForced: boolean;
  /** null: as the group is run (on for professionally run groups). */
  waitingRoomDefault: boolean | null;
}

export async function readCircleSettings(db: Db, actor: Actor, slug: string): Promise<CircleSettingsForm> {
  const access = await accessGroup(db, actor, slug);
  assertCanManage(access);
  const [row] = await db.select().from(circleSettings).where(eq(circleSettings.groupId, access.group.id));
  return {
    access,
    hideAddressesForced: row?.hideAddressesForced ?? false,
    waitingRoomDefault: row?.waitingRoomDefault ?? null,
  };
}

export const settingsInput = z.object({
  hideAddressesForced: z
    .enum(['on', 'off', ''])
    .optional()
    .transform((v) => v === 'on'),
  waitingRoom: z
    .enum(['leadership', 'on', 'off'], 'forms.invalid')
    .transform((v) => (v === 'leadership' ? null : v === 'on')),
});

export async function saveCircleSettings(db: Db, actor: Actor, slug: string, input: unknown): Promise<GroupAccess> {
  const { hideAddressesForced, waitingRoom } = parseInput(settingsInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    const values = { hideAddressesForced, waitingRoomDefault: waitingRoom };
    await tx
      .insert(circleSettings)
      .values({ groupId: access.group.id, ...values })
      .onConflictDoUpdate({ target: circleSettings.groupId, set: values });
    await recordAudit(tx, { groupId: access.group.id, actorId: actor!.id, action: 'change_settings' });
    return access;
  });
}
