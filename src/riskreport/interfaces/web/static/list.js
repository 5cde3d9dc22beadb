/* The list of recent reports: newest first, filtered by status, paged with the API's cursor.
 * Rows still queued or running are refreshed every few seconds so the list stays true. */
"use strict";

(function () {
  const body = document.getElementById("reports-body");
  const empty = document.getElementById("list-empty");
  const more = document.getElementById("load-more");
  const filter = document.getElementById("status-filter");
  const errorBox = document.getElementById("list-error");
  const PAGE = 20;
  let cursor = null;
  let refreshTimer = null;

  function cell(text, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    if (text instanceof Node) td.appendChild(text);
    else td.textContent = text;
    return td;
  }
  function row(job) {
    const tr = document.createElement("tr");
    tr.dataset.id = job.id;
    tr.dataset.status = job.status;
    tr.appendChild(cell(RR.formatTime(job.created_at)));
    // Lists carry no request or result; this browser may remember what it sent.
    const place = RR.placeOf(job) || RR.placeOf({ request: RR.loadRequest(job.id) });
    tr.appendChild(cell(place || "—"));
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.dataset.status = job.status;
    badge.textContent = RR.label("status", job.status);
    if (job.status === "running" && job.progress) {
      badge.title = RR.label("stage", job.progress.stage) + " · " + Math.round((job.progress.fraction || 0) * 100) + "%";
    } else if (job.error && job.error.message) {
      badge.title = job.error.message;
    }
    tr.appendChild(cell(badge));
    const summary = job.result && job.result.summary;
    tr.appendChild(cell((summary && summary.overall_grade) || "—", "grade"));
    const link = document.createElement("a");
    link.href = "/reports/" + encodeURIComponent(job.id);
    link.textContent = job.id.slice(0, 8);
    link.title = job.id;
    const code = document.createElement("code");
    code.appendChild(link);
    tr.appendChild(cell(code));
    return tr;
  }

  async function load(reset) {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (filter.value) params.set("status", filter.value);
    if (!reset && cursor) params.set("cursor", cursor);
    let resp;
    try {
      resp = await RR.api("GET", "/v1/reports?" + params.toString());
    } catch (e) {
      showError(RR.fmt("error_network"));
      return;
    }
    if (resp.status !== 200 || !resp.body) {
      showError(RR.fmt("error_unexpected", { message: RR.errorOf(resp.body).message || "HTTP " + resp.status }));
      return;
    }
    errorBox.hidden = true;
    if (reset) body.textContent = "";
    const items = resp.body.items || [];
    for (const job of items) body.appendChild(row(job));
    enrich(items);
    cursor = resp.body.next_cursor || null;
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
    scheduleRefresh();
  }
  /** Finished rows get their place and grade from the full job, fetched a few at a time. */
  async function enrich(items) {
    const pending = items.filter(function (job) { return job.status === "succeeded" && !job.result; });
    const workers = [];
    for (let w = 0; w < 4; w++) {
      workers.push((async function () {
        while (pending.length) {
          const job = pending.shift();
          try {
            const resp = await RR.api("GET", "/v1/reports/" + encodeURIComponent(job.id));
            const tr = body.querySelector('tr[data-id="' + CSS.escape(job.id) + '"]');
            if (resp.status === 200 && resp.body && tr) tr.replaceWith(row(resp.body));
          } catch (e) {
            return;
          }
        }
      })());
    }
    await Promise.all(workers);
  }
  function showError(text) {
    errorBox.querySelector(".banner-text").textContent = text;
    errorBox.hidden = false;
  }

  async function refreshUnfinished() {
    refreshTimer = null;
    const open = Array.from(body.querySelectorAll("tr")).filter(function (tr) {
      return !RR.FINAL.includes(tr.dataset.status);
    });
    for (const tr of open) {
      try {
        const resp = await RR.api("GET", "/v1/reports/" + encodeURIComponent(tr.dataset.id));
        if (resp.status === 200 && resp.body) tr.replaceWith(row(resp.body));
      } catch (e) {
        break;
      }
    }
    scheduleRefresh();
  }
  function scheduleRefresh() {
    if (refreshTimer) return;
    const anyOpen = Array.from(body.querySelectorAll("tr")).some(function (tr) {
      return !RR.FINAL.includes(tr.dataset.status);
    });
    if (anyOpen) refreshTimer = setTimeout(refreshUnfinished, 3000);
  }

  filter.addEventListener("change", function () {
    const url = new URL(window.location.href);
    if (filter.value) url.searchParams.set("status", filter.value);
    else url.searchParams.delete("status");
    history.replaceState(null, "", url.toString());
    cursor = null;
    load(true);
  });
  more.addEventListener("click", function () { load(false); });
  load(true);
})();
