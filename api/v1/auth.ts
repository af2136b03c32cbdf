import type { RequestHandler } from 'express';
import type { Db } from '../../db/connect';
import { authenticateToken } from '../../services/api-tokens';
import { HttpProblem, sendProblem } from '../http/problem';
import type { AuthContext } from '../http/route';

/** Reads `Authorization: Bearer <token>` and sets res.locals.auth, or answers 401. */
export function bearerAuth(db: Db): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match) return unauthorized(res, 'A bearer token is required.');
    authenticateToken(db, match[1])
      .then((token) => {
        if (!token || token.role === 'open311') return unauthorized(res, 'The bearer token is not valid or has been revoked.');
        const auth: AuthContext = { tokenId: token.id, name: token.name, role: token.role, opdUnitId: token.opd_unit_id };
        res.locals.auth = auth;
        next();
      })
      .catch(next);
  };
}

function unauthorized(res: Parameters<RequestHandler>[1], detail: string) {
  res.set('WWW-Authenticate', 'Bearer realm="lapor-kand4"');
  sendProblem(res, new HttpProblem(401, detail));
}
