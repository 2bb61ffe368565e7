import { type TSchema, Type } from '@sinclair/typebox';
import type { Account } from '../domain/account.js';
import type { KycCheck, SubAccountFacts } from '../domain/sub-accounts.js';
import { fieldErrors } from '../schemas/check.js';
import { Expected } from '../schemas/expectation.js';
import { CinMatchesSchema, DigilockerInitiatedSchema, type KycStatus, KycStatusResponseSchema, KycVerificationSchema } from '../schemas/sub-account.js';
import { cinMatchesBody, digilockerInitiatedBody, kycStatusBody, kycVerificationBody } from '../views/sub-accounts.js';
import { envelopeResponse, internalError, response } from './docs.js';
import { type Env, Failure, type Operation, type OpRequest } from './operation.js';
import { forbidden, invalid, itemParams, objectBody, subOf, unauthorized } from './sub-accounts.js';

/**
 * A sub-account's KYC, as the parent sees it: the status call, and the documented test mode under
 * /api/v1/sub-accounts/test/{sub_auth_id}/kyc/ whose magic inputs decide each verification's outcome, so that a
 * customer_use sub-account can be brought to verified (or failed) deterministically. The parent's pair or Bearer;
 * a sub-account's own credentials are 403.
 */

const subParams = Type.Object({ sub_auth_id: itemParams.properties.sub_auth_id });
const notFound = envelopeResponse('The account has no such sub-account (NOT_FOUND)', ['NOT_FOUND', 'MA_POSTPAID has no sub-account SA_NOPE0001']);
const badInput = envelopeResponse('A missing field, or a value that is not a magic input (VALIDATION_ERROR, as 400)', [
  'VALIDATION_ERROR',
  undefined,
  { errors: [{ field: 'pan', message: 'must be a test-mode magic input: TESTSUCCESS0001, TESTFAIL0001, TESTERROR0001, TESTPENDING001 or TESTPENDING_FAIL', code: 'INVALID_VALUE' }] },
]);
const statusExample = {
  sub_account_id: 'SA_KYCWAIT1',
  kyc_mode: 'customer_use',
  business_type: 'private_limited',
  overall_status: 'not_started',
  kyc_calls_blocked: true,
  verifications: { pan: 'not_started', gst: 'not_started', cin: 'not_started', digilocker: 'not_required' },
};

export const getKycStatus: Operation = {
  method: 'GET',
  routes: [{ url: '/api/v1/sub-accounts/:sub_auth_id/kyc/status', operationId: 'getSubAccountKycStatus' }],
  auth: ['pair', 'bearer'],
  errorStyle: 'envelope',
  doc: {
    tags: ['Sub-account KYC'],
    summary: "A sub-account's KYC status",
    description:
      "Asked with the parent's credentials (a sub-account's own are 403). personal_use sub-accounts are never blocked; customer_use ones are call-blocked until every verification their business type needs is verified.",
    params: subParams,
    responses: { 200: response('Its KYC state', Type.Ref(KycStatusResponseSchema), { SA_KYCWAIT1: statusExample }), 401: unauthorized, 403: forbidden, 404: notFound, 500: internalError },
  },
  handle(account, request) {
    const sub = subOf(account, request);
    return sub instanceof Failure ? sub : { status: 200, body: kycStatusBody(sub) };
  },
};

/** The magic inputs of PAN and GST (a value may carry a suffix of its own after them): the outcome, and what finalize-pending makes of a pending one. */
const magic: readonly (readonly [prefix: string, outcome: KycStatus | 'error', finalizeAs?: 'verified' | 'failed'])[] = [
  ['TESTSUCCESS0001', 'verified'],
  ['TESTFAIL0001', 'failed'],
  ['TESTERROR0001', 'error'],
  ['TESTPENDING001', 'pending', 'verified'],
  ['TESTPENDING_FAIL', 'pending', 'failed'],
];
const magicWords = 'TESTSUCCESS0001, TESTFAIL0001, TESTERROR0001, TESTPENDING001 or TESTPENDING_FAIL';

