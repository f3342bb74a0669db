// Client: one fetch per method, retries in one place (send), tasks.run = submit, then poll
// with backoff until the task is completed or failed, and credentials = the end users' logins.
import {
  APIConnectionError,
  APITimeoutError,
  StablebrowseError,
  TaskFailedError,
  TaskTimeoutError,
  parseRetryAfter,
  statusError,
} from "./errors.js";
import { isDone, toCredential, toTask } from "./types.js";
import type {
  Cookie,
  Credential,
  ListParams,
  PutCredentialParams,
  RunParams,
  StepSummary,
  SubmitParams,
  Task,
  TaskPage,
  WaitOptions,
} from "./types.js";
import { streamTask } from "./stream.js";
import type { Share, StreamOptions, TaskEvent } from "./stream.js";
import { Webhooks } from "./webhooks.js";

export const VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "http://127.0.0.1:8080";
const RETRY_STATUSES = [429, 503];
/** Retried only with Retry-After: an earlier attempt with the same Idempotency-Key is still running. */
const IN_PROGRESS = 409;
/** Safe to resend after any connection failure: repeating them ends the same (and so does a POST
 * with an Idempotency-Key, which every submit sends). */
const IDEMPOTENT = ["GET", "PUT", "DELETE"];
type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Passed to onRetry before each wait: the attempt that failed (1-based) and why. */
export interface RetryEvent {
  method: string;
  path: string;
  attempt: number;
  waitMs: number;
  status?: number;
  error?: unknown;
}

export interface ClientOptions {
  /** Default: STABLEBROWSE_API_KEY. */
  apiKey?: string;
  /** Default: STABLEBROWSE_BASE_URL, else http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Per request. Default 30000. */
  timeoutMs?: number;
  /** Retries of 429, 503, 409 with Retry-After (same Idempotency-Key in progress) and connection failures. Default 2. */
  maxRetries?: number;
  /** A longer Retry-After is not waited for: the error is thrown. Default 60. */
  maxRetryAfterSeconds?: number;
  onRetry?: (event: RetryEvent) => void;
  /** Default: the global fetch (Node 18+). */
  fetch?: typeof fetch;
}

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name] || undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function backoffMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
}

/** Connection failures that mean the request never reached the server (safe to resend a POST). */
function neverArrived(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "UND_ERR_CONNECT_TIMEOUT";
}

/** A fresh Idempotency-Key: Web Crypto where the runtime has it globally (Node 19+), else node:crypto. */
async function newKey(): Promise<string> {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (webCrypto?.randomUUID) return webCrypto.randomUUID();
  const nodeCrypto: { randomUUID: () => string } = await import("node:crypto" as string);
  return nodeCrypto.randomUUID();
}

