// The SDK against the real stack through Envoy. tests/sdk/test_typescript.py starts it, makes the
// businesses and scripts the LLM, and passes them here in STABLEBROWSE_* variables.
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { test } from "node:test";

import * as sb from "../dist/index.js";

const E = process.env;
const skip = E.STABLEBROWSE_TEST_STACK ? false : "needs the test stack (tests/sdk/test_typescript.py)";
const HN = "https://news.ycombinator.com/";
const TOP_STORY = "Show HN: A tiny B-tree in 300 lines of Rust";
const marked = (text, marker) => `${text} (${marker})`;
const client = (options = {}) => new sb.Client({ apiKey: E.STABLEBROWSE_API_KEY, baseUrl: E.STABLEBROWSE_BASE_URL, ...options });
const rejects = (promise, ErrorClass) =>
  promise.then(
    () => assert.fail(`expected ${ErrorClass.name}`),
    (error) => {
      assert.equal(error.constructor, ErrorClass, String(error));
      return error;
    },
  );

test("run answers the top story question (fast path or browser)", { skip }, async () => {
  const task = await client().tasks.run({
    task: marked("What is the title of the top story on Hacker News?", E.STABLEBROWSE_TEST_TOP_MARKER),
    endUserId: "alice", startUrl: HN, timeoutMs: 60_000,
  });
  assert.equal(task.status, "completed", JSON.stringify(task));
  assert.ok(task.result.includes(TOP_STORY));
  assert.ok(task.taskId && task.sessionId && task.createdAt);
});

test("run on a browser task hands over each step once, in order", { skip }, async () => {
  const steps = [];
  const task = await client().tasks.run({
    task: marked("What is the title of the newest page?", E.STABLEBROWSE_TEST_STEPS_MARKER),
    endUserId: "alice", startUrl: HN, timeoutMs: 60_000, onStep: (step) => steps.push(step),
  });
  assert.equal(task.status, "completed");
  assert.equal(task.result, "New Links | Hacker News");
  assert.deepEqual(steps.map((s) => [s.n, s.type]), [[1, "navigation"], [2, "execution"], [3, "finalize"]]);
  assert.deepEqual(steps, task.stepSummaries);
  assert.equal(task.usage.llmCalls, 2);
});

test("a failed task is returned unless raiseOnFailure", { skip }, async () => {
  const params = { task: "Read it", endUserId: "alice", startUrl: "http://no-such-host.invalid/", timeoutMs: 60_000 };
  const task = await client().tasks.run(params);
  assert.equal(task.status, "failed");
  assert.equal(task.errorCode, "navigation_error");
  const error = await rejects(client().tasks.run({ ...params, raiseOnFailure: true }), sb.TaskFailedError);
  assert.equal(error.task.errorCode, "navigation_error");
});

test("submit, get and list pages", { skip }, async () => {
  const tasks = client().tasks;
  const first = await tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN });
  assert.equal(first.status, "pending");
  const ids = [first.taskId];
  for (let i = 0; i < 2; i++) {
    ids.push((await tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN, sessionId: first.sessionId })).taskId);
  }
  assert.equal((await tasks.get(ids[0])).task, "Title?");
  const page = await tasks.list({ sessionId: first.sessionId, pageSize: 2 });
  assert.equal(page.tasks.length, 2);
  assert.ok(page.nextPageToken);
  const rest = await tasks.list({ sessionId: first.sessionId, pageSize: 2, pageToken: page.nextPageToken });
  assert.deepEqual([...page.tasks, ...rest.tasks].map((t) => t.taskId), ids.reverse());
  assert.equal(rest.nextPageToken, undefined);
});

