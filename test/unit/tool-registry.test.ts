import {
  BUILTIN_TOOL_LIST,
  mcpToolSpec,
  toOpenAiTools,
  validateToolArgs,
  type McpToolInfo,
} from '../../src/agents/tool-registry';

const errorOf = (r: { ok: boolean; error?: string }) => (r.ok ? '(valid)' : r.error);

describe('built-in tools', () => {
  it('offers every tool agents need, each marked read or side_effect', () => {
    const effects = Object.fromEntries(BUILTIN_TOOL_LIST.map((t) => [t.name, t.effect]));
    expect(effects).toEqual({
      search_context: 'read',
      remember: 'read',
      recall: 'read',
      notify_user: 'read',
      set_reminder: 'read',
      web_fetch: 'read',
      gmail_search: 'read',
      gmail_read_thread: 'read',
      gmail_create_draft: 'read', // stays in the user's Drafts; the send is what needs approval
      gmail_reply: 'side_effect',
      gmail_send: 'side_effect',
      gmail_label: 'side_effect',
      calendar_list_events: 'read',
      calendar_find_free_slots: 'read',
      calendar_create_event: 'side_effect',
      calendar_update_event: 'side_effect',
    });
    for (const t of BUILTIN_TOOL_LIST) {
      expect(t.provider).toBe(t.name.startsWith('gmail_') || t.name.startsWith('calendar_') ? 'composio' : 'builtin');
    }
  });

  it('renders OpenAI function tools with JSON schemas the model can follow', () => {
    const tools = toOpenAiTools(BUILTIN_TOOL_LIST);
    expect(tools).toHaveLength(16);
    const send = tools.find((t) => t.function.name === 'gmail_send')!;
    expect(send.type).toBe('function');
    expect(send.function.parameters).toMatchObject({
      type: 'object',
      required: ['to', 'subject', 'body'],
      additionalProperties: false,
      properties: { body: { type: 'string' }, to: { anyOf: [{ type: 'string', format: 'email' }, { type: 'array' }] } },
    });
    const json = JSON.stringify(tools);
    expect(json).not.toContain('$schema');
    expect(json).not.toContain('"pattern"'); // the long format regexes are noise for the model
    for (const t of tools) expect(t.function.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe('validateToolArgs', () => {
  it('returns typed, normalised arguments', () => {
    const r = validateToolArgs('gmail_send', { to: 'ann@example.com', subject: 'Hi', body: 'Hello Ann' });
    expect(r).toMatchObject({ ok: true, args: { to: ['ann@example.com'], subject: 'Hi', body: 'Hello Ann' } });
    if (r.ok) expect(r.args.to[0]).toBe('ann@example.com'); // typed: to is string[]
    expect(validateToolArgs('search_context', '{"query":"invoice","limit":5}')).toMatchObject({
      ok: true,
      args: { query: 'invoice', limit: 5 },
    });
    expect(validateToolArgs('recall', '')).toMatchObject({ ok: true, args: {} });
  });

  it.each([
    ['gmail_send', { subject: 'Hi', body: 'x' }, 'invalid arguments for gmail_send: "to": is required'],
    ['gmail_send', { to: 'bob', subject: 'Hi', body: 'x' }, '"to": must be an email address'],
    ['gmail_send', { to: ['a@example.com', 'nope'], subject: 'Hi', body: 'x' }, '"to.1": must be an email address'],
    ['gmail_send', { to: 'a@example.com', subject: 'Hi', body: 'x', bcc: 'spy@example.com' }, 'unknown field "bcc"'],
    ['gmail_reply', { threadId: 't1', body: '' }, '"body": must not be empty'],
    ['set_reminder', { text: 'Call mum' }, 'either "at" or "inMinutes" is required'],
    ['set_reminder', { text: 'Call mum', at: 'tomorrow' }, '"at": must be an ISO 8601 date-time'],
    ['calendar_create_event', { title: 'Sync', start: '2025-03-14T10:00:00Z', end: '2025-03-14T09:00:00Z' }, '"end": must be after "start"'],
    ['calendar_list_events', { from: '2025-03-14T10:00:00Z', to: '2025-03-13T10:00:00Z' }, '"to": must be after "from"'],
    ['calendar_find_free_slots', { from: '2025-03-14T08:00:00Z', to: '2025-03-14T18:00:00Z', durationMinutes: 'half an hour' }, '"durationMinutes"'],
    ['calendar_update_event', { eventId: 'e1' }, 'at least one field to change'],
    ['gmail_label', { messageId: 'm1', add: [], remove: [] }, 'at least one label'],
    ['web_fetch', { url: 'file:///etc/passwd' }, '"url": must be an http or https URL'],
    ['notify_user', { title: 'x', priority: 'panic' }, '"priority"'],
  ])('%s %j → %s', (name, args, message) => {
    expect(errorOf(validateToolArgs(name, args))).toContain(message);
  });

  it('explains unknown tools, bad JSON and non-objects', () => {
    expect(errorOf(validateToolArgs('launch_rockets', {}))).toMatch(/unknown tool "launch_rockets"; available: search_context, /);
    expect(errorOf(validateToolArgs('gmail_search', '{"query": '))).toMatch(/invalid arguments for gmail_search: not valid JSON/);
    expect(errorOf(validateToolArgs('gmail_search', '[1]'))).toBe('invalid arguments for gmail_search: expected a JSON object');
  });

  it('accepts valid calendar and label calls', () => {
    expect(
      validateToolArgs('calendar_create_event', {
        title: 'Sync',
        start: '2025-03-14T09:00:00+01:00',
        end: '2025-03-14T09:30:00+01:00',
        attendees: ['ann@example.com'],
      }).ok,
    ).toBe(true);
    expect(validateToolArgs('calendar_update_event', { eventId: 'e1', title: 'Moved' }).ok).toBe(true);
    expect(validateToolArgs('gmail_label', { messageId: 'm1', remove: ['INBOX'] }).ok).toBe(true);
    expect(validateToolArgs('set_reminder', { text: 'Stretch', inMinutes: 30 }).ok).toBe(true);
  });
});

describe('mcpToolSpec', () => {
  const ticket: McpToolInfo = {
    server: 'helpdesk',
    name: 'create_ticket',
    qualifiedName: 'mcp__helpdesk__create_ticket',
    description: 'Create a support ticket',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { title: { type: 'string' } },
      required: ['title'],
    },
    sideEffect: true,
  };

  it('turns an MCP tool into a spec with its effect and schema', () => {
    const spec = mcpToolSpec(ticket);
    expect(spec).toMatchObject({ name: 'mcp__helpdesk__create_ticket', effect: 'side_effect', provider: 'mcp' });
    expect(spec.description).toBe('Create a support ticket (tool "create_ticket" of MCP server "helpdesk")');
    expect(spec.parameters).toEqual({ type: 'object', properties: { title: { type: 'string' } }, required: ['title'] });
    expect(mcpToolSpec({ ...ticket, sideEffect: false }).effect).toBe('read');
    expect(mcpToolSpec({ ...ticket, inputSchema: {} }).parameters).toEqual({ type: 'object', properties: {} });
  });

  it('validates required fields and is found by validateToolArgs when listed', () => {
    const specs = [...BUILTIN_TOOL_LIST, mcpToolSpec(ticket)];
    expect(validateToolArgs('mcp__helpdesk__create_ticket', { title: 'Printer' }, specs)).toMatchObject({
      ok: true,
      args: { title: 'Printer' },
    });
    expect(errorOf(validateToolArgs('mcp__helpdesk__create_ticket', {}, specs))).toBe(
      'invalid arguments for mcp__helpdesk__create_ticket: "title": is required',
    );
    expect(errorOf(validateToolArgs('mcp__helpdesk__create_ticket', { title: 'x' }))).toMatch(/unknown tool/);
    expect(toOpenAiTools(specs).map((t) => t.function.name)).toContain('mcp__helpdesk__create_ticket');
  });
});
