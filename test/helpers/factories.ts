import type { TestWorld } from './app.js';
import { createGroup } from '../../src/features/groups/index.js';
import { createThread } from '../../src/features/forum/index.js';
import { unlimitedPosting } from '../../src/platform/deps.js';

let counter = 0;

export async function makeGroup(
  world: TestWorld,
  owner: { id: number; pseudonym: string },
  overrides: Partial<
    Record<'name' | 'summary' | 'description' | 'tags' | 'language' | 'leadership' | 'visibility', string>
  > = {},
) {
  counter += 1;
  return createGroup(
    world.database.db,
    { id: owner.id, pseudonym: owner.pseudonym, isAdmin: false },
    {
      name: `Test group ${counter}`,
      summary: 'A group for testing how people support each other.',
      description: 'We meet here.',
      tags: 'testing',
      language: 'en',
      leadership: 'peer',
      visibility: 'public',
      ...overrides,
    },
  );
}

export async function makeThread(
  world: TestWorld,
  author: { id: number; pseudonym: string },
  slug: string,
  title = 'A hard week',
  body = 'It has been a hard week.',
) {
  // As in the test world's pages: tests of the posting limits post through the pages.
  return createThread(
    world.database.db,
    { id: author.id, pseudonym: author.pseudonym, isAdmin: false },
    slug,
    { title, body },
    { postingLimits: unlimitedPosting },
  );
}
