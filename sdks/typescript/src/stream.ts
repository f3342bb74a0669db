// tasks.stream: GET /v1/tasks/{id}/events as an async iterator of typed events. A StepEvent per
// step (the steps already taken first), a StatusEvent per status change, and last a DoneEvent
// with the whole record. A dropped connection (or a stream that ends before "done") is reopened
// with Last-Event-ID, so no step is handed over twice or missed, after the server's `retry` or a
// growing backoff, up to maxReconnects times in a row without progress (then APIConnectionError).
// A read that waits more than idleTimeoutMs counts as a drop (the server sends a keep-alive every
// 15 s). After timeoutMs (default: none), TaskTimeoutError; the task keeps running.
import { APIConnectionError, StablebrowseError, TaskTimeoutError, parseRetryAfter, statusError } from "./errors.js";
import { SSEParser } from "./sse.js";
import type { ServerSentEvent } from "./sse.js";
import { toTask } from "./types.js";
import type { StepSummary, Task } from "./types.js";

export interface StepEvent {
  event: "step";
  step: StepSummary;
  /** RFC 3339: when the worker reported it; absent for steps replayed to a late watcher. */
  at?: string;
  /** The SSE event id (the step number). */
  id: string;
}

export interface StatusEvent {
  event: "status";
  taskId: string;
  status: string;
}

export interface DoneEvent {
  event: "done";
  task: Task;
}

export type TaskEvent = StepEvent | StatusEvent | DoneEvent;

export interface StreamOptions {
  /** Start after this step (as a reconnection would). */
  lastEventId?: number | string;
  /** Give up (TaskTimeoutError) after this long. Default: never. */
  timeoutMs?: number;
  /** Reconnections in a row without a new event before APIConnectionError. Default 5. */
  maxReconnects?: number;
  /** A silence this long counts as a dropped connection. Default 45000 (three keep-alives). */
  idleTimeoutMs?: number;
  /** Aborting it ends the iteration with the signal's reason. */
  signal?: AbortSignal;
}

/** A link that shows the task to whoever has it, without an API key, until expiresAt. */
export interface Share {
  url: string;
  /** RFC 3339. */
  expiresAt?: string;
  [field: string]: unknown;
}

/** What the stream needs from the client, for one task: open its events URL, read its record. */
export interface StreamSource {
  open(headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
  get(): Promise<Task>;
}

const EVENT_STREAM = "text/event-stream";
const RETRY_STATUSES = [429, 502, 503, 504];

function json(event: ServerSentEvent): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    data = undefined;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new StablebrowseError(`event stream: the data of a "${event.event}" event is not a JSON object`);
  }
  return data as Record<string, unknown>;
}

/** The typed form of a server event; undefined for an event type this SDK does not know. */
export function toTaskEvent(event: ServerSentEvent): TaskEvent | undefined {
  if (event.event === "step") {
    const { at, ...step } = json(event);
    return { event: "step", step: step as StepSummary, ...(typeof at === "string" ? { at } : {}), id: event.id };
  }
  if (event.event === "status") {
    const data = json(event);
    return { event: "status", taskId: String(data.taskId ?? ""), status: String(data.status ?? "") };
  }
  if (event.event === "done") return { event: "done", task: toTask(json(event)) };
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class Watch {
  lastEventId: string;
  status = "";
  done = false;
  failures = 0;
  retryMs?: number;
  /** Why the last connection was not read: "HTTP 503". */
  refusal?: string;
  readonly deadline?: number;

  constructor(readonly taskId: string, readonly options: StreamOptions) {
    this.lastEventId = options.lastEventId === undefined ? "" : String(options.lastEventId);
    this.deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  }

  headers(): Record<string, string> {
    const headers: Record<string, string> = { Accept: EVENT_STREAM, "Cache-Control": "no-cache" };
    if (this.lastEventId) headers["Last-Event-ID"] = this.lastEventId;
    return headers;
  }

  remainingMs(): number {
    return this.deadline === undefined ? Infinity : this.deadline - Date.now();
  }

  /** True to read the response as the stream; false to reconnect; else the typed error is thrown. */
  async check(response: Response): Promise<boolean> {
    if (response.status === 200) {
      const kind = response.headers.get("content-type") ?? "";
      if (kind.startsWith(EVENT_STREAM)) return true;
      await response.body?.cancel();
      throw new StablebrowseError(`GET /v1/tasks/${this.taskId}/events answered ${kind || "no content type"}, not an event stream`);
    }
    const text = await response.text();
    if (RETRY_STATUSES.includes(response.status)) {
      this.refusal = `HTTP ${response.status}`;
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      if (retryAfter !== undefined) this.retryMs = retryAfter * 1000;
      return false;
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the text is the body
    }
    throw statusError(response.status, body, response.headers);
  }

  take(events: ServerSentEvent[], parser: SSEParser): TaskEvent[] {
    this.lastEventId = parser.lastEventId;
    if (parser.retryMs !== undefined) this.retryMs = parser.retryMs;
    const out: TaskEvent[] = [];
    for (const raw of events) {
      const event = toTaskEvent(raw);
      if (!event) continue;
      if (event.event === "status") {
        if (event.status === this.status) continue; // a reconnection repeats it
        this.status = event.status;
      }
      this.failures = 0;
      this.done ||= event.event === "done";
      out.push(event);
    }
    return out;
  }

  nextWaitMs(why: string): number {
    this.failures += 1;
    if (this.failures > (this.options.maxReconnects ?? 5)) {
      throw new APIConnectionError(`event stream of task ${this.taskId} lost ${this.failures} times in a row, last: ${why}`);
    }
    const wait = this.retryMs ?? Math.min(8000, 500 * 2 ** (this.failures - 1)) * (0.5 + Math.random() / 2);
    return Math.max(0, Math.min(wait, this.remainingMs()));
  }
}

/** One connection: yields its events until it ends, is dropped or goes silent (aborted). */
async function* connection(source: StreamSource, watch: Watch, signal?: AbortSignal): AsyncGenerator<TaskEvent> {
  const abort = new AbortController();
  const stop = () => abort.abort(signal?.reason);
  signal?.addEventListener("abort", stop);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    const idle = Math.max(10, Math.min(watch.options.idleTimeoutMs ?? 45_000, watch.remainingMs()));
    timer = setTimeout(() => abort.abort(new Error(`no data for ${idle} ms`)), idle);
  };
  try {
    arm();
    const response = await source.open(watch.headers(), abort.signal);
    if (!(await watch.check(response)) || !response.body) return;
    const parser = new SSEParser(watch.lastEventId);
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        arm();
        yield* watch.take(parser.feed(value), parser);
        if (watch.done) return;
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
  }
}

export async function* streamTask(source: StreamSource, taskId: string, options: StreamOptions = {}): AsyncGenerator<TaskEvent> {
  const watch = new Watch(taskId, options);
  for (;;) {
    let why = "the stream ended before its done event";
    watch.refusal = undefined;
    try {
      yield* connection(source, watch, options.signal);
      if (watch.done) return;
      why = watch.refusal ?? why;
    } catch (error) {
      if (error instanceof StablebrowseError || options.signal?.aborted) throw error;
      why = String((error as Error)?.message ?? error);
    }
    if (watch.remainingMs() <= 0) {
      throw new TaskTimeoutError(`task ${taskId} not done after ${options.timeoutMs}ms of watching`, await source.get());
    }
    await sleep(watch.nextWaitMs(why));
  }
}
