import { normaliseCalls, type Decision } from '../../src/assistant/decision';
import { answersFor, decisionAfterFailure, instantProblemEvent, planStep, settledCallIds, type StepClock } from '../../src/assistant/planner';
import { initialState, type AssistantStateData, type PendingCall } from '../../src/assistant/state';
import { cancelActionFor } from '../../src/shared/task-cancel';
import type { AssistantEvent } from '../../src/shared/types';
import { USER } from '../../src/shared/provenance';
import { DEFAULT_WORKFLOW_SETTINGS } from '../../src/shared/workflow-settings';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const settings = { ...DEFAULT_WORKFLOW_SETTINGS, maxTasksPerUser: 3 };

function clock(stepNo = 7): StepClock & { issued: string[] } {
  const issued: string[] = [];
  const newId = () => {
    const id = `id${issued.length + 1}`;
    issued.push(id);
    return id;
  };
  return { stepNo, now: NOW, newId, issued };
}

const userMessage = (id: string, text = 'hello'): AssistantEvent => ({ id, kind: 'user_message', priority: 'urgent', text, at: '2026-03-01T09:59:00.000Z' });
const feedEvent = (id: string, extra: Partial<AssistantEvent> = {}): AssistantEvent => ({ id, kind: 'feed', priority: 'normal', text: id, at: '2026-03-01T09:00:00.000Z', ...extra });

/** A decision as `think` returns it: the calls go through the same validation. */
function decide(reply: string | null, calls: { name: string; args: Record<string, unknown> }[]): Decision {
  const n = normaliseCalls(calls);
  expect(n.rejected).toEqual([]);
  return { reply, ...n };
}

function stateWith(pending: PendingCall[] = []): AssistantStateData {
  return { ...initialState('me'), pending };
}
const running = (callId: string, name = 'delegate_task'): PendingCall => ({ callId, name, title: callId, workflowId: `tool:me:${callId}`, startedAt: NOW.toISOString() });
const task = (title: string) => ({ name: 'delegate_task', args: { title, instruction: `do ${title}` } });

describe('the task limit', () => {
  test('calls beyond the limit are refused, counting tasks already running, and the model is told', () => {
    const c = clock();
    const plan = planStep(stateWith([running('old')]), decide(null, [task('a'), task('b'), task('c')]), [feedEvent('f')], settings, c);
    expect(plan.accepted.map((a) => a.title)).toEqual(['a', 'b']);
    expect(plan.refused).toEqual([{ name: 'delegate_task', reason: 'delegate_task not started: 3 tasks are already running' }]);
    expect(plan.feedback).toEqual(['delegate_task not started: 3 tasks are already running']);
    // Only admitted calls take an ID: the workflow's uuid4 sequence must not move for refused ones.
    expect(c.issued).toEqual(['id1', 'id2']);
    expect(plan.deliver.tasks.map((t) => t.id)).toEqual(['id1', 'id2']);
  });

  test("the model's rejected proposals come first in the feedback", () => {
    const plan = planStep(stateWith([running('1'), running('2'), running('3')]), { ...decide(null, [task('a')]), rejected: ['unknown tool "x"'] }, [feedEvent('f')], settings, clock());
    expect(plan.accepted).toEqual([]);
    expect(plan.feedback).toEqual(['unknown tool "x"', 'delegate_task not started: 3 tasks are already running']);
  });

  test('instant tools do not count against the limit', () => {
    const full = stateWith([running('1'), running('2'), running('3')]);
    const plan = planStep(full, decide(null, [{ name: 'cancel_task', args: { taskId: '2' } }]), [userMessage('u')], settings, clock());
    expect(plan.refused).toEqual([]);
    expect(plan.instant).toHaveLength(1);
  });
});

