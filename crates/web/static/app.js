// Qingling's only script: small conveniences; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const add = document.getElementById("add-subject");
  const rows = document.getElementById("subject-rows");
  const tpl = document.getElementById("subject-template");
  if (add && rows && tpl) {
    add.addEventListener("click", () => {
      const i = rows.querySelectorAll(".subject-row").length;
      const html = tpl.innerHTML.replaceAll("__i__", String(i)).replaceAll("__n__", String(i + 1));
      rows.insertAdjacentHTML("beforeend", html);
      const first = document.getElementById("subjects-" + i + "-name");
      if (first) first.focus();
    });
  }
  // Ask before leaving a form with unsaved input.
  const form = document.querySelector("form.lead-form");
  if (form) {
    let dirty = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); } });
  }
});
// Confirmation before irreversible actions: forms marked `confirm` ask first.
document.addEventListener("submit", (e) => {
  const f = e.target;
  if (f instanceof HTMLFormElement && f.classList.contains("confirm")) {
    if (!window.confirm(f.dataset.confirm || "?")) { e.preventDefault(); }
  }
});
// The one form pattern: a refused form's error summary takes focus, so the keyboard and a
// screen reader start where the problem is.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) { summary.scrollIntoView({ block: "center" }); summary.focus(); }
});
// The register form: a subject row can be removed (its fields emptied and hidden, so the row
// is dropped as blank on the server and numbering stays as shown); an anonymous report hides
// the reporter's name and contact, and leaves them out of the submission (disabled).
document.addEventListener("DOMContentLoaded", () => {
  const rows = document.getElementById("subject-rows");
  if (rows) {
    const arm = () => rows.querySelectorAll(".subject-row .remove-subject").forEach((b) => { b.hidden = false; });
    arm();
    document.getElementById("add-subject")?.addEventListener("click", arm);
    rows.addEventListener("click", (e) => {
      const b = e.target;
      if (!(b instanceof HTMLButtonElement) || !b.classList.contains("remove-subject")) return;
      const row = b.closest(".subject-row");
      row.querySelectorAll("input").forEach((i) => { if (i.type === "checkbox") i.checked = false; else i.value = ""; });
      row.hidden = true;
      document.getElementById("add-subject")?.focus();
    });
  }
  const kind = document.getElementById("reporter-kind");
  if (kind) {
    const show = () => document.querySelectorAll(".reporter-identity").forEach((f) => {
      const anon = kind.value === "anonymous";
      f.hidden = anon;
      f.querySelectorAll("input").forEach((i) => { i.disabled = anon; });
    });
    kind.addEventListener("change", show);
    show();
  }
});

// Print buttons on the printed forms (no inline script: the CSP forbids it).
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("[data-print]");
  if (b) { window.print(); }
});
// A long import or export: its panel follows the work once a second and, once the work has
// ended, goes where its outcome is shown. Without the script the page refreshes itself.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("work-progress");
  if (!panel || panel.dataset.finished === "true") return;
  // Once the page is left (a cancel posted), a late answer must not send it elsewhere.
  let leaving = false;
  window.addEventListener("beforeunload", () => { leaving = true; });
  const set = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = String(text); };
  const tick = async () => {
    let v;
    try {
      const r = await fetch(panel.dataset.poll, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (!r.ok) { if (!leaving) window.location.assign(panel.dataset.next); return; }
      v = await r.json();
    } catch (_) { window.setTimeout(tick, 2000); return; }
    if (leaving) return;
    if (v.finished) { window.location.assign(panel.dataset.next); return; }
    const bar = document.getElementById("work-bar");
    if (bar && v.total > 0) { bar.max = v.total; bar.value = v.done; bar.textContent = v.percent + "%"; }
    set("work-phase", v.phase_text);
    set("work-done", v.done);
    set("work-total", v.total > 0 ? v.total : "—");
    set("work-elapsed", v.elapsed_text);
    set("work-left", v.left_text);
    const cancel = document.getElementById("cancel-form");
    if (cancel && !v.cancellable) cancel.hidden = true;
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 1000);
});

// The relations graph opens with its centre in the middle of its frame (it is drawn at its own
// size, wider than the frame when crowded).
document.addEventListener("DOMContentLoaded", () => {
  const wrap = document.getElementById("graph");
  if (wrap) wrap.scrollLeft = Number(wrap.dataset.centreX) - wrap.clientWidth / 2;
});

// A report that may repeat earlier leads comes back with them listed below the form: shown at
// once, the first choice focused.
document.addEventListener("DOMContentLoaded", () => {
  const check = document.getElementById("repeat-check");
  if (!check || document.getElementById("form-errors")) return;
  check.scrollIntoView({ block: "start" });
  const first = check.querySelector("input[type=radio]");
  if (first) first.focus({ preventScroll: true });
});
