// `readInTurn`: one read the assistant does within a chat turn. It goes through the agents'
// toolbox (same validation, same runners) but refuses anything that is not a turn read with
// effect 'read', whatever the workflow was handed. The result text stays in the store under the
// turn's transcript key; only its size travels back into the workflow's history.
import { toolMessage } from '../agents/agent-loop';
import { isTurnReadTool } from '../assistant/turn-reads';
import type { Store } from '../store';
import { rethrowIfCancelled, withHeartbeat } from './heartbeat';
import type { Toolbox } from './tools';

export interface ReadInTurnInput {
  userId: string;
  transcript: string;
  index: number;
  tool: string;
  args: Record<string, unknown>;
}

export function makeAssistantReads(store: Store, toolbox: Toolbox) {
  async function read(input: ReadInTurnInput): Promise<string> {
    if (!isTurnReadTool(input.tool)) return `error: ${input.tool} cannot run within a turn`;
    const checked = await toolbox.validate(input.userId, input.tool, input.args);
    if (!checked.ok) return `error: ${checked.error}`;
    if (checked.spec.effect !== 'read') return `error: ${input.tool} is not read-only`;
    try {
      const callId = `read-${input.index}`;
      const out = await withHeartbeat({ tool: input.tool, callId }, (signal) =>
        toolbox.run(input.tool, checked.args, { userId: input.userId, taskId: input.transcript, callId, signal }),
      );
      return out.text;
    } catch (err) {
      rethrowIfCancelled(err);
      return `error: ${(err as Error).message}`;
    }
  }

  return {
    async readInTurn(input: ReadInTurnInput): Promise<{ chars: number }> {
      // A retry finds the result it stored before and does not read again.
      const stored = await store.agentTranscripts.at<{ content: string }>(input.transcript, input.index, 0);
      if (stored) return { chars: stored.content.length };
      const message = toolMessage(`read-${input.index}`, await read(input));
      await store.agentTranscripts.append(input.transcript, { userId: input.userId, taskId: input.transcript }, [{ step: input.index, position: 0, message }]);
      return { chars: message.content?.length ?? 0 };
    },
  };
}