describe('the reply', () => {
  test("the model's reply is delivered after the user's message, under IDs derived from the message", () => {
    const plan = planStep(stateWith(), decide('Hi!', []), [userMessage('u1')], settings, clock());
    expect(plan.reply).toEqual({ id: 'reply:u1', text: 'Hi!' });
    expect(plan.deliver.messages).toEqual([
      { id: 'msg:u1', role: 'user', text: 'hello', at: '2026-03-01T09:59:00.000Z' },
      { id: 'reply:u1', role: 'assistant', text: 'Hi!', at: NOW.toISOString() },
    ]);
  });

  test('a user message the model did not answer in words gets "On it" naming what started, else "Noted."', () => {
    const acted = planStep(stateWith(), decide(null, [task('Flights'), { name: 'set_reminder', args: { text: 'call mum', inMinutes: 5 } }]), [userMessage('u')], settings, clock());
    expect(acted.reply.text).toBe('On it: Flights; Reminder: call mum.');
    const idle = planStep(stateWith(), decide(null, []), [userMessage('u')], settings, clock());
    expect(idle.reply.text).toBe('Noted.');
  });

  test('events without a user message and without a reply say nothing; the step still has a reply ID', () => {
    const plan = planStep(stateWith(), decide(null, [task('x')]), [feedEvent('f')], settings, clock(4));
    expect(plan.reply).toEqual({ id: 'reply:step-me-4', text: null });
    expect(plan.deliver.messages).toEqual([]);
    // A feed item is untrusted: the window remembers so, and any later prompt that shows it is tainted.
    expect(plan.remember).toEqual([{ role: 'event', text: 'feed  [normal]: f', at: '2026-03-01T09:00:00.000Z', provenance: { origin: 'untrusted', sources: [] } }]);
  });

  test('the window gets the batch and then the reply', () => {
    const plan = planStep(stateWith(), decide('Sure.', []), [userMessage('u', 'book it')], settings, clock());
    expect(plan.remember).toEqual([
      { role: 'user', text: 'book it', at: '2026-03-01T09:59:00.000Z' },
      { role: 'assistant', text: 'Sure.', at: NOW.toISOString() },
    ]);
  });

  test('when thinking failed the user is told why, and nothing else happens', () => {
    const err = Object.assign(new Error('activity failed'), { cause: new Error('model timed out') });
    const plan = planStep(stateWith(), decisionAfterFailure(err), [userMessage('u')], settings, clock());
    expect(plan.reply.text).toBe('Sorry, I could not think this through (model timed out).');
    expect(plan.accepted).toEqual([]);
    expect(decisionAfterFailure(new Error('boom')).reply).toBe('Sorry, I could not think this through (boom).');
  });
});

describe('instant tools', () => {
  test('cancelling a task agent cancels its workflow; a named-agent instruction is cancelled by signal', () => {
    const state = stateWith([running('t1'), { ...running('n1', 'delegate_to_agent'), workflowId: 'agent:me:inbox' }]);
    const plan = planStep(state, decide(null, [{ name: 'cancel_task', args: { taskId: 't1' } }, { name: 'cancel_task', args: { taskId: 'n1' } }]), [userMessage('u')], settings, clock());
    expect(plan.instant.map((i) => i.action)).toEqual([
      { kind: 'cancel', cancel: { kind: 'cancel_workflow', workflowId: 'tool:me:t1' } },
      { kind: 'cancel', cancel: { kind: 'cancel_instruction', workflowId: 'agent:me:inbox', instructionId: 'n1' } },
    ]);
    expect(plan.accepted).toEqual([]);
    expect(plan.deliver.tasks).toEqual([]);
  });

  test('cancelling a task that is not running becomes a problem the user hears about', () => {
    const plan = planStep(stateWith(), decide(null, [{ name: 'cancel_task', args: { taskId: 'gone' } }]), [userMessage('u')], settings, clock(3));
    const [call] = plan.instant;
    expect(call.action).toEqual({ kind: 'problem', text: 'cancel_task: no running task gone' });
    expect(instantProblemEvent(call, 'cancel_task: no running task gone', plan.at)).toEqual({
      id: 'instant:me:3:0',
      kind: 'system',
      priority: 'high',
      text: 'cancel_task: no running task gone',
      source: 'assistant',
      at: NOW.toISOString(),
    });
  });

  test('answering an approval passes the answer on for the user', () => {
    const plan = planStep(stateWith(), decide(null, [{ name: 'answer_approval', args: { approvalId: 'ap1', decision: 'reject', reason: 'not now' } }]), [userMessage('u')], settings, clock());
    expect(plan.instant[0].action).toEqual({
      kind: 'answer_approval',
      input: { userId: 'me', approvalId: 'ap1', decision: 'reject', reason: 'not now', requestedAt: '2026-03-01T09:59:00.000Z' },
    });
  });

  test('the server and the assistant cancel alike: a task without a workflow cannot be cancelled', () => {
    expect(cancelActionFor({ id: 'r1', tool: 'set_reminder', workflowId: 'tool:me:r1' })).toEqual({ kind: 'cancel_workflow', workflowId: 'tool:me:r1' });
    expect(cancelActionFor({ id: 'r1', tool: 'set_reminder' })).toBeUndefined();
  });
});

