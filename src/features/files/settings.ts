import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { UploadSettings } from '../../platform/deps.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessGroup, assertCanManage, type Actor, type GroupAccess } from '../groups/index.js';
import { groupFileSettings } from './schema.js';

/** A group's choices about attachments, as its settings form shows them. */
export interface GroupFileChoices {
  imagesAllowed: boolean;
  filesAllowed: boolean;
  /** In whole megabytes; null follows the site. */
  maxMegabytes: number | null;
}

const MB = 1024 * 1024;

const checkbox = z
  .union([z.literal('on'), z.literal('')])
  .optional()
  .transform((v) => v === 'on');

/** The settings form, within the site's limit (a group may only lower it). */
function settingsInput(site: UploadSettings) {
  return z.object({
    imagesAllowed: checkbox,
    filesAllowed: checkbox,
    maxMegabytes: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .pipe(
        z
          .number('files.settings.maxInvalid')
          .int('files.settings.maxInvalid')
          .min(1, 'files.settings.maxInvalid')
          .max(Math.max(1, Math.floor(site.maxBytes / MB)), 'files.settings.maxInvalid')
          .nullable(),
      ),
  });
}

/** What the group allows now: its row, or the site's defaults without one. */
export async function readGroupFileSettings(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; choices: GroupFileChoices }> {
  const access = await accessGroup(db, actor, slug);
  assertCanManage(access);
  const [row] = await db.select().from(groupFileSettings).where(eq(groupFileSettings.groupId, access.group.id));
  return {
    access,
    choices: {
      imagesAllowed: row?.imagesAllowed ?? true,
      filesAllowed: row?.filesAllowed ?? true,
      maxMegabytes: row?.maxBytes ? Math.floor(row.maxBytes / MB) : null,
    },
  };
}

/** The group's managers decide what members may attach. */
export async function updateGroupFileSettings(
  db: Db,
  actor: Actor,
  slug: string,
  site: UploadSettings,
  input: unknown,
): Promise<GroupAccess> {
  const data = parseInput(settingsInput(site), input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    const values = {
      imagesAllowed: data.imagesAllowed,
      filesAllowed: data.filesAllowed,
      maxBytes: data.maxMegabytes === null ? null : data.maxMegabytes * MB,
    };
    await tx
      .insert(groupFileSettings)
      .values({ groupId: access.group.id, ...values })
      .onConflictDoUpdate({ target: groupFileSettings.groupId, set: values });
    return access;
  });
}
