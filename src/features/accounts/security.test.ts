import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { Authenticator, turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { groups } from '../groups/schema.js';
import { deviceName } from './devices.js';
import { emailVerifications, passwordResets, users } from './schema.js';
import { hashToken } from './service.js';

const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Logs in as a browser with this user agent would; returns the response to the password step. */
async function logInAs(agent: Agent, email: string, password: string, userAgent = CHROME_WINDOWS) {
  const headers = { 'user-agent': userAgent };
  await agent.get('/login', headers);
  return agent.post('/login', { email, password }, { headers });
}

/** The link in the newest mail to an address. */
async function linkIn(world: TestWorld, to: string, path: string): Promise<string> {
  const mail = (await world.outbox()).find((m) => m.to === to);
  const match = new RegExp(`http://localhost:3000(/${path}/\\S+)`).exec(mail?.text ?? '');
  if (!match) throw new Error(`no ${path} link mailed to ${to}`);
  return match[1]!;
}

describe('account security', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
  });
  afterAll(() => world.close());
  const db = () => world.database.db;

  it('confirms the email address by a one-time link that works for an hour', async () => {
    const agent = world.agent();
    await agent.get('/signup');
    await agent.post('/signup', {
      pseudonym: 'New Leaf',
      email: 'newleaf@example.org',
      password: 'sunlight on leaves',
    });
    expect(textOf((await agent.get('/account')).body)).toContain('Your email address is not confirmed yet.');
    const link = await linkIn(world, 'newleaf@example.org', 'verify-email');
    // Opening the link changes nothing (mail scanners open links); the button confirms.
    const page = await world.agent().get(link);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Confirm my email address');
    const done = await agent.post(link);
    expect(done.headers.location).toBe('/account?notice=emailVerified');
    expect(textOf((await agent.get('/account')).body)).toContain('Your email address is confirmed.');
    // Used once, it never works again.
    expect((await agent.get(link)).statusCode).toBe(410);
    expect((await agent.post(link)).statusCode).toBe(410);

    const late = await world.member('Late Reader');
    await late.post('/account/verify-email');
    const first = await linkIn(world, 'latereader@example.org', 'verify-email');
    await late.post('/account/verify-email');
    const second = await linkIn(world, 'latereader@example.org', 'verify-email');
    // Only the newest link counts; and after an hour, it too has expired.
    expect((await late.get(first)).statusCode).toBe(410);
    await db()
      .update(emailVerifications)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailVerifications.tokenHash, tokenHashOf(second)));
    expect((await late.get(second)).statusCode).toBe(410);
    const [row] = await db().select().from(users).where(eq(users.email, 'latereader@example.org'));
    expect(row!.emailVerifiedAt).toBeNull();
  });

  it('gives password-reset links that work once, for an hour, and retires the others', async () => {
    const user = await world.createUser('Forgetful Two');
    const agent = world.agent();
    await agent.post('/forgot-password', { email: user.email });
    const first = await linkIn(world, user.email, 'reset-password');
    await agent.post('/forgot-password', { email: user.email });
    const second = await linkIn(world, user.email, 'reset-password');
    const [reset] = await db().select().from(passwordResets).where(eq(passwordResets.userId, user.id)).limit(1);
    const hoursValid = (reset!.expiresAt.getTime() - reset!.createdAt.getTime()) / 3600_000;
    expect(hoursValid).toBeCloseTo(1, 1);
    expect((await agent.post(second, { newPassword: 'a new long password' })).statusCode).toBe(303);
    // The other link in the mailbox stops working too.
    expect((await agent.get(first)).statusCode).toBe(410);
    // Following the link proved the address is theirs.
    const [row] = await db().select().from(users).where(eq(users.id, user.id));
    expect(row!.emailVerifiedAt).not.toBeNull();
  });

  it('lists the devices logged in, by browser and system, and ends any one of them', async () => {
    const user = await world.createUser('Two Devices');
    const phone = world.agent();
    const laptop = world.agent();
    await logInAs(phone, user.email, user.password, FIREFOX_ANDROID);
    await logInAs(laptop, user.email, user.password, CHROME_WINDOWS);
    const page = await laptop.get('/account/security');
    const text = textOf(page.body);
    expect(text).toContain('You are logged in on 2 devices or browsers.');
    expect(text).toContain('Chrome · Windows (this device)');
    expect(text).toContain('Firefox · Android');
    expect(text).toMatch(/Firefox · Android \w+ \d+, \d{4}/);
    const end = /action="(\/account\/sessions\/\d+\/end)"/.exec(page.body)![1]!;
    expect((await laptop.post(end)).headers.location).toBe('/account/security?notice=sessionEnded');
    expect((await phone.get('/account')).statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(200);
    // Someone else's session is not theirs to end.
    const stranger = await world.member('Stranger');
    expect((await stranger.post(end.replace(/\d+/, String(Number(/\d+/.exec(end)![0]) + 1)))).statusCode).toBe(404);
  });

  it('names devices from user agents without keeping the user agent', () => {
    expect(deviceName(FIREFOX_ANDROID)).toBe('Firefox · Android');
    expect(deviceName(CHROME_WINDOWS)).toBe('Chrome · Windows');
    expect(
      deviceName(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari · iPhone');
    expect(
      deviceName(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
      ),
    ).toBe('Edge · macOS');
    expect(deviceName(undefined)).toBe('');
  });

  it('turns on two-step verification with an app code, then asks for a code at every login', async () => {
    const user = await world.createUser('Careful Carer');
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    const setup = await agent.get('/account/two-factor');
    expect(setup.statusCode).toBe(200);
    // The QR code is an image the page's policy allows; the key is there to type.
    expect(setup.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    const key = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(setup.body)![1]!.replace(/ /g, '');
    const phone = new Authenticator(key);
    const wrong = await agent.post('/account/two-factor', { code: '123456' });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toContain('That code did not work.');
    const on = await agent.post('/account/two-factor', { code: await phone.code() });
    expect(on.statusCode).toBe(200);
    const codes = [...on.body.matchAll(/<code>([a-z0-9-]{19})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(textOf((await agent.get('/account/security')).body)).toContain('You have 10 unused recovery codes.');

    // The password alone no longer logs in.
    const next = world.agent();
    const first = await logInAs(next, user.email, user.password);
    expect(first.headers.location).toBe('/login/two-factor');
    expect(next.hasCookie('mutual_session')).toBe(false);
    expect((await next.get('/account')).statusCode).toBe(303);
    const bad = await next.post('/login/two-factor', { code: '000000' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('That code did not work.');
    const good = await next.post('/login/two-factor', { code: await phone.code() });
    expect(good.headers.location).toBe('/?notice=loggedIn');
    expect((await next.get('/account')).statusCode).toBe(200);

    // A recovery code works once in place of the app.
    const lostPhone = world.agent();
    await logInAs(lostPhone, user.email, user.password);
    const recovered = await lostPhone.post('/login/two-factor', { code: codes[0]!.toUpperCase() });
    expect(recovered.headers.location).toBe('/?notice=recoveryCodeUsed');
    const again = world.agent();
    await logInAs(again, user.email, user.password);
    expect((await again.post('/login/two-factor', { code: codes[0]! })).statusCode).toBe(400);
    expect(textOf((await agent.get('/account/security')).body)).toContain('You have 9 unused recovery codes.');
  });

  it('ends a half-done login after five wrong codes, and never skips the second step', async () => {
    const user = await world.createUser('Guessed At');
    await turnOnTwoFactor(db(), user.id);
    const attacker = world.agent();
    await logInAs(attacker, user.email, user.password);
    for (let i = 0; i < 4; i++) {
      expect((await attacker.post('/login/two-factor', { code: String(100000 + i) })).statusCode).toBe(400);
    }
    const fifth = await attacker.post('/login/two-factor', { code: '100005' });
    expect(textOf(fifth.body)).toContain('Please log in again with your email and password.');
    expect(textOf((await attacker.post('/login/two-factor', { code: '100006' })).body)).toContain(
      'Please log in again',
    );
    // A second step without a first one lets nobody in, and the second-step page sends them back.
    const direct = world.agent();
    expect((await direct.get('/login/two-factor')).headers.location).toBe('/login');
    expect(direct.hasCookie('mutual_session')).toBe(false);
  });

  it('turns two-step verification off, and makes new recovery codes, only with the password', async () => {
    const user = await world.createUser('Changing Mind');
    const phone = await turnOnTwoFactor(db(), user.id);
    const own = world.agent();
    await logInAs(own, user.email, user.password);
    expect((await own.post('/login/two-factor', { code: await phone.code() })).statusCode).toBe(303);
    const wrong = await own.post('/account/recovery-codes', { password: 'not my password' });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toContain('That is not your current password.');
    const fresh = await own.post('/account/recovery-codes', { password: user.password });
    expect([...fresh.body.matchAll(/<code>([a-z0-9-]{19})<\/code>/g)]).toHaveLength(10);
    expect((await own.post('/account/two-factor/off', { password: 'nope nope nope' })).statusCode).toBe(400);
    const off = await own.post('/account/two-factor/off', { password: user.password });
    expect(off.headers.location).toBe('/account/security?notice=twoFactorOff');
    const plain = world.agent();
    await plain.logIn(user.email, user.password);
  });
});

describe('leaders and two-step verification', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());
  const db = () => world.database.db;

  it('asks site admins, organisation admins and facilitators to turn it on before they lead, kindly', async () => {
    const admin = await world.createUser('Site Keeper');
    const adminAgent = world.agent();
    await adminAgent.logIn(admin.email, admin.password);
    const outbox = await adminAgent.get('/admin/outbox');
    expect(outbox.statusCode).toBe(403);
    expect(textOf(outbox.body)).toContain('You lead people here');
    expect(outbox.body).toContain('href="/account/two-factor?next=%2Fadmin%2Foutbox"');
    expect((await adminAgent.get('/organisations/new')).statusCode).toBe(403);

    const owner = await world.createUser('Ward Owner');
    const group = await makeGroup(world, owner, { leadership: 'professional' });
    const sam = await world.createUser('Sam Facilitator');
    const samAgent = world.agent();
    await samAgent.logIn(sam.email, sam.password);
    await samAgent.post(`/g/${group.slug}/join`);
    const ownerAgent = world.agent();
    await ownerAgent.logIn(owner.email, owner.password);
    await ownerAgent.post(`/g/${group.slug}/members/Sam Facilitator/role`, { role: 'facilitator' });

    const groupPage = textOf((await samAgent.get(`/g/${group.slug}`)).body);
    expect(groupPage).toContain('Your leader’s tools open once you turn on two-step verification');
    expect(groupPage).not.toContain('Audit log');
    const audit = await samAgent.get(`/g/${group.slug}/audit`);
    expect(audit.statusCode).toBe(403);
    expect(textOf(audit.body)).toContain('Turn on two-step verification first');
    // Still a member meanwhile: reading and posting go on as before.
    expect((await samAgent.get(`/g/${group.slug}/members`)).statusCode).toBe(200);

    await turnOnTwoFactor(db(), sam.id);
    await turnOnTwoFactor(db(), admin.id);
    expect((await samAgent.get(`/g/${group.slug}/audit`)).statusCode).toBe(200);
    expect(textOf((await samAgent.get(`/g/${group.slug}`)).body)).not.toContain('Your leader’s tools open');
    expect((await adminAgent.get('/admin/outbox')).statusCode).toBe(200);
    expect((await adminAgent.get('/organisations/new')).statusCode).toBe(200);
  });
});

const tokenHashOf = (link: string) => hashToken(link.split('/').pop()!);

describe('organisation groups limited to an email domain', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
  });
  afterAll(() => world.close());

  it('let in only people who confirmed an address at the domain', async () => {
    const owner = await world.createUser('Ward Lead');
    const group = await makeGroup(world, owner);
    await world.database.db.update(groups).set({ allowedEmailDomain: 'example.org' }).where(eq(groups.id, group.id));
    const nurse = world.agent();
    await nurse.get('/signup');
    await nurse.post('/signup', { pseudonym: 'Night Nurse', email: 'nurse@example.org', password: 'a long password' });
    const refused = await nurse.post(`/g/${group.slug}/join`);
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('Confirm yours first');
    await nurse.post(await linkIn(world, 'nurse@example.org', 'verify-email'));
    expect((await nurse.post(`/g/${group.slug}/join`)).headers.location).toBe(`/g/${group.slug}?notice=joined`);
  });
});
