// A real IMAP server for the tests: Debian's Dovecot, started in the foreground on a free
// loopback port with a throwaway configuration, passwd-file user and Maildir in a temp folder.
// Mail is delivered by APPEND, as any mail client would.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from '../../src/temporal/dev-server';
import { eventually } from './eventually';

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => fs.existsSync(p));

export interface TestImapServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** imap://user@127.0.0.1:port */
  url: string;
  append(raw: string): Promise<void>;
  /** UIDVALIDITY of the INBOX now. */
  uidValidity(): Promise<bigint>;
  /** Deletes the mailbox with the server stopped and starts again: a new UIDVALIDITY, like a restored server. */
  recreateMailbox(): Promise<void>;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function startImapServer(): Promise<TestImapServer> {
  if (!DOVECOT) throw new Error('Dovecot is not installed: the IMAP tests need it (apt-get install -y dovecot-imapd; .ci/run installs it)');
  // Directly under the system temp folder: Dovecot's unprivileged processes must reach it, and the
  // test run's own folder is private to us.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-imap-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const user = 'paprika';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const root = process.getuid?.() === 0;
  // Dovecot refuses to open mail as root: as root the mail belongs to nobody, otherwise to us.
  const me = os.userInfo();
  const [uid, gid, login] = root ? [65534, 65534, 'nobody'] : [me.uid, me.gid, me.username];
  const mailDir = path.join(dir, 'mail');
  fs.mkdirSync(mailDir);
  if (root) fs.chownSync(mailDir, uid, gid);
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = paprika-test-${port}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${login}
default_internal_user = ${login}
mail_location = maildir:${mailDir}/%u
first_valid_uid = ${Math.min(uid, 500)}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${mailDir}/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  try {
    execFileSync(DOVECOT, ['-n', '-c', conf], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`the test Dovecot configuration is invalid: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  }

  let proc: ChildProcess | undefined;
  const start = async () => {
    const p = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout?.on('data', (d) => (out += d));
    p.stderr?.on('data', (d) => (out += d));
    proc = p;
    await eventually(async () => {
      if (p.exitCode !== null) throw new Error(`dovecot exited with ${p.exitCode}: ${out}${fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : ''}`);
      return portOpen(port);
    }, 20_000, 'dovecot to listen');
  };
  const halt = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  };
  await start();

  const session = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: `imap://${user}@127.0.0.1:${port}`,
    append: (raw) => session(async (c) => void (await c.append('INBOX', raw))),
    uidValidity: () => session(async (c) => (await c.mailboxOpen('INBOX')).uidValidity),
    async recreateMailbox() {
      await halt();
      fs.rmSync(path.join(mailDir, user), { recursive: true, force: true });
      // UIDVALIDITY is derived from the clock in seconds: a new mailbox in the same second could repeat it.
      const before = Math.floor(Date.now() / 1000);
      await eventually(() => Math.floor(Date.now() / 1000) > before, 5000, 'the next second');
      await start();
    },
    async stop() {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small RFC 5322 message. */
export function rawMessage(m: { id: string; from: string; subject: string; text?: string }): string {
  return [
    `From: ${m.from}`,
    'To: Sam <sam@acme.example>',
    `Subject: ${m.subject}`,
    `Message-ID: <${m.id}>`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.text ?? 'Hello.',
    '',
  ].join('\r\n');
}
