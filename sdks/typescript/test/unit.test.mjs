// The SDK without a server: records, errors, settings.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as sb from "../dist/index.js";

test("records keep fields this SDK does not know, and lists default to []", () => {
  const raw = {
    taskId: "t1", sessionId: "s1", status: "completed", result: "Hacker News",
    stepSummaries: [{ n: 1, type: "navigation", msg: "Opened", shiny: true }],
    usage: { llmCalls: 1, cachedTokens: 5 }, costCents: 3, replay: { url: "x" },
  };
  const task = sb.toTask(raw);
  assert.equal(task.costCents, 3);
  assert.deepEqual(task.replay, { url: "x" });
  assert.equal(task.stepSummaries[0].shiny, true);
  assert.deepEqual(task.visitedUrls, []);
  assert.ok(sb.isDone(task));
  const sparse = sb.toTask({ taskId: "t", status: "pending", stepSummaries: null });
  assert.deepEqual(sparse.stepSummaries, []);
  assert.ok(!sb.isDone(sparse));
  assert.equal(sparse.verification, undefined);
  const checked = sb.toTask({ taskId: "t", status: "completed", verification: { grounded: true } });
  assert.deepEqual(checked.verification, { grounded: true, unsupported: [] });
});

test("each status has its error class", () => {
  const cases = [
    [400, sb.BadRequestError], [401, sb.AuthenticationError], [403, sb.PermissionDeniedError],
    [404, sb.NotFoundError], [409, sb.ConflictError], [429, sb.RateLimitError], [413, sb.APIStatusError], [503, sb.APIStatusError],
  ];
  for (const [status, ErrorClass] of cases) {
    const error = sb.statusError(status, { message: "task: must not be empty" }, new Headers({ "retry-after": "7" }));
    assert.equal(error.constructor, ErrorClass);
    assert.ok(error instanceof sb.APIStatusError && error instanceof sb.StablebrowseError);
    assert.equal(error.status, status);
    assert.match(error.message, /task: must not be empty/);
  }
  assert.equal(sb.statusError(429, {}, new Headers({ "retry-after": "7" })).retryAfter, 7);
  assert.equal(sb.statusError(429, {}, new Headers()).retryAfter, undefined);
});

test("settings come from the environment", () => {
  const saved = { ...process.env };
  try {
    delete process.env.STABLEBROWSE_API_KEY;
    assert.throws(() => new sb.Client(), /STABLEBROWSE_API_KEY/);
    process.env.STABLEBROWSE_API_KEY = "sb_x";
    process.env.STABLEBROWSE_BASE_URL = "http://example.invalid:9/";
    assert.equal(new sb.Client().baseUrl, "http://example.invalid:9");
  } finally {
    process.env = saved;
  }
});

test("credentials: bad input is refused before any request, without echoing a value", async () => {
  const secret = "s3cret-value";
  const client = new sb.Client({ apiKey: "sb_x", fetch: () => assert.fail("no request expected") });
  const cases = [
    ["", "social.example", { cookies: [] }, /endUserId must be a non-empty string/],
    ["u", "", { cookies: [] }, /domain must be a non-empty string/],
    ["..", "social.example", { cookies: [] }, /endUserId "\.\." cannot be sent/],
    ["u", "social.example", { cookies: [{ name: "a", value: 12345 }] }, /cookies\[0\]\.value: must be a string/],
    ["u", "social.example", { cookies: [{ name: "a", value: secret, expires: "soon" }] }, /cookies\[0\]\.expires: must be an integer/],
    ["u", "social.example", { cookies: [{ name: "a", value: secret, http_only: true }] }, /cookies\[0\]: unknown field "http_only"/],
    ["u", "social.example", { cookies: [{ name: "a" }] }, /cookies\[0\]\.value: required/],
    ["u", "social.example", { cookies: { name: "a", value: secret } }, /cookies: an array/],
    ["u", "social.example", { username: "alice", password: 42 }, /password: must be a string/],
  ];
  for (const [user, domain, params, message] of cases) {
    await assert.rejects(client.credentials.put(user, domain, params), (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(secret) && !error.message.includes("12345"));
      return true;
    });
  }
  await assert.rejects(client.credentials.list("."), TypeError);
  await assert.rejects(client.credentials.delete("u", ".."), TypeError);
});

// The example of the Standard Webhooks specification.
const EXAMPLE = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  body: '{"test": 2432232314}',
  headers: { "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" },
  now: new Date((1614265330 + 10) * 1000),
};

test("verifyWebhook accepts the specification's example", async () => {
  const { secret, body, headers, now } = EXAMPLE;
  assert.deepEqual(await sb.verifyWebhook(body, headers, secret, { now }), { test: 2432232314 });
  const bytes = new TextEncoder().encode(body);
  assert.deepEqual(await sb.verifyWebhook(bytes, new Headers(headers), secret, { now }), { test: 2432232314 });
  const several = { ...headers, "webhook-signature": `v1,bm90LWl0 ${headers["webhook-signature"]}` };
  assert.equal((await sb.verifyWebhook(body, several, secret, { now })).test, 2432232314);
});

test("verifyWebhook refuses tampering, staleness and missing headers", async () => {
  const { secret, body, headers, now } = EXAMPLE;
  const refused = (args, reason) => assert.rejects(sb.verifyWebhook(...args), (error) =>
    error instanceof sb.WebhookVerificationError && reason.test(error.message));
  await refused([body.replace("4}", "5}"), headers, secret, { now }], /no matching signature/);
  await refused([body, { ...headers, "webhook-id": "msg_other" }, secret, { now }], /no matching signature/);
  await refused([body, headers, "whsec_eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4", { now }], /no matching signature/);
  await refused([body, headers, secret, { now: new Date((1614265330 + 301) * 1000) }], /too far from now/);
  await refused([body, headers, secret, { now: new Date((1614265330 - 301) * 1000) }], /too far from now/);
  await refused([body, { "webhook-id": "x", "webhook-timestamp": "1614265330" }, secret, { now }], /missing webhook-signature/);
});