/** The one string field a test-mode call reads, or the failure to answer. */
function field(request: OpRequest, name: string, schema: TSchema): string | Failure {
  const body = objectBody(request, `{"${name}": "..."}`);
  if (body instanceof Failure) return body;
  const errors = fieldErrors(Type.Object({ [name]: schema }, { additionalProperties: false }), body);
  return errors.length > 0 ? invalid(errors) : (body[name] as string);
}

/** Records a verification's outcome and answers it. */
function record(account: Account, sub: SubAccountFacts, env: Env, check: KycCheck, status: KycStatus, finalizeAs?: 'verified' | 'failed') {
  const pendingAs = { ...sub.kycPendingAs };
  if (finalizeAs) pendingAs[check] = finalizeAs;
  else delete pendingAs[check];
  account.updateSubAccount(sub.authId, { kyc: { ...sub.kyc, [check]: status }, kycPendingAs: pendingAs }, env.now() * 1000);
  return { status: 200, body: kycVerificationBody(sub.authId, check, status) };
}

const document = { type: 'string', minLength: 1, maxLength: 64 } as const;
const verificationResponses = (example: string) => ({
  200: response('The verification and its outcome', Type.Ref(KycVerificationSchema), { [example]: { verification_type: example, status: 'verified', sub_account_id: 'SA_KYCWAIT1' } }),
  400: badInput,
  401: unauthorized,
  403: forbidden,
  404: notFound,
  500: envelopeResponse('TESTERROR0001: the simulated provider error (INTERNAL_ERROR)', ['INTERNAL_ERROR', 'Simulated KYC provider error (TESTERROR0001)']),
});

/** A test-mode call: its path under /kyc/, the field it reads, and what the value makes of the check. */
function testCall(path: string, operationId: string, summary: string, check: KycCheck, name: string, outcome: (value: string) => readonly [KycStatus | 'error', ('verified' | 'failed' | undefined)?] | undefined, expected: string): Operation {
  return {
    method: 'POST',
    routes: [{ url: `/api/v1/sub-accounts/test/:sub_auth_id/kyc/${path}`, operationId }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary,
      description: `Test mode: ${expected}. The sub-account's KYC status reflects the outcome.`,
      params: subParams,
      body: Type.Object({ [name]: Type.String(document) }, { additionalProperties: false }),
      responses: verificationResponses(check),
    },
    handle(account, request, env) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      const value = field(request, name, Type.String({ ...document, [Expected]: 'a string of 1 to 64 characters' }));
      if (value instanceof Failure) return value;
      const result = outcome(value);
      if (!result) return invalid([{ field: name, message: `must be ${expected}`, code: 'INVALID_VALUE', value: value.slice(0, 64) }]);
      if (result[0] === 'error') return new Failure('INTERNAL_ERROR', 'Simulated KYC provider error (TESTERROR0001)');
      return record(account, sub, env, check, result[0], result[1]);
    },
  };
}

const byMagic = (value: string) => {
  const found = magic.find(([prefix]) => value.startsWith(prefix));
  return found ? ([found[1], found[2]] as const) : undefined;
};
const CIN = 'U72900KA2024PTC123456';

