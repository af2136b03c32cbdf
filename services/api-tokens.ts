import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect';
import * as tokensRepo from '../db/repositories/api-tokens';
import * as opdRepo from '../db/repositories/opd';
import type { ApiRole, ApiToken } from '../db/schema';
import { audit } from './audit';

/** Tokens read 'lk4_' and 43 base64url characters (256 random bits); the prefix makes leaks greppable. */
const TOKEN_PREFIX = 'lk4_';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

/** Creates a token and returns it in clear: the only time it is ever shown. */
export async function createToken(db: Db, input: { name: string; role: ApiRole; opdCode?: string }): Promise<{ token: string; record: ApiToken }> {
  const name = input.name.trim();
  if (!name) throw new TokenError('A token needs a name (who or what uses it).');
  let opdUnitId: number | null = null;
  if (input.role === 'opd') {
    if (!input.opdCode) throw new TokenError('An opd token needs --opd <code> (the OPD it acts for).');
    const unit = await opdRepo.findUnitByCode(db, input.opdCode);
    if (!unit) throw new TokenError(`No OPD with code ${input.opdCode}.`);
    opdUnitId = unit.id;
  } else if (input.opdCode) {
    throw new TokenError('--opd is only for opd tokens.');
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record = await tokensRepo.insertToken(db, { name, role: input.role, opdUnitId, tokenHash: hashToken(token) });
  await audit(db, 'cli', { action: 'token.create', resourceType: 'api_token', resourceId: record.id, details: { role: input.role, opdUnitId } });
  return { token, record };
}

export async function revokeToken(db: Db, id: number): Promise<void> {
  if (!(await tokensRepo.revokeToken(db, id))) throw new TokenError(`No active token with id ${id}.`);
  await audit(db, 'cli', { action: 'token.revoke', resourceType: 'api_token', resourceId: id });
}

/** The token behind an Authorization header's value, or undefined. */
export async function authenticateToken(db: Db, token: string): Promise<ApiToken | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const record = await tokensRepo.findActiveByHash(db, hashToken(token));
  if (record) void tokensRepo.touchLastUsed(db, record.id).catch(() => {});
  return record;
}
