export { Client, Tasks, DEFAULT_BASE_URL, VERSION } from "./client.js";
export type { ClientOptions, RetryEvent } from "./client.js";
export * from "./errors.js";
export { toTask, isDone } from "./types.js";
export type {
  ListParams,
  RunParams,
  StepSummary,
  SubmitParams,
  Task,
  TaskPage,
  TaskStatus,
  Usage,
  WaitOptions,
} from "./types.js";
