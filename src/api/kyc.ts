import { type TSchema, Type } from '@sinclair/typebox';
import type { Account } from '../domain/account.js';
import { type KycCheck, kycCallsBlocked, type SubAccountFacts } from '../domain/sub-accounts.js';
import { fieldErrors } from '../schemas/check.js';
import { Expected } from '../schemas/expectation.js';
import { StringEnum } from '../schemas/helpers.js';
import { CinMatchesSchema, DigilockerInitiatedSchema, KYC_CHECKS, type KycStatus, KycStatusResponseSchema, KycVerificationSchema } from '../schemas/sub-account.js';
import { cinMatchesBody, digilockerInitiatedBody, kycStatusBody, kycVerificationBody } from '../views/sub-accounts.js';
import { envelopeResponse, internalError, response } from './docs.js';
import { type Env, Failure, type Operation, type OpRequest } from './operation.js';
import { forbidden, invalid, itemParams, objectBody, subOf, unauthorized } from './sub-accounts.js';

/**
 * A sub-account's KYC, as its parent drives it: the status call, the KYC calls under
 * /api/v1/sub-accounts/{sub_auth_id}/kyc/ and their documented test mode under /api/v1/sub-accounts/test/{sub_auth_id}/kyc/.
 * Nothing is sent to a provider: in test mode the magic inputs decide each outcome; on the real paths a
 * well-formed document is verified (and the magic inputs work too), so a suite can use either. The parent's pair
 * or Bearer; a sub-account's own credentials are 403.
 */

