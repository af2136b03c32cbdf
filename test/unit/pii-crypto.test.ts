import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../app/payload-codec';
import { PiiCrypto } from '../../app/pii-crypto';

const crypto = new PiiCrypto(randomBytes(32));

describe('PiiCrypto', () => {
  it('encrypts with a fresh IV each time and decrypts back', () => {
    const a = crypto.encrypt('3513015508900001');
    const b = crypto.encrypt('3513015508900001');
    expect(a).not.toBe(b);
    expect(a).not.toContain('3513015508900001');
    expect(crypto.decrypt(a)).toBe('3513015508900001');
  });

  it('refuses a tampered ciphertext and another key', () => {
    const sealed = crypto.encrypt('Siti Aminah');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() => crypto.decrypt([v, iv, tag, flipped.toString('base64')].join('.'))).toThrow();
    expect(() => new PiiCrypto(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('hashes for look-ups per purpose, stable for one key', () => {
    expect(crypto.lookupHash('nik', '3513015508900001')).toBe(crypto.lookupHash('nik', '3513015508900001'));
    expect(crypto.lookupHash('nik', '123')).not.toBe(crypto.lookupHash('phone', '123'));
    expect(new PiiCrypto(randomBytes(32)).lookupHash('nik', '1')).not.toBe(crypto.lookupHash('nik', '1'));
  });

  it('names a conversation after a keyed hash, never the number', () => {
    const id = crypto.conversationWorkflowId('whatsapp:+6281234567890');
    expect(id).toMatch(/^conversation-[0-9a-f]{32}$/);
    expect(id).not.toContain('81234567890');
    expect(crypto.conversationWorkflowId('+6281234567890')).toBe(id);
  });
});

describe('EncryptionCodec', () => {
  it('round-trips Temporal payloads and hides their content', async () => {
    const codec = new EncryptionCodec(crypto.payloadKey);
    const payload = defaultPayloadConverter.toPayload({ body: 'NIK: 3513015508900001' });
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toContain('3513015508900001');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ body: 'NIK: 3513015508900001' });
  });
});
