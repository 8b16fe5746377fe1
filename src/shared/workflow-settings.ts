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
  /** The per-turn reading budget (absent in runs started before reading in the turn: the defaults). */
  turnReads?: number;
  turnReadSeconds?: number;
}

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  windowSize: 24,
  agentMaxSteps: 12,
  maxTasksPerUser: 8,
  taskTimeoutMinutes: 60,
  heartbeatTimeoutSeconds: 30,
  modelTimeoutSeconds: 60,
  chatDeadlineSeconds: 20,
  turnReads: 4,
  turnReadSeconds: 10,
};