describe('admission and how calls start', () => {
  test('a task agent, a reminder and a named agent each start with their workflow and a task row', () => {
    const plan = planStep(
      stateWith(),
      decide(null, [
        task('Research'),
        { name: 'set_reminder', args: { text: 'stretch', inMinutes: 30 } },
        { name: 'delegate_to_agent', args: { name: 'inbox', instruction: 'sort   the\nnewsletters' } },
      ]),
      [userMessage('u')],
      settings,
      clock(),
    );
    expect(plan.deliver.tasks).toEqual([
      { id: 'id1', tool: 'delegate_task', title: 'Research', workflowId: 'tool:me:id1' },
      { id: 'id2', tool: 'set_reminder', title: 'Reminder: stretch', workflowId: 'tool:me:id2' },
      { id: 'id3', tool: 'delegate_to_agent', title: 'inbox: sort the newsletters', workflowId: 'agent:me:inbox' },
    ]);
    const [agentTask, reminder, named] = plan.accepted.map((a) => a.start);
    expect(agentTask).toMatchObject({ kind: 'task_agent', input: { userId: 'me', taskId: 'id1', title: 'Research', instruction: 'do Research', settings }, staticSummary: 'Task: Research' });
    expect(reminder).toMatchObject({
      kind: 'reminder',
      start: { workflowType: 'reminderWorkflow', options: { workflowId: 'tool:me:id2', args: [{ userId: 'me', reminderId: 'id2', text: 'stretch', fireAt: '2026-03-01T10:30:00.000Z' }] } },
    });
    expect(named).toEqual({ kind: 'named_agent', input: { userId: 'me', name: 'inbox', settings, instruction: { id: 'id3', instruction: 'sort   the\nnewsletters', at: NOW.toISOString(), provenance: USER } } });
    expect(plan.accepted.map((a) => a.pending)).toEqual([
      { callId: 'id1', name: 'delegate_task', title: 'Research', workflowId: 'tool:me:id1', startedAt: NOW.toISOString() },
      { callId: 'id2', name: 'set_reminder', title: 'Reminder: stretch', workflowId: 'tool:me:id2', startedAt: NOW.toISOString() },
      { callId: 'id3', name: 'delegate_to_agent', title: 'inbox: sort the newsletters', workflowId: 'agent:me:inbox', startedAt: NOW.toISOString() },
    ]);
  });

  test('a reminder at a given time fires then, whatever the step time', () => {
    const plan = planStep(stateWith(), decide(null, [{ name: 'set_reminder', args: { text: 'x', at: '2026-04-01T08:00:00+02:00' } }]), [feedEvent('f')], settings, clock());
    expect(plan.accepted[0].start).toMatchObject({ start: { options: { staticSummary: 'Reminder at 2026-04-01T08:00:00+02:00: x' } } });
  });

  test('results and fired reminders settle their pending calls', () => {
    const batch = [feedEvent('f'), { ...feedEvent('r'), kind: 'tool_result' as const, callId: 'c1' }, { ...feedEvent('m'), kind: 'reminder' as const, callId: 'c2' }, { ...feedEvent('x'), kind: 'tool_result' as const }];
    expect(settledCallIds(batch)).toEqual(['c1', 'c2']);
  });
});

describe('notification defaults', () => {
  test("a notification about an event points at the batch's first event unless the model said otherwise", () => {
    const decision = decide(null, [
      { name: 'notify_user', args: { title: 'Invoice due' } },
      { name: 'notify_user', args: { title: 'Other', priority: 'high' } },
    ]);
    decision.notifications[1] = { ...decision.notifications[1], source: 'calendar', ref: 'ctx:9' };
    const plan = planStep(stateWith(), decision, [feedEvent('f', { source: 'gmail', ref: 'ctx:1' }), feedEvent('g')], settings, clock(5));
    expect(plan.deliver.notifications).toEqual([
      { id: 'note:me:5:0', notification: { title: 'Invoice due', body: '', priority: 'normal', source: 'gmail', ref: 'ctx:1' } },
      { id: 'note:me:5:1', notification: { title: 'Other', body: '', priority: 'high', source: 'calendar', ref: 'ctx:9' } },
    ]);
  });

  test('without a source in the batch the assistant is the source', () => {
    const plan = planStep(stateWith(), decide(null, [{ name: 'notify_user', args: { title: 'Hi' } }]), [userMessage('u')], settings, clock());
    expect(plan.deliver.notifications[0].notification).toMatchObject({ source: 'assistant', ref: undefined });
  });
});

describe('answers recorded', () => {
  test('the user message gets the reply and only the calls that did start', () => {
    const plan = planStep(stateWith(), decide(null, [task('a'), task('b')]), [userMessage('u1')], settings, clock());
    expect(answersFor(plan, [plan.accepted[1]])).toEqual([
      { id: 'u1', reply: { id: 'reply:u1', text: 'On it: a; b.', at: NOW.toISOString() }, toolCalls: [{ callId: 'id2', name: 'delegate_task', title: 'b' }] },
    ]);
  });

  test('a step without a user message answers nobody', () => {
    const plan = planStep(stateWith(), decide('fyi', []), [feedEvent('f')], settings, clock());
    expect(answersFor(plan, [])).toEqual([]);
  });
});
