import express, { Router, type Request, type Response, type NextFunction } from 'express';
import { TICKET_CODE_PATTERN } from '../../domain/report';
import type { ApiDeps } from '../v1/deps';
import { discoveryDocument, isServiceCode, JURISDICTION_ID, serviceDefinition, serviceList } from './catalogue';
import { authenticateApiKey, createServiceRequest, flattenFields, SERVICE_NOTICE, validateSubmission } from './create';
import { failedAuthLimiter } from '../http/failed-auth-limiter';
import { Open311Error, open311ErrorHandler, sendOpen311Error } from './errors';
import { findRequests, parseRequestFilter } from './requests';

export const OPEN311_BASE = '/open311/v2';

type Handler = (req: Request, res: Response) => Promise<unknown>;

/** Answers the handler's value as JSON (200 unless it set another status); errors go to the error handler. */
function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    const format = req.params.format;
    if (format === 'xml') return sendOpen311Error(res, new Open311Error(400, 'Only the json format is supported: use .json instead of .xml.'));
    if (format !== 'json') return sendOpen311Error(res, new Open311Error(404, 'No such Open311 resource; this server speaks .json.'));
    handler(req, res).then((body) => res.json(body), next);
  };
}

/** The spec lets every call name the jurisdiction; this server has one. */
function checkJurisdiction(value: unknown): void {
  if (value !== undefined && value !== JURISDICTION_ID) throw new Open311Error(404, `jurisdiction_id not found; this server serves ${JURISDICTION_ID}.`);
}

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), JSON only. Reading is public and
 * carries no personal data; creating a request needs an api_key and goes the WhatsApp path.
 */
export function open311Router(deps: ApiDeps, options: { authFailureLimit: number }): Router {
  const router = Router();
  // An invalid api_key answers 403 here; reading stays open to everyone.
  router.use(
    failedAuthLimiter({
      limit: options.authFailureLimit,
      failureStatus: 403,
      methods: ['POST'],
      tooMany: (res) => sendOpen311Error(res, new Open311Error(429, 'Too many requests with an invalid api_key; try again later.')),
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 }));
  router.use(express.json({ limit: '100kb' }));

  router.get(
    '/discovery.:format',
    route(async () => discoveryDocument(deps.publicBaseUrl, OPEN311_BASE)),
  );

  router.get(
    '/services.:format',
    route(async (req) => {
      checkJurisdiction(req.query.jurisdiction_id);
      return serviceList();
    }),
  );

  router.get(
    '/services/:code.:format',
    route(async (req) => {
      checkJurisdiction(req.query.jurisdiction_id);
      const code = String(req.params.code);
      if (!isServiceCode(code)) throw new Open311Error(404, 'service_code not found; see services.json.');
      return serviceDefinition(code);
    }),
  );

  router.get(
    '/requests.:format',
    route(async (req) => {
      checkJurisdiction(req.query.jurisdiction_id);
      return findRequests(deps.db, parseRequestFilter(req.query, deps.clock()));
    }),
  );

  router.get(
    '/requests/:id.:format',
    route(async (req) => {
      checkJurisdiction(req.query.jurisdiction_id);
      const id = String(req.params.id);
      const found = TICKET_CODE_PATTERN.test(id) ? await findRequests(deps.db, { ids: [id] }) : [];
      if (found.length === 0) throw new Open311Error(404, 'service_request_id not found.');
      return found;
    }),
  );

  router.post(
    '/requests.:format',
    route(async (req, res) => {
      const fields = flattenFields(req.body);
      // In the body only, as the spec has it: keys in URLs end up in logs.
      const auth = await authenticateApiKey(deps, fields.api_key);
      const submission = validateSubmission(fields);
      const { ticketCode } = await createServiceRequest(deps, auth, submission);
      res.status(201);
      return [{ service_request_id: ticketCode, service_notice: SERVICE_NOTICE }];
    }),
  );

  router.use((_req, res) => sendOpen311Error(res, new Open311Error(404, 'No such Open311 resource.')));
  router.use(open311ErrorHandler(deps.logger));
  return router;
}