test("records from the server keep every field, known or not", { skip }, async () => {
  const task = await client().tasks.run({
    task: marked("Title?", E.STABLEBROWSE_TEST_TOP_MARKER), endUserId: "alice", startUrl: HN, timeoutMs: 60_000,
  });
  const response = await fetch(`${E.STABLEBROWSE_BASE_URL}/v1/tasks/${task.taskId}`, {
    headers: { Authorization: `Bearer ${E.STABLEBROWSE_API_KEY}` },
  });
  // Everything the server sent is there as sent (the SDK may add defaults, e.g. an empty `unsupported`).
  assertContains(await client().tasks.get(task.taskId), await response.json());
});

function assertContains(actual, expected, path = "record") {
  if (expected && typeof expected === "object" && !Array.isArray(expected)) {
    assert.ok(actual && typeof actual === "object", `${path}: not an object`);
    for (const [key, value] of Object.entries(expected)) assertContains(actual[key], value, `${path}.${key}`);
  } else {
    assert.deepEqual(actual, expected, path);
  }
}

test("each error class", { skip }, async () => {
  const tasks = client().tasks;
  const bad = await rejects(tasks.submit({ task: "   ", endUserId: "alice" }), sb.BadRequestError);
  assert.match(bad.body.message, /^task:/);
  await rejects(tasks.get("0".repeat(32)), sb.NotFoundError);
  const tooBig = await rejects(tasks.submit({ task: "x".repeat(1 << 20), endUserId: "alice" }), sb.APIStatusError);
  assert.equal(tooBig.status, 413);
  const { sessionId } = await tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN });
  await rejects(tasks.submit({ task: "Title?", endUserId: "mallory", sessionId }), sb.PermissionDeniedError);
  await rejects(client({ apiKey: "sb_not-a-real-key" }).tasks.list(), sb.AuthenticationError);
  const revoked = await rejects(client({ apiKey: E.STABLEBROWSE_TEST_REVOKED_KEY }).tasks.list(), sb.PermissionDeniedError);
  assert.match(revoked.message, /revoked/);
});

test("connection errors are retried, then thrown", { skip }, async () => {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  const retries = [];
  const unreachable = client({ baseUrl: `http://127.0.0.1:${port}`, onRetry: (event) => retries.push(event) });
  await rejects(unreachable.tasks.get("abc"), sb.APIConnectionError);
  assert.deepEqual(retries.map((r) => r.attempt), [1, 2]);
});

test("a 429 carries retryAfter", { skip }, async () => {
  const retries = [];
  const limited = client({ apiKey: E.STABLEBROWSE_TEST_RATE_KEY, maxRetries: 0, onRetry: (event) => retries.push(event) });
  const submitThrice = async () => {
    // One a minute: the second is refused (the third, if a new minute began between).
    for (let i = 0; i < 3; i++) await limited.tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN });
  };
  const error = await rejects(submitThrice(), sb.RateLimitError);
  assert.equal(error.status, 429);
  assert.ok(error.retryAfter >= 1 && error.retryAfter <= 60, String(error.retryAfter));
  assert.deepEqual(retries, []);
});

test("a 429 is retried after Retry-After", { skip }, async () => {
  const slot = client({ apiKey: E.STABLEBROWSE_TEST_SLOT_KEY });
  const holder = await slot.tasks.submit({ task: marked("Hold", E.STABLEBROWSE_TEST_HOLD_MARKER), endUserId: "alice", startUrl: HN });
  const retries = [];
  const patient = client({ apiKey: E.STABLEBROWSE_TEST_SLOT_KEY, maxRetries: 5, onRetry: (event) => retries.push(event) });
  const started = Date.now();
  const second = await patient.tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN });
  const elapsed = Date.now() - started;
  assert.equal(second.status, "pending");
  assert.ok(sb.isDone(await slot.tasks.get(holder.taskId)));
  assert.ok(retries.length >= 1);
  for (const retry of retries) assert.deepEqual([retry.status, retry.waitMs], [429, 5000]);
  assert.ok(elapsed >= 5000 * retries.length, `${elapsed}ms for ${retries.length} retries`);
});

/** A front server in front of the stack: forwards each request and records its Idempotency-Key; the
 * first POST is forwarded and then its connection dropped without an answer (the answer is lost). */
