import type { Db } from '../../platform/db/client.js';
import { countryFor } from '../../platform/text/countries.js';
import { countryOf } from '../accounts/index.js';
import type { Actor } from '../groups/index.js';
import { ownAlert } from './alerts.js';
import { resourcesFor } from './resources.js';
import type { CrisisResource } from './schema.js';

export interface CrisisPanelData {
  alertId: number;
  checkInRequested: boolean;
  resources: CrisisResource[];
}

/** The country whose help a person sees: their own choice, else their browser's language region. */
export async function helpCountry(db: Db, actor: Actor, acceptLanguage: string | undefined): Promise<string | null> {
  return countryFor(actor ? await countryOf(db, actor.id) : null, acceptLanguage);
}

/** What the help panel shows its author after a post that raised an alert; null for anyone else. */
export async function crisisPanelFor(
  db: Db,
  actor: Actor,
  alertId: number,
  acceptLanguage: string | undefined,
): Promise<CrisisPanelData | null> {
  const [alert, country] = await Promise.all([ownAlert(db, actor, alertId), helpCountry(db, actor, acceptLanguage)]);
  if (!alert) return null;
  return {
    alertId: alert.id,
    checkInRequested: alert.checkInRequestedAt !== null,
    resources: await resourcesFor(db, country),
  };
}
