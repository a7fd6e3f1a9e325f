import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden } from '../../platform/errors.js';
import { accessGroup, assertCanManage, type Actor, type GroupAccess } from '../groups/index.js';

/*
 * Who may see and change what about a group's mailing list. Every route asks here.
 */

/**
 * A member's own email choice for a group: anyone holding a membership (a lapsed member too, who
 * gets no list mail while lapsed but may still choose what they will get).
 */
export async function accessOwnListChoice(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  if (!access.actor) throw new Forbidden('groups.errors.logInFirst');
  if (access.banned) throw new Forbidden('groups.errors.banned');
  if (!access.membership) throw new Forbidden('groups.errors.joinFirst');
  return access;
}

/** The group's list settings (default mode, posting by email, newsletter archive): those who manage it. */
export async function accessListSettings(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanManage(access);
  return access;
}
