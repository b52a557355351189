// Hiring-team pages: copy an invitation link, and follow grading live on an attempt's page.
// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-copy-target");
      var field = document.getElementById(id);
      var status = document.querySelector('[data-copy-status="' + id + '"]');
      function say(text) { if (status) { status.textContent = text; } }
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say("Link copied."); },
          function () { say("Copy it with Ctrl+C (⌘C on a Mac): the link is selected."); }
        );
      } else {
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        say(copied ? "Link copied." : "Copy it with Ctrl+C (⌘C on a Mac): the link is selected.");
      }
    });
  });

  // While gradings are queued or running, ask the server every few seconds; reload the page
  // (to show scores and tests) once the status changes.
  var live = document.querySelector("[data-status-url]");
  if (live) {
    var url = live.getAttribute("data-status-url");
    var seen = live.getAttribute("data-grading");
    var timer = window.setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (data.grading !== seen) {
            live.textContent = data.grading;
            seen = data.grading;
            if (data.settled) {
              window.clearInterval(timer);
              window.location.reload();
            }
          }
        })
        .catch(function () { /* a missed poll is retried at the next tick */ });
    }, 5000);
  }
})();
