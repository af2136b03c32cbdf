import type { RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';

/**
 * Slows down guessing credentials: after `limit` answers with `failureStatus` to one address
 * within 15 minutes, that address is answered by `tooMany` (a 429) until the window passes.
 * Other answers do not count; `methods` limits which requests are watched at all.
 */
export function failedAuthLimiter(options: {
  limit: number;
  failureStatus: number;
  methods?: readonly string[];
  tooMany: (res: Response) => void;
}): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => options.methods !== undefined && !options.methods.includes(req.method),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== options.failureStatus,
    handler: (_req, res) => options.tooMany(res),
  });
}