export const kycTestOperations: readonly Operation[] = [
  testCall('verify-pan', 'testKycVerifyPan', 'Test mode: verify a PAN', 'pan', 'pan', byMagic, `a test-mode magic input: ${magicWords}`),
  testCall('verify-gst', 'testKycVerifyGst', 'Test mode: verify a GSTIN', 'gst', 'gstin', byMagic, `a test-mode magic input (a suffix may follow it): ${magicWords}`),
  testCall('cin/confirm', 'testKycConfirmCin', 'Test mode: confirm a CIN', 'cin', 'selected_cin', (v) => [v.startsWith(CIN) ? 'verified' : 'failed'], `a CIN; one that starts with ${CIN} is verified, any other failed`),
  testCall(
    'digilocker/verify',
    'testKycVerifyDigilocker',
    'Test mode: verify a DigiLocker (Aadhaar) consent',
    'digilocker',
    'access_request_id',
    (v) => (v === 'MOCK_AR_SUCCESS' ? ['verified'] : v === 'MOCK_AR_FAIL' ? ['failed'] : undefined),
    'MOCK_AR_SUCCESS (verified) or MOCK_AR_FAIL (failed)',
  ),
  {
    method: 'POST',
    routes: [{ url: '/api/v1/sub-accounts/test/:sub_auth_id/kyc/finalize-pending', operationId: 'testKycFinalizePending' }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary: 'Test mode: finalize pending verifications',
      description: 'Every pending verification becomes what its magic input said (TESTPENDING001: verified, TESTPENDING_FAIL: failed); answers the KYC status after. No body.',
      params: subParams,
      responses: { 200: response('The KYC status after', Type.Ref(KycStatusResponseSchema), { SA_KYCWAIT1: statusExample }), 401: unauthorized, 403: forbidden, 404: notFound, 500: internalError },
    },
    handle(account, request, env) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      const kyc = { ...sub.kyc };
      for (const [check, as] of Object.entries(sub.kycPendingAs) as [KycCheck, 'verified' | 'failed'][]) if (kyc[check] === 'pending') kyc[check] = as;
      const after = Object.keys(sub.kycPendingAs).length === 0 ? sub : account.updateSubAccount(sub.authId, { kyc, kycPendingAs: {} }, env.now() * 1000)!;
      return { status: 200, body: kycStatusBody(after) };
    },
  },
];

const cinMatches = [
  { cin: CIN, name: 'ACME PRIVATE LIMITED', state: 'Karnataka' },
  { cin: 'U74999MH2019PTC334455', name: 'ACME SOLUTIONS PRIVATE LIMITED', state: 'Maharashtra' },
];

/** Test mode's two calls that decide nothing: the CIN search, and the DigiLocker consent that makes the check pending. */
export const kycTestSearches: readonly Operation[] = [
  {
    method: 'POST',
    routes: [{ url: '/api/v1/sub-accounts/test/:sub_auth_id/kyc/cin/search', operationId: 'testKycSearchCin' }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary: 'Test mode: search company names for a CIN',
      description: `Deterministic matches whatever the name; confirming the first (${CIN}) verifies the CIN check.`,
      params: subParams,
      body: Type.Object({ company_name: Type.String(document) }, { additionalProperties: false }),
      responses: {
        200: response('The matches', Type.Ref(CinMatchesSchema), { ACME: { matches: cinMatches } }),
        400: badInput,
        401: unauthorized,
        403: forbidden,
        404: notFound,
        500: internalError,
      },
    },
    handle(account, request) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      const value = field(request, 'company_name', Type.String({ ...document, [Expected]: 'a company name of 1 to 64 characters' }));
      return value instanceof Failure ? value : { status: 200, body: cinMatchesBody(cinMatches) };
    },
  },
  {
    method: 'POST',
    routes: [{ url: '/api/v1/sub-accounts/test/:sub_auth_id/kyc/digilocker/initiate', operationId: 'testKycInitiateDigilocker' }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary: 'Test mode: start a DigiLocker (Aadhaar) consent',
      description: 'The digilocker check becomes pending; verify it with access_request_id MOCK_AR_SUCCESS or MOCK_AR_FAIL. No body.',
      params: subParams,
      responses: {
        200: response('Pending', Type.Ref(DigilockerInitiatedSchema), { SA_KYCWAIT1: { verification_type: 'digilocker', status: 'pending', sub_account_id: 'SA_KYCWAIT1', access_request_id: 'MOCK_AR_SUCCESS' } }),
        401: unauthorized,
        403: forbidden,
        404: notFound,
        500: internalError,
      },
    },
    handle(account, request, env) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      account.updateSubAccount(sub.authId, { kyc: { ...sub.kyc, digilocker: 'pending' } }, env.now() * 1000);
      return { status: 200, body: digilockerInitiatedBody(sub.authId, 'MOCK_AR_SUCCESS') };
    },
  },
];

export const kycOperations: readonly Operation[] = [getKycStatus, ...kycTestOperations.slice(0, 2), kycTestSearches[0]!, kycTestOperations[2]!, kycTestSearches[1]!, ...kycTestOperations.slice(3)];
