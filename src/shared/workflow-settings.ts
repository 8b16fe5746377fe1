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
}

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  windowSize: 24,
  agentMaxSteps: 12,
  maxTasksPerUser: 8,
  taskTimeoutMinutes: 60,
  heartbeatTimeoutSeconds: 30,
  modelTimeoutSeconds: 60,
  chatDeadlineSeconds: 20,
};
