import { generate } from 'otplib';
import type { Db } from '../../src/platform/db/client.js';
import { beginTwoFactor, enableTwoFactor } from '../../src/features/accounts/two-factor.js';

/**
 * Authenticator-app codes as a phone makes them, with otplib. A code works once, so each call
 * gives the code of a time step not used yet: the current one, then the next (which the site
 * accepts too, as a phone's clock may run a little fast).
 */
export class Authenticator {
  private lastStep = 0;

  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const step = Math.max(Math.floor(now / 30), this.lastStep + 1);
    if (step > Math.floor(now / 30) + 1) throw new Error('no unused code until the next 30 seconds');
    this.lastStep = step;
    return generate({ secret: this.secret, epoch: step * 30 });
  }
}

/** Turns on two-step verification for an account through its real service, as the set-up page does. */
export async function turnOnTwoFactor(db: Db, userId: number): Promise<Authenticator> {
  const setup = await beginTwoFactor(db, { id: userId, pseudonym: 'Test' }, 'Mutual');
  if (!setup) throw new Error('two-step verification is on already');
  const app = new Authenticator(setup.secret);
  await enableTwoFactor(db, userId, { code: await app.code() });
  return app;
}
