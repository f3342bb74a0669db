export { Client, Credentials, Tasks, DEFAULT_BASE_URL, VERSION } from "./client.js";
export type { ClientOptions, RetryEvent } from "./client.js";
export * from "./errors.js";
export { toTask, toCredential, isDone } from "./types.js";
export type {
  Cookie,
  Credential,
  CredentialKind,
  ListParams,
  PutCredentialParams,
  RunParams,
  StepSummary,
  SubmitParams,
  Task,
  TaskPage,
  TaskStatus,
  Usage,
  Verification,
  WaitOptions,
} from "./types.js";
export { Webhooks, WebhookVerificationError, verifyWebhook, toWebhook, toDelivery } from "./webhooks.js";
export type { Delivery, DeliveryAttempt, PutWebhookParams, Webhook, WebhookEvent, WebhookPayload } from "./webhooks.js";
export { SSEParser } from "./sse.js";
export type { ServerSentEvent } from "./sse.js";
export { toTaskEvent } from "./stream.js";
export type { DoneEvent, Share, StatusEvent, StepEvent, StreamOptions, TaskEvent } from "./stream.js";
