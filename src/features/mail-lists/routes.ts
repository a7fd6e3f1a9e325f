import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.js';

/**
 * The member's email settings (/account/email, /g/:slug/email), the group's list settings for
 * its owner, and one-click unsubscribe (/mail/unsubscribe/:token). PLACEHOLDER: written by the
 * outbound helper.
 */
export async function mailListRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
