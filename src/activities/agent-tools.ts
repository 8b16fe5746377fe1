// The agents' toolbox now lives in ./tools (one module per external dependency, specs from
// src/assistant/tool-registry.ts); this name is kept for code that imported it from here.
export { createToolbox as createAgentToolbox, type Toolbox as AgentToolbox } from './tools';
