import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { phonePhoto } from '../../../test/helpers/photos.js';
import { startS3 } from '../../../test/helpers/s3.js';
import { posts } from '../forum/schema.js';
import { attachFiles, fileUrl, storeUpload } from './service.js';

describe('uploads in S3-compatible storage', { timeout: 120_000 }, () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.close());

  it('puts, gets and deletes bytes, and answers null for a key that is not there', async () => {
    const bytes = Buffer.from('some bytes\u0000with a nul');
    await s3.storage.put('ab/cd/one/main', bytes, 'application/pdf');
    await s3.storage.put('ab/cd/one/thumb.webp', Buffer.from('thumb'), 'image/webp');
    expect((await s3.storage.get('ab/cd/one/main'))?.equals(bytes)).toBe(true);
    expect(await s3.storage.get('ab/cd/none/main')).toBeNull();
    // A key already gone is not an error.
    await s3.storage.delete(['ab/cd/one/main', 'ab/cd/one/thumb.webp', 'ab/cd/never/main']);
    expect(await s3.storage.get('ab/cd/one/main')).toBeNull();
    expect(await s3.storage.get('ab/cd/one/thumb.webp')).toBeNull();
  });

  describe('through the app', () => {
    let world: TestWorld;
    beforeAll(async () => {
      world = await createWorld({ files: s3.storage });
    });
    afterAll(() => world.close());

    it('serves a photo stored in S3 to the post’s readers, and deletes it with the post', async () => {
      const user = await world.createUser('Dana', 'correct horse battery');
      const agent = world.agent();
      await agent.logIn(user.email, 'correct horse battery');
      const group = await makeGroup(world, user, { visibility: 'members' });
      const thread = await makeThread(world, user, group.slug, 'Walk in the park');
      const [post] = await world.database.db
        .select({ id: posts.id })
        .from(posts)
        .where(eq(posts.threadId, thread.id))
        .orderBy(asc(posts.id));
      const row = await storeUpload(
        { db: world.database.db, files: world.files },
        { uploaderId: user.id, groupId: group.id, name: 'park.jpg', bytes: await phonePhoto() },
        { maxBytes: 10 * 1024 * 1024, images: true, files: true },
      );
      await world.database.db.transaction((tx) => attachFiles(tx, user.id, [row.publicId], { postId: post!.id }));
      // The bytes are in the bucket, not on this machine's disk.
      expect(await s3.storage.get(row.storageKey)).not.toBeNull();

      const res = await agent.get(fileUrl(row.publicId, 'thumb.webp'));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/webp');
      expect(res.rawPayload.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect((await world.agent().get(fileUrl(row.publicId, 'thumb.webp'))).statusCode).toBe(404);

      await agent.get(`/posts/${post!.id}/delete`);
      expect((await agent.post(`/posts/${post!.id}/delete`)).statusCode).toBe(303);
      await world.tick();
      for (const key of [row.storageKey, ...row.variants.map((v) => v.key)]) {
        expect(await s3.storage.get(key), key).toBeNull();
      }
    });
  });
});