const subParams = Type.Object({ sub_auth_id: itemParams.properties.sub_auth_id });
const notFound = envelopeResponse('The account has no such sub-account (NOT_FOUND)', ['NOT_FOUND', 'MA_POSTPAID has no sub-account SA_NOPE0001']);
const statusExample = {
  sub_account_id: 'SA_KYCWAIT1',
  kyc_mode: 'customer_use',
  business_type: 'private_limited',
  overall_status: 'pending',
  kyc_calls_blocked: true,
  verifications: { pan: 'verified', gst: 'pending', aadhaar: 'not_required', cin: 'not_started' },
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

type Outcome = readonly [KycStatus | 'error', ('verified' | 'failed' | undefined)?];
const byMagic = (value: string): Outcome | undefined => {
  const found = magic.find(([prefix]) => value.startsWith(prefix));
  return found ? [found[1], found[2]] : undefined;
};

const CIN = 'U72900KA2024PTC123456';
const cinMatches = [
  { cin: CIN, company_name: 'ACME PRIVATE LIMITED', status: 'Active' },
  { cin: 'U74999MH2019PTC334455', company_name: 'ACME SOLUTIONS PRIVATE LIMITED', status: 'Active' },
];
const text = (max: number, expected: string) => Type.String({ minLength: 1, maxLength: max, [Expected]: expected });

/** A KYC call's body schema, made once with the operation (its validator is compiled on first use and kept by it). */
const closedBody = (fields: Record<string, TSchema>) => Type.Object(fields, { additionalProperties: false });

/** The fields a KYC call reads (the first is the document), or the failure to answer. */
function fields(request: OpRequest, schema: TSchema, first: string): Record<string, string> | Failure {
  const body = objectBody(request, `{"${first}": "..."}`);
  if (body instanceof Failure) return body;
  const errors = fieldErrors(schema, body);
  return errors.length > 0 ? invalid(errors) : (body as Record<string, string>);
}

/** Records a verification's outcome and answers it. */
function record(account: Account, sub: SubAccountFacts, env: Env, check: KycCheck, status: KycStatus, mock: boolean, finalizeAs?: 'verified' | 'failed') {
  const pendingAs = { ...sub.kycPendingAs };
  if (finalizeAs) pendingAs[check] = finalizeAs;
  else delete pendingAs[check];
  const after = account.updateSubAccount(sub.authId, { kyc: { ...sub.kyc, [check]: status }, kycPendingAs: pendingAs }, env.now() * 1000)!;
  return { status: 200, body: kycVerificationBody(check, status, kycCallsBlocked(after), mock) };
}

interface Verification {
  readonly path: string;
  readonly name: string;
  readonly summary: string;
  readonly check: KycCheck;
  readonly body: Record<string, TSchema>;
  /** The document field, and the outcome a value makes: in test mode, and on the real path (undefined: refused, saying `expected`). */
  readonly field: string;
  readonly test: (value: string) => Outcome | undefined;
  readonly real: (value: string) => Outcome | undefined;
  readonly testExpected: string;
  readonly realExpected: string;
}

const verifications: readonly Verification[] = [
  {
    path: 'verify-pan',
    name: 'VerifyPan',
    summary: 'Verify a PAN',
    check: 'pan',
    body: { pan: text(32, 'a PAN such as ABCDE1234F') },
    field: 'pan',
    test: byMagic,
    real: (v) => byMagic(v) ?? (/^[A-Z]{5}[0-9]{4}[A-Z]$/.test(v) ? ['verified'] : undefined),
    testExpected: `a test-mode magic input: ${magicWords}`,
    realExpected: `a PAN (5 letters, 4 digits, a letter: ABCDE1234F) or a magic input: ${magicWords}`,
  },
  {
    path: 'verify-gst',
    name: 'VerifyGst',
    summary: 'Verify a GSTIN',
    check: 'gst',
    body: { gstin: text(32, 'a 15-character GSTIN such as 29AAJCN5983D1Z0') },
    field: 'gstin',
    test: byMagic,
    real: (v) => byMagic(v) ?? (/^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][0-9A-Z]Z[0-9A-Z]$/.test(v) ? ['verified'] : undefined),
    testExpected: `a test-mode magic input (a suffix may follow it): ${magicWords}`,
    realExpected: `a 15-character GSTIN (29AAJCN5983D1Z0) or a magic input: ${magicWords}`,
  },
  {
    path: 'cin/confirm',
    name: 'ConfirmCin',
    summary: 'Confirm a CIN from a search',
    check: 'cin',
    body: { company_name: Type.Optional(text(256, 'a company name')), selected_cin: text(32, 'a CIN from a search') },
    field: 'selected_cin',
    test: (v) => [v.startsWith(CIN) ? 'verified' : 'failed'],
    real: (v) => [cinMatches.some((m) => m.cin === v) ? 'verified' : 'failed'],
    testExpected: `a CIN: one that starts with ${CIN} is verified, any other failed`,
    realExpected: 'a CIN taken verbatim from a search match (verified; any other is failed)',
  },
  {
    path: 'digilocker/verify',
    name: 'VerifyDigilocker',
    summary: 'Verify a DigiLocker (Aadhaar) consent',
    check: 'aadhaar',
    body: { access_request_id: text(128, 'the access_request_id the initiate call gave'), linked_number: Type.Optional(text(32, 'a phone number')) },
    field: 'access_request_id',
    test: (v) => (v === 'MOCK_AR_SUCCESS' ? ['verified'] : v === 'MOCK_AR_FAIL' ? ['failed'] : undefined),
    real: (v) => (v === 'MOCK_AR_FAIL' ? ['failed'] : ['verified']),
    testExpected: 'MOCK_AR_SUCCESS (verified) or MOCK_AR_FAIL (failed)',
    realExpected: 'an access_request_id (MOCK_AR_FAIL fails it)',
  },
];

const verificationExample = (check: KycCheck, mock: boolean) => ({ [check]: { verification_type: check, status: 'verified', kyc_calls_blocked: true, mock } });

