import { SubPrincipal } from '../domain/store.js';
import { authorize, authorizeRefresh, invalidCredentialsFor } from './auth.js';
import { type Env, Failure, type Operation, type OpRequest, type OpResponse, renderFailure } from './operation.js';

const mismatch = new Failure('ACCESS_DENIED');
const subAccountDenied = new Failure('ACCESS_DENIED', "A sub-account's credentials cannot call this endpoint: send its parent account's X-Auth-ID and X-Auth-Token");

const notOwned = (authId: string) => new Failure('NOT_FOUND', `No main account ${authId} among those these credentials own`);

/** An operation run on a parsed request (one per operation, shared by both adapters). */
export type Executor = (request: OpRequest, env: Env) => OpResponse;

/**
 * Runs an operation on a parsed request, the same for every adapter: credentials, then the path's auth_id
 * against the authenticated account (403 for any other, existing or not), then the operation itself; any
 * failure is rendered in the endpoint's error style.
 */
export function executor(op: Operation): Executor {
  const invalid = op.credential === 'refresh-token' ? new Failure('INVALID_CREDENTIALS', 'Invalid or missing credentials: send Authorization: Bearer <refresh token>') : invalidCredentialsFor(op.auth);
  return (request, env) => {
    const now = env.now();
    const account = op.credential === 'refresh-token' ? authorizeRefresh(invalid, env.store, now, request.headers.authorization, request.ip) : authorize(op.auth, invalid, env.store, now, request.headers, request.ip);
    let outcome;
    if (account instanceof Failure) outcome = account;
    else if (account instanceof SubPrincipal) {
      account.parent.account.noteSubAccountUse(account.sub.authId, now * 1000);
      outcome = op.subAccounts === true ? op.handle(account.parent.account, request, env, account.sub) : subAccountDenied;
    } else if (request.params['auth_id'] !== undefined && request.params['auth_id'] !== account.authId) outcome = op.otherAccount === 'not-found' ? notOwned(request.params['auth_id']) : mismatch;
    else outcome = op.handle(account.account, request, env);
    return outcome instanceof Failure ? renderFailure(op.errorStyle, outcome, request.requestId, now) : outcome;
  };
}
