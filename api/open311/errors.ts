import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

// GeoReport v2 answers errors as an array of { code, description }, not as problem details:
// Open311 clients expect that shape. Descriptions name fields, never their values.

export interface Open311ErrorItem {
  code: number;
  description: string;
}

export class Open311Error extends Error {
  readonly errors: Open311ErrorItem[];

  constructor(
    readonly status: number,
    descriptions: string | string[],
  ) {
    const list = Array.isArray(descriptions) ? descriptions : [descriptions];
    super(list.join('; '));
    this.name = 'Open311Error';
    this.errors = list.map((description) => ({ code: status, description }));
  }
}

export function sendOpen311Error(res: Response, error: Open311Error): void {
  res.status(error.status).json(error.errors);
}

/** The last handler of the Open311 router: body-parser errors by their status, the rest as 500. */
export function open311ErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof Open311Error) return sendOpen311Error(res, err);
    if (err?.type === 'entity.too.large') return sendOpen311Error(res, new Open311Error(413, 'The request body is too large.'));
    if (err?.type === 'entity.parse.failed') return sendOpen311Error(res, new Open311Error(400, 'The request body is not valid JSON.'));
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    // By name only: messages may carry personal data.
    if (status >= 500) logger.error({ err: { name: err?.name, type: err?.type }, method: req.method, path: req.route?.path ?? req.path }, 'Open311 request failed');
    sendOpen311Error(res, new Open311Error(status, status >= 500 ? 'Internal error; try again later.' : 'The request could not be processed.'));
  };
}
