import Stripe from 'stripe';
import { z } from 'zod';
import type { StripeSettings } from '../../platform/deps.js';
import type { PaymentProviderName } from './schema.js';

/** What a member is about to pay, and where to send them back to. */
export interface Checkout {
  groupId: number;
  userId: number;
  /** Shown on the provider's payment page, e.g. "Membership of Living with Long COVID". */
  description: string;
  amountCents: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
  /**
   * The version of the group's agreements the payer accepted on the pay form (0: none asked). It
   * travels with the payment and is written when the membership begins (acceptCarried).
   */
  agreementsVersion: number;
}

/** How a payment goes on once started: on the provider's own page, or offline to the treasurer. */
export type PaymentStart = { kind: 'redirect'; url: string } | { kind: 'offline' };

/** Money a provider says has arrived, for one person in one group. */
export interface ConfirmedPayment {
  groupId: number;
  userId: number;
  amountCents: number;
  currency: string;
  receivedAt: Date;
  /** The provider's id for the payment, so a confirmation that arrives twice is recorded once. */
  externalId: string | null;
  /** The agreements' version the payer accepted when they started paying (Checkout.agreementsVersion). */
  agreementsVersion?: number | undefined;
}

/**
 * A way members pay a group's fee. Each provider starts a payment in its own way and turns its
 * own evidence (a treasurer's entry, a signed webhook) into a confirmed payment; recording the
 * payment and granting access is the same for all (service.ts: recordPayment).
 */
export interface PaymentProvider<Evidence> {
  readonly name: PaymentProviderName;
  start(checkout: Checkout): Promise<PaymentStart>;
  /** The payment the evidence proves, or null when it proves none (an event we do not act on). */
  confirm(evidence: Evidence): ConfirmedPayment | null;
}

/** What a treasurer enters for money received in person or by transfer. */
export type ManualEntry = Omit<ConfirmedPayment, 'externalId'>;

/** Members pay the treasurer in person or by transfer; the treasurer records it. */
export const manualProvider: PaymentProvider<ManualEntry> = {
  name: 'manual',
  start: async () => ({ kind: 'offline' }),
  confirm: (entry) => ({ ...entry, externalId: null }),
};

/** The provider could not be reached or refused the request (an outage, a revoked key). */
export class ProviderUnavailable extends Error {
  constructor(cause: unknown) {
    super('payment provider unavailable', { cause });
  }
}

/** A webhook whose signature does not match: nothing in it can be trusted. */
export class BadSignature extends Error {
  constructor() {
    super('bad webhook signature');
  }
}

export interface StripeWebhook {
  rawBody: Buffer;
  signature: string | undefined;
}

const sessionMetadata = z.object({
  groupId: z.coerce.number().int().positive(),
  userId: z.coerce.number().int().positive(),
  // Absent from sessions started before it was carried: nothing accepted.
  agreementsVersion: z
    .string()
    .regex(/^\d{1,9}$/u)
    .transform(Number)
    .optional(),
});

/**
 * Card payments through Stripe Checkout. Each payment is a one-off charge (mode 'payment') that
 * buys one period: nothing is charged again automatically, and members renew when they choose.
 */
export function createStripeProvider(settings: StripeSettings): PaymentProvider<StripeWebhook> {
  const stripe = new Stripe(settings.secretKey);
  return {
    name: 'stripe',
    async start(checkout) {
      let session: Stripe.Checkout.Session;
      try {
        session = await stripe.checkout.sessions.create({
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: checkout.currency.toLowerCase(),
                unit_amount: checkout.amountCents,
                product_data: { name: checkout.description },
              },
            },
          ],
          metadata: {
            groupId: String(checkout.groupId),
            userId: String(checkout.userId),
            agreementsVersion: String(checkout.agreementsVersion),
          },
          client_reference_id: `${checkout.groupId}-${checkout.userId}`,
          success_url: checkout.successUrl,
          cancel_url: checkout.cancelUrl,
        });
      } catch (error) {
        throw new ProviderUnavailable(error);
      }
      if (!session.url) throw new ProviderUnavailable(new Error('a Checkout Session without a URL'));
      return { kind: 'redirect', url: session.url };
    },
    confirm({ rawBody, signature }) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature ?? '', settings.webhookSecret);
      } catch {
        throw new BadSignature();
      }
      // Card payments complete at once; bank debits complete later, with their own event.
      if (event.type !== 'checkout.session.completed' && event.type !== 'checkout.session.async_payment_succeeded') {
        return null;
      }
      const session = event.data.object;
      if (session.payment_status !== 'paid' || session.amount_total === null || !session.currency) return null;
      const metadata = sessionMetadata.safeParse(session.metadata ?? {});
      if (!metadata.success) return null;
      return {
        groupId: metadata.data.groupId,
        userId: metadata.data.userId,
        amountCents: session.amount_total,
        currency: session.currency.toUpperCase(),
        receivedAt: Number.isFinite(event.created) ? new Date(event.created * 1000) : new Date(),
        externalId: session.id,
        agreementsVersion: metadata.data.agreementsVersion ?? 0,
      };
    },
  };
}

export interface PaymentProviders {
  manual: PaymentProvider<ManualEntry>;
  /** Null when Stripe is not configured: card payments are off. */
  stripe: PaymentProvider<StripeWebhook> | null;
}

/** The Stripe client is made only when a key is configured. */
export function createPaymentProviders(stripe: StripeSettings | undefined): PaymentProviders {
  return { manual: manualProvider, stripe: stripe ? createStripeProvider(stripe) : null };
}
