// The test kit's mock LLM server (tests/examples/mock_server.rs) for
// JavaScript tests: built with cargo, started on a JSON script, stopped at the
// end. It answers model requests in order from the script, over real HTTP,
// and lets pages of any origin call it (CORS).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/lib/). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the mock server (a no-op when it is current) and returns its path. */
export function buildMockServer() {
  const build = spawnSync(
    'cargo',
    ['build', '--quiet', '--locked', '-p', 'code-mesh-test-support', '--example', 'mock_server'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (build.status !== 0) throw new Error('cargo could not build the mock LLM server (see above)');
  const metadata = spawnSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--locked'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (metadata.status !== 0) throw new Error(`cargo metadata failed: ${metadata.stderr}`);
  const exe = process.platform === 'win32' ? 'mock_server.exe' : 'mock_server';
  return join(JSON.parse(metadata.stdout).target_directory, 'debug', 'examples', exe);
}

/**
 * Starts the mock server answering `script` (the JSON array mock_server.rs
 * documents); resolves to `{ url, stop }` once it prints its base URL
 * (`http://127.0.0.1:PORT/v1`).
 */
export async function startMockServer(script, { binary = buildMockServer() } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'code-mesh-mock-'));
  const scriptFile = join(dir, 'script.json');
  writeFileSync(scriptFile, JSON.stringify(script, null, 2));
  const child = spawn(binary, [scriptFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (line) => resolve(line.trim()));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the mock LLM server exited (${code}) before printing its URL`)));
    });
    return { url, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
