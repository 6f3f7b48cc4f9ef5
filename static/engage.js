// Engage's only script: small progressive enhancements. Every page works without it.
// Hooks are data-* attributes written by the templates (no inline script: Content-Security-Policy).
(function () {
  "use strict";

  // The browser's time zone, learnt once: remembered in a cookie for visitors (signed-in people have it
  // in their profile) and proposed in sign-up and profile forms. While a page was rendered without it,
  // its footer says so; once learnt, the footer says that the next pages use it.
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  if (zone) {
    var known = document.cookie.split("; ").some(function (c) { return c === "tz=" + encodeURIComponent(zone); });
    if (!known) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
      var note = document.querySelector("[data-zone-learnt]");
      if (note) { note.textContent = note.getAttribute("data-zone-learnt").replace("{zone}", zone); }
    }
    document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
      if (!input.value) { input.value = zone; }
    });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // After a refused submission, focus goes to the summary of its errors (which links to each field).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Menu groups: one open at a time; Escape or a click elsewhere closes them.
  var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-group details"));
  groups.forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) { groups.forEach(function (other) { if (other !== details) { other.open = false; } }); }
    });
  });
  document.addEventListener("click", function (event) {
    groups.forEach(function (details) { if (!details.contains(event.target)) { details.open = false; } });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    groups.forEach(function (details) {
      if (details.open) { details.open = false; details.querySelector("summary").focus(); }
    });
  });

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // Markdown preview: the server renders the text through the same sanitiser as when it is saved.
  // Without the script, the "Preview" button posts the form to the preview page in a new tab.
  document.querySelectorAll("button[data-preview-for]").forEach(function (button) {
    var area = document.getElementById(button.getAttribute("data-preview-for"));
    var box = area && document.getElementById(area.id + "-preview");
    var label = area && document.getElementById(area.id + "-preview-label");
    if (!area || !box) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var body = new FormData();
      body.append("text", area.value);
      fetch(area.getAttribute("data-markdown-preview"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(area.form) }
      }).then(function (response) { return response.json(); }).then(function (data) {
        box.innerHTML = data.html || "";  // sanitised on the server (nh3), like the saved text
        if (!data.html) { box.textContent = data.message || ""; }
        box.hidden = false;
        if (label) { label.hidden = false; }
      }).catch(function () {
        box.hidden = false;
        box.textContent = button.getAttribute("data-preview-error") || "";
      });
    });
  });

  // Background jobs (compiled minutes): rows with data-job-status poll their JSON status and update
  // their progress; a finished row reloads the page once to show its download link.
  var rows = document.querySelectorAll("[data-job-status]");
  rows.forEach(function (row) {
    var url = row.getAttribute("data-job-status");
    var progress = row.querySelector("progress");
    var text = row.querySelector("[data-job-progress]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (progress && job.progress_total) { progress.max = job.progress_total; progress.value = job.progress_done; }
          if (text && text.getAttribute("data-template")) {
            text.textContent = text.getAttribute("data-template")
              .replace("{done}", job.progress_done).replace("{total}", job.progress_total);
          }
          if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1500);
  });
})();