async function cutOffFront() {
  const posts = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    const answer = await fetch(E.STABLEBROWSE_BASE_URL + req.url, {
      method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    if (req.method === "POST" && posts.push(req.headers["idempotency-key"]) === 1) return req.socket.destroy();
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { posts, baseUrl: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

test("a submit whose answer was lost is retried with the same key: one task", { skip }, async () => {
  const front = await cutOffFront();
  try {
    const retries = [];
    const endUserId = `ts-retry-${Math.random().toString(16).slice(2, 10)}`;
    const task = await client({ baseUrl: front.baseUrl, onRetry: (event) => retries.push(event) })
      .tasks.submit({ task: "Title?", endUserId, startUrl: HN });
    assert.equal(front.posts.length, 2);
    assert.ok(front.posts[0] && front.posts[0] === front.posts[1], JSON.stringify(front.posts));
    assert.deepEqual(retries.map((r) => [r.method, r.attempt]), [["POST", 1]]);
    const listed = await client().tasks.list({ endUserId });
    assert.deepEqual(listed.tasks.map((t) => t.taskId), [task.taskId]);
  } finally {
    front.close();
  }
});

test("the same idempotencyKey answers the same task; another body is a ConflictError", { skip }, async () => {
  const tasks = client().tasks;
  const idempotencyKey = `order-${Math.random().toString(16).slice(2, 10)}`;
  const first = await tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN, idempotencyKey });
  const again = await tasks.submit({ task: "Title?", endUserId: "alice", startUrl: HN, idempotencyKey });
  assert.deepEqual([again.taskId, again.createdAt], [first.taskId, first.createdAt]);
  const conflict = await rejects(tasks.submit({ task: "Other?", endUserId: "alice", idempotencyKey }), sb.ConflictError);
  assert.equal(conflict.status, 409);
  assert.match(conflict.body.message, /^Idempotency-Key:/);
});

// End users' credentials (the replica's login-walled social.example).
const SOCIAL = "social.example";
const HOME = "https://social.example/home";
const PASSWORD = "correct horse battery staple";
const COOKIE = "alice-7f3c2a9e4b1d8c6f";
const endUser = () => `ts-${Math.random().toString(16).slice(2, 10)}`;
const assertNoSecret = (value) => {
  const text = JSON.stringify(value) + String(value);
  for (const secret of [PASSWORD, COOKIE]) assert.ok(!text.includes(secret), "a secret in the output");
};

test("credentials: put, list and delete round trip", { skip }, async () => {
  const credentials = client().credentials;
  const user = endUser();
  const stored = await credentials.put(user, SOCIAL, {
    cookies: [{ name: "session", value: COOKIE, httpOnly: true, secure: true, sameSite: "Lax",
      expires: new Date("2030-01-01T00:00:00Z") }],
  });
  assert.deepEqual([stored.domain, stored.kind], [SOCIAL, "cookies"]);
  assert.ok(Math.abs(Date.parse(stored.updatedAt) - Date.now()) < 300_000, stored.updatedAt);
  const replaced = await credentials.put(user, "Social.Example", {
    username: "alice", password: PASSWORD, cookies: [{ name: "session", value: COOKIE, expires: 1893456000 }],
  });
  assert.deepEqual([replaced.domain, replaced.kind], [SOCIAL, "cookies+password"]);
  const listed = await credentials.list(user);
  assert.deepEqual(listed.map((c) => [c.domain, c.kind]), [[SOCIAL, "cookies+password"]]);
  assert.deepEqual(Object.keys(listed[0]).sort(), ["domain", "kind", "updatedAt"]);
  assertNoSecret([stored, replaced, listed]);
  assert.deepEqual(await credentials.list(endUser()), []); // the server leaves the list out when empty
  assert.equal(await credentials.delete(user, SOCIAL), undefined);
  assert.deepEqual(await credentials.list(user), []);
  const missing = await rejects(credentials.delete(user, SOCIAL), sb.NotFoundError);
  assert.match(missing.message, /social\.example/);
});

test("credentials: any end user id is one path segment", { skip }, async () => {
  const credentials = client().credentials;
  const user = `tenant/42 ?&=#%+ü-${endUser()}`;
  await credentials.put(user, SOCIAL, { cookies: [{ name: "session", value: COOKIE }] });
  assert.deepEqual((await credentials.list(user)).map((c) => c.domain), [SOCIAL]);
  assert.deepEqual(await credentials.list("tenant"), []);
  await credentials.delete(user, SOCIAL);
  assert.deepEqual(await credentials.list(user), []);
});

test("credentials: a 400 names the field", { skip }, async () => {
  const credentials = client().credentials;
  const cases = [
    ["not a domain", { cookies: [{ name: "a", value: "b" }] }, /^domain:/],
    [SOCIAL, { cookies: [{ name: "a", value: "b" }, { name: "s", value: COOKIE, domain: "bank.example" }] }, /^cookies\[1\]\.domain:/],
    [SOCIAL, { username: "alice" }, /^password: required when username is given/],
    [SOCIAL, {}, /^cookies:/],
  ];
  for (const [domain, params, field] of cases) {
    const bad = await rejects(credentials.put(endUser(), domain, params), sb.BadRequestError);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, field);
    assertNoSecret([bad.message, bad.body]);
  }
});

test("credentials: a stored cookie reads the private feed", { skip }, async () => {
  const c = client();
  const user = endUser();
  await c.credentials.put(user, SOCIAL, { cookies: [{ name: "session", value: COOKIE, httpOnly: true }] });
  const task = await c.tasks.run({
    task: marked("What is the newest post in my feed?", E.STABLEBROWSE_TEST_FEED_MARKER),
    endUserId: user, startUrl: HOME, timeoutMs: 60_000,
  });
  assert.equal(task.status, "completed", JSON.stringify([task.errorCode, task.error]));
  assert.ok(task.result.startsWith("Finally finished the bookshelf."), task.result);
  assertNoSecret(task);
});

// Webhooks: configured through the SDK, received by a local listener (localhost is on the test
// stack's STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS), checked with verifyWebhook.
test("webhooks: put, receive a signed delivery, verify it, list and delete", { skip }, async () => {
  const received = [];
  let arrived;
  const arrival = new Promise((resolve) => { arrived = resolve; });
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
      arrived();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhooks = client().webhooks;
  try {
    const created = await webhooks.put({ url: `http://localhost:${server.address().port}/hook` });
    assert.match(created.secret, /^whsec_/);
    assert.deepEqual(created.events, ["task.completed", "task.failed"]);
    assert.equal((await webhooks.get()).secret, undefined);
    const task = await client().tasks.run({
      task: marked("What is the title of the top story on Hacker News?", E.STABLEBROWSE_TEST_TOP_MARKER),
      endUserId: "webhooks", startUrl: HN, timeoutMs: 60_000,
    });
    await arrival;
    // Other tasks of this business may end while the webhook is set: find this task's delivery.
    const ours = (r) => JSON.parse(r.body.toString()).data?.taskId === task.taskId;
    for (let waited = 0; !received.some(ours) && waited < 30_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { headers, body } = received.find(ours);
    const payload = await sb.verifyWebhook(body, headers, created.secret);
    assert.equal(payload.type, "task.completed");
    assert.equal(payload.data.taskId, task.taskId);
    await assert.rejects(sb.verifyWebhook(body, headers, "whsec_eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4"), sb.WebhookVerificationError);
    const deliveries = await webhooks.deliveries({ limit: 5 });
    assert.equal(deliveries[0].id, headers["webhook-id"]);
    assert.equal(deliveries[0].taskId, task.taskId);
  } finally {
    await webhooks.delete().catch(() => {});
    server.close();
  }
  await rejects(webhooks.get(), sb.NotFoundError);
});
