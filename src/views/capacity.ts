import type { Quote } from '../domain/capacity.js';
import { decimalString } from '../domain/money.js';
import type { SubscriptionSeed } from '../domain/subscriptions.js';
import { zSeconds } from '../domain/time.js';
import { type ChannelPricingPreview, ChannelPricingPreviewSchema, type ChannelSubscription, ChannelSubscriptionSchema } from '../schemas/capacity.js';
import { serializer } from './serializer.js';

const previews = new WeakMap<Quote, Buffer>();

/** GET .../channel-pricing-preview: a quote (quotes are made once per tier, resource and quantity, and so is this). */
export function previewBody(quote: Quote): Buffer {
  let body = previews.get(quote);
  if (body === undefined) {
    body = Buffer.from(serializer<ChannelPricingPreview>(ChannelPricingPreviewSchema)({
      resource_type: quote.resourceType,
      quantity: quote.quantity,
      monthly_cost: decimalString(quote.monthlyCost),
      currency: quote.currency,
      breakdown: [...quote.breakdown],
    }));
    previews.set(quote, body);
  }
  return body;
}

/** A subscription as the ChannelSubscription object (`accountId`: the account's numeric id). */
export function subscription(s: SubscriptionSeed, accountId: number): ChannelSubscription {
  return {
    id: s.id,
    account_id: accountId,
    resource_type: s.resourceType,
    quantity: s.quantity,
    monthly_cost: decimalString(s.monthlyCost),
    currency: s.currency,
    status: s.status,
    last_billing_date: zSeconds(s.lastBillingDate),
    next_billing_date: zSeconds(s.nextBillingDate),
    purchased_at: zSeconds(s.purchasedAt),
    cancelled_at: s.cancelledAt === null ? null : zSeconds(s.cancelledAt),
    cancellation_reason: s.cancellationReason,
    is_active: s.status === 'active',
    created_at: zSeconds(s.createdAt),
    updated_at: zSeconds(s.updatedAt),
  };
}

/** POST .../channel-subscriptions: the subscription a purchase made. */
export function subscriptionBody(s: SubscriptionSeed, accountId: number): string {
  return serializer<ChannelSubscription>(ChannelSubscriptionSchema)(subscription(s, accountId));
}
