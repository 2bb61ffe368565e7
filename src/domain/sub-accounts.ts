/**
 * Sub-accounts: credentials, limits and a KYC state a main account gives its own customers or teams. Each is a
 * fact of its parent (src/domain/account.ts keeps them, in the order they were made); nothing here knows of
 * HTTP or bodies. Times are epoch microseconds on the namespace's clock.
 */

import { type BusinessType, KYC_CHECKS, type KycCheck, type KycMode, type KycStatus } from '../schemas/sub-account.js';

export { KYC_CHECKS };

export type { BusinessType, KycCheck, KycMode, KycStatus };

export interface Permissions {
  readonly calls?: boolean;
  readonly cdr?: boolean;
}

export interface SubAccountFacts {
  /** SA_ and 8 characters: the X-Auth-ID of its own credentials. */
  readonly authId: string;
  readonly token: string;
  /** The numeric id, as a string of digits ("500001"). */
  readonly id: string;
  /** A UUID made with it (the api_id its object shows). */
  readonly apiId: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly description: string | null;
  readonly permissions: Permissions;
  readonly rateLimit: number;
  readonly enabled: boolean;
  readonly kycMode: KycMode;
  readonly businessType: BusinessType | null;
  /** Each KYC check's state (only `customer_use` sub-accounts go through them). */
  readonly kyc: Readonly<Record<KycCheck, KycStatus>>;
  /** What finalize-pending makes of each pending check (test mode). */
  readonly kycPendingAs: Readonly<Partial<Record<KycCheck, 'verified' | 'failed'>>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When its credentials last authenticated a request; null when never. */
  readonly lastUsed: number | null;
}

/** What an update may change. */
export type SubAccountChanges = Partial<Pick<SubAccountFacts, 'name' | 'email' | 'phone' | 'description' | 'permissions' | 'rateLimit' | 'enabled' | 'kycMode' | 'businessType'>>;

/** A sub-account's numeric id ("600001"-like) from hex digits its other ids are made of: the same digits, the same id. */
export const subAccountNumericId = (hex: string): string => String(600_000 + (parseInt(hex.slice(0, 7), 16) % 400_000_000));

export const noKyc: Readonly<Record<KycCheck, KycStatus>> = Object.freeze({ pan: 'not_started', gst: 'not_started', aadhaar: 'not_started', cin: 'not_started' });

/**
 * What a business type's KYC takes, as the documentation's table says: a person (individual, proprietorship, huf,
 * or none given) PAN and Aadhaar; an entity PAN and GST or CIN. `considered`: the checks that count at all.
 */
export function kycRule(businessType: BusinessType | null): { readonly considered: readonly KycCheck[]; readonly verified: (kyc: Readonly<Record<KycCheck, KycStatus>>) => boolean } {
  if (businessType === null || businessType === 'individual' || businessType === 'proprietorship' || businessType === 'huf') {
    return { considered: ['pan', 'aadhaar'], verified: (kyc) => kyc.pan === 'verified' && kyc.aadhaar === 'verified' };
  }
  return { considered: ['pan', 'gst', 'cin'], verified: (kyc) => kyc.pan === 'verified' && (kyc.gst === 'verified' || kyc.cin === 'verified') };
}

/** The overall KYC state: failed when a check that counts failed, verified when the rule is met, pending once one started. */
export function kycOverall(facts: Pick<SubAccountFacts, 'kycMode' | 'kyc' | 'businessType'>): KycStatus {
  if (facts.kycMode === 'personal_use') return 'verified';
  const rule = kycRule(facts.businessType);
  const states = rule.considered.map((check) => facts.kyc[check]);
  if (states.includes('failed')) return 'failed';
  if (rule.verified(facts.kyc)) return 'verified';
  return states.every((s) => s === 'not_started') ? 'not_started' : 'pending';
}

/** Whether its calls are blocked for KYC: a `customer_use` sub-account until its KYC is verified. */
export const kycCallsBlocked = (facts: Pick<SubAccountFacts, 'kycMode' | 'kyc' | 'businessType'>): boolean => facts.kycMode === 'customer_use' && kycOverall(facts) !== 'verified';

/** Why a sub-account may not place a call, or undefined when it may. */
export function callRefusal(facts: SubAccountFacts): string | undefined {
  if (!facts.enabled) return `${facts.authId} is disabled`;
  if (facts.permissions.calls === false) return `${facts.authId} does not have the calls permission`;
  if (kycCallsBlocked(facts)) return `${facts.authId} is customer_use and its KYC is not verified (${kycOverall(facts)}): calls are blocked until it is`;
  return undefined;
}
