// A Server-Sent Events parser, as the WHATWG HTML standard specifies it (9.2.6). Fed bytes (or
// text) in chunks of any size, it returns the events each chunk completes. Lines end in CRLF, LF
// or CR (a CR ending one chunk and an LF starting the next are one line ending); the stream is
// UTF-8, split anywhere, with an optional leading BOM. Comments (":") are skipped, data lines join
// with "\n", id persists across events (ignored when it holds a NUL), retry sets the reconnection
// time when all digits; unknown fields, events without data and an unfinished last event are dropped.

/** One dispatched event: `event` defaults to "message"; `id` is the last event ID so far. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string;
}

const LINE_END = /\r\n|\r|\n/;

export class SSEParser {
  /** What a reconnection sends as Last-Event-ID. */
  lastEventId: string;
  /** The server's reconnection time, when it sent one. */
  retryMs?: number;
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  private buffer = "";
  private started = false;
  private skipLf = false; // the last chunk ended in CR: an LF starting the next ends nothing
  private eventType = "";
  private data: string[] = [];

  constructor(lastEventId = "") {
    this.lastEventId = lastEventId;
  }

  feed(chunk: Uint8Array | string): ServerSentEvent[] {
    let text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text) {
      this.started = true;
      if (text.startsWith("\ufeff")) text = text.slice(1);
    }
    if (this.skipLf && text) {
      if (text.startsWith("\n")) text = text.slice(1);
      this.skipLf = false;
    }
    if (!text) return [];
    this.buffer += text;
    const lines = this.buffer.split(LINE_END);
    this.buffer = lines.pop() ?? "";
    if (this.buffer === "" && text.endsWith("\r")) this.skipLf = true;
    const events: ServerSentEvent[] = [];
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventType = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
    else if (field === "retry" && /^[0-9]+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const { data, eventType } = this;
    this.data = [];
    this.eventType = "";
    if (data.length === 0) return undefined;
    return { event: eventType || "message", data: data.join("\n"), id: this.lastEventId };
  }
}
