// `npm run feed -- <file.eml|file.mbox|Maildir> [more…] [--no-wait]`: feeds local mail through the same
// pipeline as Gmail (one feed workflow per message; a message fed twice is processed once), then
// waits for the results and prints each message's priority. Needs Paprika running (`npm start`).
import { ConfigError, loadConfig } from '../src/config';
import { PaprikaClient } from '../src/temporal/app-client';
import { readMailbox } from '../src/mail/parse-mail';
import { isEmptyProfile } from '../src/shared/profile';
import { openStoreFor } from '../src/store';
import { connectClient } from '../src/temporal/connection';
import { waitForTemporal } from '../src/temporal/dev-server';

const WAIT_MS = 120_000;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const wait = !args.includes('--no-wait');
  const targets = args.filter((a) => !a.startsWith('--'));
  if (!targets.length) {
    console.error('Usage: npm run feed -- <file.eml|file.mbox|Maildir> [more…] [--no-wait]\nExample: npm run feed -- samples/inbox.mbox');
    return 2;
  }
  const config = loadConfig();
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  try {
    await waitForTemporal(address, config.temporal.namespace, 5_000);
  } catch {
    console.error(`Temporal is not reachable at ${address}. Start Paprika first (npm start), then run this again.`);
    return 1;
  }
  const client = await connectClient(config, address);
  const store = await openStoreFor(config);
  const paprika = new PaprikaClient(client, config, store);
  const started: { subject: string; from: string; workflowId: string; duplicate: boolean }[] = [];
  let failed = 0;
  try {
    for (const target of targets) {
      for await (const email of readMailbox(target, { onError: (e) => (failed++, console.error(`skipped a message: ${e.message}`)) })) {
        const r = await paprika.feeds.submitEmail(email);
        started.push({ subject: email.subject || '(no subject)', from: email.from.address, ...r });
      }
    }
    const fresh = started.filter((s) => !s.duplicate).length;
    console.log(`Fed ${started.length} message(s) to user "${config.userId}": ${fresh} new, ${started.length - fresh} already seen${failed ? `, ${failed} unreadable` : ''}.`);

    if (wait && started.length) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((r) => {
        timer = setTimeout(() => r(undefined), WAIT_MS);
      });
      const rows: string[][] = [];
      for (const s of started) {
        const outcome = await Promise.race([paprika.feeds.outcome(s.workflowId), timeout]);
        rows.push([outcome?.priority ?? '(pending: is the worker running?)', outcome ? (outcome.notified ? 'notified' : 'filed') : '', s.from, s.subject.slice(0, 60)]);
      }
      clearTimeout(timer);
      const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 8));
      for (const r of rows) console.log(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`);
    }

    // A first import is the first real mail a new user has: build the profile from it.
    if (isEmptyProfile((await store.profile.get(config.userId)).profile)) {
      if (await paprika.feeds.startImportProfile(String(Date.now()))) console.log('Building your profile from this mail (see GET /api/profile).');
    }
    return 0;
  } finally {
    await store.close();
    await client.connection.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `feed failed: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
