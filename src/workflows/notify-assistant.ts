// How a child reports back: a signal to `assistant:<userId>` with no run ID, so it reaches the
// current run even after the assistant continued-as-new.
import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { assistantWorkflowId } from '../shared/ids';
import type { AssistantEventInput } from '../shared/types';
import { eventSignal } from '../shared/assistant-messages';

export async function signalAssistant(userId: string, event: AssistantEventInput): Promise<void> {
  try {
    await getExternalWorkflowHandle(assistantWorkflowId(userId)).signal(eventSignal, event);
  } catch (err) {
    // The outcome is already in the store; losing the echo to a stopped assistant loses nothing.
    log.warn('could not signal the assistant', { userId, eventId: event.id, error: (err as Error).message });
  }
}
