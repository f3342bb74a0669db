// The SSE parser without a server, on inputs a real stream can produce (WHATWG rules).
import assert from "node:assert/strict";
import { test } from "node:test";

import * as sb from "../dist/index.js";

const STREAM = new TextEncoder().encode(
  ": keep-alive\n\n" +
  'id: 1\nevent: step\ndata: {"n":1}\n\n' +
  'event: status\ndata: {"status":"running"}\n\n' +
  'id: 2\nevent: step\ndata: {"n":2,\r\ndata: "msg":"café"}\r\n\r\n' +
  "event: done\ndata: {}\n\n",
);
const EXPECTED = [
  { event: "step", data: '{"n":1}', id: "1" },
  { event: "status", data: '{"status":"running"}', id: "1" },
  { event: "step", data: '{"n":2,\n"msg":"café"}', id: "2" },
  { event: "done", data: "{}", id: "2" },
];
const feedAll = (parser, chunks) => chunks.flatMap((chunk) => parser.feed(chunk));
const bytes = (text) => new TextEncoder().encode(text);

test("sse: any chunking gives the same events, even inside a UTF-8 character", () => {
  for (const size of [STREAM.length, 1, 2, 3, 5, 7]) {
    const chunks = [];
    for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
    assert.deepEqual(feedAll(new sb.SSEParser(), chunks), EXPECTED, `chunks of ${size}`);
  }
});

test("sse: CRLF split between chunks is one line ending; a lone CR ends a line", () => {
  assert.deepEqual(feedAll(new sb.SSEParser(), [bytes("data: a\r"), bytes("\ndata: b\r"), bytes("\n\r"), bytes("\n")]),
    [{ event: "message", data: "a\nb", id: "" }]);
  assert.deepEqual(feedAll(new sb.SSEParser(), [bytes("event: x\rdata: 1\r\r")]), [{ event: "x", data: "1", id: "" }]);
});

test("sse: a leading BOM is dropped, only at the start", () => {
  const stream = [new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, ...bytes("data: a\n\n"), 0xef, 0xbb, 0xbf, ...bytes("data: b\n\n")])];
  assert.deepEqual(feedAll(new sb.SSEParser(), stream), [{ event: "message", data: "a", id: "" }]);
});

test("sse: field and value rules", () => {
  const stream = "data\ndata:no-space\ndata:  two spaces\ndata: x: y\n\n";
  assert.deepEqual(new sb.SSEParser().feed(bytes(stream)), [{ event: "message", data: "\nno-space\n two spaces\nx: y", id: "" }]);
});

test("sse: comments, unknown fields and events without data dispatch nothing; an id alone still counts", () => {
  const parser = new sb.SSEParser();
  assert.deepEqual(parser.feed(bytes(": a comment\n\nfoo: bar\n\nevent: step\n\nid: 9\n\n:data: no\n\n")), []);
  assert.equal(parser.lastEventId, "9");
  assert.deepEqual(parser.feed(bytes("data: later\n\n")), [{ event: "message", data: "later", id: "9" }]);
  assert.deepEqual(new sb.SSEParser().feed(bytes("event: step\ndata: 1\n\ndata: 2\n\n")).map((e) => e.event), ["step", "message"]);
});

test("sse: id persists, resets when empty, and a NUL makes it ignored; retry only when all digits", () => {
  const parser = new sb.SSEParser("4");
  const events = parser.feed(bytes("data: a\n\nid: 5\ndata: b\n\nid: 6\u00007\ndata: c\n\nid\ndata: d\n\n"));
  assert.deepEqual(events.map((e) => e.id), ["4", "5", "5", ""]);
  parser.feed(bytes("retry: 1500\n"));
  assert.equal(parser.retryMs, 1500);
  parser.feed(bytes("retry: 15s\nretry: -1\nretry: \u00b2\nretry:\n"));
  assert.equal(parser.retryMs, 1500);
});

test("sse: an unfinished last event is dropped; U+2028 and form feeds are not line endings", () => {
  assert.deepEqual(feedAll(new sb.SSEParser(), [bytes("data: complete\n\n"), bytes("data: cut off\n")]),
    [{ event: "message", data: "complete", id: "" }]);
  const data = "a\u2028b\u000cc\u001cd";
  assert.deepEqual(new sb.SSEParser().feed(bytes(`data: ${data}\n\n`)), [{ event: "message", data, id: "" }]);
});

test("stream events: typed from the wire, unknown event types skipped", () => {
  const step = sb.toTaskEvent({ event: "step", data: '{"n":2,"type":"execution","msg":"m","success":true,"at":"2026-01-01T00:00:00Z"}', id: "2" });
  assert.deepEqual(step, { event: "step", step: { n: 2, type: "execution", msg: "m", success: true }, at: "2026-01-01T00:00:00Z", id: "2" });
  assert.deepEqual(sb.toTaskEvent({ event: "status", data: '{"taskId":"t","status":"running"}', id: "" }),
    { event: "status", taskId: "t", status: "running" });
  assert.equal(sb.toTaskEvent({ event: "done", data: '{"taskId":"t","status":"completed"}', id: "" }).task.visitedUrls.length, 0);
  assert.equal(sb.toTaskEvent({ event: "later-kind", data: "{}", id: "" }), undefined);
  assert.throws(() => sb.toTaskEvent({ event: "step", data: "not json", id: "" }), sb.StablebrowseError);
});
