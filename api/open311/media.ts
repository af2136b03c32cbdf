// Evidence named by an Open311 media_url: fetched by us, from a URL a client chose. So it is
// fetched without credentials, only over http(s), within the size limit, and never from hosts
// inside our own network (SSRF): every hop of a redirect is checked too. (fetch resolves the name
// again after the check; a host that changes its DNS answer in between is not caught here.)
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { sql } from 'kysely';
import { downloadTwilioMedia, MediaTooLargeError, MediaTypeNotAllowedError, MediaUnavailableError } from '../../activities/media/download';
import type { MediaStorage } from '../../activities/media/storage';
import type { Db } from '../../db/connect';
import type { EvidenceRef } from '../../domain/report';
import { Open311Error } from './errors';

const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');
}

/** True for loopback, private, link-local and other addresses that are not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE_RANGES.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:127.0.0.1) and NAT64 (64:ff9b::7f00:1) addresses reach IPv4 hosts.
  const embedded = embeddedIpv4(lower);
  if (embedded) return PRIVATE_RANGES.check(embedded, 'ipv4');
  return PRIVATE_RANGES.check(lower, 'ipv6');
}

function embeddedIpv4(ipv6: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(ipv6);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ipv6);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export class PrivateHostError extends Error {
  override readonly name = 'PrivateHostError';
}

export type ResolveHost = (hostname: string) => Promise<string[]>;

const resolveWithDns: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** Refuses a URL whose host is, or resolves to, any private address. */
export async function assertPublicHost(url: URL, resolve: ResolveHost = resolveWithDns): Promise<void> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(hostname)) {
    addresses = [hostname];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch {
      throw new MediaUnavailableError('media host could not be resolved');
    }
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new PrivateHostError('media host is not on the public internet');
}

export interface EvidenceDeps {
  db: Db;
  storage: MediaStorage;
  clock: () => Date;
  maxBytes: number;
  allowPrivateHosts: boolean;
  resolve?: ResolveHost;
}

/**
 * Fetches and stores the evidence once per submission: the media ID derives from the submission
 * key, so a retried POST finds the row it stored before. Answers 400 for what the client must fix.
 */
export async function saveOpen311Evidence(deps: EvidenceDeps, mediaUrl: string, submissionKey: string): Promise<EvidenceRef> {
  const id = uuidFrom(`${submissionKey}:media:0`);
  const existing = await deps.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (existing) return { mediaId: existing.id, contentType: existing.content_type, sizeBytes: existing.size_bytes };

  const file = await download(deps, mediaUrl);
  const now = deps.clock();
  // The same scheme as WhatsApp evidence (saveEvidence in activities/index.ts).
  const storageKey = `evidence/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
  await deps.storage.put(storageKey, file.data, file.contentType);
  await deps.db
    .insertInto('media')
    .values({
      id,
      // No WhatsApp message behind Open311 evidence (the column is nullable since 20261206T0400).
      inbound_message_id: sql<number>`null`,
      media_index: 0,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      storage_key: storageKey,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return { mediaId: id, contentType: file.contentType, sizeBytes: file.sizeBytes };
}

async function download(deps: EvidenceDeps, mediaUrl: string) {
  let url: URL;
  try {
    url = new URL(mediaUrl);
  } catch {
    throw new Open311Error(400, 'media_url is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Open311Error(400, 'media_url must be an http or https URL.');
  if (url.username || url.password) throw new Open311Error(400, 'media_url must not carry credentials.');
  // The download wraps errors of a hop in its own; this remembers that a hop was refused.
  let refused = false;
  const check = async (target: URL) => {
    if (deps.allowPrivateHosts) return;
    try {
      await assertPublicHost(target, deps.resolve);
    } catch (err) {
      refused = err instanceof PrivateHostError;
      throw err;
    }
  };
  try {
    await check(url);
    return await downloadTwilioMedia(url.href, {
      maxBytes: deps.maxBytes,
      timeoutMs: 20_000,
      // Redirects are followed hop by hop through here, so each new host is checked as well.
      fetchImpl: async (input, init) => {
        await check(new URL(input instanceof Request ? input.url : String(input)));
        return fetch(input, init);
      },
    });
  } catch (err) {
    if (refused) throw new Open311Error(400, 'media_url must point to a public host.');
    if (err instanceof MediaTooLargeError) throw new Open311Error(400, `media_url is larger than ${Math.floor(deps.maxBytes / 1024 / 1024)} MB.`);
    if (err instanceof MediaTypeNotAllowedError) throw new Open311Error(400, 'media_url must be a photo or a video.');
    if (err instanceof MediaUnavailableError) throw new Open311Error(400, 'media_url could not be fetched.');
    // A network failure or a server error there: the client may retry.
    throw new Open311Error(400, 'media_url could not be downloaded; try again later.');
  }
}

/** A UUID (version 8, name-based) from SHA-256, so the same name always gives the same ID. */
function uuidFrom(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
