import { afterAll, beforeAll } from 'vitest';

/**
 * For the suite: the SDK's default provider chain finds this access key in the environment, and nothing else (no
 * profile files, no instance metadata); the environment is put back afterwards.
 */
export function useTestAwsCredentials(accessKeyId: string): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
  });
  afterAll(() => {
    process.env = saved;
  });
}
