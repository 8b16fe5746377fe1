// Settings a workflow needs from config. Workflows cannot read the environment, so the starter
// passes these in and continue-as-new carries them.
export interface WorkflowSettings {
  windowSize: number;
  agentMaxSteps: number;
  maxTasksPerUser: number;
  taskTimeoutMinutes: number;
  heartbeatTimeoutSeconds: number;
  modelTimeoutSeconds: number;
  /** A chat update answers within this long; the real reply follows as a message. */
  chatDeadlineSeconds: number;
  /** Most feed events per model call (PAPRIKA_BATCH_SIZE). */
  batchSize: number;
  /** Queue length beyond which the lowest-priority events are folded into a digest (PAPRIKA_QUEUE_MAX). */
  queueMax: number;
  /** Store writes' start-to-close timeout (PAPRIKA_ACTIVITY_TIMEOUT_SECONDS). */
  activityTimeoutSeconds: number;
  /** The per-turn reading budget (absent in runs started before reading in the turn: the defaults). */
  turnReads?: number;
  turnReadSeconds?: number;
  /** After a user's turn, background batches wait this long for the conversation to pause (absent before: the default). */
  backgroundQuietSeconds?: number;
}

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  windowSize: 24,
  agentMaxSteps: 12,
  maxTasksPerUser: 8,
  taskTimeoutMinutes: 60,
  heartbeatTimeoutSeconds: 30,
  modelTimeoutSeconds: 60,
  chatDeadlineSeconds: 20,
  batchSize: 25,
  queueMax: 200,
  activityTimeoutSeconds: 30,
  turnReads: 4,
  turnReadSeconds: 10,
  backgroundQuietSeconds: 2,
};
