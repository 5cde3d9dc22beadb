/* Shared helpers of the riskreport pages: UI text, JSON API calls, error shapes, countdowns.
 * The page's server-rendered <script id="page-data"> carries the texts and labels in the page
 * language, so every message here exists in Korean and English. */
"use strict";

window.RR = (function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const texts = data.texts || {};
  const labels = data.labels || {};
  const FINAL = ["succeeded", "failed", "cancelled", "timed_out"];

  /** A UI sentence with {placeholders} filled: RR.fmt("error_busy", {seconds: 5}). */
  function fmt(key, params) {
    let s = texts[key] || key;
    for (const [k, v] of Object.entries(params || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }

  /** The label of an option value: RR.label("status", "timed_out"). */
  function label(kind, value) {
    return (labels[kind] && labels[kind][value]) || value;
  }

  /* With API keys on, the first 401 asks for the key once; POST /v1/session keeps it in an
   * HttpOnly cookie for this browser session, which then goes with every call, event stream,
   * frame and download. One question at a time, shared by concurrent calls. */
  let asking = null;
  function askForKey() {
    if (!asking) {
      asking = (async function () {
        const key = window.prompt(fmt("ask_api_key"));
        if (!key || !key.trim()) return false;
        const resp = await fetch("/v1/session", { method: "POST", headers: { "X-API-Key": key.trim() } });
        return resp.status === 204;
      })().finally(function () { asking = null; });
    }
    return asking;
  }

  /** Call the JSON API. Resolves to {status, headers, body}; rejects only on network failure. */
  async function api(method, url, body) {
    const init = { method: method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let resp = await fetch(url, init);
    if (resp.status === 401 && (await askForKey())) resp = await fetch(url, init);
    let parsed = null;
    const type = resp.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      try { parsed = await resp.json(); } catch (e) { parsed = null; }
    }
    return { status: resp.status, headers: resp.headers, body: parsed };
  }

  /** The {code, message, details} of an API error body, whatever its exact shape. */
  function errorOf(body) {
    const err = (body && (body.error || body)) || {};
    let details = err.details || err.detail || [];
    if (!Array.isArray(details)) details = [details];
    return { code: err.code || "", message: err.message || "", details: details };
  }

  /** Seconds to wait before retrying, from Retry-After (seconds or an HTTP date). */
  function retryAfter(headers, fallback) {
    const raw = headers.get("Retry-After");
    if (raw) {
      const n = Number(raw);
      if (Number.isFinite(n)) return Math.max(1, Math.ceil(n));
      const when = Date.parse(raw);
      if (Number.isFinite(when)) return Math.max(1, Math.ceil((when - Date.now()) / 1000));
    }
    return fallback;
  }

  /* The request body of each report this browser submitted, so "Try again" can resend it. */
  const STORE_KEY = "riskreport:request:";
  function storeRequest(id, body) {
    try { localStorage.setItem(STORE_KEY + id, JSON.stringify(body)); } catch (e) { /* storage full or off: retry falls back to the form */ }
  }
  function loadRequest(id) {
    try {
      const raw = localStorage.getItem(STORE_KEY + id);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  /**
   * Submit a report. Resolves to one of
   *   {kind: "ok", job}, {kind: "invalid", error}, {kind: "busy", seconds, error},
   *   {kind: "network"}, {kind: "error", error}.
   */
  async function submitReport(body) {
    let resp;
    try {
      resp = await api("POST", "/v1/reports", body);
    } catch (e) {
      return { kind: "network" };
    }
    if (resp.status >= 200 && resp.status < 300 && resp.body && resp.body.id) {
      storeRequest(resp.body.id, body);
      return { kind: "ok", job: resp.body };
    }
    const error = errorOf(resp.body);
    if (resp.status === 422 || resp.status === 400) return { kind: "invalid", error: error };
    if (resp.status === 429 || resp.status === 503) {
      return { kind: "busy", seconds: retryAfter(resp.headers, 5), error: error };
    }
    if (!error.message) error.message = "HTTP " + resp.status;
    return { kind: "error", error: error };
  }

  /** Count down whole seconds: onTick(left) each second, then onDone(). Returns a stop function. */
  function countdown(seconds, onTick, onDone) {
    let left = seconds;
    onTick(left);
    const timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        onDone();
      } else {
        onTick(left);
      }
    }, 1000);
    return function () { clearInterval(timer); };
  }

  /** The number of a report figure: [value, kind] (schema 2, docs/report-schema.md),
   * {value, unit, ...} (schema 1) or a bare number; else null. */
  function num(q) {
    let v = q;
    if (Array.isArray(q)) v = q.length === 2 && typeof q[1] === "string" ? q[0] : null;
    else if (q && typeof q === "object") v = q.value;
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  }

  /** The place a job is about, for lists and headings: matched municipality or what was sent. */
  function placeOf(job) {
    const loc = job && job.result && job.result.location;
    if (loc) {
      const m = loc.matched;
      if (m) {
        const lang = document.documentElement.lang;
        const prov = lang === "ko" ? m.province_ko : m.province_en;
        const muni = lang === "ko" ? m.municipality_ko : m.municipality_en;
        return [prov, muni].filter(Boolean).join(" ");
      }
      if (loc.input && loc.input.address) return loc.input.address;
      const lat = num(loc.lat);
      const lon = num(loc.lon);
      if (lat !== null && lon !== null) return lat.toFixed(4) + ", " + lon.toFixed(4);
    }
    const req = job && (job.request || job.payload);
    const target = req && req.target_location;
    if (target) {
      if (target.address) return target.address;
      if (typeof target.lat === "number") return target.lat + ", " + target.lon;
    }
    return "";
  }

  function formatTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return d.toLocaleString(document.documentElement.lang === "ko" ? "ko-KR" : "en-GB", {
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
  }

  return {
    data: data, fmt: fmt, label: label, api: api, errorOf: errorOf, retryAfter: retryAfter,
    storeRequest: storeRequest, loadRequest: loadRequest, submitReport: submitReport,
    countdown: countdown, placeOf: placeOf, num: num, formatTime: formatTime, FINAL: FINAL,
  };
})();
