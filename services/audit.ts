import type { Db } from '../db/connect';
import * as auditRepo from '../db/repositories/audit';
import type { AuthContext } from '../api/http/route';

/** Writes who did what to the audit log. `details` name what was touched, never personal data. */
export function audit(
  db: Db,
  auth: AuthContext | 'cli',
  entry: { action: string; resourceType: string; resourceId?: string | number | null; details?: Record<string, unknown> },
): Promise<void> {
  return auditRepo.insertAuditEntry(db, {
    tokenId: auth === 'cli' ? null : auth.tokenId,
    actor: auth === 'cli' ? 'cli' : `token:${auth.tokenId}`,
    role: auth === 'cli' ? 'admin' : auth.role,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId === undefined || entry.resourceId === null ? null : String(entry.resourceId),
    details: entry.details,
  });
}
