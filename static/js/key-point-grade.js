// A key point's reading grade beside it as the editor writes, from the server's own check
// (the one saving applies). Works for rows added with "Add another" too: it listens on the
// document for any key point's text.
(function () {
  "use strict";
  const timers = new WeakMap();

  function show(input) {
    const output = document.getElementById(input.id + "_grade");
    if (!output) return;
    const url = new URL(input.dataset.gradeUrl, window.location.href);
    url.searchParams.set("text", input.value);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (result) {
        if (!result) return;
        output.textContent = result.message;
        output.classList.toggle("key-point-grade--too-hard", !result.ok);
      })
      .catch(function () {
        output.textContent = "";
      });
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.gradeUrl) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(show, 300, input));
  });
})();