/** One KYC call, in test mode or on the real path. */
function verificationCall(v: Verification, mode: 'test' | 'real'): Operation {
  const mock = mode === 'test';
  const outcome = mock ? v.test : v.real;
  const expected = mock ? v.testExpected : v.realExpected;
  const schema = closedBody(v.body);
  return {
    method: 'POST',
    routes: [{ url: `/api/v1/sub-accounts/${mock ? 'test/' : ''}:sub_auth_id/kyc/${v.path}`, operationId: `${mock ? 'testKyc' : 'kyc'}${v.name}` }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary: `${mock ? 'Test mode: ' : ''}${v.summary}`,
      description: `${v.field}: ${expected}. The sub-account's KYC status reflects the outcome.`,
      params: subParams,
      body: schema,
      responses: {
        200: response('The verification and its outcome', Type.Ref(KycVerificationSchema), verificationExample(v.check, mock)),
        400: envelopeResponse('A missing field, or a value that is none of those expected (VALIDATION_ERROR, as 400)', [
          'VALIDATION_ERROR',
          undefined,
          { errors: [{ field: v.field, message: `must be ${expected}`, code: 'INVALID_VALUE' }] },
        ]),
        401: unauthorized,
        403: forbidden,
        404: notFound,
        500: envelopeResponse('TESTERROR0001: the simulated provider error (INTERNAL_ERROR)', ['INTERNAL_ERROR', 'Simulated KYC provider error (TESTERROR0001)']),
      },
    },
    handle(account, request, env) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      const body = fields(request, schema, v.field);
      if (body instanceof Failure) return body;
      const value = body[v.field]!;
      const result = outcome(value);
      if (!result) return invalid([{ field: v.field, message: `must be ${expected}`, code: 'INVALID_VALUE', value: value.slice(0, 64) }]);
      if (result[0] === 'error') return new Failure('INTERNAL_ERROR', 'Simulated KYC provider error (TESTERROR0001)');
      return record(account, sub, env, v.check, result[0], mock, result[1]);
    },
  };
}

const noProvider = { 401: unauthorized, 403: forbidden, 404: notFound, 500: internalError };

/** The CIN search: deterministic matches, whatever the name (nothing changes). */
function cinSearch(mode: 'test' | 'real'): Operation {
  const body = closedBody({ company_name: text(256, 'a company name of 1 to 256 characters') });
  return {
    method: 'POST',
    routes: [{ url: `/api/v1/sub-accounts/${mode === 'test' ? 'test/' : ''}:sub_auth_id/kyc/cin/search`, operationId: mode === 'test' ? 'testKycSearchCin' : 'kycSearchCin' }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary: `${mode === 'test' ? 'Test mode: s' : 'S'}earch company names for a CIN`,
      description: `Deterministic matches whatever the name; confirming ${CIN} (the first) verifies the CIN check.`,
      params: subParams,
      body,
      responses: { 200: response('The matches', Type.Ref(CinMatchesSchema), { ACME: { matches: cinMatches } }), 400: envelopeResponse('No company_name (VALIDATION_ERROR, as 400)', ['VALIDATION_ERROR']), ...noProvider },
    },
    handle(account, request) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      const given = fields(request, body, 'company_name');
      return given instanceof Failure ? given : { status: 200, body: cinMatchesBody(cinMatches) };
    },
  };
}

