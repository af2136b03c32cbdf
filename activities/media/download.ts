// Fetches a citizen's photo or video from Twilio. Twilio answers the media URL with a redirect
// to short-lived storage on another host; our credentials must only ever go to Twilio itself.
import { createHash } from 'node:crypto';
import { isEvidenceContentType } from '../../domain/report';
import { rebaseTwilioUrl } from '../twilio/rebasing-request-client';

/** Errors that no retry will fix; activities turn these names into non-retryable failures. */
export const NON_RETRYABLE_MEDIA_ERRORS = ['MediaTooLargeError', 'MediaTypeNotAllowedError', 'MediaUnavailableError'] as const;
export type MediaErrorType = (typeof NON_RETRYABLE_MEDIA_ERRORS)[number];

abstract class MediaError extends Error {
  constructor(
    readonly type: MediaErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export class MediaTooLargeError extends MediaError {
  constructor(
    readonly maxBytes: number,
    /** From Content-Length, or the count at which streaming was cut off. */
    readonly sizeBytes: number,
  ) {
    super('MediaTooLargeError', `media exceeds ${maxBytes} bytes (at least ${sizeBytes})`);
  }
}

export class MediaTypeNotAllowedError extends MediaError {
  constructor(readonly contentType: string) {
    super('MediaTypeNotAllowedError', `media type not allowed as evidence: ${contentType || '(none)'}`);
  }
}

export class MediaUnavailableError extends MediaError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super('MediaUnavailableError', message);
  }
}

export interface DownloadMediaOptions {
  accountSid?: string;
  authToken?: string;
  maxBytes: number;
  /** The MediaContentType0.. the webhook declared; used when the response names no usable type. */
  declaredContentType?: string;
  /** Rebase api.twilio.com (and other *.twilio.com) URLs onto this origin, as the API client does. */
  apiBaseUrl?: string;
  /** Whole download, redirects included. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface DownloadedMedia {
  data: Buffer;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 30_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const GONE_STATUSES = new Set([401, 403, 404, 410]);

export async function downloadTwilioMedia(url: string, opts: DownloadMediaOptions): Promise<DownloadedMedia> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let authorization =
    opts.accountSid && opts.authToken
      ? `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`
      : undefined;

  let current = resolveUrl(url, opts.apiBaseUrl);
  for (let redirects = 0; ; redirects++) {
    const res = await request(fetchImpl, current, authorization, signal);

    if (REDIRECT_STATUSES.has(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new Error(`media redirect without Location (${shortUrl(current)})`);
      if (redirects >= MAX_REDIRECTS) throw new Error(`too many media redirects (${shortUrl(url)})`);
      const next = resolveUrl(new URL(location, current).href, opts.apiBaseUrl);
      // Storage URLs are pre-signed and need no auth; never hand our credentials to another
      // origin. Once dropped it stays dropped, even if a later hop comes back.
      if (next.origin !== current.origin) authorization = undefined;
      current = next;
      continue;
    }

    if (GONE_STATUSES.has(res.status)) {
      await res.body?.cancel();
      throw new MediaUnavailableError(`media unavailable: HTTP ${res.status} (${shortUrl(current)})`, res.status);
    }
    if (!res.ok) {
      await res.body?.cancel();
      // 5xx, 429 and the like: plain Error, so the activity retries.
      throw new Error(`media download failed: HTTP ${res.status} (${shortUrl(current)})`);
    }

    const contentType = pickContentType(res.headers.get('content-type'), opts.declaredContentType);
    if (!isEvidenceContentType(contentType)) {
      await res.body?.cancel();
      throw new MediaTypeNotAllowedError(contentType);
    }

    const declaredLength = Number(res.headers.get('content-length') ?? NaN);
    if (declaredLength > opts.maxBytes) {
      await res.body?.cancel();
      throw new MediaTooLargeError(opts.maxBytes, declaredLength);
    }

    const data = await readLimited(res, opts.maxBytes, current);
    return {
      data,
      contentType,
      sizeBytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
  }
}

function resolveUrl(url: string, apiBaseUrl: string | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(apiBaseUrl ? rebaseTwilioUrl(url, apiBaseUrl) : url);
  } catch {
    throw new MediaUnavailableError('media URL is not a valid URL');
  }
  // fetch would also read data: and blob: URLs; evidence only ever comes over HTTP.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new MediaUnavailableError(`unsupported media URL scheme ${parsed.protocol}`);
  }
  return parsed;
}

async function request(
  fetchImpl: typeof fetch,
  url: URL,
  authorization: string | undefined,
  signal: AbortSignal,
): Promise<Response> {
  try {
    return await fetchImpl(url, {
      headers: authorization ? { authorization } : {},
      redirect: 'manual', // followed by hand, to control where the Authorization header goes
      signal,
    });
  } catch (err) {
    // Not wrapped as `cause`: fetch errors can hold the request, credentials included.
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'network error';
    throw new Error(`media download failed: ${reason} (${shortUrl(url)})`);
  }
}

/** Storage often labels everything application/octet-stream; then the webhook's type is better. */
function pickContentType(header: string | null, declared: string | undefined): string {
  const fromResponse = header?.split(';')[0].trim().toLowerCase() ?? '';
  if (fromResponse && fromResponse !== 'application/octet-stream') return fromResponse;
  return declared?.split(';')[0].trim().toLowerCase() || fromResponse;
}

/** Content-Length can be missing (chunked) or wrong, so the limit is enforced on the bytes too. */
async function readLimited(res: Response, maxBytes: number, url: URL): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new MediaTooLargeError(maxBytes, total);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof MediaTooLargeError) throw err;
    throw new Error(`media download interrupted (${shortUrl(url)})`);
  }
  return Buffer.concat(chunks);
}

/**
 * 'api.twilio.com/…/ME0123…' — enough to find the media in logs, without the account SID in the
 * path or the signature in a storage URL's query string.
 */
export function shortUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    const last = parsed.pathname.split('/').filter(Boolean).pop() ?? '';
    return `${parsed.host}/…/${last.slice(0, 40)}`;
  } catch {
    return '(invalid url)';
  }
}
