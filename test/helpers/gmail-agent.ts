// Shared by the approval tests: a stack wired to the fake Composio (Gmail linked) and a fake model
// whose task agent drafts an email and then sends it, and whose assistant delegates and relays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { linkGmail } from '../../src/integrations/composio/client';
import { type ChatRequest, type FakeReply, lastUserText, promptKind } from '../fakes/openai-server';
import { type FakeComposio, startFakeComposio } from '../fakes/composio/server';
import { eventually, type Stack } from './stack';

export const VERSIONS = 'gmail=20250909_00,googlecalendar=20250909_00';

export async function startComposioForStack(): Promise<{ fake: FakeComposio; env: Record<string, string>; home: string }> {
  const home = fs.mkdtempSync(path.join(process.env.PAPRIKA_TEST_DIR ?? os.tmpdir(), 'home-'));
  // The Composio SDK reads ~/.composio; keep it away from a developer's real one.
  process.env.HOME = home;
  const fake = await startFakeComposio();
  return {
    fake,
    home,
    env: {
      HOME: home,
      COMPOSIO_API_KEY: fake.apiKey,
      COMPOSIO_BASE_URL: fake.url,
      COMPOSIO_TOOLKIT_VERSIONS: VERSIONS,
      COMPOSIO_AUTH_CONFIG_GMAIL: 'ac_gmail',
    },
  };
}

export async function linkUserGmail(stack: Stack): Promise<void> {
  const link = await linkGmail(stack.config, stack.userId);
  if (link.redirectUrl) await fetch(link.redirectUrl);
  await link.wait(10_000);
}

/** The email a case sends: `case` is a tag in the instruction, so tests sharing a stack do not mix. */
export const emailFor = (tag: string) => ({ to: `dana+${tag}@acme.example`, subject: `Q3 report ${tag}`, body: `Hi Dana, the Q3 report (${tag}) is attached.` });

/**
 * Agent: draft, then send, then answer with the last tool result. Assistant: delegate on
 * "email dana <tag>", approve on "yes, send it" (finding the approval ID in its prompt), else talk.
 */
export function gmailScript(extra: (req: ChatRequest) => FakeReply | undefined = () => undefined) {
  return (req: ChatRequest): FakeReply => {
    const custom = extra(req);
    if (custom) return custom;
    const kind = promptKind(req);
    if (kind === 'agent') {
      const tag = /tag=(\S+)/.exec(lastUserText(req))?.[1] ?? 'none';
      const tools = req.messages.filter((m) => m.role === 'tool');
      const email = emailFor(tag);
      if (tools.length === 0) return { toolCalls: [{ name: 'gmail_create_draft', arguments: email }] };
      if (tools.length === 1) return { toolCalls: [{ name: 'gmail_send', arguments: email }] };
      return { content: `Finished. Last tool said: ${tools[tools.length - 1]!.content}` };
    }
    if (kind !== 'assistant') return { content: 'summary' };
    const text = lastUserText(req);
    const m = /email dana (\S+)/.exec(text);
    if (m) return { toolCalls: [{ name: 'delegate_task', arguments: { title: `Email Dana ${m[1]}`, instruction: `Draft and send the Q3 note. tag=${m[1]}` } }] };
    if (text.includes('yes, send it')) {
      const all = req.messages.map((x) => x.content ?? '').join('\n');
      const ids = [...all.matchAll(/approvalId ([0-9a-f-]{36})/g)].map((x) => x[1]!);
      return { content: 'Sending it.', toolCalls: [{ name: 'answer_approval', arguments: { approvalId: ids[ids.length - 1], decision: 'approve' } }] };
    }
    if (text.includes('Approval needed')) return { content: 'Shall I send it?' };
    return { content: 'Noted.' };
  };
}

export async function pendingApproval(stack: Stack, taskId: string, timeoutMs = 30_000) {
  return eventually(
    async () => (await stack.api('/api/approvals?status=pending')).body.approvals.find((a: { taskId: string }) => a.taskId === taskId),
    timeoutMs,
    `a pending approval for task ${taskId}`,
  );
}

export async function taskDone(stack: Stack, taskId: string, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const t = (await stack.api('/api/tasks')).body.tasks.find((x: { id: string }) => x.id === taskId);
      return t && t.status !== 'running' ? t : undefined;
    },
    timeoutMs,
    `task ${taskId} to finish`,
  );
}

/** Activity retries in a workflow's history: every attempt after the first of each activity. */
export async function activityRetries(client: Client, workflowId: string): Promise<{ retries: number; byType: Record<string, number> }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const types = new Map<string, string>();
  const byType: Record<string, number> = {};
  let retries = 0;
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    const started = e.activityTaskStartedEventAttributes;
    if (started && (started.attempt ?? 1) > 1) {
      const type = types.get(String(started.scheduledEventId)) ?? '?';
      byType[type] = (byType[type] ?? 0) + (started.attempt! - 1);
      retries += started.attempt! - 1;
    }
  }
  return { retries, byType };
}

export const sends = (fake: FakeComposio) => fake.executed.filter((e) => e.slug === 'GMAIL_SEND_EMAIL');
