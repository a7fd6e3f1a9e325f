import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { assertSiteAdmin } from '../accounts/index.js';
import type { Actor } from '../groups/index.js';
import { countryCodes } from '../../platform/text/countries.js';
import { crisisResources, INTERNATIONAL, type CrisisResource } from './schema.js';

/**
 * Help for one country: its emergency numbers first, then its support lines, then services that
 * answer everyone. With no country, only those.
 */
export async function resourcesFor(db: DbOrTx, country: string | null): Promise<CrisisResource[]> {
  const countries = country ? [country, INTERNATIONAL] : [INTERNATIONAL];
  return db
    .select()
    .from(crisisResources)
    .where(inArray(crisisResources.country, countries))
    .orderBy(
      sql`${crisisResources.country} = ${INTERNATIONAL}`,
      desc(crisisResources.emergency),
      asc(crisisResources.position),
      asc(crisisResources.id),
    );
}

/** Every resource, by country, for the site admins' page. */
export async function allResources(db: Db, actor: Actor): Promise<CrisisResource[]> {
  assertSiteAdmin(actor);
  return db
    .select()
    .from(crisisResources)
    .orderBy(asc(crisisResources.country), desc(crisisResources.emergency), asc(crisisResources.position));
}

/** A form may leave out a field it has no value for: absent and empty are the same. */
const optional = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : null));
const optionalUrl = z
  .string()
  .trim()
  .max(500, 'safety.resources.errors.url')
  .optional()
  .refine((v) => !v || /^https:\/\/[^\s]+$/i.test(v), 'safety.resources.errors.url')
  .transform((v) => (v ? v : null));
const text = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v ?? '');

export const resourceInput = z
  .object({
    country: z
      .string('safety.resources.errors.country')
      .trim()
      .toUpperCase()
      .refine((v) => v === INTERNATIONAL || countryCodes.has(v), 'safety.resources.errors.country'),
    name: z
      .string('safety.resources.errors.name')
      .trim()
      .min(1, 'safety.resources.errors.name')
      .max(120, 'safety.resources.errors.name'),
    description: text(300, 'safety.resources.errors.description'),
    phone: optional(40, 'safety.resources.errors.phone').refine(
      (v) => v === null || /^[+0-9][0-9 ()-]*$/.test(v),
      'safety.resources.errors.phone',
    ),
    sms: optional(80, 'safety.resources.errors.sms'),
    chatUrl: optionalUrl,
    websiteUrl: optionalUrl,
    hours: text(120, 'safety.resources.errors.hours'),
    languages: text(60, 'safety.resources.errors.languages')
      .transform((v) => v.toLowerCase().replace(/\s+/g, ''))
      .refine((v) => v === '' || /^[a-z]{2}(,[a-z]{2})*$/.test(v), 'safety.resources.errors.languages'),
    emergency: z
      .unknown()
      .optional()
      .transform((v) => v === 'on' || v === 'true'),
    position: z.coerce.number().int('safety.resources.errors.position').min(0).max(999).catch(0),
  })
  .refine((r) => r.phone || r.sms || r.chatUrl || r.websiteUrl, {
    message: 'safety.resources.errors.contact',
    path: ['phone'],
  });

export async function addResource(db: Db, actor: Actor, input: unknown): Promise<CrisisResource> {
  assertSiteAdmin(actor);
  const data = parseInput(resourceInput, input);
  const [row] = await db.insert(crisisResources).values(data).returning();
  return row!;
}

export async function updateResource(db: Db, actor: Actor, id: number, input: unknown): Promise<CrisisResource> {
  assertSiteAdmin(actor);
  const data = parseInput(resourceInput, input);
  const [row] = await db
    .update(crisisResources)
    .set({ ...data, updatedAt: new Date() })
    .where(eq(crisisResources.id, id))
    .returning();
  if (!row) throw new NotFound();
  return row;
}

export async function removeResource(db: Db, actor: Actor, id: number): Promise<void> {
  assertSiteAdmin(actor);
  await db.delete(crisisResources).where(and(eq(crisisResources.id, id)));
}
