import type { ApiRole } from '../../db/schema';
import { createToken } from '../../services/api-tokens';
import type { TestStack } from './runtime';

/** A fresh bearer token of a role (an 'opd' token needs the OPD's code). */
export async function issueToken(stack: TestStack, role: ApiRole, opdCode?: string): Promise<string> {
  const { token } = await createToken(stack.runtime.db, { name: `test ${role}${opdCode ? ` ${opdCode}` : ''}`, role, opdCode });
  return token;
}

export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the running API with a bearer token; JSON bodies are parsed, others returned as text. */
export async function callApi<T = any>(
  stack: TestStack,
  token: string | undefined,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${stack.runtime.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, headers: response.headers, body: body as T };
}
