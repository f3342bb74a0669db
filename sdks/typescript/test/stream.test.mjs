// tasks.stream, tasks.cancel and tasks.share against the real stack through Envoy (started by
// tests/sdk/test_typescript.py, which scripts the LLM and passes the markers in STABLEBROWSE_*).
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";

import * as sb from "../dist/index.js";

const E = process.env;
const skip = E.STABLEBROWSE_TEST_STACK ? false : "needs the test stack (tests/sdk/test_typescript.py)";
const HN = "https://news.ycombinator.com/";
const marked = (text, marker) => `${text} (${marker})`;
const client = (options = {}) => new sb.Client({ apiKey: E.STABLEBROWSE_API_KEY, baseUrl: E.STABLEBROWSE_BASE_URL, ...options });
const collect = async (iterator) => {
  const events = [];
  for await (const event of iterator) events.push(event);
  return events;
};
const steps = (events) => events.filter((e) => e.event === "step").map((e) => [e.step.n, e.step.type]);
const STEPS = [[1, "navigation"], [2, "execution"], [3, "finalize"]];
// A script's replies are used up by one task: each three-step task gets a fresh one.
const threeStepMarkers = (E.STABLEBROWSE_TEST_STREAM_MARKERS ?? "").split(",");

/** A completed task: three steps (click "new", then finish), or any answer with `anyAnswer`. */
async function finishedTask(anyAnswer = false) {
  const marker = anyAnswer ? E.STABLEBROWSE_TEST_TOP_MARKER : threeStepMarkers.shift();
  const task = await client().tasks.run({
    task: marked("What is the title of the newest page?", marker), endUserId: "alice", startUrl: HN, timeoutMs: 60_000,
  });
  assert.equal(task.status, "completed");
  return task;
}

test("stream: each step as it happens, then done with the final record", { skip }, async () => {
  const tasks = client().tasks;
  const submitted = await tasks.submit({
    task: marked("What is the title of the newest page?", threeStepMarkers.shift()), endUserId: "alice", startUrl: HN,
  });
  const events = await collect(tasks.stream(submitted.taskId, { timeoutMs: 60_000 }));
  assert.deepEqual(steps(events), STEPS);
  const statuses = events.filter((e) => e.event === "status").map((e) => e.status);
  assert.equal(statuses.at(-1), "completed");
  assert.equal(new Set(statuses).size, statuses.length);
  const done = events.at(-1);
  assert.equal(done.event, "done");
  assert.deepEqual(done.task, await tasks.get(submitted.taskId));
  assert.equal(done.task.result, "New Links | Hacker News");
});

test("stream: a late watcher gets the steps already taken; lastEventId starts after that step", { skip }, async () => {
  const task = await finishedTask();
  const events = await collect(client().tasks.stream(task.taskId));
  assert.deepEqual(steps(events), STEPS);
  assert.deepEqual(events.filter((e) => e.event === "step").map((e) => e.step.msg), task.stepSummaries.map((s) => s.msg));
  assert.deepEqual(events.at(-1), { event: "done", task });
  assert.deepEqual(steps(await collect(client().tasks.stream(task.taskId, { lastEventId: 2 }))), [[3, "finalize"]]);
});

/** Forwards requests to the stack as they stream; drops the first event stream's connection after
 * it passed two step events on, and records each stream request's Last-Event-ID. */
async function droppingFront() {
  const lastEventIds = [];
  const server = http.createServer(async (req, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    const first = req.url.endsWith("/events") && lastEventIds.push(req.headers["last-event-id"] ?? null) === 1;
    const answer = await fetch(E.STABLEBROWSE_BASE_URL + req.url, { method: req.method, headers });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    let text = "";
    let stepCount = 0;
    for await (const chunk of answer.body) {
      text += Buffer.from(chunk).toString();
      let end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const event = text.slice(0, end + 2);
        text = text.slice(end + 2);
        if (first && event.includes("\nevent: step\n") && ++stepCount === 2) {
          await new Promise((resolve) => res.write(event, resolve)); // sent, then the connection drops
          return req.socket.destroy();
        }
        res.write(event);
      }
    }
    res.end(text);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { lastEventIds, baseUrl: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

test("stream: a dropped connection is reopened with Last-Event-ID, nothing missed or repeated", { skip }, async () => {
  const task = await finishedTask();
  const front = await droppingFront();
  try {
    const events = await collect(client({ baseUrl: front.baseUrl }).tasks.stream(task.taskId));
    assert.deepEqual(front.lastEventIds, [null, "2"]);
    assert.deepEqual(steps(events), STEPS);
    assert.deepEqual(events.at(-1), { event: "done", task });
  } finally {
    front.close();
  }
});

test("stream and cancel: another business's task is not found", { skip }, async () => {
  const task = await finishedTask(true);
  const outsider = client({ apiKey: E.STABLEBROWSE_TEST_SLOT_KEY }).tasks;
  for (const attempt of [() => collect(outsider.stream(task.taskId)), () => outsider.cancel(task.taskId)]) {
    const error = await attempt().then(() => assert.fail("expected NotFoundError"), (e) => e);
    assert.equal(error.constructor, sb.NotFoundError, String(error));
    assert.equal(error.body.message, "task not found");
  }
});

test("cancel: a running task stops and its stream ends with the cancelled record", { skip }, async () => {
  const tasks = client().tasks;
  const submitted = await tasks.submit({ task: marked("Title?", E.STABLEBROWSE_TEST_CANCEL_MARKER), endUserId: "alice", startUrl: HN });
  const events = [];
  for await (const event of tasks.stream(submitted.taskId, { timeoutMs: 60_000 })) {
    events.push(event);
    if (event.event === "step") {
      const cancelled = await tasks.cancel(submitted.taskId);
      assert.deepEqual([cancelled.status, cancelled.errorCode], ["failed", "cancelled"]);
    }
  }
  assert.deepEqual(steps(events), [[1, "navigation"]]);
  assert.equal(events.at(-1).task.errorCode, "cancelled");
  const task = await finishedTask(true);
  assert.deepEqual(await tasks.cancel(task.taskId), task); // an ended task comes back unchanged
});

test("share: a link with its expiry", { skip }, async () => {
  const task = await finishedTask(true);
  const started = Date.now();
  const shared = await client().tasks.share(task.taskId, { expiresInSeconds: 3600 });
  assert.match(shared.url, /^https?:\/\//);
  const expires = Date.parse(shared.expiresAt);
  assert.ok(expires > started + 3540_000 && expires < Date.now() + 3660_000, shared.expiresAt);
});
