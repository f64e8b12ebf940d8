import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

async function seedCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // DATABASE_URL and DATA_DIR point nowhere usable: these runs must stop before opening a database.
  const child = spawn(process.execPath, ['--import', 'tsx', 'data/seed-cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DATA_DIR: '/nonexistent/city-ops' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('npm run seed', () => {
  it('explains every option with --help, and exits 0 without touching a database', async () => {
    const { code, stdout, stderr } = await seedCli('--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^usage: npm run seed/);
    for (const option of ['--scale N', '--seed N', '--replace', '-h, --help', 'DATABASE_URL', 'DATA_DIR', '20260630']) {
      expect(stdout).toContain(option);
    }
    expect(stdout.split('\n').length).toBeLessThan(20);
  });

  it('names an unknown option and shows the usage line', async () => {
    const { code, stderr } = await seedCli('--scael', '2');
    expect(code).toBe(1);
    expect(stderr).toBe(`Unknown option '--scael'\nusage: npm run seed [-- --scale N --seed N --replace]\n`);
  });
});
