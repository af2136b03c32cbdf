// A small stand-in for api.twilio.com, so tests drive the real twilio SDK (through
// RebasingRequestClient) and the real media download over real HTTP. It checks what Twilio
// checks — basic auth, the AccountSid in the path, form encoding — and answers in Twilio's
// JSON shapes, including its error shape { code, message, more_info, status } and its list shape
// { messages: [...], page, page_size, next_page_uri, ... }.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
}

/** One POST to Messages.json, with its form fields as Twilio names them. */
export interface RecordedMessage {
  sid: string;
  From?: string;
  To?: string;
  Body?: string;
  ContentSid?: string;
  ContentVariables?: string;
  StatusCallback?: string;
  MediaUrl: string[];
  dateCreated: Date;
}

export interface FakeFailure {
  status: number;
  code?: number;
  /** '{To}' is replaced by the request's To, as Twilio's own messages quote the number. */
  message?: string;
}

export interface AddMediaOptions {
  /** Where the 307 points: a second origin (default, like Twilio's storage) or this server. */
  storage?: 'cross-origin' | 'same-origin';
  /** Stream without Content-Length, to exercise limits enforced while reading. */
  chunked?: boolean;
}

export interface MediaRequest {
  server: 'api' | 'storage';
  path: string;
  hadAuthorization: boolean;
}

export interface FakeTwilio {
  /** Origin of the API server, e.g. http://127.0.0.1:43123 — pass as apiBaseUrl. */
  url: string;
  port: number;
  /** Origin of the second server that plays Twilio's media storage. */
  storageUrl: string;
  accountSid: string;
  sent: RecordedMessage[];
  mediaRequests: MediaRequest[];
  /**
   * Serves `data` at a media URL on the API server (returned). A leading '/' makes the argument
   * the full path; otherwise it is the Media SID, under a fresh Message SID. `contentType: null`
   * makes storage send no Content-Type.
   */
  addMedia(pathOrId: string, data: Buffer | string, contentType: string | null, options?: AddMediaOptions): string;
  /** The next `count` message creations answer with this error instead. */
  failNext(count: number, failure: FakeFailure): void;
  /**
   * The next message creation is accepted (recorded, listed) at once but answered only after
   * `ms`: a sender that gives up meanwhile has sent a message without knowing its SID.
   */
  delayNext(ms: number): void;
  waitForMessages(n: number, timeoutMs?: number): Promise<RecordedMessage[]>;
  reset(): void;
  stop(): Promise<void>;
}

interface StoredMedia {
  data: Buffer;
  contentType: string | null;
  chunked: boolean;
}

const API_VERSION = '2010-04-01';

