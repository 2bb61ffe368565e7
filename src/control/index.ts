import { listAccounts } from './account-list.js';
import { getBalanceHistory, getCredentials, listLedger, listSubAccountSummaries } from './account-details.js';
import { createAccount, deleteAccount, getAccountState, setBalance, updateAccount } from './accounts.js';
import { endCall, startCall } from './calls.js';
import { getClock, setClock } from './clock.js';
import { buildControlDocument } from './document.js';
import { addFault, clearFaults, deleteFault, listFaults } from './faults.js';
import { clearRequests, countRequests, listRequests, verifyRequests } from './journal.js';
import { dropNamespace, listNamespaces, reset } from './namespaces.js';
import type { ControlRoute } from './route.js';
import { getSnapshot, putSnapshot } from './snapshot.js';

/** Every call of the control plane, in the order of its document. */
const calls: readonly ControlRoute[] = [
  reset,
  listNamespaces,
  dropNamespace,
  listAccounts,
  createAccount,
  getAccountState,
  getCredentials,
  listSubAccountSummaries,
  listLedger,
  getBalanceHistory,
  updateAccount,
  deleteAccount,
  setBalance,
  startCall,
  endCall,
  getClock,
  setClock,
  addFault,
  listFaults,
  clearFaults,
  deleteFault,
  getSnapshot,
  putSnapshot,
  listRequests,
  countRequests,
  verifyRequests,
  clearRequests,
];

/** Its own document, with servers[0] the address the client used (kept for a few addresses). */
const documents = new Map<string, string>();
const getDocument: ControlRoute = {
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getControlDocument',
  tag: 'Document',
  summary: 'This document',
  responses: { 200: ['The OpenAPI 3.1 document of the control plane'] },
  handle({ server }) {
    let text = documents.get(server);
    if (text === undefined) {
      text = `${JSON.stringify(buildControlDocument(calls, server), null, 2)}\n`;
      if (documents.size < 16) documents.set(server, text);
    }
    return { status: 200, text };
  },
};

/** The control plane's routes: its calls, and its own document (which is not in itself). */
export const controlRoutes: readonly ControlRoute[] = [getDocument, ...calls];

/** The document for a server URL, as `npm run openapi` commits it. */
export const controlDocument = (server?: string) => buildControlDocument(calls, server);

export type { ControlRoute } from './route.js';
export { CONTROL_PREFIX } from './route.js';
