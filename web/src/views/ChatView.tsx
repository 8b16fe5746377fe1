// The conversation: the whole transcript from the server (so it survives reloads), live additions
// from the stream, and a composer with suggestion chips.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LoadGate } from '../components/common';
import { Icon } from '../components/icons';
import { Logo } from '../components/Header';
import { absoluteTime, clockTime } from '../format';
import { renderMarkdown } from '../markdown';
import { href } from '../route';
import { type ChatMessage, loadConversation, loadEarlier, sendMessage, store, takeChatDraft } from '../state';
import { useStore } from '../store';

const SUGGESTIONS = ["What's new?", 'Help', 'Remind me in 10 minutes to stretch', 'Summarise my unread email'];
const MAX_CHARS = 8000;

function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Safe: markdown-it runs with html:false, so every tag in the text arrives escaped (see markdown.ts).
  return <div class="md" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Message({ m }: { m: ChatMessage }) {
  const mine = m.role === 'user';
  return (
    <li class={`msg ${mine ? 'msg-user' : 'msg-assistant'}${m.local === 'failed' ? ' msg-failed' : ''}`} data-testid="message" data-role={m.role} data-id={m.id}>
      {!mine && (
        <div class="avatar" aria-hidden="true">
          <Logo />
        </div>
      )}
      <div class="msg-body">
        <span class="sr-only">{mine ? 'You said:' : 'Paprika said:'}</span>
        <div class="bubble">{mine ? <p class="plain">{m.text}</p> : <Markdown text={m.text} />}</div>
        {m.toolCalls && m.toolCalls.length > 0 && (
          <ul class="tool-calls" aria-label="Tasks started">
            {m.toolCalls.map((t) => (
              <li key={t.callId}>
                <a class="chip chip-link" href={href('tasks', t.callId)}>
                  <Icon name="tasks" size={14} /> {t.title || t.name}
                </a>
              </li>
            ))}
          </ul>
        )}
        <div class="msg-meta">
          {m.local === 'sending' && <span>Sending…</span>}
          {m.local === 'failed' && (
            <span class="msg-error" role="alert">
              Not sent: {m.error}{' '}
              <button type="button" class="link-button" onClick={() => void sendMessage(m.text, m.id)} data-testid="retry-button">
                Retry
              </button>
            </span>
          )}
          {m.local !== 'sending' && m.local !== 'failed' && <time dateTime={m.createdAt} title={absoluteTime(m.createdAt)}>{clockTime(m.createdAt)}</time>}
        </div>
      </div>
    </li>
  );
}

function Thinking() {
  return (
    <li class="msg msg-assistant thinking" data-testid="thinking" aria-label="Paprika is thinking">
      <div class="avatar" aria-hidden="true">
        <Logo />
      </div>
      <div class="bubble" role="status">
        <span class="sr-only">Paprika is thinking…</span>
        <span class="dots" aria-hidden="true">
          <i />
          <i />
          <i />
        </span>
      </div>
    </li>
  );
}

function Welcome({ onPick }: { onPick: (s: string) => void }) {
  return (
    <div class="welcome">
      <Logo />
      <h2>Hi, I'm Paprika.</h2>
      <p>I watch your inbox and calendar, remind you of things, and run errands in the background. Ask me anything, or start with one of these:</p>
      <div class="chips">
        {SUGGESTIONS.map((s) => (
          <button type="button" class="chip" key={s} onClick={() => onPick(s)} data-testid="suggestion">
            {s}
          </button>
        ))}
      </div>
    </div>
  );
}

export function ChatView() {
  const { messages, state, error, hasEarlier, thinking } = useStore(store, (s) => ({
    messages: s.messages,
    state: s.messagesState,
    error: s.messagesError,
    hasEarlier: s.hasEarlier,
    thinking: s.thinking,
  }));
  // Another view (a notification's "Ask about this") may have left a draft for us.
  const [draft, setDraft] = useState(() => takeChatDraft());
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const stick = useRef(true);

  // Follow the conversation unless the user scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, thinking, state]);

  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) input.current?.focus();
  }, []);

  const send = (text: string) => {
    const t = text.trim();
    if (!t || t.length > MAX_CHARS) return;
    stick.current = true;
    setDraft('');
    if (input.current) input.current.style.height = 'auto';
    void sendMessage(t);
    input.current?.focus();
  };

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };

  const earlier = async () => {
    setLoadingEarlier(true);
    const el = scroller.current;
    const fromBottom = el ? el.scrollHeight - el.scrollTop : 0;
    try {
      await loadEarlier();
    } finally {
      setLoadingEarlier(false);
      if (el) el.scrollTop = el.scrollHeight - fromBottom;
    }
  };

  const empty = state === 'ready' && messages.length === 0 && thinking === 0;

  return (
    <section class="chat" aria-label="Chat">
      <div class="chat-scroll" ref={scroller} onScroll={onScroll}>
        <LoadGate state={state} error={error} what="the conversation" onRetry={() => void loadConversation()}>
          {empty ? (
            <Welcome onPick={send} />
          ) : (
            <>
              {hasEarlier && (
                <div class="earlier">
                  <button type="button" class="btn btn-ghost btn-small" onClick={earlier} disabled={loadingEarlier}>
                    {loadingEarlier ? 'Loading…' : 'Load earlier messages'}
                  </button>
                </div>
              )}
              <div role="log" aria-live="polite" aria-label="Conversation">
                <ol class="messages" data-testid="message-list">
                  {messages.map((m) => (
                    <Message key={m.id} m={m} />
                  ))}
                  {thinking > 0 && <Thinking />}
                </ol>
              </div>
            </>
          )}
        </LoadGate>
      </div>
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send(draft);
        }}
      >
        {!empty && (
          <div class="chips chips-scroll" aria-label="Suggestions">
            {SUGGESTIONS.map((s) => (
              <button type="button" class="chip chip-small" key={s} onClick={() => send(s)} data-testid="suggestion">
                {s}
              </button>
            ))}
          </div>
        )}
        <div class="composer-row">
          <label for="chat-input" class="sr-only">
            Message Paprika
          </label>
          <textarea
            id="chat-input"
            ref={input}
            rows={1}
            value={draft}
            maxLength={MAX_CHARS}
            placeholder="Message Paprika…"
            data-testid="chat-input"
            onInput={(e) => {
              const el = e.currentTarget;
              setDraft(el.value);
              el.style.height = 'auto';
              el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                send(draft);
              }
            }}
          />
          <button type="submit" class="btn btn-primary send" disabled={!draft.trim()} data-testid="send-button" aria-label="Send">
            <Icon name="send" />
          </button>
        </div>
        {draft.length > MAX_CHARS - 500 && (
          <p class="hint" aria-live="polite">
            {draft.length} / {MAX_CHARS} characters
          </p>
        )}
      </form>
    </section>
  );
}
