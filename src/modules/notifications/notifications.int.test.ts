import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, squash, type TestContext } from '../../testing/test-app.js';
import { remindProviders } from '../directory/directory-reminders.js';
import { MAX_TRIES, sendQueuedEmails, smtpMailer } from './mailer.js';

/** The inbox, provider reminders about stale entries, and e-mail through a real SMTP server. */

interface Received {
  from: string;
  to: string[];
  data: string;
}

let t: TestContext;
let smtp: SMTPServer;
let smtpUrl: string;
const received: Received[] = [];
let refuse = false;

beforeAll(async () => {
  t = await createTestApp();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse) return callback(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.close();
});

describe('reminding providers about stale entries', () => {
  it('sends each provider of the organisation one message listing its stale entries, once', async () => {
    expect(await remindProviders(t.database.db)).toBe(1); // the Men's Shed workshop
    expect(await remindProviders(t.database.db)).toBe(0);
    const shed = await signedInAs(t.app, 'provider', 1);
    const home = squash((await shed.get('/provider')).body);
    expect(home).toContain('Messages (1 new)');
    const inbox = await shed.get('/messages');
    const id = /href="\/messages\/([0-9a-f-]{36})">A directory entry needs checking</.exec(inbox.body)![1]!;
    const message = squash((await shed.get(`/messages/${id}`)).body);
    expect(message).toMatch(/Shed workshop mornings \(last checked \d{1,2} [A-Z][a-z]+ \d{4}\)/);
    expect(message).toContain('href="/provider"');
    expect(squash((await shed.get('/provider')).body)).not.toContain('new)');
    // Nobody else can open it.
    const choir = await signedInAs(t.app, 'provider');
    expect((await choir.get(`/messages/${id}`)).statusCode).toBe(404);
    expect(squash((await choir.get('/messages')).body)).toContain('You have no messages.');
  });
});

describe('e-mail', () => {
  it('delivers queued messages through SMTP with a link back and nothing else about anyone', async () => {
    const sent = await sendQueuedEmails(t.database.db, smtpMailer(smtpUrl, 'Anchorpoint <no-reply@anchorpoint.test>'), 'https://anchorpoint.example');
    expect(sent).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['provider.shed@demo.anchorpoint.test']);
    expect(received[0]!.data).toContain('Subject: A directory entry needs checking');
    expect(received[0]!.data).toContain('https://anchorpoint.example/provider');
    expect(received[0]!.data).toContain('Shed workshop mornings');
    // Sent once only.
    expect(await sendQueuedEmails(t.database.db, smtpMailer(smtpUrl, 'no-reply@anchorpoint.test'), 'https://anchorpoint.example')).toBe(0);
  });

  it('keeps a refused message queued, retries a few times, then leaves the reason', async () => {
    const user = await t.database.db.selectFrom('app_user').select('id').where('email', '=', 'editor@demo.anchorpoint.test').executeTakeFirstOrThrow();
    await t.database.db.insertInto('notification').values({ user_id: user.id, kind: 'test', title: 'Test', body: 'Body', link: '/directory-editor' }).execute();
    refuse = true;
    for (let i = 0; i < MAX_TRIES + 2; i += 1) await sendQueuedEmails(t.database.db, smtpMailer(smtpUrl, 'no-reply@anchorpoint.test'), 'https://anchorpoint.example');
    refuse = false;
    const row = await t.database.db.selectFrom('notification').select(['emailed_at', 'email_tries', 'email_error']).where('kind', '=', 'test').executeTakeFirstOrThrow();
    expect(row).toEqual({ emailed_at: null, email_tries: MAX_TRIES, email_error: '550' });
  });
});
