/* The job page: follow one report through its stages (Server-Sent Events, with polling as a
 * fallback), then show the finished document and its downloads, or say why it did not finish. */
"use strict";

(function () {
  const jobId = RR.data.job_id;
  const base = "/v1/reports/" + encodeURIComponent(jobId);
  const el = function (id) { return document.getElementById(id); };
  const stageOrder = Array.from(document.querySelectorAll("#steps .step")).map(function (s) {
    return s.dataset.stage;
  });
  let job = null;
  let source = null;
  let pollTimer = null;
  let shownResult = false;

  // -- elapsed time ticks between events ------------------------------------------------------------
  function elapsedSeconds(j) {
    const start = Date.parse(j.started_at || j.created_at);
    if (!Number.isFinite(start)) return null;
    const end = j.finished_at ? Date.parse(j.finished_at) : Date.now();
    return Math.max(0, (end - start) / 1000);
  }
  function showElapsed() {
    if (!job) return;
    const s = elapsedSeconds(job);
    el("elapsed").textContent = s === null ? "–" : RR.fmt("seconds_short", { seconds: s.toFixed(1) });
  }
  const ticker = setInterval(function () {
    showElapsed();
    if (job && RR.FINAL.includes(job.status)) clearInterval(ticker);
  }, 200);

  // -- rendering ------------------------------------------------------------------------------------
  function render(snapshot) {
    job = snapshot;
    const status = job.status;
    const progress = job.progress || {};
    const fraction = status === "succeeded" ? 1 : Math.max(0, Math.min(1, progress.fraction || 0));
    const stage = status === "succeeded" ? "done" : progress.stage || status;

    const badge = el("job-status");
    badge.dataset.status = status;
    badge.textContent = RR.label("status", status);
    el("stage-text").textContent = RR.FINAL.includes(status) && status !== "succeeded"
      ? RR.label("status", status)
      : RR.label("stage", stage);
    el("progress-fill").style.width = (fraction * 100).toFixed(1) + "%";
    const bar = el("progress-bar");
    bar.setAttribute("aria-valuenow", String(Math.round(fraction * 100)));
    bar.dataset.final = ["failed", "timed_out", "cancelled"].includes(status) ? "failed" : "";

    const current = stageOrder.indexOf(stage);
    for (const step of document.querySelectorAll("#steps .step")) {
      const i = stageOrder.indexOf(step.dataset.stage);
      let state = "pending";
      if (status === "succeeded" || (current >= 0 && i < current)) state = "done";
      else if (i === current && status === "running") state = "current";
      step.dataset.state = state;
    }
    el("cancel-button").hidden = RR.FINAL.includes(status);
    // The matched place once the report exists; until then what this browser sent, if known.
    const place = RR.placeOf(job) || RR.placeOf({ request: RR.loadRequest(jobId) });
    if (place) el("job-location").textContent = place;
    showElapsed();

    if (status === "succeeded") showReport();
    else if (RR.FINAL.includes(status)) showFailure();
  }

  function documentUrl(format) {
    const links = job.links || {};
    return links[format] || base + "/document?format=" + format;
  }
  function showReport() {
    if (shownResult) return;
    shownResult = true;
    el("progress-card").hidden = true;
    el("download-pdf").href = documentUrl("pdf");
    el("download-md").href = documentUrl("md");
    el("download-json").href = documentUrl("json");
    el("open-html").href = documentUrl("html");
    const frame = el("report-frame");
    frame.addEventListener("load", function () {
      // Same origin: size the frame to its document so the page scrolls, not the frame.
      try {
        const doc = frame.contentDocument;
        if (doc && doc.documentElement) frame.style.height = doc.documentElement.scrollHeight + 24 + "px";
      } catch (e) { /* keep the default height */ }
    });
    frame.src = documentUrl("html");
    showMaps();
    el("report-section").hidden = false;
  }
  /** Which hazards hazard maps answered (the report's hazard_data), if any. */
  function showMaps() {
    const hazards = ((job.result && job.result.hazards) || [])
      .filter(function (h) { return h.hazard_data && h.hazard_data.used === "hazard_maps"; })
      .map(function (h) { return RR.label("hazard", h.hazard); });
    if (!hazards.length) return;
    const note = el("maps-note");
    note.textContent = RR.fmt("maps_in_use", { hazards: hazards.join(", ") });
    note.hidden = false;
  }
  function showFailure() {
    const error = job.error || {};
    const reason = error.message || error.code || "";
    let text;
    if (job.status === "timed_out") text = RR.fmt("error_timed_out", { reason: reason });
    else if (job.status === "cancelled") text = RR.fmt("error_cancelled");
    else text = RR.fmt("error_failed", { reason: reason || RR.label("status", "failed") });
    el("job-error-text").textContent = text;
    el("job-error").hidden = false;
  }

  // -- following the job: SSE first, polling if the stream cannot be kept ----------------------------
  function stopFollowing() {
    if (source) {
      source.close();
      source = null;
    }
    if (pollTimer) {
      clearTimeout(pollTimer);
      pollTimer = null;
    }
  }
  function onSnapshot(event) {
    let snapshot;
    try { snapshot = JSON.parse(event.data); } catch (e) { return; }
    if (!snapshot || !snapshot.status) return;
    render(snapshot);
    if (RR.FINAL.includes(snapshot.status)) stopFollowing();
  }
  function follow() {
    if (!window.EventSource) {
      poll();
      return;
    }
    source = new EventSource(base + "/events");
    source.addEventListener("status", onSnapshot);
    source.addEventListener("progress", onSnapshot);
    source.addEventListener("message", onSnapshot);
    source.addEventListener("error", function () {
      // The browser reconnects by itself while readyState is CONNECTING; once CLOSED, poll.
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        if (job && !RR.FINAL.includes(job.status)) poll();
      }
    });
  }
  async function poll() {
    pollTimer = null;
    try {
      const resp = await RR.api("GET", base);
      if (resp.status === 200 && resp.body) render(resp.body);
    } catch (e) {
      el("stage-text").textContent = RR.fmt("error_stream");
    }
    if (!job || !RR.FINAL.includes(job.status)) pollTimer = setTimeout(poll, 1000);
  }

  async function start() {
    let resp;
    try {
      resp = await RR.api("GET", base);
    } catch (e) {
      el("stage-text").textContent = RR.fmt("error_network");
      pollTimer = setTimeout(start, 2000);
      return;
    }
    if (resp.status === 404) {
      el("job-status").textContent = RR.label("status", "failed");
      el("progress-card").hidden = true;
      el("job-error-text").textContent = RR.fmt("error_not_found");
      el("retry-button").hidden = true;
      el("job-error").hidden = false;
      return;
    }
    if (resp.body) render(resp.body);
    if (job && !RR.FINAL.includes(job.status)) follow();
  }

  // -- actions --------------------------------------------------------------------------------------
  el("cancel-button").addEventListener("click", async function () {
    try {
      const resp = await RR.api("DELETE", base);
      if (resp.body && resp.body.status) render(resp.body);
    } catch (e) {
      el("stage-text").textContent = RR.fmt("error_network");
    }
  });

  let stopCountdown = null;
  async function retry() {
    if (stopCountdown) {
      stopCountdown();
      stopCountdown = null;
    }
    const body = RR.loadRequest(jobId) || (job && (job.request || job.payload)) || null;
    if (!body) {
      el("job-error-text").textContent = RR.fmt("retry_unavailable");
      setTimeout(function () { window.location.assign("/"); }, 1500);
      return;
    }
    const button = el("retry-button");
    button.disabled = true;
    const outcome = await RR.submitReport(body);
    button.disabled = false;
    if (outcome.kind === "ok") {
      window.location.assign("/reports/" + encodeURIComponent(outcome.job.id));
    } else if (outcome.kind === "busy") {
      stopCountdown = RR.countdown(
        outcome.seconds,
        function (left) { el("job-error-text").textContent = RR.fmt("error_busy", { seconds: left }); },
        function () { stopCountdown = null; retry(); }
      );
    } else if (outcome.kind === "invalid") {
      // The service's rules changed since: let the person fix the input in the form.
      window.location.assign("/?from=" + encodeURIComponent(jobId));
    } else if (outcome.kind === "network") {
      el("job-error-text").textContent = RR.fmt("error_network");
    } else {
      el("job-error-text").textContent = RR.fmt("error_unexpected", { message: outcome.error.message });
    }
  }
  el("retry-button").addEventListener("click", retry);

  start();
})();
