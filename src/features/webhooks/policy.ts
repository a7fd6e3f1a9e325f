import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { secondFactorFirst } from '../accounts/index.js';
import { accessGroup, assertCanManage, type Actor, type GroupAccess } from '../groups/index.js';
import { accessOrganisation, canManageOrganisation, type OrganisationAccess } from '../organisations/index.js';
import { webhooks, type WebhookRow } from './schema.js';

/**
 * Whose webhooks a page shows: one group's (for those who manage the group: its owners, the
 * organisation's admins, site admins) or an organisation's, told of all its groups (for its admins
 * and site admins). Webhooks carry what the group's leaders read, so only they may point them.
 */
export type Scope =
  | { kind: 'group'; id: number; slug: string; name: string; base: string; access: GroupAccess }
  | { kind: 'organisation'; id: number; slug: string; name: string; base: string; access: OrganisationAccess };

export async function accessGroupWebhooks(db: DbOrTx, actor: Actor, slug: string): Promise<Scope> {
  const access = await accessGroup(db, actor, slug);
  assertCanManage(access);
  const { group } = access;
  return { kind: 'group', id: group.id, slug: group.slug, name: group.name, base: `/g/${group.slug}/webhooks`, access };
}

export async function accessOrganisationWebhooks(db: DbOrTx, actor: Actor, slug: string): Promise<Scope> {
  const access = await accessOrganisation(db, actor, slug);
  if (!canManageOrganisation(access)) {
    throw access.orgAdmin || access.actor?.isAdmin
      ? secondFactorFirst()
      : new Forbidden('organisations.errors.notAdmin');
  }
  const { organisation } = access;
  return {
    kind: 'organisation',
    id: organisation.id,
    slug: organisation.slug,
    name: organisation.name,
    base: `/o/${organisation.slug}/webhooks`,
    access,
  };
}

/** One of the scope's webhooks; any other id reads as missing. */
export async function accessWebhook(db: DbOrTx, scope: Scope, webhookId: number): Promise<WebhookRow> {
  const owner = scope.kind === 'group' ? eq(webhooks.groupId, scope.id) : eq(webhooks.organisationId, scope.id);
  const [webhook] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, webhookId), owner));
  if (!webhook) throw new NotFound();
  return webhook;
}
