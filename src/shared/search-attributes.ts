// Custom search attributes: filter the Temporal UI by user and by kind of workflow
// (e.g. `PaprikaUser = "me" AND PaprikaKind = "task"`).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PAPRIKA_USER = defineSearchAttributeKey('PaprikaUser', SearchAttributeType.KEYWORD);
export const PAPRIKA_KIND = defineSearchAttributeKey('PaprikaKind', SearchAttributeType.KEYWORD);

export type WorkflowKind = 'assistant' | 'task' | 'reminder' | 'agent' | 'feed' | 'schedule' | 'follow-up';

export const SEARCH_ATTRIBUTES = [PAPRIKA_USER, PAPRIKA_KIND];

export function searchAttributes(userId: string, kind: WorkflowKind) {
  return [
    { key: PAPRIKA_USER, value: userId },
    { key: PAPRIKA_KIND, value: kind },
  ];
}
