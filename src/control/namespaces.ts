import { ApiError } from '../errors.js';
import { shortText } from '../schemas/expectation.js';
import { type ControlRoute, errors, pageQuery } from './route.js';
import { NamespaceListSchema } from './schemas.js';

export const reset: ControlRoute = {
  method: 'POST',
  path: '/reset',
  operationId: 'reset',
  tag: 'Namespaces',
  summary: 'The namespace back to its seeds: state, clock, faults, journal',
  responses: { 204: ['Reset'], ...errors() },
  handle({ ns }) {
    ns.reset();
    return { status: 204 };
  },
};

export const listNamespaces: ControlRoute = {
  method: 'GET',
  path: '/namespaces',
  operationId: 'listNamespaces',
  tag: 'Namespaces',
  summary: 'The namespaces made so far (oldest first, by page), with their sizes and the bounds they live within',
  query: [
    { name: 'page', description: '1-based page (default 1).', schema: { type: 'integer', minimum: 1 } },
    { name: 'per_page', description: 'Namespaces a page (default 100, at most 1000).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  ],
  responses: { 200: ['A page of the namespaces', NamespaceListSchema], ...errors(422) },
  handle({ namespaces, query, config }) {
    const { page, per_page } = pageQuery(query, 100);
    const all = namespaces.list();
    return {
      status: 200,
      body: {
        namespaces: all.slice((page - 1) * per_page, page * per_page).map((n) => n.summary),
        total: all.length,
        page,
        per_page,
        limits: { max_namespaces: config.maxNamespaces, idle_seconds: config.namespaceTtl },
      },
    };
  },
};

export const dropNamespace: ControlRoute = {
  method: 'DELETE',
  path: '/namespaces/:ns',
  operationId: 'dropNamespace',
  tag: 'Namespaces',
  summary: 'Drop a namespace (default: reset)',
  responses: { 204: ['Dropped'], ...errors(404) },
  handle({ namespaces, params }) {
    if (!namespaces.drop(params['ns']!)) throw new ApiError('NOT_FOUND', `No namespace ${shortText(params['ns']!)}`);
    return { status: 204 };
  },
};
