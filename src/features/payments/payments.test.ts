import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { buildApp } from '../../app.js';
import { ConfigError, loadConfig } from '../../config.js';
import { Invalid } from '../../platform/errors.js';
import { addMember } from '../groups/index.js';
import { auditLog, bans, groups, memberships } from '../groups/schema.js';
import type { Checkout, PaymentProvider } from './providers.js';
import { hardshipRequests, payments } from './schema.js';
import { startCardPayment } from './service.js';

const STRIPE = { secretKey: 'sk_test_mutual', webhookSecret: 'whsec_test_mutual' };
const DAY = 24 * 3600 * 1000;
const today = () => new Date().toISOString().slice(0, 10);

describe('membership fees', () => {
  let world: TestWorld;
  /** The same site with card payments on, over the same database. */
  let cardApp: FastifyInstance;
  let admin: Agent;

  beforeAll(async () => {
    world = await createWorld();
    const generous = { max: 10_000, timeWindow: 60_000 };
    cardApp = await buildApp({
      database: world.database,
      mailer: world.mailer,
      baseUrl: 'http://localhost:3000',
      cookieSecret: 'test-secret-that-is-long-enough-for-cookies',
      logLevel: 'silent',
      limits: { signUp: generous, logIn: generous, post: generous, passwordReset: generous, api: generous },
      stripe: STRIPE,
    });
    await cardApp.ready();
    const a = await world.createUser('Fee Admin');
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    // Site administrators use their powers only with two-step verification on.
    await turnOnTwoFactor(world.database.db, a.id);
  });
  afterAll(async () => {
    await cardApp.close();
    await world.close();
  });

  const db = () => world.database.db;

  interface Fees {
    amountCents: number;
    minimumCents: number | null;
    interval: 'once' | 'month' | 'year';
  }

  /** A paid group with its owner logged in; fees set straight in the database. */
  async function paidGroup(
    ownerName: string,
    fees: Fees = { amountCents: 1000, minimumCents: null, interval: 'month' },
  ) {
    const ownerUser = await world.createUser(ownerName);
    const group = await makeGroup(world, ownerUser);
    await db()
      .update(groups)
      .set({
        joinPolicy: 'paid',
        feeAmountCents: fees.amountCents,
        feeMinimumCents: fees.minimumCents,
        feeCurrency: 'GBP',
        feeInterval: fees.interval,
      })
      .where(eq(groups.id, group.id));
    const owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    return { group, owner, ownerUser };
  }

  /** A user and their logged-in agent (on the card-enabled app when asked). */
  async function person(pseudonym: string, app?: FastifyInstance) {
    const user = await world.createUser(pseudonym);
    const agent = app ? new Agent(app) : world.agent();
    await agent.logIn(user.email, user.password);
    return { user, agent };
  }

  async function memberPaidUntil(groupId: number, userId: number, paidUntil: Date) {
    await addMember(db(), groupId, userId);
    await db()
      .update(memberships)
      .set({ paidUntil })
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
  }

  async function membership(groupId: number, userId: number) {
    const [m] = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
    return m ?? null;
  }

  async function auditActions(groupId: number) {
    const rows = await db().select().from(auditLog).where(eq(auditLog.groupId, groupId));
    return rows.map((r) => r.action);
  }

  let validators = 0;
  const post = (agent: Agent, slug: string, title = 'Hello everyone') =>
    agent.post(`/g/${slug}/threads/new`, { title, body: 'Glad to be here with you all.' });

  describe('fee settings', () => {
    it.each<[string, (g: Awaited<ReturnType<typeof paidGroup>>) => Promise<Agent | null>, number]>([
      ['the owner', async (g) => g.owner, 303],
      ['a site admin', async () => admin, 303],
      [
        'a member',
        async (g) => {
          const m = await person(`Plain member of ${g.group.slug}`);
          await addMember(db(), g.group.id, m.user.id);
          return m.agent;
        },
        403,
      ],
      ['an outsider', async (g) => (await person(`Outsider of ${g.group.slug}`)).agent, 403],
      ['a visitor', async () => null, 303],
    ])('checks who may set the fee: %s', async (who, as, status) => {
      const g = await paidGroup(`Fee owner ${who}`);
      const agent = (await as(g)) ?? world.agent();
      const page = await agent.get(`/g/${g.group.slug}/fees`);
      const res = await agent.post(`/g/${g.group.slug}/fees`, {
        amount: '12.50',
        minimum: '5',
        currency: 'EUR',
        interval: 'year',
      });
      expect(res.statusCode).toBe(status);
      const [row] = await db().select().from(groups).where(eq(groups.id, g.group.id));
      if (status === 303 && who !== 'a visitor') {
        expect(page.statusCode).toBe(200);
        expect(res.headers.location).toBe(`/g/${g.group.slug}/fees?notice=feesSaved`);
        expect(row).toMatchObject({
          feeAmountCents: 1250,
          feeMinimumCents: 500,
          feeCurrency: 'EUR',
          feeInterval: 'year',
        });
        const again = await agent.get(`/g/${g.group.slug}/fees?notice=feesSaved`);
        expect(textOf(again.body)).toContain('The membership fee is saved.');
        expect(again.body).toContain('value="12.50"');
        expect(await auditActions(g.group.id)).toContain('change_settings');
      } else {
        if (who === 'a visitor') expect(res.headers.location).toMatch(/^\/login\?next=/);
        else expect(page.statusCode).toBe(403);
        expect(row).toMatchObject({ feeAmountCents: 1000, feeCurrency: 'GBP', feeInterval: 'month' });
      }
    });

    it.each<[Record<string, string>, string]>([
      [{ amount: 'ten pounds' }, 'Enter the fee as an amount like 12.50, between 1 and 100,000.'],
      [{ amount: '0.50' }, 'Enter the fee as an amount like 12.50, between 1 and 100,000.'],
      [{ amount: '10.505' }, 'Enter the fee as an amount like 12.50, between 1 and 100,000.'],
      [{ minimum: 'some' }, 'Enter the least a member may pay as an amount like 5.00, or leave it empty.'],
      [{ minimum: '10' }, 'The least a member may pay must be less than the full fee.'],
      [{ currency: 'XYZ' }, 'Choose a currency from the list.'],
      [{ interval: 'weekly' }, 'Choose how often the fee is paid.'],
    ])('refuses %j and keeps what was typed', async (override, message) => {
      const g = await paidGroup(`Validator ${++validators}`);
      const res = await g.owner.post(`/g/${g.group.slug}/fees`, {
        amount: '10',
        minimum: '',
        currency: 'GBP',
        interval: 'month',
        ...override,
      });
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain(message);
      const [row] = await db().select().from(groups).where(eq(groups.id, g.group.id));
      expect(row!.feeAmountCents).toBe(1000);
    });
  });

  describe('manual payments', () => {
    it('grants access when the treasurer records a payment, so the member can post', async () => {
      const g = await paidGroup('Treasurer One');
      const { user, agent } = await person('Pays In Person');
      expect((await post(agent, g.group.slug)).statusCode).toBe(403);

      const pay = textOf((await agent.get(`/g/${g.group.slug}/pay`)).body);
      expect(pay).toContain('£10.00 a month.');
      expect(pay).toContain('you keep access for 7 days');
      expect(pay).toContain('Pay the treasurer');
      expect(pay).not.toContain('Pay by card');

      await g.owner.get(`/g/${g.group.slug}/payments`);
      const res = await g.owner.post(`/g/${g.group.slug}/payments`, {
        pseudonym: 'pays in person',
        amount: '10',
        receivedOn: today(),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/g/${g.group.slug}/payments?notice=paymentRecorded`);

      const m = await membership(g.group.id, user.id);
      expect(m?.role).toBe('member');
      const expected = new Date(`${today()}T00:00:00Z`);
      expected.setUTCMonth(expected.getUTCMonth() + 1);
      expect(Math.abs(m!.paidUntil!.getTime() - expected.getTime())).toBeLessThan(4 * DAY);
      expect(await auditActions(g.group.id)).toContain('record_payment');

      const created = await post(agent, g.group.slug);
      expect(created.statusCode).toBe(303);
      expect(textOf((await agent.get(`/g/${g.group.slug}/pay`)).body)).toContain('Your membership is paid until');

      const desk = textOf((await g.owner.get(`/g/${g.group.slug}/payments`)).body);
      expect(desk).toContain('Pays In Person');
      expect(desk).toContain('£10.00');
      expect(desk).toContain('In person or by transfer');
    });

    it('extends an early payment from the end of the period already paid for', async () => {
      const g = await paidGroup('Treasurer Early');
      const { user } = await person('Pays Early');
      const paidUntil = new Date(Date.now() + 10 * DAY);
      await memberPaidUntil(g.group.id, user.id, paidUntil);
      await g.owner.get(`/g/${g.group.slug}/payments`);
      const res = await g.owner.post(`/g/${g.group.slug}/payments`, {
        pseudonym: 'Pays Early',
        amount: '10.00',
        receivedOn: today(),
      });
      expect(res.statusCode).toBe(303);
      const m = await membership(g.group.id, user.id);
      expect(m!.paidUntil!.getTime() - paidUntil.getTime()).toBeGreaterThanOrEqual(28 * DAY);
    });

    it.each<[string, Record<string, string>, string]>([
      ['an unknown name', { pseudonym: 'Nobody At All' }, 'Nobody here has that public name.'],
      ['no amount', { amount: '' }, 'Enter the amount received, like 12.50.'],
      ['a date in the future', { receivedOn: '2999-01-01' }, 'Enter the day the money arrived'],
      ['an impossible date', { receivedOn: '2025-02-30' }, 'Enter the day the money arrived'],
      ['a banned person', {}, 'That person cannot join this group'],
    ])('refuses a payment with %s, recording nothing', async (name, override, message) => {
      const g = await paidGroup(`Careful ${name}`);
      const payer = await world.createUser(`Payer ${name}`);
      if (name === 'a banned person') {
        await db().insert(bans).values({ groupId: g.group.id, userId: payer.id, reason: 'Harassment' });
      }
      await g.owner.get(`/g/${g.group.slug}/payments`);
      const res = await g.owner.post(`/g/${g.group.slug}/payments`, {
        pseudonym: payer.pseudonym,
        amount: '10',
        receivedOn: today(),
        ...override,
      });
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain(message);
      expect(await db().select().from(payments).where(eq(payments.groupId, g.group.id))).toHaveLength(0);
      expect(await membership(g.group.id, payer.id)).toBeNull();
    });

    it('keeps payments to the people who manage the group', async () => {
      const g = await paidGroup('Private Treasurer');
      const { user, agent } = await person('Curious Member');
      await memberPaidUntil(g.group.id, user.id, new Date(Date.now() + 20 * DAY));
      await g.owner.post(`/g/${g.group.slug}/payments`, {
        pseudonym: 'Curious Member',
        amount: '10',
        receivedOn: today(),
      });
      expect((await agent.get(`/g/${g.group.slug}/payments`)).statusCode).toBe(403);
      const refused = await agent.post(`/g/${g.group.slug}/payments`, {
        pseudonym: 'Curious Member',
        amount: '10',
        receivedOn: today(),
      });
      expect(refused.statusCode).toBe(403);
      expect(await db().select().from(payments).where(eq(payments.groupId, g.group.id))).toHaveLength(1);
      const groupPage = textOf((await agent.get(`/g/${g.group.slug}`)).body);
      expect(groupPage).not.toContain('£10.00');
    });
  });

  describe('grace and lapse', () => {
    it('keeps a member in the grace period posting, and stops a lapsed one with a kind message', async () => {
      const g = await paidGroup('Grace Keeper');
      const lapsed = await person('Lapsed Member');
      const grace = await person('Grace Member');
      await memberPaidUntil(g.group.id, lapsed.user.id, new Date(Date.now() - 8 * DAY));
      await memberPaidUntil(g.group.id, grace.user.id, new Date(Date.now() - 3 * DAY));

      const form = await lapsed.agent.get(`/g/${g.group.slug}/threads/new`);
      expect(form.statusCode).toBe(403);
      expect(textOf(form.body)).toContain('Your membership has lapsed.');
      const refused = await post(lapsed.agent, g.group.slug);
      expect(refused.statusCode).toBe(403);
      expect(textOf(refused.body)).toContain('Your membership has lapsed.');
      expect(textOf((await lapsed.agent.get(`/g/${g.group.slug}/pay`)).body)).toContain(
        'Your membership has lapsed. Pay the fee, or ask for a waiver',
      );

      expect((await post(grace.agent, g.group.slug)).statusCode).toBe(303);
      expect(textOf((await grace.agent.get(`/g/${g.group.slug}/pay`)).body)).toContain('You keep access until');

      const desk = textOf((await g.owner.get(`/g/${g.group.slug}/payments`)).body);
      expect(desk).toMatch(/Lapsed Member .* Lapsed/);
      expect(desk).toMatch(/Grace Member .* In the grace period/);
    });

    it('lets nobody pay for a group that does not charge, or who is banned from it', async () => {
      const ownerUser = await world.createUser('Free Host');
      const free = await makeGroup(world, ownerUser);
      const { agent } = await person('Free Rider');
      expect((await agent.get(`/g/${free.slug}/pay`)).statusCode).toBe(404);

      const g = await paidGroup('Ban Host');
      const banned = await person('Banned Visitor');
      await db().insert(bans).values({ groupId: g.group.id, userId: banned.user.id, reason: 'Spam' });
      expect((await banned.agent.get(`/g/${g.group.slug}/pay`)).statusCode).toBe(403);
      const waiver = await banned.agent.post(`/g/${g.group.slug}/pay/waiver`, {
        message: 'Please let me back in again.',
      });
      expect(waiver.statusCode).toBe(403);
      expect(await db().select().from(hardshipRequests).where(eq(hardshipRequests.groupId, g.group.id))).toHaveLength(
        0,
      );
    });
  });

  describe('hardship waivers', () => {
    it('lets someone ask, and the owner grant, so they have access with no fee', async () => {
      const g = await paidGroup('Kind Owner');
      const { user, agent } = await person('Short On Money');
      const message = 'I lost my job last month and cannot pay right now.';

      await agent.get(`/g/${g.group.slug}/pay`);
      const short = await agent.post(`/g/${g.group.slug}/pay/waiver`, { message: 'Please' });
      expect(short.statusCode).toBe(400);
      expect(textOf(short.body)).toContain('Your message needs 10 to 2,000 characters.');

      const res = await agent.post(`/g/${g.group.slug}/pay/waiver`, { message });
      expect(res.headers.location).toBe(`/g/${g.group.slug}/pay?notice=waiverRequested`);
      await agent.post(`/g/${g.group.slug}/pay/waiver`, { message });
      const pending = await db()
        .select()
        .from(hardshipRequests)
        .where(and(eq(hardshipRequests.groupId, g.group.id), eq(hardshipRequests.status, 'pending')));
      expect(pending).toHaveLength(1);
      expect(textOf((await agent.get(`/g/${g.group.slug}/pay`)).body)).toContain(
        'Your request for a waiver is with the group’s owner.',
      );

      // Only the people who manage the group read the request.
      const bystander = await person('Nosy Member');
      await memberPaidUntil(g.group.id, bystander.user.id, new Date(Date.now() + 20 * DAY));
      expect(textOf((await bystander.agent.get(`/g/${g.group.slug}/payments`)).body)).not.toContain(message);
      const forged = await bystander.agent.post(`/g/${g.group.slug}/payments/waivers/${pending[0]!.id}/grant`);
      expect(forged.statusCode).toBe(403);

      const desk = textOf((await g.owner.get(`/g/${g.group.slug}/payments`)).body);
      expect(desk).toContain('From Short On Money');
      expect(desk).toContain(message);
      const grant = await g.owner.post(`/g/${g.group.slug}/payments/waivers/${pending[0]!.id}/grant`);
      expect(grant.headers.location).toBe(`/g/${g.group.slug}/payments?notice=waiverGranted`);
      expect(await membership(g.group.id, user.id)).toMatchObject({ role: 'member', feeWaived: true });
      expect(await auditActions(g.group.id)).toContain('grant_waiver');

      expect((await post(agent, g.group.slug)).statusCode).toBe(303);
      expect(textOf((await agent.get(`/g/${g.group.slug}/pay`)).body)).toContain('Your fee is waived.');
      // Decided requests cannot be decided again.
      expect((await g.owner.post(`/g/${g.group.slug}/payments/waivers/${pending[0]!.id}/decline`)).statusCode).toBe(
        404,
      );
    });

    it('lets the owner decline, giving no access, and lets the person ask again', async () => {
      const g = await paidGroup('Careful Owner');
      const { user, agent } = await person('Asks Anyway');
      await agent.post(`/g/${g.group.slug}/pay/waiver`, { message: 'Money is tight for me this year.' });
      const [request] = await db().select().from(hardshipRequests).where(eq(hardshipRequests.userId, user.id));
      const res = await g.owner.post(`/g/${g.group.slug}/payments/waivers/${request!.id}/decline`);
      expect(res.headers.location).toBe(`/g/${g.group.slug}/payments?notice=waiverDeclined`);
      expect(await membership(g.group.id, user.id)).toBeNull();
      expect(await auditActions(g.group.id)).toContain('decline_waiver');
      const pay = textOf((await agent.get(`/g/${g.group.slug}/pay`)).body);
      expect(pay).toContain('could not grant your last request');
      expect(pay).toContain('Send my request');
      expect((await g.owner.post(`/g/${g.group.slug}/payments/waivers/abc/grant`)).statusCode).toBe(404);
      expect((await g.owner.post(`/g/${g.group.slug}/payments/waivers/${request!.id}/maybe`)).statusCode).toBe(404);
    });
  });

  describe('card payments (Stripe)', () => {
    function checkoutCompleted(sessionId: string, groupId: number, userId: number, amount = 1000) {
      return JSON.stringify({
        id: `evt_${sessionId}`,
        object: 'event',
        type: 'checkout.session.completed',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: sessionId,
            object: 'checkout.session',
            mode: 'payment',
            payment_status: 'paid',
            amount_total: amount,
            currency: 'gbp',
            metadata: { groupId: String(groupId), userId: String(userId) },
          },
        },
      });
    }

    const deliver = (payload: string, signature: string | undefined, app: FastifyInstance = cardApp) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/stripe',
        payload,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(signature ? { 'stripe-signature': signature } : {}),
        },
      });

    it('grants access once for a signed webhook, even when Stripe delivers it twice', async () => {
      const g = await paidGroup('Card Host');
      const { user, agent } = await person('Pays By Card');
      const payload = checkoutCompleted('cs_test_twice', g.group.id, user.id);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE.webhookSecret });

      const first = await deliver(payload, signature);
      expect(first.statusCode).toBe(200);
      const afterFirst = await membership(g.group.id, user.id);
      expect(afterFirst?.paidUntil).toBeTruthy();
      const second = await deliver(payload, signature);
      expect(second.statusCode).toBe(200);

      const recorded = await db().select().from(payments).where(eq(payments.externalId, 'cs_test_twice'));
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ provider: 'stripe', amountCents: 1000, currency: 'GBP', userId: user.id });
      expect((await membership(g.group.id, user.id))!.paidUntil).toEqual(afterFirst!.paidUntil);
      const audits = (await auditActions(g.group.id)).filter((a) => a === 'record_payment');
      expect(audits).toHaveLength(1);
      expect((await post(agent, g.group.slug)).statusCode).toBe(303);
    });

    it.each<[string, (payload: string) => string | undefined]>([
      ['a wrong secret', (payload) => Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' })],
      ['no signature', () => undefined],
      ['a garbled signature', () => 't=1,v1=deadbeef'],
      [
        'a stale signature',
        (payload) =>
          Stripe.webhooks.generateTestHeaderString({
            payload,
            secret: STRIPE.webhookSecret,
            timestamp: Math.floor(Date.now() / 1000) - 3600,
          }),
      ],
    ])('refuses a webhook with %s and grants nothing', async (name, sign) => {
      const g = await paidGroup(`Forged with ${name}`);
      const { user } = await person(`Forger with ${name}`);
      const payload = checkoutCompleted(`cs_forged_${g.group.id}`, g.group.id, user.id);
      const res = await deliver(payload, sign(payload));
      expect(res.statusCode).toBe(400);
      expect(await membership(g.group.id, user.id)).toBeNull();
      expect(await db().select().from(payments).where(eq(payments.groupId, g.group.id))).toHaveLength(0);
    });

    it('refuses a signed payload that was altered on the way', async () => {
      const g = await paidGroup('Tamper Host');
      const { user } = await person('Tamperer');
      const honest = checkoutCompleted('cs_tampered', g.group.id, user.id, 500);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: honest, secret: STRIPE.webhookSecret });
      const res = await deliver(honest.replace('"amount_total":500', '"amount_total":50000'), signature);
      expect(res.statusCode).toBe(400);
      expect(await membership(g.group.id, user.id)).toBeNull();
    });

    it('records but grants no access to someone banned since they paid', async () => {
      const g = await paidGroup('Ban After Pay');
      const { user } = await person('Banned After Paying');
      await db().insert(bans).values({ groupId: g.group.id, userId: user.id, reason: 'Abuse' });
      const payload = checkoutCompleted('cs_banned', g.group.id, user.id);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE.webhookSecret });
      expect((await deliver(payload, signature)).statusCode).toBe(200);
      expect(await membership(g.group.id, user.id)).toBeNull();
      expect(await db().select().from(payments).where(eq(payments.externalId, 'cs_banned'))).toHaveLength(1);
    });

    it('offers card payments only when Stripe is configured', async () => {
      const g = await paidGroup('Config Host', { amountCents: 1000, minimumCents: 500, interval: 'year' });
      const off = await person('Sees No Card');
      const offPage = await off.agent.get(`/g/${g.group.slug}/pay`);
      expect(textOf(offPage.body)).not.toContain('Pay by card');
      expect(textOf(offPage.body)).toContain('pay what you can, from £5.00 to £10.00 a year');
      expect((await off.agent.post(`/g/${g.group.slug}/pay/card`, { amount: '10' })).statusCode).toBe(404);
      const payload = checkoutCompleted('cs_off', g.group.id, off.user.id);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE.webhookSecret });
      expect((await deliver(payload, signature, world.app)).statusCode).toBe(404);
      expect(await membership(g.group.id, off.user.id)).toBeNull();

      const on = await person('Sees The Card', cardApp);
      const onPage = await on.agent.get(`/g/${g.group.slug}/pay`);
      expect(textOf(onPage.body)).toContain('Pay by card');
      expect(onPage.body).toContain(`action="/g/${g.group.slug}/pay/card"`);
      // Checked before Stripe is ever called: an amount outside the sliding scale.
      const low = await on.agent.post(`/g/${g.group.slug}/pay/card`, { amount: '4.99' });
      expect(low.statusCode).toBe(400);
      expect(textOf(low.body)).toContain('Choose an amount within the sliding scale.');
    });

    it('starts a card payment for the amount chosen on the sliding scale, with who and which group', async () => {
      const g = await paidGroup('Scale Host', { amountCents: 2000, minimumCents: 500, interval: 'month' });
      const payer = await world.createUser('Chooses Amount');
      const started: Checkout[] = [];
      const provider: PaymentProvider<unknown> = {
        name: 'stripe',
        start: async (checkout) => {
          started.push(checkout);
          return { kind: 'redirect', url: 'https://checkout.example/session' };
        },
        confirm: () => null,
      };
      const actor = { id: payer.id, pseudonym: payer.pseudonym, isAdmin: false };
      const links = () => ({ description: 'Membership', successUrl: 'http://x/ok', cancelUrl: 'http://x/no' });
      const { start } = await startCardPayment(db(), provider, actor, g.group.slug, { amount: '7,5' }, links);
      expect(start).toEqual({ kind: 'redirect', url: 'https://checkout.example/session' });
      expect(started[0]).toMatchObject({ groupId: g.group.id, userId: payer.id, amountCents: 750, currency: 'GBP' });
      await expect(startCardPayment(db(), provider, actor, g.group.slug, { amount: '25' }, links)).rejects.toThrow(
        Invalid,
      );
      expect(started).toHaveLength(1);
    });

    it('reads Stripe settings from the environment: both or neither', () => {
      const base = { SESSION_SECRET: 'x'.repeat(32) };
      expect(loadConfig(base).stripe).toBeUndefined();
      expect(
        loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).stripe,
      ).toEqual({ secretKey: 'sk_test_abc', webhookSecret: 'whsec_abc' });
      expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toThrow(/STRIPE_SECRET_KEY/);
      expect(() =>
        loadConfig({ ...base, STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }),
      ).toThrow(/STRIPE_SECRET_KEY/);
    });
  });
});
