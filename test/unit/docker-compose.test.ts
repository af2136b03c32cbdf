import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here, so the production-like stack is checked by its structure.

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'));
const configVariables = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_WHATSAPP_FROM', 'PUBLIC_BASE_URL', 'PII_ENCRYPTION_KEY'];

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal on PostgreSQL, the Temporal UI, the API and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'temporal', 'temporal-ui', 'worker']);
    expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(compose.services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('gives every service a health check and waits for healthy dependencies', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
      for (const dependency of Object.values<any>(service.depends_on ?? {})) expect(dependency.condition, name).toBe('service_healthy');
    }
  });

  it('builds the API and the worker from the Dockerfile with their roles and full configuration', () => {
    for (const [name, role] of [['api', '--role=api'], ['worker', '--role=worker']]) {
      const service = compose.services[name];
      expect(service.build).toBe('.');
      expect(service.command).toContain(role);
      expect(Object.keys(service.environment)).toEqual(expect.arrayContaining(configVariables));
      expect(service.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(service.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    }
  });

  it('publishes the API, Temporal and UI ports', () => {
    expect(compose.services.api.ports).toContain('3000:3000');
    expect(compose.services.temporal.ports).toContain('7233:7233');
    expect(compose.services['temporal-ui'].ports).toContain('8233:8080');
    expect(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')).toMatch(/^FROM node:20/m);
  });
});
