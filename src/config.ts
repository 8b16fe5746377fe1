// The one configuration object, read from the environment once and validated with zod.
// A bad value stops the process with a message naming the variable.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { USER_ID } from './shared/ids';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Environment variable name → schema. Names are the public interface; keep them stable. */
const EnvSchema = z.object({
  PAPRIKA_PORT: port(5050),
  PAPRIKA_HOST: z.string().min(1).default('127.0.0.1'),
  PAPRIKA_DATA_DIR: z.string().min(1).default('./.data'),
  PAPRIKA_USER: z
    .string()
    .regex(USER_ID, 'letters, digits, _ . - only (it becomes part of workflow IDs)')
    .default('me'),
  PAPRIKA_API_TOKEN: optionalString,
  PAPRIKA_PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
  /** How long a page session lasts after logging in. */
  PAPRIKA_SESSION_HOURS: positiveInt(24 * 30),
  /** How long the one-time login link printed at start works. */
  PAPRIKA_LOGIN_LINK_MINUTES: positiveInt(60),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('paprika'),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_UI_URL: optionalString,
  PAPRIKA_TEMPORAL_PORT: port(7233),
  PAPRIKA_TEMPORAL_UI_PORT: port(8233),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.string().url().optional()),
  PAPRIKA_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** How long one model request may take before it counts as failed (a hanging endpoint). */
  PAPRIKA_MODEL_TIMEOUT_SECONDS: positiveInt(60),
  /** The longest a model's Retry-After is honoured; a larger one would stall a chat for hours. */
  PAPRIKA_MODEL_RETRY_AFTER_MAX_SECONDS: positiveInt(30),
  /** Consecutive model failures after which the breaker opens and answers at once. */
  PAPRIKA_MODEL_BREAKER_FAILURES: positiveInt(3),
  /** How long an open breaker waits before letting one request probe the model again. */
  PAPRIKA_MODEL_BREAKER_COOLDOWN_SECONDS: positiveInt(60),
  /** A chat answers within this long whatever the model does; the real reply follows as a message. */
  PAPRIKA_CHAT_DEADLINE_SECONDS: positiveInt(20),
  /** After a chat, background batches wait this long for a pause in the conversation (0: no wait). */
  PAPRIKA_BACKGROUND_QUIET_SECONDS: z.coerce.number().int().min(0).max(300).default(2),
  PAPRIKA_TURN_READS: positiveInt(4),
  PAPRIKA_TURN_READ_SECONDS: positiveInt(10),
  /** Events after which the assistant folds older ones into its running summary. */
  PAPRIKA_WINDOW_SIZE: positiveInt(24),
  PAPRIKA_AGENT_MAX_STEPS: positiveInt(12),
  PAPRIKA_MAX_TASKS_PER_USER: positiveInt(8),
  PAPRIKA_TASK_TIMEOUT_MINUTES: positiveInt(60),
  PAPRIKA_APPROVAL_TTL_HOURS: positiveInt(72),
  /** Days a follow-up waits for answers before it offers a nudge (fractions allowed, e.g. for tests). */
  PAPRIKA_FOLLOW_UP_DAYS: z.coerce.number().positive().max(365).default(3),
  PAPRIKA_HEARTBEAT_TIMEOUT_SECONDS: positiveInt(30),
  // Tuning (issue 15). Defaults suit one user on a laptop; see README "Configuration".
  /** Most feed events the assistant thinks about in one model call. */
  PAPRIKA_BATCH_SIZE: z.coerce.number().int().min(1).max(200).default(25),
  /** Queued events beyond which the lowest-priority ones are folded into one digest event. */
  PAPRIKA_QUEUE_MAX: z.coerce.number().int().min(2).max(100_000).default(200),
  /** Activities, and workflow tasks, one worker runs at once. */
  PAPRIKA_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(40),
  /** Start-to-close timeout of a store write (transcript, notifications, task rows). */
  PAPRIKA_ACTIVITY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  PAPRIKA_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Feeds and tools (issues 3 and 4).
  COMPOSIO_API_KEY: optionalString,
  COMPOSIO_BASE_URL: optionalString.pipe(z.string().url().optional()),
  COMPOSIO_WEBHOOK_SECRET: optionalString,
  COMPOSIO_AUTH_CONFIG_GMAIL: optionalString,
  COMPOSIO_AUTH_CONFIG_CALENDAR: optionalString,
  COMPOSIO_TOOLKIT_VERSIONS: optionalString, // e.g. "gmail=20250909_00,googlecalendar=20250909_00"
  /** JSON object: source name → HMAC secret for POST /api/feeds/webhook/:source. */
  PAPRIKA_WEBHOOK_SECRETS: optionalString,
  /** How new Gmail reaches Paprika: Composio's webhook (needs a public URL) or subscribe mode (a WebSocket). */
  PAPRIKA_FEED_MODE: z.enum(['webhook', 'subscribe']).default('webhook'),
  /** How often the Google Calendar feed looks for upcoming meetings. */
  PAPRIKA_CALENDAR_POLL_MINUTES: positiveInt(10),
  /** How often Gmail is searched for mail a webhook or the subscription missed (0: only at start). */
  PAPRIKA_GMAIL_CATCHUP_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  /** JSON array of MCP servers: [{name, command, args?, env?} | {name, url, headers?}]. */
  PAPRIKA_MCP_SERVERS: optionalString,
  PAPRIKA_WEB_FETCH_MAX_BYTES: positiveInt(1_000_000),
  PAPRIKA_WEB_FETCH_TIMEOUT_SECONDS: positiveInt(15),
  /** Let web_fetch reach loopback/private addresses (off: an email could steer an agent there). */
  PAPRIKA_WEB_FETCH_ALLOW_PRIVATE: bool(false),
  /** A prebuilt workflow bundle (scripts/bundle-workflows.ts) so a worker starts in a second. */
  PAPRIKA_WORKFLOW_BUNDLE: optionalString,
  /** Workflows a worker keeps in memory (sticky cache); ~0.3 MB per cached assistant under `npm run worker`'s heap flags (bench). */
  PAPRIKA_WORKFLOW_CACHE_SIZE: positiveInt(100),
  /** Folder of plugin modules (default <data dir>/plugins). */
  PAPRIKA_PLUGINS_DIR: optionalString,
  /** imaps://user@host[:port][/mailbox] (imap:// for a server without TLS, e.g. on loopback). */
  PAPRIKA_IMAP_URL: optionalString.pipe(z.string().regex(/^imaps?:\/\/[^@/\s]+@[^/\s]+(\/.*)?$/, 'expected imaps://user@host[:port][/mailbox]').optional()),
  PAPRIKA_IMAP_PASSWORD: optionalString,
  PAPRIKA_IMAP_PASSWORD_FILE: optionalString,
  // Security (issue 11).
  /** Base64 AES-256 key(s), comma-separated: the first encrypts, the rest only decrypt (rotation). */
  PAPRIKA_ENCRYPTION_KEY: optionalString,
  /** Days after which old stream events, read notifications, transcript and context items are pruned. */
  PAPRIKA_RETENTION_DAYS: positiveInt(90),
  /** full: a commit survives power loss; normal: faster, the last commits may be lost on power loss. */
  PAPRIKA_SQLITE_SYNC: z.enum(['full', 'normal']).default('full'),
  // Scale-out (issue 14).
  /** postgres://… puts the store in PostgreSQL (shared by several workers and APIs); unset: SQLite in the data directory. */
  PAPRIKA_DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// or postgresql:// URL (unset for the embedded SQLite store)')
      .optional(),
  ),
  /** Connections each process keeps to PostgreSQL. */
  PAPRIKA_DATABASE_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /** PEM files for mTLS to a Temporal cluster (both cert and key, optionally a CA). */
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
});

