// The named agent's plain state: FIFO queue with dedupe, notes folded into the summary, memory in
// the prompt, and everything survives a JSON round trip (what continue-as-new does to it).
import { FOLD_COUNT, initialAgentData, NamedAgentBook, namedAgentMessages, NOTES_LIMIT } from '../../src/agents/named-agent-state';

const ins = (id: string, instruction = `do ${id}`) => ({ id, instruction, at: '2026-03-01T10:00:00Z' });

test('instructions are handled first in, first out, and a re-delivered one is dropped', () => {
  const book = new NamedAgentBook(initialAgentData('me', 'inbox'));
  expect(book.enqueue(ins('a'))).toBe(true);
  expect(book.enqueue(ins('b'))).toBe(true);
  expect(book.enqueue(ins('a'))).toBe(false);
  expect(book.next()?.id).toBe('a');
  expect(book.enqueue(ins('a'))).toBe(false); // already handled: still seen
  expect(book.next()?.id).toBe('b');
  expect(book.next()).toBeUndefined();
});

test('a queued instruction can be cancelled before it runs', () => {
  const book = new NamedAgentBook(initialAgentData('me', 'inbox'));
  book.enqueue(ins('a'));
  book.enqueue(ins('b'));
  expect(book.cancelQueued('b')?.id).toBe('b');
  expect(book.cancelQueued('zzz')).toBeUndefined();
  expect(book.data.queue.map((q) => q.id)).toEqual(['a']);
});

test('notes beyond the limit are folded into the summary, oldest first', () => {
  const book = new NamedAgentBook(initialAgentData('me', 'inbox'));
  for (let i = 0; i < NOTES_LIMIT; i++) book.addNote(ins(`i${i}`), 'completed', `answer ${i}`, `2026-03-01T10:${String(i).padStart(2, '0')}:00Z`);
  expect(book.notesToFold()).toEqual([]);
  book.addNote(ins('last'), 'cancelled', 'Cancelled.', '2026-03-01T11:00:00Z');
  const fold = book.notesToFold();
  expect(fold).toHaveLength(FOLD_COUNT);
  expect(fold[0]!.text).toContain('do i0');
  book.fold(fold.length, 'summary of the first six');
  expect(book.data.memory.summary).toBe('summary of the first six');
  expect(book.data.memory.notes).toHaveLength(NOTES_LIMIT + 1 - FOLD_COUNT);
  expect(book.data.memory.notes.at(-1)!.text).toContain('Ended cancelled: Cancelled.');
  expect(book.data.stats.handled).toBe(NOTES_LIMIT + 1);
});

test('memory and queue survive a JSON round trip, as through continue-as-new', () => {
  const book = new NamedAgentBook(initialAgentData('me', 'inbox'));
  book.enqueue(ins('a', 'remember BANANA'));
  book.addNote(book.next()!, 'completed', 'Noted BANANA', '2026-03-01T10:00:00Z');
  book.enqueue(ins('b'));
  const carried = new NamedAgentBook(JSON.parse(JSON.stringify(book.data)));
  expect(carried.enqueue(ins('a'))).toBe(false);
  expect(carried.next()?.id).toBe('b');
  const messages = namedAgentMessages('inbox', carried.data.memory, 'what was the word?');
  expect(messages[0]).toMatchObject({ role: 'system' });
  expect(messages[0]!.content).toMatch(/^You are a background task agent/);
  expect(messages[1]!.content).toContain('Noted BANANA');
  expect(messages[1]!.content).toContain('<<<UNTRUSTED agent memory>>>');
  expect(messages.at(-1)).toEqual({ role: 'user', content: 'what was the word?' });
});

test('a fresh agent has no memory message', () => {
  expect(namedAgentMessages('inbox', { summary: '', notes: [] }, 'hi')).toHaveLength(2);
});
