import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      dataDir: './data',
      temporal: { address: undefined, namespace: 'default', taskQueue: 'lapor-kand4' },
      twilio: undefined,
      whatsappFrom: 'whatsapp:+6282131001001',
      databaseUrl: undefined,
      piiKey: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.temporal)).toBe(true);
  });

  it('reads a full production configuration', () => {
    const key = randomBytes(32);
    const config = loadConfig({
      DATABASE_URL: 'postgres://lapor@db:5432/lapor',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4010',
      PUBLIC_BASE_URL: 'https://lapor.probolinggokab.go.id/',
      PII_ENCRYPTION_KEY: key.toString('base64'),
      PORT: '8080',
    });
    expect(config.twilio).toEqual({ accountSid: `AC${'0'.repeat(32)}`, authToken: 'secret', apiBaseUrl: 'http://127.0.0.1:4010' });
    expect(config.publicBaseUrl).toBe('https://lapor.probolinggokab.go.id');
    expect(config.piiKey?.equals(key)).toBe(true);
    expect(config.port).toBe(8080);
  });

  it('keeps the admin API closed and careful by default, and reads its settings', () => {
    expect(loadConfig({}).api).toEqual({
      corsAllowedOrigins: [],
      authFailureLimit: 20,
      trustProxy: 'loopback',
      open311MediaAllowPrivateHosts: false,
    });
    expect(
      loadConfig({
        CORS_ALLOWED_ORIGINS: 'https://dasbor.probolinggokab.go.id, http://localhost:5173',
        API_AUTH_FAILURE_LIMIT: '5',
        TRUST_PROXY: '1',
        OPEN311_MEDIA_ALLOW_PRIVATE_HOSTS: 'true',
      }).api,
    ).toEqual({
      corsAllowedOrigins: ['https://dasbor.probolinggokab.go.id', 'http://localhost:5173'],
      authFailureLimit: 5,
      trustProxy: 1,
      open311MediaAllowPrivateHosts: true,
    });
  });

  it.each([
    ['TRUST_PROXY', 'true'],
    ['CORS_ALLOWED_ORIGINS', 'https://dasbor.example/path'],
    ['CORS_ALLOWED_ORIGINS', '*'],
    ['API_AUTH_FAILURE_LIMIT', '0'],
    ['OPEN311_MEDIA_ALLOW_PRIVATE_HOSTS', 'yes'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'http://temporal' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['TWILIO_ACCOUNT_SID', { TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'x' }],
    ['TWILIO_AUTH_TOKEN', { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }],
    ['TWILIO_WHATSAPP_FROM', { TWILIO_WHATSAPP_FROM: '+6282131001001' }],
    ['PII_ENCRYPTION_KEY', { PII_ENCRYPTION_KEY: 'c2hvcnQ=' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'not a url' }],
    ['TWILIO_CONTENT_SIDS', { TWILIO_CONTENT_SIDS: 'reminder=HX00' }],
    ['TWILIO_CONTENT_SIDS', { TWILIO_CONTENT_SIDS: '["HX0123456789abcdef0123456789abcdef"]' }],
    ['TWILIO_CONTENT_SIDS', { TWILIO_CONTENT_SIDS: '{"reminder":"HX123"}' }],
    ['TWILIO_CONTENT_SIDS', { TWILIO_CONTENT_SIDS: '{"reminder":"HX0123456789ABCDEF0123456789ABCDEF"}' }],
    ['TWILIO_CONTENT_SIDS', { TWILIO_CONTENT_SIDS: '{"birthday":"HX0123456789abcdef0123456789abcdef"}' }],
  ])('fails fast naming %s when it is wrong', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('reads the WhatsApp Content templates by message kind, frozen; none by default', () => {
    expect(loadConfig({}).templates).toEqual({});
    const reminder = `HX${'0123456789abcdef'.repeat(2)}`;
    const escalation = `HX${'fedcba9876543210'.repeat(2)}`;
    const config = loadConfig({ TWILIO_CONTENT_SIDS: JSON.stringify({ reminder, escalation }) });
    expect(config.templates).toEqual({ reminder, escalation });
    expect(Object.isFrozen(config.templates)).toBe(true);
  });
});