export type Env = z.infer<typeof EnvSchema>;

/** Every environment variable the config reads (docker-compose.yml passes each through; a test compares them). */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  userId: string;
  /** PAPRIKA_API_TOKEN; when unset, entries fill it in from <dataDir>/api-token (src/api-token.ts). */
  apiToken?: string;
  publicUrl: string;
  sessionHours: number;
  loginLinkMinutes: number;
  temporal: {
    /** Undefined means: start the embedded dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    cliPath?: string;
    workflowBundlePath?: string;
    /** The worker's sticky cache: more saves replays of returning users, each costs memory. */
    workflowCacheSize: number;
    devServerPort: number;
    devServerUiPort: number;
    uiUrl: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  };
  /** Where the store lives: PostgreSQL when `url` is set, else SQLite under dataDir. */
  database: { url?: string; pool: number };
  security: {
    /** Keys from PAPRIKA_ENCRYPTION_KEY; empty means the key file in the data directory. */
    encryptionKeys: string[];
    retentionDays: number;
    sqliteSync: Env['PAPRIKA_SQLITE_SYNC'];
  };
  model: {
    apiKey?: string;
    baseUrl?: string;
    name: string;
    timeoutSeconds: number;
    retryAfterMaxSeconds: number;
    breakerFailures: number;
    breakerCooldownSeconds: number;
    /** 'openai' when a key or base URL is given, otherwise the offline rules. */
    kind: 'openai' | 'offline';
  };
  limits: {
    windowSize: number;
    agentMaxSteps: number;
    maxTasksPerUser: number;
    taskTimeoutMinutes: number;
    approvalTtlHours: number;
    heartbeatTimeoutSeconds: number;
    chatDeadlineSeconds: number;
    backgroundQuietSeconds: number;
    /** Reads (search, recall, mail, calendar) the assistant may do within one chat turn before it must answer or delegate. */
    turnReads: number;
    turnReadSeconds: number;
    webFetchMaxBytes: number;
    webFetchTimeoutSeconds: number;
    webFetchAllowPrivate: boolean;
    followUpDays: number;
    batchSize: number;
    queueMax: number;
    activityTimeoutSeconds: number;
  };
  worker: { concurrency: number };
  composio: {
    apiKey?: string;
    baseUrl?: string;
    webhookSecret?: string;
    authConfigGmail?: string;
    authConfigCalendar?: string;
    toolkitVersions: Record<string, string>;
  };
  webhookSecrets: Record<string, string>;
  feeds: {
    mode: Env['PAPRIKA_FEED_MODE'];
    calendarPollMinutes: number;
    gmailCatchupMinutes: number;
  };
  mcpServers: McpServerConfig[];
  plugins: { dir: string };
  imap?: ImapConfig;
  logLevel: Env['PAPRIKA_LOG_LEVEL'];
}

