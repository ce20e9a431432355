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
