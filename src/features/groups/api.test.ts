import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { ApiClient, apiClientFor } from '../../../test/helpers/api.js';
import { makeGroup } from '../../../test/helpers/factories.js';

interface Group {
  slug: string;
  name: string;
  descriptionHtml: string;
  joinPolicy: string;
  memberCount: number;
  entryQuestions: string[] | null;
  you: null | { member: boolean; role: string | null; applied: boolean; name: string | null; canTakePart: boolean };
}
interface Problem {
  type: string;
  status: number;
  detail?: string;
  errors?: Record<string, string>;
}

describe('groups through the JSON API', () => {
  let world: TestWorld;
  let owner: ApiClient;
  let visitor: ApiClient;
  const person = async (name: string) => {
    const u = await world.createUser(name);
    return apiClientFor(world.app, world.database.db, u.id);
  };
  const group = async (client: ApiClient, slug: string) =>
    JSON.parse((await client.get(`/api/v1/groups/${slug}`)).body) as Group;
  let open: string;
  let approval: string;
  let paid: string;

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const ownerUser = await world.createUser('Group Owner');
    owner = await apiClientFor(world.app, world.database.db, ownerUser.id);
    visitor = new ApiClient(world.app, null);
    const db = world.database.db;
    open = (await makeGroup(world, ownerUser, { name: 'Open door', description: 'We meet **here**.' })).slug;
    approval = (await makeGroup(world, ownerUser, { name: 'Careful circle' })).slug;
    paid = (await makeGroup(world, ownerUser, { name: 'Paid room' })).slug;
    await db.execute(sql`update groups set join_policy = 'approval', listed = false,
      entry_questions = '{"What brings you here?","Who told you about us?"}' where slug = ${approval}`);
    await db.execute(sql`update groups set join_policy = 'paid', fee_amount_cents = 500, fee_interval = 'month'
      where slug = ${paid}`);
  });
  afterAll(() => world.close());

  it('shows a group as its about page does, with the caller’s own standing only', async () => {
    const seen = await group(visitor, open);
    expect(seen).toMatchObject({
      name: 'Open door',
      joinPolicy: 'open',
      memberCount: 1,
      you: null,
      entryQuestions: null,
    });
    expect(seen.descriptionHtml).toContain('<strong>here</strong>');
    expect(JSON.stringify(seen)).not.toContain('Group Owner');
    expect((await group(owner, open)).you).toMatchObject({ member: true, role: 'owner', canTakePart: true });
    const missing = await visitor.get('/api/v1/groups/no-such-group');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((JSON.parse(missing.body) as Problem).type).toMatch(/#problem-not-found$/);
  });

  it('joins an open group under an alias, once, and leaves it', async () => {
    const ash = await person('Ash Tree');
    const joined = await ash.post(`/api/v1/groups/${open}/join`, { alias: 'Quiet Fern' });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(JSON.parse(joined.body)).toMatchObject({
      memberCount: 2,
      you: { member: true, role: 'member', name: 'Quiet Fern' },
    });
    expect(JSON.parse((await ash.post(`/api/v1/groups/${open}/join`)).body)).toMatchObject({ memberCount: 2 });
    // The alias shows to the person themselves, and to nobody else through the group.
    expect(JSON.stringify(await group(owner, open))).not.toContain('Quiet Fern');
    const left = await ash.post(`/api/v1/groups/${open}/leave`);
    expect(left.statusCode).toBe(200);
    expect(JSON.parse(left.body)).toMatchObject({ memberCount: 1, you: { member: false, role: null } });
    // The last owner cannot leave: a problem says why.
    const stays = await owner.post(`/api/v1/groups/${open}/leave`);
    expect(stays.statusCode).toBe(400);
    expect(Object.values((JSON.parse(stays.body) as Problem).errors ?? {}).join(' ')).toMatch(/owner/i);
  });

  it('takes applications, with an answer for each entry question, in an unlisted group reached by its address', async () => {
    const birch = await person('Birch');
    const seen = await group(birch, approval);
    expect(seen.entryQuestions).toEqual(['What brings you here?', 'Who told you about us?']);
    const refused = await birch.post(`/api/v1/groups/${approval}/join`);
    expect(refused.statusCode).toBe(403);
    expect((JSON.parse(refused.body) as Problem).detail).toMatch(/apply/i);

    const short = await birch.post(`/api/v1/groups/${approval}/applications`, { answers: ['Grief.'] });
    expect(short.statusCode).toBe(400);
    expect(Object.keys((JSON.parse(short.body) as Problem).errors ?? {})).toEqual(['answers.1']);

    const applied = await birch.post(`/api/v1/groups/${approval}/applications`, {
      answers: ['Grief.', 'My doctor.'],
      alias: 'Silver Leaf',
    });
    expect(applied.statusCode, applied.body).toBe(201);
    expect(JSON.parse(applied.body)).toMatchObject({
      status: 'pending',
      group: { you: { applied: true, member: false } },
    });
    // Applying to a group that takes none is refused.
    expect((await birch.post(`/api/v1/groups/${open}/applications`, { answers: [] })).statusCode).toBe(403);
  });

  it('points to the group’s page for a fee, which the API cannot take', async () => {
    const cedar = await person('Cedar');
    const res = await cedar.post(`/api/v1/groups/${paid}/join`);
    expect(res.statusCode).toBe(403);
    expect((JSON.parse(res.body) as Problem).detail).toContain(`/g/${paid}/pay`);
    expect((await group(cedar, paid)).you).toMatchObject({ member: false });
  });

  it('asks a caller without a token to authenticate before changing anything', async () => {
    const res = await visitor.post(`/api/v1/groups/${open}/join`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});
