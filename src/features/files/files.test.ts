import { asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { exifOfAll, leftovers, phonePhoto } from '../../../test/helpers/photos.js';
import { posts } from '../forum/schema.js';
import { files } from './schema.js';
import { attachFiles, filesOf, fileUrl, storeUpload } from './service.js';
import type { UploadLimits } from './processing.js';

const limits: UploadLimits = { maxBytes: 10 * 1024 * 1024, images: true, files: true };
const PASSWORD = 'correct horse battery';

interface Person {
  id: number;
  pseudonym: string;
  agent: Agent;
}

// Image processing and exiftool are slow on a busy 2-core machine: two minutes per test at most.
describe('serving files', { timeout: 120_000 }, () => {
  let world: TestWorld;
  let owner: Person;
  let outsider: Person;
  let slug: string;

  const person = async (name: string): Promise<Person> => {
    const user = await world.createUser(name, PASSWORD);
    const agent = world.agent();
    await agent.logIn(user.email, PASSWORD);
    return { id: user.id, pseudonym: user.pseudonym, agent };
  };

  /** A new discussion by the owner in the members-only group; its opening post's id. */
  const newPost = async (title: string) => {
    const thread = await makeThread(world, owner, slug, title);
    const [post] = await world.database.db
      .select({ id: posts.id })
      .from(posts)
      .where(eq(posts.threadId, thread.id))
      .orderBy(asc(posts.id));
    return post!.id;
  };

  const upload = (who: Person, name: string, bytes: Buffer) =>
    storeUpload(
      { db: world.database.db, files: world.files },
      { uploaderId: who.id, groupId: null, name, bytes },
      limits,
    );

  beforeAll(async () => {
    world = await createWorld();
    owner = await person('Ada');
    outsider = await person('Bram');
    slug = (await makeGroup(world, owner, { visibility: 'members' })).slug;
  });
  afterAll(() => world.close());

  it('serves every version of a photo in a post to its readers only, with nothing of the original left', async () => {
    const postId = await newPost('Our garden');
    const row = await upload(owner, 'IMG_2041.JPG', await phonePhoto());
    await world.database.db.transaction((tx) =>
      attachFiles(tx, owner.id, [row.publicId], { postId }, { [row.publicId]: 'Our garden in spring' }),
    );
    const [view] = (await filesOf(world.database.db, 'post', [postId])).get(postId)!;
    expect(view).toMatchObject({ kind: 'image', name: 'IMG_2041.jpeg', altText: 'Our garden in spring' });
    expect(view!.variants).toEqual(['large.webp', 'large.avif', 'thumb.webp', 'thumb.jpeg']);

    const expected: Record<string, string> = {
      main: 'image/jpeg',
      'large.webp': 'image/webp',
      'large.avif': 'image/avif',
      'thumb.webp': 'image/webp',
      'thumb.jpeg': 'image/jpeg',
    };
    const served: Buffer[] = [];
    for (const [variant, type] of Object.entries(expected)) {
      const res = await owner.agent.get(fileUrl(row.publicId, variant));
      expect(res.statusCode, variant).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
      expect(res.headers['content-disposition']).toMatch(/^inline; filename="IMG_2041\.(jpeg|webp|avif)"/);
      expect(res.headers['cache-control']).toBe('private, max-age=3600');
      served.push(res.rawPayload);
    }
    // Read by exiftool, an independent reader, as served.
    const read = await exifOfAll(served);
    for (const [i, [variant, type]] of Object.entries(expected).entries()) {
      expect(read[i]!['File:MIMEType'], variant).toBe(type);
      expect(leftovers(read[i]!), variant).toEqual([]);
      expect(JSON.stringify(read[i]), variant).not.toMatch(/Jane|Hometown|Home Street|PhoneCo/);
    }
    const thumb = await owner.agent.get(fileUrl(row.publicId, 'thumb.webp'));
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(400);

    // Someone outside the members-only group, and a visitor, find nothing there, as for a made-up address.
    for (const agent of [outsider.agent, world.agent()]) {
      const res = await agent.get(fileUrl(row.publicId, 'main'));
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).not.toContain('IMG_2041');
    }
    expect((await owner.agent.get(fileUrl('AAAAAAAAAAAAAAAAAAAAAA', 'main'))).statusCode).toBe(404);
    expect((await owner.agent.get(fileUrl(row.publicId, 'large.png'))).statusCode).toBe(404);
    expect((await owner.agent.get(fileUrl(row.publicId, '..%2F..%2Fetc'))).statusCode).toBe(404);

    // Saved rather than shown when asked; not sent again when the browser has it.
    const download = await owner.agent.get(`${fileUrl(row.publicId, 'main')}?download=1`);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="IMG_2041.jpeg"; filename*=UTF-8''IMG_2041.jpeg`,
    );
    const again = await owner.agent.get(fileUrl(row.publicId, 'main'), {
      'if-none-match': String(download.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('serves documents and text only as downloads, under the name of what they really are', async () => {
    const postId = await newPost('Diet plan');
    const pdf = await upload(owner, 'diet plan (final).jpg', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n'));
    const text = await upload(owner, 'Café notes.html', Buffer.from('Meds at 8am.\nAsk about the clinic.\n'));
    await world.database.db.transaction((tx) => attachFiles(tx, owner.id, [pdf.publicId, text.publicId], { postId }));

    const res = await owner.agent.get(fileUrl(pdf.publicId, 'main'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="diet plan (final).pdf"; filename*=UTF-8''diet%20plan%20%28final%29.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain('sandbox');

    const notes = await owner.agent.get(fileUrl(text.publicId, 'main'));
    expect(notes.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(notes.headers['content-disposition']).toBe(
      `attachment; filename="Caf_ notes.txt"; filename*=UTF-8''Caf%C3%A9%20notes.txt`,
    );
    expect(notes.body).toBe('Meds at 8am.\nAsk about the clinic.\n');
  });

  it('shows an upload not attached yet to its uploader alone, and never another person’s to attach', async () => {
    const row = await upload(
      owner,
      'draft.png',
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
        .png()
        .toBuffer(),
    );
    expect((await owner.agent.get(fileUrl(row.publicId, 'thumb.webp'))).statusCode).toBe(200);
    expect((await outsider.agent.get(fileUrl(row.publicId, 'thumb.webp'))).statusCode).toBe(404);
    expect((await world.agent().get(fileUrl(row.publicId, 'thumb.webp'))).statusCode).toBe(404);
    // Someone else cannot take it into their own post.
    const postId = await newPost('Not theirs');
    await expect(
      world.database.db.transaction((tx) => attachFiles(tx, outsider.id, [row.publicId], { postId })),
    ).rejects.toMatchObject({ fieldErrors: { file: 'files.errors.gone' } });
  });

  it('deletes the files of a deleted post from storage, and uploads left unattached for a day', async () => {
    const postId = await newPost('Second thoughts');
    const row = await upload(owner, 'photo.jpg', await phonePhoto());
    await world.database.db.transaction((tx) => attachFiles(tx, owner.id, [row.publicId], { postId }));
    const pending = await upload(owner, 'forgotten.jpg', await phonePhoto());
    const keys = [row.storageKey, ...row.variants.map((v) => v.key)];
    expect(await world.files.get(keys[0]!)).not.toBeNull();

    await owner.agent.get(`/posts/${postId}/delete`);
    const deleted = await owner.agent.post(`/posts/${postId}/delete`);
    expect(deleted.statusCode).toBe(303);
    // At once nobody can read it, the author included.
    expect((await owner.agent.get(fileUrl(row.publicId, 'main'))).statusCode).toBe(404);

    await world.tick();
    for (const key of keys) expect(await world.files.get(key), key).toBeNull();
    expect(await world.database.db.select().from(files).where(eq(files.id, row.id))).toEqual([]);
    // A pending upload is kept for a day, then deleted.
    expect(await world.files.get(pending.storageKey)).not.toBeNull();
    await world.tick(new Date(Date.now() + 25 * 3600_000));
    expect(await world.files.get(pending.storageKey)).toBeNull();
    expect(await world.database.db.select().from(files).where(eq(files.id, pending.id))).toEqual([]);
  });

  it('deletes a deleted account’s files, even when its posts are kept', async () => {
    const leaving = await person('Cleo');
    const row = await upload(leaving, 'me.jpg', await phonePhoto());
    const [, ownerRow] = [null, await upload(owner, 'stays.jpg', await phonePhoto())];
    await leaving.agent.get('/account/delete');
    const done = await leaving.agent.post('/account/delete', { posts: 'keep', password: PASSWORD });
    expect(done.statusCode).toBe(303);
    await world.tick();
    expect(await world.files.get(row.storageKey)).toBeNull();
    expect(await world.database.db.select().from(files).where(eq(files.id, row.id))).toEqual([]);
    // Nobody else's.
    expect(await world.files.get(ownerRow.storageKey)).not.toBeNull();
  });
});
