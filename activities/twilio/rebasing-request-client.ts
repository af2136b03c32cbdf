// Points the real twilio SDK at another server (a local fake in tests, a recording proxy in
// staging) without replacing the SDK: only the origin of each request changes, so everything
// the SDK builds — path, query, form body, basic auth, headers — is exercised exactly as in
// production.
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

/** api.twilio.com and every other Twilio host (regional/edge API hosts such as api.sydney.us1.twilio.com). */
export function isTwilioHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'twilio.com' || host.endsWith('.twilio.com');
}

/**
 * Moves a Twilio URL onto `baseUrl`, keeping its path and query. A path on the base URL is kept
 * as a prefix (e.g. `http://proxy:8080/twilio`). URLs on other hosts are returned unchanged so
 * that third-party URLs never get sent to the base server by accident.
 */
export function rebaseTwilioUrl(uri: string, baseUrl: string | URL): string {
  const url = new URL(uri);
  if (!isTwilioHost(url.hostname)) return uri;
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${url.pathname}${url.search}`;
}

/** Use as `twilio(sid, token, { httpClient: new RebasingRequestClient('http://127.0.0.1:4010') })`. */
export class RebasingRequestClient extends twilio.RequestClient {
  readonly baseUrl: string;

  constructor(baseUrl: string, opts?: RequestClient.RequestClientOptions) {
    super(opts);
    // Validate eagerly: a bad base URL should fail at start-up, not on the first message.
    this.baseUrl = new URL(baseUrl).href;
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rebaseTwilioUrl(opts.uri, this.baseUrl) });
  }
}
