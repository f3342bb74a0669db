// The shared task viewer: reads /share/<token>/task, then follows /share/<token>/events while
// the task runs. Every value from the task is untrusted text: it is only ever set with
// textContent (never parsed as markup), and only http(s) URLs become links.
"use strict";

(() => {
  const TERMINAL = new Set(["completed", "failed"]);
  const token = location.pathname.split("/")[2] || "";
  const base = "/share/" + encodeURIComponent(token);
  const byId = (id) => document.getElementById(id);
  const state = { steps: new Set(), status: "", done: false };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function notice(text) {
    const box = byId("notice");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function setStatus(status) {
    if (!status || TERMINAL.has(state.status)) return;
    state.status = status;
    const badge = byId("status");
    badge.textContent = status;
    badge.dataset.status = status;
    byId("live").hidden = status !== "pending" && status !== "running";
  }

  function time(value, timeOnly) {
    const date = new Date(value);
    if (isNaN(date)) return "";
    return timeOnly ? date.toLocaleTimeString() : date.toLocaleString();
  }

  function stepItem(step) {
    const item = el("li", "step");
    item.dataset.n = String(step.n);
    const head = el("div", "step-head");
    head.append(el("span", "step-n", String(step.n)), el("span", "step-type", step.type || "step"));
    if (step.success === false) head.append(el("span", "step-failed", "did not succeed"));
    if (step.at) head.append(el("time", "step-at", time(step.at, true)));
    item.append(head, el("p", "step-msg", step.msg || ""));
    if (step.hasScreenshot === true) {
      const shot = el("img", "shot");
      shot.loading = "lazy";
      shot.alt = "Screenshot after step " + step.n;
      shot.src = base + "/steps/" + encodeURIComponent(step.n) + "/screenshot";
      retryImage(shot, item);
      item.append(shot);
    }
    return item;
  }

  // A live step can announce its screenshot a moment before it is stored: try again twice.
  function retryImage(shot, item) {
    let tries = 0;
    shot.addEventListener("error", () => {
      tries += 1;
      if (tries <= 2) {
        setTimeout(() => { shot.src = shot.src; }, 1500 * tries);
      } else {
        shot.replaceWith(el("p", "muted", "Screenshot unavailable."));
      }
    });
  }

  function addStep(step) {
    if (!Number.isInteger(step.n) || state.steps.has(step.n)) return;
    state.steps.add(step.n);
    const list = byId("steps");
    const later = Array.from(list.children).find((node) => Number(node.dataset.n) > step.n);
    list.insertBefore(stepItem(step), later || null);
    byId("no-steps").hidden = true;
    byId("step-count").textContent = String(state.steps.size);
  }

  function fact(label, value) {
    if (value === undefined || value === null || value === "") return;
    const facts = byId("facts");
    facts.append(el("dt", "", label), el("dd", "", String(value)));
  }

  function showFacts(task) {
    byId("facts").replaceChildren();
    fact("Created", task.createdAt && time(task.createdAt));
    fact("Duration", task.durationMs !== undefined ? (task.durationMs / 1000).toFixed(1) + " s" : "");
    fact("Start page", task.startUrl);
    fact("Task id", task.taskId);
  }

  function showOutcome(task) {
    const hasAnswer = typeof task.result === "string" && task.result !== "";
    const hasData = Object.prototype.hasOwnProperty.call(task, "structured_content");
    byId("answer").textContent = hasAnswer ? task.result : "";
    byId("answer").hidden = !hasAnswer;
    byId("structured").textContent = hasData ? JSON.stringify(task.structured_content, null, 2) : "";
    byId("structured-block").hidden = !hasData;
    byId("answer-card").hidden = !hasAnswer && !hasData;
    const failed = Boolean(task.error || task.errorCode);
    byId("error").textContent = task.error || "";
    byId("error-code").textContent = task.errorCode || "";
    byId("error-card").hidden = !failed;
  }

  function showUrls(urls) {
    const list = byId("urls");
    list.replaceChildren();
    for (const url of urls || []) {
      const item = el("li");
      const href = safeHref(url);
      if (href) {
        const link = el("a", "", url);
        link.href = href;
        link.rel = "noopener noreferrer nofollow";
        link.target = "_blank";
        item.append(link);
      } else {
        item.textContent = url;
      }
      list.append(item);
    }
    byId("urls-card").hidden = list.children.length === 0;
  }

  function safeHref(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function showRecord(task) {
    byId("question").textContent = task.task || "";
    document.title = (task.task || "Shared task").slice(0, 80) + " · stablebrowse";
    showFacts(task);
    (task.stepSummaries || []).forEach(addStep);
    showOutcome(task);
    showUrls(task.visitedUrls);
    setStatus(task.status);
  }

  function follow() {
    const source = new EventSource(base + "/events");
    source.addEventListener("open", () => notice(""));
    source.addEventListener("step", (event) => addStep(JSON.parse(event.data)));
    source.addEventListener("status", (event) => setStatus(JSON.parse(event.data).status));
    source.addEventListener("done", (event) => {
      state.done = true;
      source.close();
      showRecord(JSON.parse(event.data));
      notice("");
    });
    source.addEventListener("error", () => {
      if (state.done) return;
      if (source.readyState === EventSource.CLOSED) {
        byId("live").hidden = true;
        notice("Live updates stopped (the link may have expired). Reload the page to try again.");
      } else {
        notice("Connection lost: reconnecting…");
      }
    });
  }

  async function load() {
    const response = await fetch(base + "/task", { cache: "no-store", credentials: "omit" });
    if (!response.ok) {
      byId("question").textContent = "This task is not available.";
      setStatus("unavailable");
      notice(response.status === 404 ? "The link has expired or is not valid." : "Could not load the task; try again later.");
      return;
    }
    showRecord(await response.json());
    if (!TERMINAL.has(state.status)) follow();
  }

  load().catch(() => notice("Could not load the task; check your connection and reload."));
})();
