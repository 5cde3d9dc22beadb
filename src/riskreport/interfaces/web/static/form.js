/* The report form: build the JSON body, POST it, and show the API's answer where it belongs.
 * Validation is the API's job (one source of truth): a 422 lists field paths, and each message
 * is shown next to the field with that path. */
"use strict";

(function () {
  const form = document.getElementById("report-form");
  const banner = document.getElementById("form-banner");
  const bannerText = banner.querySelector(".banner-text");
  const bannerList = banner.querySelector(".banner-list");
  const bannerRetry = document.getElementById("banner-retry");
  const submitButton = document.getElementById("submit-button");
  let stopCountdown = null;

  // -- location mode: an address or a pair of coordinates, never both ----------------------------
  function locationMode() {
    return form.querySelector('input[name="location_mode"]:checked').value;
  }
  function showLocationMode() {
    const mode = locationMode();
    for (const box of form.querySelectorAll("[data-location-mode]")) {
      box.hidden = box.dataset.locationMode !== mode;
    }
  }
  for (const radio of form.querySelectorAll('input[name="location_mode"]')) {
    radio.addEventListener("change", showLocationMode);
  }

  // -- the body ----------------------------------------------------------------------------------
  function convert(raw, type) {
    if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
    if (type === "integer" || type === "number") {
      // People write 30,000,000,000 or 30 000 000 000; anything still not a number is sent as
      // typed, so the API's message explains what is wrong with it.
      const cleaned = raw.replace(/[,\s_]/g, "");
      const n = Number(cleaned);
      return cleaned !== "" && Number.isFinite(n) ? n : raw;
    }
    return raw;
  }
  function setPath(target, path, value) {
    const parts = path.split(".");
    let node = target;
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }
  function getPath(target, path) {
    let node = target;
    for (const part of path.split(".")) {
      if (node === null || typeof node !== "object") return undefined;
      node = node[part];
    }
    return node;
  }
  function collect() {
    const body = {};
    const mode = locationMode();
    for (const el of form.querySelectorAll("[data-path]")) {
      const box = el.closest("[data-location-mode]");
      if (box && box.dataset.locationMode !== mode) continue;
      const path = el.dataset.path;
      if (el.type === "checkbox") {
        let list = getPath(body, path);
        if (!Array.isArray(list)) {
          list = [];
          setPath(body, path, list);
        }
        if (el.checked) list.push(convert(el.value, el.dataset.type));
        continue;
      }
      const raw = el.value.trim();
      if (raw === "") continue;
      setPath(body, path, convert(raw, el.dataset.type));
    }
    return body;
  }

  // -- errors --------------------------------------------------------------------------------------
  function clearErrors() {
    for (const p of form.querySelectorAll(".field-error")) {
      p.hidden = true;
      p.textContent = "";
    }
    for (const f of form.querySelectorAll(".field.invalid")) f.classList.remove("invalid");
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    hideBanner();
  }
  function hideBanner() {
    banner.hidden = true;
    banner.classList.remove("banner-error");
    bannerList.textContent = "";
    bannerRetry.hidden = true;
    if (stopCountdown) {
      stopCountdown();
      stopCountdown = null;
    }
  }
  function showBanner(text, isError) {
    bannerText.textContent = text;
    banner.classList.toggle("banner-error", !!isError);
    banner.hidden = false;
  }

  /** The field path of one 422 detail: "building_info.year_built" from any common shape. */
  function pathOf(detail) {
    let loc = detail.field || detail.path || detail.loc || "";
    if (Array.isArray(loc)) loc = loc.filter(function (p) { return p !== "body"; }).join(".");
    return String(loc).replace(/^body\./, "");
  }
  /** The error slot for a path: the exact field, else its closest ancestor (a list item, a union). */
  function slotFor(path) {
    const parts = path.split(".").filter(Boolean);
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join(".");
      const slot = form.querySelector('[data-error-for="' + CSS.escape(candidate) + '"]');
      if (slot) {
        // A union error (target_location.<variant>.lat) is better shown at the named leaf if any.
        const leaf = parts[0] + "." + parts[parts.length - 1];
        const leafSlot = n === 1 ? form.querySelector('[data-error-for="' + CSS.escape(leaf) + '"]') : null;
        return leafSlot && !leafSlot.closest("[hidden]") ? leafSlot : slot;
      }
    }
    return null;
  }
  /** The message of one detail, in Korean when the catalog knows the pydantic error type. */
  function messageOf(detail) {
    const own = detail.message || detail.msg || String(detail);
    const key = "v_" + detail.type;
    if (RR.data.lang !== "ko" || !detail.type || !RR.data.texts[key]) return own;
    const params = Object.assign({}, detail.ctx || {});
    const needs = (RR.data.texts[key].match(/\{(\w+)\}/g) || []).map(function (m) {
      return m.slice(1, -1);
    });
    for (const name of needs) {
      if (params[name] !== undefined) continue;
      // The API sends the bound only inside its English message ("... equal to 1800").
      const numbers = own.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi);
      if (!numbers) return own;
      params[name] = numbers[numbers.length - 1];
    }
    return RR.fmt(key, params);
  }
  function showInvalid(error) {
    const unplaced = [];
    let first = null;
    for (const detail of error.details) {
      const path = pathOf(detail);
      const message = messageOf(detail);
      const slot = path ? slotFor(path) : null;
      if (!slot) {
        unplaced.push((path ? path + ": " : "") + message);
        continue;
      }
      slot.textContent = slot.textContent ? slot.textContent + " " + message : message;
      slot.hidden = false;
      const details = slot.closest("details");
      if (details) details.open = true;
      const field = slot.closest(".field");
      if (field) {
        field.classList.add("invalid");
        const input = field.querySelector("input, select");
        if (input) input.setAttribute("aria-invalid", "true");
      }
      if (!first) first = slot;
    }
    showBanner(RR.fmt("error_validation"), true);
    for (const line of unplaced.length ? unplaced : error.details.length ? [] : [error.message]) {
      const li = document.createElement("li");
      li.textContent = line;
      bannerList.appendChild(li);
    }
    const target = first ? first.closest(".field") || first : banner;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // -- submit ------------------------------------------------------------------------------------------
  function busy(on) {
    submitButton.disabled = on;
    submitButton.textContent = RR.fmt(on ? "submitting" : "submit");
  }
  async function send() {
    clearErrors();
    busy(true);
    const body = collect();
    const outcome = await RR.submitReport(body);
    if (outcome.kind === "ok") {
      window.location.assign("/reports/" + encodeURIComponent(outcome.job.id));
      return;
    }
    busy(false);
    if (outcome.kind === "invalid") {
      showInvalid(outcome.error);
    } else if (outcome.kind === "busy") {
      bannerRetry.hidden = false;
      stopCountdown = RR.countdown(
        outcome.seconds,
        function (left) { showBanner(RR.fmt("error_busy", { seconds: left }), false); },
        function () { stopCountdown = null; send(); }
      );
    } else if (outcome.kind === "network") {
      showBanner(RR.fmt("error_network"), true);
      bannerRetry.hidden = false;
    } else {
      showBanner(RR.fmt("error_unexpected", { message: outcome.error.message }), true);
      bannerRetry.hidden = false;
    }
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send();
  });
  bannerRetry.addEventListener("click", function () { send(); });

  // -- prefill from an earlier request (the "Try again" of a job whose input this browser kept) --------
  function prefill(body) {
    const target = body.target_location || {};
    const mode = target.address ? "address" : typeof target.lat === "number" ? "coords" : null;
    if (mode) form.querySelector('input[name="location_mode"][value="' + mode + '"]').checked = true;
    for (const el of form.querySelectorAll("[data-path]")) {
      const value = getPath(body, el.dataset.path);
      if (value === undefined) continue;
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.map(String).includes(el.value);
      } else {
        el.value = String(value);
      }
    }
  }
  const from = new URLSearchParams(window.location.search).get("from");
  if (from) {
    const earlier = RR.loadRequest(from);
    if (earlier) prefill(earlier);
  }
  showLocationMode();
})();
