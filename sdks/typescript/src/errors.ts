// Errors the SDK throws. A task that ends "failed" is not an error: run() returns it.
import type { Task } from "./types.js";

export class StablebrowseError extends Error {
  override name = "StablebrowseError";
}

/** The API could not be reached (refused, reset, DNS, TLS) or did not answer in time. */
export class APIConnectionError extends StablebrowseError {
  override name = "APIConnectionError";
}

export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/** The API answered with an error status; `body` is the decoded JSON error, if any. */
export class APIStatusError extends StablebrowseError {
  override name = "APIStatusError";
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {
    super(message);
  }
}

/** 400: the message names the field and the reason. */
export class BadRequestError extends APIStatusError {
  override name = "BadRequestError";
}

/** 401: missing, malformed or unknown API key. */
export class AuthenticationError extends APIStatusError {
  override name = "AuthenticationError";
}

/** 403: revoked key, or a session of another business or end user. */
export class PermissionDeniedError extends APIStatusError {
  override name = "PermissionDeniedError";
}

/** 404: no such task for this business. */
export class NotFoundError extends APIStatusError {
  override name = "NotFoundError";
}

/** 409: the Idempotency-Key was used for a different request, or its first request is still in progress. */
export class ConflictError extends APIStatusError {
  override name = "ConflictError";
}

/** 429: a quota refused the request; `retryAfter` in seconds, if the server said. */
export class RateLimitError extends APIStatusError {
  override name = "RateLimitError";
  readonly retryAfter: number | undefined = parseRetryAfter(this.headers.get("retry-after"));
}

/** wait()/run() gave up; the task keeps running on the server. `task` is the last record seen. */
export class TaskTimeoutError extends StablebrowseError {
  override name = "TaskTimeoutError";
  constructor(message: string, readonly task: Task) {
    super(message);
  }
}

/** Thrown by run({ raiseOnFailure: true }) for a task that ended "failed". */
export class TaskFailedError extends StablebrowseError {
  override name = "TaskFailedError";
  constructor(readonly task: Task) {
    super(`task ${task.taskId} failed (${task.errorCode}): ${task.error}`);
  }
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

const BY_STATUS: Record<number, typeof APIStatusError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

export function statusError(status: number, body: unknown, headers: Headers): APIStatusError {
  const message = body && typeof body === "object" ? (body as { message?: unknown }).message : undefined;
  const text = `HTTP ${status}: ${message ?? (typeof body === "string" && body ? body : "no message")}`;
  const ErrorClass = BY_STATUS[status] ?? APIStatusError;
  return new ErrorClass(text, status, body, headers);
}