async function decode(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class Client {
  readonly baseUrl: string;
  readonly tasks: Tasks;
  readonly credentials: Credentials;
  readonly webhooks: Webhooks;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly onRetry?: (event: RetryEvent) => void;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions = {}) {
    const apiKey = options.apiKey ?? env("STABLEBROWSE_API_KEY");
    if (!apiKey) throw new StablebrowseError("no API key: pass apiKey or set STABLEBROWSE_API_KEY");
    this.apiKey = apiKey;
    this.baseUrl = (options.baseUrl ?? env("STABLEBROWSE_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
    this.onRetry = options.onRetry;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.tasks = new Tasks(this);
    this.credentials = new Credentials(this);
    this.webhooks = new Webhooks(this);
  }

  /** @internal One API call with bounded retries; returns the decoded JSON body or throws a typed error.
   * goneIsDone (DELETE): a 404 to a resent request means an earlier attempt did it.
   * idempotencyKey (POST): sent on every attempt, which makes the POST safe to resend;
   * repeatable (a POST such as cancel): doing it twice is doing it once. */
  async send(method: Method, path: string, body?: unknown, goneIsDone = false, idempotencyKey?: string,
    repeatable = false): Promise<unknown> {
    repeatable ||= IDEMPOTENT.includes(method) || idempotencyKey !== undefined;
    for (let attempt = 1; ; attempt++) {
      let waitMs: number | undefined;
      let event: RetryEvent;
      try {
        const response = await this.fetchImpl(this.baseUrl + path, {
          method,
          headers: {
            Authorization: `Bearer ${this.apiKey}`,
            "User-Agent": `stablebrowse-typescript/${VERSION}`,
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
            ...(idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const decoded = await decode(response);
        if (response.ok) return decoded;
        if (goneIsDone && attempt > 1 && response.status === 404) return {};
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        const inProgress = response.status === IN_PROGRESS && retryAfter !== undefined;
        if (attempt <= this.maxRetries && (RETRY_STATUSES.includes(response.status) || inProgress)) {
          if (retryAfter === undefined) waitMs = backoffMs(attempt);
          else if (retryAfter <= this.maxRetryAfterSeconds) waitMs = retryAfter * 1000;
        }
        if (waitMs === undefined) throw statusError(response.status, decoded, response.headers);
        event = { method, path, attempt, waitMs, status: response.status };
      } catch (error) {
        if (error instanceof StablebrowseError) throw error;
        const timedOut = (error as { name?: string })?.name === "TimeoutError";
        if (attempt > this.maxRetries || (!repeatable && !neverArrived(error))) {
          const cause = (error as { cause?: { code?: string } })?.cause?.code;
          const text = `${method} ${path}: ${(error as Error)?.message ?? error}${cause ? ` (${cause})` : ""}`;
          throw timedOut ? new APITimeoutError(text, { cause: error }) : new APIConnectionError(text, { cause: error });
        }
        waitMs = backoffMs(attempt);
        event = { method, path, attempt, waitMs, error };
      }
      this.onRetry?.(event);
      await sleep(waitMs);
    }
  }
  /** @internal GET a response to read as it comes (tasks.stream), with this client's key; no
   * timeout or retry here: the caller reads, times and retries it. */
  open(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const auth = { Authorization: `Bearer ${this.apiKey}`, "User-Agent": `stablebrowse-typescript/${VERSION}` };
    return this.fetchImpl(this.baseUrl + path, { headers: { ...auth, ...headers }, signal });
  }
}

/** The path of one task. */
function taskPath(taskId: string): string {
  if (!taskId) throw new TypeError("taskId must be non-empty");
  return `/v1/tasks/${encodeURIComponent(taskId)}`;
}

export class Tasks {
  constructor(private readonly client: Client) {}

  /** POST /v1/tasks: the new task (taskId, sessionId, status "pending", createdAt). Sent with an
   * Idempotency-Key (params.idempotencyKey or a new UUID) that its retries reuse. */
  async submit(params: SubmitParams): Promise<Task> {
    const body: Record<string, unknown> = { endUserId: params.endUserId, task: params.task };
    if (params.sessionId !== undefined) body.sessionId = params.sessionId;
    if (params.startUrl !== undefined) body.startUrl = params.startUrl;
    if (params.schema !== undefined) body.schema = params.schema;
    if (params.maxSteps !== undefined) body.maxSteps = params.maxSteps;
    if (params.includeHtmlDump !== undefined) body.include_html_dump = params.includeHtmlDump;
    if (params.requireGrounded !== undefined) body.requireGrounded = params.requireGrounded;
    const key = params.idempotencyKey ?? (await newKey());
    return toTask(await this.client.send("POST", "/v1/tasks", body, false, key));
  }

  async get(taskId: string): Promise<Task> {
    return toTask(await this.client.send("GET", taskPath(taskId)));
  }

  /** The task's events as they happen: StepEvent, StatusEvent, and last a DoneEvent with the
   * record; reconnects with Last-Event-ID when the connection drops (see stream.ts). */
  stream(taskId: string, options: StreamOptions = {}): AsyncGenerator<TaskEvent> {
    const path = `${taskPath(taskId)}/events`;
    const source = {
      open: (headers: Record<string, string>, signal: AbortSignal) => this.client.open(path, headers, signal),
      get: () => this.get(taskId),
    };
    return streamTask(source, taskId, options);
  }

  /** POST /v1/tasks/{id}/cancel: a pending task never starts, a running one stops; either ends
   * "failed" with errorCode "cancelled". A task that had ended comes back unchanged. */
  async cancel(taskId: string): Promise<Task> {
    return toTask(await this.client.send("POST", `${taskPath(taskId)}/cancel`, {}, false, undefined, true));
  }

  /** A link that shows the task live to whoever opens it, no API key needed; it expires after
   * expiresInSeconds (server default 24 h, at most 7 days). */
  async share(taskId: string, options: { expiresInSeconds?: number } = {}): Promise<Share> {
    const body = options.expiresInSeconds === undefined ? {} : { expiresInSeconds: options.expiresInSeconds };
    const shared = ((await this.client.send("POST", `${taskPath(taskId)}/share`, body)) ?? {}) as Record<string, unknown>;
    return { ...shared, url: String(shared.url ?? "") };
  }

  /** One page, newest first; pass nextPageToken back as pageToken for the next. */
  async list(params: ListParams = {}): Promise<TaskPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
    const suffix = query.toString() ? `?${query}` : "";
    const page = ((await this.client.send("GET", `/v1/tasks${suffix}`)) ?? {}) as Record<string, unknown>;
    const tasks = Array.isArray(page.tasks) ? page.tasks.map(toTask) : [];
    return { ...page, tasks, nextPageToken: (page.nextPageToken as string | undefined) || undefined };
  }

  /** Polls with backoff until the task is completed or failed and returns it (a failed task too,
   * unless raiseOnFailure). onStep sees each new step once; TaskTimeoutError after timeoutMs. */
  async wait(taskId: string, options: WaitOptions = {}): Promise<Task> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const deadline = Date.now() + timeoutMs;
    let interval = options.pollIntervalMs ?? 250;
    const maxInterval = options.maxPollIntervalMs ?? 2000;
    let seen = 0;
    for (;;) {
      const task = await this.get(taskId);
      if (task.stepSummaries.length < seen) seen = 0; // a rerun after a lost worker starts its steps again
      const fresh: StepSummary[] = task.stepSummaries.slice(seen);
      seen = task.stepSummaries.length;
      for (const step of fresh) await options.onStep?.(step);
      if (isDone(task)) {
        if (task.status === "failed" && options.raiseOnFailure) throw new TaskFailedError(task);
        return task;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new TaskTimeoutError(`task ${taskId} still ${task.status} after ${timeoutMs}ms`, task);
      await sleep(Math.min(interval, remaining));
      interval = Math.min(maxInterval, interval * 1.5);
    }
  }

  /** submit + wait: the completed or failed task in one call. */
  async run(params: RunParams): Promise<Task> {
    const { timeoutMs, onStep, raiseOnFailure, pollIntervalMs, maxPollIntervalMs, ...submit } = params;
    const submitted = await this.submit(submit);
    return this.wait(submitted.taskId, { timeoutMs, onStep, raiseOnFailure, pollIntervalMs, maxPollIntervalMs });
  }
}

/** One path segment: percent-encoded whole (an end user id may hold any character). "." and ".."
 * cannot be sent: fetch's URL parser resolves them, even encoded, as dot segments. */
function segment(name: string, value: string): string {
  if (typeof value !== "string" || !value) throw new TypeError(`${name} must be a non-empty string`);
  if (value === "." || value === "..") throw new TypeError(`${name} "${value}" cannot be sent in a URL path`);
  return encodeURIComponent(value);
}

function credentialsPath(endUserId: string, domain?: string): string {
  const path = `/v1/end-users/${segment("endUserId", endUserId)}/credentials`;
  return domain === undefined ? path : `${path}/${segment("domain", domain)}`;
}

const COOKIE_FIELDS: Record<string, string> = {
  name: "string", value: "string", domain: "string", path: "string", expires: "number",
  httpOnly: "boolean", secure: "boolean", sameSite: "string",
};

/** The PUT body, its shape checked here so that no value is ever echoed back in an error. */
function credentialBody(params: PutCredentialParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (params.cookies !== undefined) {
    if (!Array.isArray(params.cookies)) throw new TypeError("cookies: an array of cookies");
    body.cookies = params.cookies.map((cookie: Cookie, i) => {
      if (!cookie || typeof cookie !== "object") throw new TypeError(`cookies[${i}]: a cookie is an object`);
      const wire: Record<string, unknown> = {};
      for (const [key, raw] of Object.entries(cookie)) {
        if (raw === undefined || raw === null) continue;
        if (!(key in COOKIE_FIELDS)) throw new TypeError(`cookies[${i}]: unknown field ${JSON.stringify(key)}`);
        const value = raw instanceof Date ? Math.floor(raw.getTime() / 1000) : raw;
        const type = COOKIE_FIELDS[key];
        if (typeof value !== type || (type === "number" && !Number.isSafeInteger(value))) {
          throw new TypeError(`cookies[${i}].${key}: must be ${type === "number" ? "an integer or a Date" : `a ${type}`}`);
        }
        wire[key] = value;
      }
      for (const key of ["name", "value"]) if (!(key in wire)) throw new TypeError(`cookies[${i}].${key}: required`);
      return wire;
    });
  }
  for (const key of ["username", "password"] as const) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new TypeError(`${key}: must be a string`);
    body[key] = value;
  }
  return body;
}

/** client.credentials: an end user's logins for sites behind one (the vault). Secrets go in with
 * put and never come out: records say domain, kind and updatedAt, nothing else. */
export class Credentials {
  constructor(private readonly client: Client) {}

  /** Creates or replaces the end user's credential for domain (and its subdomains). */
  async put(endUserId: string, domain: string, params: PutCredentialParams): Promise<Credential> {
    const path = credentialsPath(endUserId, domain);
    return toCredential(await this.client.send("PUT", path, credentialBody(params ?? {})));
  }

  async list(endUserId: string): Promise<Credential[]> {
    const response = ((await this.client.send("GET", credentialsPath(endUserId))) ?? {}) as { credentials?: unknown };
    return Array.isArray(response.credentials) ? response.credentials.map(toCredential) : []; // absent when empty
  }

  /** NotFoundError when there is none (unless a resent DELETE finds an earlier attempt did it). */
  async delete(endUserId: string, domain: string): Promise<void> {
    await this.client.send("DELETE", credentialsPath(endUserId, domain), undefined, true);
  }
}
