import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details: the one shape of every error the API answers. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Validation: what was wrong where. */
  errors?: Array<{ path: string; message: string }>;
}

export const PROBLEM_TYPES = {
  validation: 'https://lapor.probolinggokab.go.id/problems/validation',
  actionRefused: 'https://lapor.probolinggokab.go.id/problems/action-refused',
  rateLimited: 'https://lapor.probolinggokab.go.id/problems/rate-limited',
} as const;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail?: string,
    readonly extra: Partial<Pick<ProblemBody, 'type' | 'errors' | 'title'>> = {},
  ) {
    super(detail ?? STATUS_CODES[status] ?? 'Error');
    this.name = 'HttpProblem';
  }

  toBody(): ProblemBody {
    return {
      type: this.extra.type ?? 'about:blank',
      title: this.extra.title ?? STATUS_CODES[this.status] ?? 'Error',
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
    };
  }
}

export const notFound = (detail?: string) => new HttpProblem(404, detail);
export const forbidden = (detail?: string) => new HttpProblem(403, detail);
export const badRequest = (detail: string) => new HttpProblem(400, detail);
/** A state rule refused the request (e.g. the complaint workflow's validator). */
export const conflict = (detail: string) => new HttpProblem(409, detail, { type: PROBLEM_TYPES.actionRefused, title: 'Action refused' });

export function sendProblem(res: Response, problem: HttpProblem): void {
  res.status(problem.status).type('application/problem+json').json(problem.toBody());
}

/**
 * The last error handler: known problems as they are, body-parser's errors by their status,
 * everything else as a bare 500 (logged by name only: messages may carry personal data).
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpProblem) return sendProblem(res, err);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) logger.error({ err: { name: err?.name, type: err?.type }, method: req.method, path: req.route?.path ?? req.path }, 'Request failed');
    const detail =
      err?.type === 'entity.too.large' ? 'The request body is too large.' : err?.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : undefined;
    sendProblem(res, new HttpProblem(status, detail));
  };
}
