// client.webhooks (the business's signed webhook: put, get, delete, deliveries) and
// verifyWebhook, which checks a received request the Standard Webhooks way.
import type { Client } from "./client.js";
import { StablebrowseError } from "./errors.js";

export type WebhookEvent = "task.completed" | "task.failed";

/** The business's webhook. `secret` ("whsec_…") is present only in the put that made it. */
export interface Webhook {
  url: string;
  events: WebhookEvent[];
  secret?: string;
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
}

export interface PutWebhookParams {
  /** Absolute http(s) URL, at most 2048 characters. */
  url: string;
  /** Default: both events. */
  events?: WebhookEvent[];
  /** Make a new secret (returned once); the old one stops signing at once. */
  rotateSecret?: boolean;
}

/** One try: the receiver's statusCode, or error when no answer came. */
export interface DeliveryAttempt {
  at?: string;
  statusCode?: number;
  error?: string;
  durationMs?: number;
  [field: string]: unknown;
}

/** One event's delivery; id is its webhook-id. */
export interface Delivery {
  id: string;
  type: string;
  taskId: string;
  status: "pending" | "delivered" | "failed" | "canceled" | string;
  attempts: DeliveryAttempt[];
  nextAttemptAt?: string;
  createdAt?: string;
  [field: string]: unknown;
}

/** What a verified webhook carries. */
export interface WebhookPayload {
  type: WebhookEvent | string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** A received webhook is not genuine: missing headers, bad signature or stale timestamp. */
export class WebhookVerificationError extends StablebrowseError {}

function record(data: unknown): Record<string, unknown> {
  return (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
}

export function toWebhook(data: unknown): Webhook {
  const r = record(data);
  return { ...r, url: String(r.url ?? ""), events: Array.isArray(r.events) ? (r.events as WebhookEvent[]) : [] };
}

export function toDelivery(data: unknown): Delivery {
  const r = record(data);
  return {
    ...r,
    id: String(r.id ?? ""),
    type: String(r.type ?? ""),
    taskId: String(r.taskId ?? ""),
    status: String(r.status ?? ""),
    attempts: Array.isArray(r.attempts) ? (r.attempts as DeliveryAttempt[]) : [],
  };
}

/** client.webhooks: one webhook per business, called when a task completes or fails. */
export class Webhooks {
  constructor(private readonly client: Client) {}

  /** Creates or replaces the webhook; `secret` is in the answer on creation and rotation only. */
  async put(params: PutWebhookParams): Promise<Webhook> {
    const body: Record<string, unknown> = { url: params.url };
    if (params.events !== undefined) body.events = params.events;
    if (params.rotateSecret) body.rotateSecret = true;
    return toWebhook(await this.client.send("PUT", "/v1/webhook", body));
  }

  /** The configuration, without the secret; NotFoundError when none is configured. */
  async get(): Promise<Webhook> {
    return toWebhook(await this.client.send("GET", "/v1/webhook"));
  }

  async delete(): Promise<void> {
    await this.client.send("DELETE", "/v1/webhook", undefined, true);
  }

  /** Recent deliveries, newest first, with every attempt's status code. */
  async deliveries(options: { limit?: number } = {}): Promise<Delivery[]> {
    const query = options.limit === undefined ? "" : `?limit=${encodeURIComponent(String(options.limit))}`;
    const response = record(await this.client.send("GET", `/v1/webhook/deliveries${query}`));
    return Array.isArray(response.deliveries) ? response.deliveries.map(toDelivery) : []; // absent when empty
  }
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string {
  let value: string | string[] | null | undefined;
  if (typeof (headers as Headers).get === "function") value = (headers as Headers).get(name);
  else value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  if (Array.isArray(value)) value = value[0];
  if (!value) throw new WebhookVerificationError(`missing ${name} header`);
  return value;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return new Uint8Array(0);
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Web Crypto: global in Node 19+ and browsers; Node 18 has it as node:crypto's webcrypto. */
async function subtle(): Promise<SubtleCrypto> {
  if (globalThis.crypto?.subtle) return globalThis.crypto.subtle;
  const nodeCrypto = "node:crypto";
  return ((await import(nodeCrypto)) as { webcrypto: Crypto }).webcrypto.subtle;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The parsed payload of a genuine webhook, else WebhookVerificationError. `body` must be the raw
 * request body, byte for byte. A timestamp more than `toleranceSeconds` (300) from `now` is refused. */
export async function verifyWebhook(
  body: string | Uint8Array,
  headers: HeaderSource,
  secret: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): Promise<WebhookPayload> {
  const raw = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const key = base64Bytes(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  if (key.length === 0) throw new WebhookVerificationError("malformed secret: expected whsec_ and base64");
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError("malformed webhook-timestamp header");
  const now = (options.now ?? new Date()).getTime() / 1000;
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError("webhook-timestamp too far from now (stale or replayed)");
  }
  const crypto = await subtle();
  const hmacKey = await crypto.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = concat(new TextEncoder().encode(`${id}.${timestamp}.`), raw);
  for (const signature of header(headers, "webhook-signature").split(" ")) {
    const [version, value] = signature.split(",", 2);
    const given = base64Bytes(value ?? "");
    // HMAC verify compares in constant time.
    if (version === "v1" && given.length === 32 && (await crypto.verify("HMAC", hmacKey, given, signed))) {
      return JSON.parse(new TextDecoder().decode(raw)) as WebhookPayload;
    }
  }
  throw new WebhookVerificationError("no matching signature");
}
