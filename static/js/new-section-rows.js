// A row added with "Add another section" is a full row: its Markdown editor gets the live
// preview (citations numbered, unknown keys flagged) as rows present when the page loaded
// do. markdownx starts its preview only once, when the page loads, so the rows it copies
// later keep its mark but none of its listeners; this gives them the same preview. (The
// "Insert image…" tools listen on the whole document, so they work in new rows already.)
(function () {
  "use strict";

  function csrfToken(form) {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return match[1];
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function livePreview(box) {
    const editor = box.querySelector(".markdownx-editor");
    const preview = box.querySelector(".markdownx-preview");
    if (!editor || !preview || editor.hasAttribute("data-live-preview")) return;
    editor.setAttribute("data-live-preview", "");
    let timer = null;
    function refresh() {
      const data = new FormData();
      data.append("content", editor.value);
      fetch(editor.getAttribute("data-markdownx-urls-path"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(editor.form), "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null) preview.innerHTML = html; // sanitised on the server
        });
    }
    editor.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 500);
    });
    if (editor.value) refresh();
  }

  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll(".markdownx").forEach(livePreview);
  });
})();
