// Records with the API's wire names (tasks.proto's and credentials.proto's json_name). Optional
// fields are absent when the server has nothing to say; fields added by a newer server are kept.

export type TaskStatus = "pending" | "running" | "completed" | "failed";

export interface StepSummary {
  n: number;
  type: string;
  msg: string;
  success?: boolean;
  /** GET /v1/tasks/{taskId}/steps/{n}/screenshot has a JPEG for this step. */
  hasScreenshot?: boolean;
  /** Replayed from one of the business's recipes, without the model. */
  replayed?: boolean;
  /** When the step happened (RFC 3339). */
  at?: string;
  [field: string]: unknown;
}

export interface Usage {
  llmCalls?: number;
  promptTokens?: number;
  completionTokens?: number;
  [field: string]: unknown;
}

/** The grounding check of an answer: `unsupported` lists its facts found on no page the task visited. */
export interface Verification {
  grounded: boolean;
  unsupported: string[];
  [field: string]: unknown;
}

export interface Task {
  taskId: string;
  sessionId: string;
  endUserId?: string;
  status: TaskStatus | (string & {});
  task?: string;
  result?: string;
  structured_content?: unknown;
  html_dump?: string;
  totalSteps?: number;
  durationMs?: number;
  visitedUrls: string[];
  stepSummaries: StepSummary[];
  error?: string;
  errorCode?: string;
  /** RFC 3339, e.g. "2026-04-21T04:55:34.120Z". */
  createdAt?: string;
  updatedAt?: string;
  previousContext?: string;
  previousError?: string;
  usage?: Usage;
  startUrl?: string;
  maxSteps?: number;
  /** Set once an answer was given (completed, or failed "ungrounded"). */
  verification?: Verification;
  [field: string]: unknown;
}

export interface TaskPage {
  /** Newest first; records in a list leave out html_dump. */
  tasks: Task[];
  nextPageToken?: string;
}

export interface SubmitParams {
  task: string;
  endUserId: string;
  sessionId?: string;
  startUrl?: string;
  /** A JSON Schema; the completed task's structured_content conforms to it. */
  schema?: Record<string, unknown>;
  maxSteps?: number;
  includeHtmlDump?: boolean;
  /** An answer whose facts are on no visited page goes back to the agent once, then fails "ungrounded". */
  requireGrounded?: boolean;
  /** Sent as Idempotency-Key on every attempt (default: a new UUID): within 24 h the same key and
   * body answer the same task, so a retry after a lost answer creates no second task. */
  idempotencyKey?: string;
}

export interface ListParams {
  sessionId?: string;
  endUserId?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface WaitOptions {
  /** Give up (TaskTimeoutError) after this long; the task keeps running. Default 300000. */
  timeoutMs?: number;
  /** Called once for each new step, in order, as the steps appear. */
  onStep?: (step: StepSummary) => void | Promise<void>;
  /** Throw TaskFailedError for a failed task instead of returning it. */
  raiseOnFailure?: boolean;
  /** First poll interval; grows 1.5x up to maxPollIntervalMs. Default 250 / 2000. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

export type RunParams = SubmitParams & WaitOptions;

export type CredentialKind = "cookies" | "password" | "cookies+password";

/** What the vault holds for one end user and domain: never the secrets themselves. */
export interface Credential {
  domain: string;
  kind: CredentialKind | (string & {});
  /** RFC 3339. */
  updatedAt?: string;
  [field: string]: unknown;
}

/** A cookie to store, as the site set it. */
export interface Cookie {
  name: string;
  value: string;
  /** Default: the credential's domain; must be that or one of its subdomains. */
  domain?: string;
  /** Default "/". */
  path?: string;
  /** Unix time in seconds (or a Date); absent: a session cookie. */
  expires?: number | Date;
  httpOnly?: boolean;
  secure?: boolean;
  /** Absent: the browser's default. */
  sameSite?: "Strict" | "Lax" | "None";
}

/** cookies, or a username and password, or both. */
export interface PutCredentialParams {
  cookies?: Cookie[];
  username?: string;
  password?: string;
}

/** Read a record as received: lists default to [], every other field (known or not) is kept. */
export function toTask(data: unknown): Task {
  const record = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  return {
    ...record,
    taskId: String(record.taskId ?? ""),
    sessionId: String(record.sessionId ?? ""),
    status: String(record.status ?? ""),
    visitedUrls: Array.isArray(record.visitedUrls) ? (record.visitedUrls as string[]) : [],
    stepSummaries: Array.isArray(record.stepSummaries) ? (record.stepSummaries as StepSummary[]) : [],
    ...(record.verification && typeof record.verification === "object"
      ? { verification: toVerification(record.verification as Record<string, unknown>) }
      : {}),
  };
}

function toVerification(record: Record<string, unknown>): Verification {
  return {
    ...record,
    grounded: record.grounded === true,
    unsupported: Array.isArray(record.unsupported) ? (record.unsupported as string[]) : [],
  };
}

export function isDone(task: Task): boolean {
  return task.status === "completed" || task.status === "failed";
}

export function toCredential(data: unknown): Credential {
  const record = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  return { ...record, domain: String(record.domain ?? ""), kind: String(record.kind ?? "") };
}