/** The DigiLocker consent: the aadhaar check becomes pending until verified with the access_request_id. */
function digilockerInitiate(mode: 'test' | 'real'): Operation {
  const body = closedBody({ redirect_url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048, [Expected]: 'an http(s) URL to come back to' }), oauth_state: Type.Optional(text(256, 'a string')) });
  const answer = mode === 'test' ? { auth_url: 'https://kyc.vobiz.ai/mock/digilocker', access_request_id: 'MOCK_AR_SUCCESS' } : { auth_url: 'https://kyc.vobiz.ai/digilocker/consent', access_request_id: 'AR_VOBIZ_MOCK_CONSENT' };
  return {
    method: 'POST',
    routes: [{ url: `/api/v1/sub-accounts/${mode === 'test' ? 'test/' : ''}:sub_auth_id/kyc/digilocker/initiate`, operationId: mode === 'test' ? 'testKycInitiateDigilocker' : 'kycInitiateDigilocker' }],
    auth: ['pair', 'bearer'],
    errorStyle: 'envelope',
    doc: {
      tags: ['Sub-account KYC'],
      summary: `${mode === 'test' ? 'Test mode: s' : 'S'}tart a DigiLocker (Aadhaar) consent`,
      description: `The aadhaar check becomes pending; verify it with the access_request_id${mode === 'test' ? ' (MOCK_AR_SUCCESS, or MOCK_AR_FAIL to fail it)' : ''}.`,
      params: subParams,
      body,
      responses: { 200: response('The consent URL and its request id', Type.Ref(DigilockerInitiatedSchema), { SA_KYCWAIT1: answer }), 400: envelopeResponse('No redirect_url (VALIDATION_ERROR, as 400)', ['VALIDATION_ERROR']), ...noProvider },
    },
    handle(account, request, env) {
      const sub = subOf(account, request);
      if (sub instanceof Failure) return sub;
      const given = fields(request, body, 'redirect_url');
      if (given instanceof Failure) return given;
      account.updateSubAccount(sub.authId, { kyc: { ...sub.kyc, aadhaar: 'pending' } }, env.now() * 1000);
      return { status: 200, body: digilockerInitiatedBody(answer.auth_url, answer.access_request_id) };
    },
  };
}

const finalizeBody = closedBody({
  verification_type: StringEnum(KYC_CHECKS, { [Expected]: 'one of pan, gst, aadhaar, cin' }),
  outcome: Type.Optional(StringEnum(['verified', 'failed'] as const, { [Expected]: 'verified or failed' })),
});

/** Test mode's finalize-pending: a pending verification becomes `outcome` (default: what its magic input said). */
export const finalizePending: Operation = {
  method: 'POST',
  routes: [{ url: '/api/v1/sub-accounts/test/:sub_auth_id/kyc/finalize-pending', operationId: 'testKycFinalizePending' }],
  auth: ['pair', 'bearer'],
  errorStyle: 'envelope',
  doc: {
    tags: ['Sub-account KYC'],
    summary: 'Test mode: finalize a pending verification',
    description: 'The pending verification becomes `outcome`; without one, what its magic input said (TESTPENDING001: verified, TESTPENDING_FAIL: failed).',
    params: subParams,
    body: finalizeBody,
    responses: {
      200: response('The verification and its outcome', Type.Ref(KycVerificationSchema), verificationExample('gst', true)),
      400: envelopeResponse('A bad verification_type or outcome, or one that is not pending (VALIDATION_ERROR, as 400)', [
        'VALIDATION_ERROR',
        undefined,
        { errors: [{ field: 'verification_type', message: 'must be a pending verification: gst is verified', code: 'INVALID_VALUE', value: 'gst' }] },
      ]),
      ...noProvider,
    },
  },
  handle(account, request, env) {
    const sub = subOf(account, request);
    if (sub instanceof Failure) return sub;
    const given = fields(request, finalizeBody, 'verification_type');
    if (given instanceof Failure) return given;
    const check = given['verification_type'] as KycCheck;
    if (sub.kyc[check] !== 'pending') {
      return invalid([{ field: 'verification_type', message: `must be a pending verification: ${check} is ${sub.kyc[check]}`, code: 'INVALID_VALUE', value: check }]);
    }
    const outcome = (given['outcome'] as 'verified' | 'failed' | undefined) ?? sub.kycPendingAs[check] ?? 'verified';
    return record(account, sub, env, check, outcome, true);
  },
};

export const kycOperations: readonly Operation[] = [
  getKycStatus,
  ...verifications.slice(0, 2).map((v) => verificationCall(v, 'real')),
  cinSearch('real'),
  verificationCall(verifications[2]!, 'real'),
  digilockerInitiate('real'),
  verificationCall(verifications[3]!, 'real'),
  ...verifications.slice(0, 2).map((v) => verificationCall(v, 'test')),
  cinSearch('test'),
  verificationCall(verifications[2]!, 'test'),
  digilockerInitiate('test'),
  verificationCall(verifications[3]!, 'test'),
  finalizePending,
];