export async function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const expectedAuth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  const accountPrefix = `/${API_VERSION}/Accounts/${opts.accountSid}/`;

  const sent: RecordedMessage[] = [];
  const mediaRequests: MediaRequest[] = [];
  const failures: FakeFailure[] = [];
  const answerDelays: number[] = [];
  const mediaRedirects = new Map<string, string>(); // API media path → storage URL
  const stored = new Map<string, StoredMedia>(); // storage token → content
  let waiters: Array<() => void> = [];

  const storageServer = http.createServer((req, res) => {
    handleStorage(req, res, 'storage');
  });
  const apiServer = http.createServer((req, res) => {
    handleApi(req, res).catch((err: unknown) => {
      sendError(res, 500, 20500, `fake twilio crashed: ${String(err)}`);
    });
  });
  const [port, storagePort] = await Promise.all([listen(apiServer), listen(storageServer)]);
  const url = `http://127.0.0.1:${port}`;
  const storageUrl = `http://127.0.0.1:${storagePort}`;

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname;
    if (path.startsWith('/media-store/')) return handleStorage(req, res, 'api');

    if (req.headers.authorization !== expectedAuth) return sendError(res, 401, 20003, 'Authenticate');
    if (!path.startsWith(accountPrefix)) return notFound(res, path);
    const rest = path.slice(accountPrefix.length);

    if (req.method === 'POST' && rest === 'Messages.json') return createMessage(req, res);
    if (req.method === 'GET' && rest === 'Messages.json') return listMessages(req, res);

    const fetched = /^Messages\/(SM[0-9a-f]{32})\.json$/.exec(rest);
    if (req.method === 'GET' && fetched) {
      const message = sent.find((m) => m.sid === fetched[1]);
      return message ? sendJson(res, 200, messageResource(message)) : notFound(res, path);
    }

    const redirect = mediaRedirects.get(path);
    if (req.method === 'GET' && redirect) {
      mediaRequests.push({ server: 'api', path, hadAuthorization: true });
      res.writeHead(307, { location: redirect }).end();
      return;
    }
    notFound(res, path);
  }

  async function createMessage(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return sendError(res, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await readBody(req));
    const field = (name: string) => form.get(name) ?? undefined;

    const failure = failures.shift();
    if (failure) {
      const message = (failure.message ?? `Fake failure ${failure.status}`).replace('{To}', field('To') ?? '');
      return sendError(res, failure.status, failure.code ?? failure.status * 100, message);
    }
    if (!field('To')) return sendError(res, 400, 21604, "A 'To' phone number is required.");
    if (!field('From')) return sendError(res, 400, 21603, "A 'From' phone number is required.");
    if (!field('Body') && !field('ContentSid') && !form.has('MediaUrl')) {
      return sendError(res, 400, 21619, 'A text message body or media urls must be specified.');
    }

    const message: RecordedMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      From: field('From'),
      To: field('To'),
      Body: field('Body'),
      ContentSid: field('ContentSid'),
      ContentVariables: field('ContentVariables'),
      StatusCallback: field('StatusCallback'),
      MediaUrl: form.getAll('MediaUrl'),
      dateCreated: new Date(),
    };
    sent.push(message);
    waiters.forEach((wake) => wake());
    const delay = answerDelays.shift();
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    sendJson(res, 201, messageResource(message));
  }

  /**
   * The outgoing messages, newest first, filtered the way Twilio filters (To, From, and DateSent
   * with the SDK's 'DateSent>' / 'DateSent<' meaning on or after / on or before), in Twilio's
   * page shape. Listed messages have been sent, so they carry a date_sent.
   */
  function listMessages(req: http.IncomingMessage, res: http.ServerResponse): void {
    const query = new URL(req.url ?? '/', url).searchParams;
    const after = query.get('DateSent>');
    const before = query.get('DateSent<');
    const pageSize = Number(query.get('PageSize') ?? 50);
    const matching = sent
      .filter((m) => !query.has('To') || m.To === query.get('To'))
      .filter((m) => !query.has('From') || m.From === query.get('From'))
      .filter((m) => !after || m.dateCreated.getTime() >= Date.parse(after))
      .filter((m) => !before || m.dateCreated.getTime() <= Date.parse(before))
      .reverse()
      .slice(0, pageSize);
    const uri = `${accountPrefix}Messages.json`;
    sendJson(res, 200, {
      messages: matching.map((m) => ({ ...messageResource(m), status: 'sent', date_sent: rfc2822(m.dateCreated) })),
      end: Math.max(matching.length - 1, 0),
      first_page_uri: `${uri}?PageSize=${pageSize}&Page=0`,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri: `${uri}?PageSize=${pageSize}&Page=0`,
    });
  }

  function handleStorage(req: http.IncomingMessage, res: http.ServerResponse, server: 'api' | 'storage'): void {
    const path = new URL(req.url ?? '/', url).pathname;
    const hadAuthorization = req.headers.authorization !== undefined;
    mediaRequests.push({ server, path, hadAuthorization });
    // Real storage URLs are pre-signed; a client that still sends Authorization here would be
    // leaking the account's credentials to a third party.
    if (hadAuthorization) return sendJson(res, 400, { message: 'Authorization header not allowed on media storage' });
    const media = path.startsWith('/media-store/') ? stored.get(path.slice('/media-store/'.length)) : undefined;
    if (!media) return notFound(res, path);

    const headers: http.OutgoingHttpHeaders = media.contentType ? { 'content-type': media.contentType } : {};
    if (media.chunked) {
      res.writeHead(200, headers); // no Content-Length: Node sends it chunked
      const half = Math.ceil(media.data.length / 2);
      res.write(media.data.subarray(0, half));
      res.end(media.data.subarray(half));
    } else {
      res.writeHead(200, { ...headers, 'content-length': media.data.length }).end(media.data);
    }
  }

  function messageResource(m: RecordedMessage) {
    const uri = `${accountPrefix}Messages/${m.sid}.json`;
    const date = rfc2822(m.dateCreated);
    return {
      account_sid: opts.accountSid,
      api_version: API_VERSION,
      body: m.Body ?? '',
      date_created: date,
      date_sent: null,
      date_updated: date,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: m.From,
      messaging_service_sid: null,
      num_media: String(m.MediaUrl.length),
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: 'queued',
      subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
      to: m.To,
      uri,
    };
  }

  return {
    url,
    port,
    storageUrl,
    accountSid: opts.accountSid,
    sent,
    mediaRequests,

    addMedia(pathOrId, data, contentType, options = {}) {
      const path = pathOrId.startsWith('/')
        ? pathOrId
        : `${accountPrefix}Messages/MM${randomBytes(16).toString('hex')}/Media/${pathOrId}`;
      const token = randomBytes(16).toString('hex');
      stored.set(token, { data: Buffer.from(data), contentType, chunked: options.chunked ?? false });
      const storageOrigin = options.storage === 'same-origin' ? url : storageUrl;
      mediaRedirects.set(path, `${storageOrigin}/media-store/${token}`);
      return `${url}${path}`;
    },

    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },

    delayNext(ms) {
      answerDelays.push(ms);
    },

    waitForMessages(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sent.length < n) return;
          cleanup();
          resolve([...sent]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake twilio: expected ${n} messages within ${timeoutMs} ms, got ${sent.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
        };
        waiters.push(check);
        check();
      });
    },

    reset() {
      sent.length = 0;
      mediaRequests.length = 0;
      failures.length = 0;
      answerDelays.length = 0;
      mediaRedirects.clear();
      stored.clear();
    },

    async stop() {
      await Promise.all([close(apiServer), close(storageServer)]);
    },
  };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Clients keep connections alive (the SDK's agent, fetch's pool); don't wait for them.
    server.closeAllConnections();
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

function sendError(res: http.ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function notFound(res: http.ServerResponse, path: string): void {
  sendError(res, 404, 20404, `The requested resource ${path} was not found`);
}

/** Twilio's date format: 'Thu, 30 Jul 2015 20:12:31 +0000'. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}
