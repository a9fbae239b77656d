import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE, createTestDatabase, type TestDatabase } from './testing/test-database.js';

/** The real start-up, as `npm start` runs it, in a child process. */

const TSX = path.resolve('node_modules/.bin/tsx');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(TSX, ['src/server.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, text: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for "${text}". Output:\n${started.output()}`);
    if (started.child.exitCode !== null) throw new Error(`Exited early with ${started.child.exitCode}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

let dataDir: string;
let pgDatabase: TestDatabase | undefined;
const databaseEnv = (): Record<string, string> => (pgDatabase?.url ? { DATABASE_URL: pgDatabase.url } : { DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anchorpoint-server-'));
  if (TEST_ENGINE === 'postgres') {
    pgDatabase = await createTestDatabase();
    await pgDatabase.database.close();
  }
});
afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Its own schema is dropped over a fresh owner connection (the pool was closed for the child processes).
  await pgDatabase?.drop();
});

describe('starting the server', () => {
  it('stops with a message naming the variable when configuration is wrong', async () => {
    const started = start({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('Configuration error: PORT must be a whole number, got "eighty"');
  });

  it('stops with a clear message when the database cannot be reached', async () => {
    const port = await freePort();
    const started = start({ DATABASE_URL: `postgres://anchorpoint@127.0.0.1:${port}/nowhere` });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain(`Could not connect to the database (PostgreSQL at 127.0.0.1:${port}/nowhere)`);
  });

  it('migrates, seeds the demo region, prints how to sign in, then shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const started = start({ PORT: String(port), ...databaseEnv() });
    await waitFor(started, 'Sign in at');
    expect(started.output()).toContain('Seeded the demo region');
    expect(started.output()).toContain('admin@demo.anchorpoint.test');
    expect(started.output()).toContain('password for all: demo-anchorpoint-2026');

    // A request in flight when the signal arrives: its headers and half its body are in, the rest comes after SIGTERM.
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    const body = 'email=someone%40example.org&password=not-the-password';
    socket.write(`POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    started.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.write(body.slice(10));
    await new Promise((resolve) => socket.once('close', resolve));
    // It was answered (refused for want of a CSRF token, as any such form would be), not cut off.
    expect(response).toMatch(/^HTTP\/1\.1 403 /);
    expect(await started.exited, started.output()).toBe(0);
    // And nothing new is accepted once it has stopped.
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('reuses the data on a second start and does not seed again', async () => {
    const port = await freePort();
    const started = start({ PORT: String(port), ...databaseEnv() });
    await waitFor(started, 'Sign in at');
    expect(started.output()).not.toContain('Seeded the demo region');
    expect(started.output()).not.toContain('Applied migrations');
    const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`);
    expect(signIn.status).toBe(200);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it.runIf(TEST_ENGINE === 'postgres')('runs several copies on one port with WEB_CONCURRENCY, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const started = start({ PORT: String(port), WEB_CONCURRENCY: '2', ...databaseEnv() });
    await waitFor(started, 'Sign in at');
    expect(started.output()).toContain('2 copies');
    expect(started.output().match(/Anchorpoint is running/g)).toHaveLength(1);
    // A new connection for each request (no keep-alive), so the primary hands each to the next copy in turn.
    const servedBy = () =>
      new Promise<string>((resolve, reject) =>
        http.get({ host: '127.0.0.1', port, path: '/health/live', agent: false }, (response) => {
          response.resume();
          response.on('end', () => resolve(String(response.headers['x-served-by'])));
        }).on('error', reject),
      );
    const copies = async () => new Set(await Promise.all(Array.from({ length: 12 }, servedBy)));
    const before = await copies();
    expect(before.size).toBe(2);

    // One copy crashes: another takes its place and the port keeps answering.
    process.kill(Number([...before][0]), 'SIGKILL');
    await waitFor(started, 'starting another');
    // The new copy answers once it has loaded, which takes a few seconds under load: ask until it does.
    let after = await copies();
    for (let tries = 0; after.size < 2 && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      after = await copies();
    }
    expect(after.size).toBe(2);
    expect(after.has([...before][0]!)).toBe(false);

    started.child.kill('SIGTERM');
    expect(await started.exited, started.output()).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });
});