export const McpServerConfig = z.union([
  z.object({
    name: z.string().regex(/^[a-z0-9_-]{1,40}$/i),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).optional(),
    safeTools: z.array(z.string()).default([]),
  }),
  z.object({
    name: z.string().regex(/^[a-z0-9_-]{1,40}$/i),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).optional(),
    safeTools: z.array(z.string()).default([]),
  }),
]);
export type McpServerConfig = z.infer<typeof McpServerConfig>;

export interface ImapConfig {
  secure: boolean;
  host: string;
  port: number;
  user: string;
  mailbox: string;
  password?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseJson<T>(name: string, raw: string | undefined, schema: z.ZodType<T>, fallback: T): T {
  if (raw === undefined) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`${name}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

function parseVersions(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const [toolkit, version] = part.split('=').map((s) => s.trim());
    if (!toolkit || !version) throw new ConfigError(`COMPOSIO_TOOLKIT_VERSIONS: expected "toolkit=version,…", got "${part}"`);
    out[toolkit.toLowerCase()] = version;
  }
  return out;
}

function parseImap(e: Env): ImapConfig | undefined {
  if (!e.PAPRIKA_IMAP_URL) return undefined;
  const url = new URL(e.PAPRIKA_IMAP_URL);
  let password = e.PAPRIKA_IMAP_PASSWORD;
  if (!password && e.PAPRIKA_IMAP_PASSWORD_FILE) {
    try {
      password = fs.readFileSync(e.PAPRIKA_IMAP_PASSWORD_FILE, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`Invalid configuration:\n  PAPRIKA_IMAP_PASSWORD_FILE: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const secure = url.protocol === 'imaps:';
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  return { secure, host: url.hostname, port: url.port ? Number(url.port) : secure ? 993 : 143, user: decodeURIComponent(url.username), mailbox, password };
}

/** Builds the config from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: give both (mTLS) or neither');
  }
  const embedded = !e.TEMPORAL_ADDRESS;
  const tlsGiven = e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_SERVER_NAME;
  const uiHost = e.PAPRIKA_HOST === '0.0.0.0' ? '127.0.0.1' : e.PAPRIKA_HOST;
  return {
    port: e.PAPRIKA_PORT,
    host: e.PAPRIKA_HOST,
    dataDir: path.resolve(e.PAPRIKA_DATA_DIR),
    userId: e.PAPRIKA_USER,
    apiToken: e.PAPRIKA_API_TOKEN,
    database: { url: e.PAPRIKA_DATABASE_URL, pool: e.PAPRIKA_DATABASE_POOL },
    publicUrl: e.PAPRIKA_PUBLIC_URL ?? `http://${uiHost}:${e.PAPRIKA_PORT}`,
    sessionHours: e.PAPRIKA_SESSION_HOURS,
    loginLinkMinutes: e.PAPRIKA_LOGIN_LINK_MINUTES,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      workflowBundlePath: e.PAPRIKA_WORKFLOW_BUNDLE,
      workflowCacheSize: e.PAPRIKA_WORKFLOW_CACHE_SIZE,
      devServerPort: e.PAPRIKA_TEMPORAL_PORT,
      devServerUiPort: e.PAPRIKA_TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL ?? (embedded ? `http://127.0.0.1:${e.PAPRIKA_TEMPORAL_UI_PORT}` : 'http://localhost:8080'),
      ...(tlsGiven
        ? { tls: { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY, caPath: e.TEMPORAL_TLS_CA, serverName: e.TEMPORAL_TLS_SERVER_NAME } }
        : {}),
    },
    security: {
      encryptionKeys: (e.PAPRIKA_ENCRYPTION_KEY ?? '').split(',').map((k) => k.trim()).filter(Boolean),
      retentionDays: e.PAPRIKA_RETENTION_DAYS,
      sqliteSync: e.PAPRIKA_SQLITE_SYNC,
    },
    model: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      name: e.PAPRIKA_MODEL,
      timeoutSeconds: e.PAPRIKA_MODEL_TIMEOUT_SECONDS,
      retryAfterMaxSeconds: e.PAPRIKA_MODEL_RETRY_AFTER_MAX_SECONDS,
      breakerFailures: e.PAPRIKA_MODEL_BREAKER_FAILURES,
      breakerCooldownSeconds: e.PAPRIKA_MODEL_BREAKER_COOLDOWN_SECONDS,
      kind: e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? 'openai' : 'offline',
    },
    limits: {
      windowSize: e.PAPRIKA_WINDOW_SIZE,
      agentMaxSteps: e.PAPRIKA_AGENT_MAX_STEPS,
      maxTasksPerUser: e.PAPRIKA_MAX_TASKS_PER_USER,
      taskTimeoutMinutes: e.PAPRIKA_TASK_TIMEOUT_MINUTES,
      approvalTtlHours: e.PAPRIKA_APPROVAL_TTL_HOURS,
      heartbeatTimeoutSeconds: e.PAPRIKA_HEARTBEAT_TIMEOUT_SECONDS,
      chatDeadlineSeconds: e.PAPRIKA_CHAT_DEADLINE_SECONDS,
      backgroundQuietSeconds: e.PAPRIKA_BACKGROUND_QUIET_SECONDS,
      turnReads: e.PAPRIKA_TURN_READS,
      turnReadSeconds: e.PAPRIKA_TURN_READ_SECONDS,
      webFetchMaxBytes: e.PAPRIKA_WEB_FETCH_MAX_BYTES,
      webFetchTimeoutSeconds: e.PAPRIKA_WEB_FETCH_TIMEOUT_SECONDS,
      webFetchAllowPrivate: e.PAPRIKA_WEB_FETCH_ALLOW_PRIVATE,
      followUpDays: e.PAPRIKA_FOLLOW_UP_DAYS,
      batchSize: e.PAPRIKA_BATCH_SIZE,
      queueMax: e.PAPRIKA_QUEUE_MAX,
      activityTimeoutSeconds: e.PAPRIKA_ACTIVITY_TIMEOUT_SECONDS,
    },
    worker: { concurrency: e.PAPRIKA_WORKER_CONCURRENCY },
    composio: {
      apiKey: e.COMPOSIO_API_KEY,
      baseUrl: e.COMPOSIO_BASE_URL,
      webhookSecret: e.COMPOSIO_WEBHOOK_SECRET,
      authConfigGmail: e.COMPOSIO_AUTH_CONFIG_GMAIL,
      authConfigCalendar: e.COMPOSIO_AUTH_CONFIG_CALENDAR,
      toolkitVersions: parseVersions(e.COMPOSIO_TOOLKIT_VERSIONS),
    },
    webhookSecrets: parseJson('PAPRIKA_WEBHOOK_SECRETS', e.PAPRIKA_WEBHOOK_SECRETS, z.record(z.string(), z.string().min(16)), {}),
    feeds: { mode: e.PAPRIKA_FEED_MODE, calendarPollMinutes: e.PAPRIKA_CALENDAR_POLL_MINUTES, gmailCatchupMinutes: e.PAPRIKA_GMAIL_CATCHUP_MINUTES },
    mcpServers: parseJson('PAPRIKA_MCP_SERVERS', e.PAPRIKA_MCP_SERVERS, z.array(McpServerConfig), []),
    plugins: { dir: path.resolve(e.PAPRIKA_PLUGINS_DIR ?? path.join(e.PAPRIKA_DATA_DIR, 'plugins')) },
    imap: parseImap(e),
    logLevel: e.PAPRIKA_LOG_LEVEL,
  };
}

let cached: Config | undefined;
/** The process-wide config, read once. Tests build their own with loadConfig(env). */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
