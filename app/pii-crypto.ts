import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data (NIK, phone, name, address, message texts) is stored encrypted with AES-256-GCM.
 * Look-ups use a keyed hash (HMAC-SHA256), so equal values can be found without decrypting.
 * Both keys, and the Temporal payload key, are derived from one master key, each for its own purpose.
 */
export class PiiCrypto {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;
  readonly payloadKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The PII master key must be 32 bytes');
    this.encryptionKey = derive(masterKey, 'lapor-kand4/pii-encryption');
    this.lookupKey = derive(masterKey, 'lapor-kand4/pii-lookup');
    this.payloadKey = derive(masterKey, 'lapor-kand4/temporal-payloads');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('Unrecognised encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }

  encryptNullable(plaintext: string | null | undefined): string | null {
    return plaintext == null ? null : this.encrypt(plaintext);
  }

  /** A keyed hash for look-ups; `purpose` keeps hashes of different kinds of data apart. */
  lookupHash(purpose: 'phone' | 'nik', value: string): string {
    return createHmac('sha256', this.lookupKey).update(`${purpose}:${value}`).digest('hex');
  }

  /** The conversation workflow ID of a WhatsApp sender: never the number itself. */
  conversationWorkflowId(whatsappAddress: string): string {
    return `conversation-${this.lookupHash('phone', normalisePhone(whatsappAddress)).slice(0, 32)}`;
  }

  /** The command desk workflow ID of a registered official, likewise. */
  officialDeskWorkflowId(whatsappAddress: string): string {
    return `official-${this.lookupHash('phone', normalisePhone(whatsappAddress)).slice(0, 32)}`;
  }
}

/** 'whatsapp:+62812…' and '+62812…' are the same person. */
export function normalisePhone(address: string): string {
  return address.trim().replace(/^whatsapp:/i, '');
}

function derive(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), purpose, 32));
}
