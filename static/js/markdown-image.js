// Images in the Markdown editor (templates/articles/_markdown_editor.html).
//
// "Insert image", an image dragged into the text and one pasted all come here, before
// markdownx's own handlers (which would write "Invalid response" into the text on a refusal
// and insert images with no description). The server's reason for a refusal is shown beside
// the editor; an accepted image is written into the text only once it has alt text.
(function () {
  "use strict";

  function partsOf(element) {
    var box = element.closest(".markdownx");
    if (!box || !box.querySelector("[data-image-tools]")) return null;
    return {
      box: box,
      textarea: box.querySelector("textarea"),
      tools: box.querySelector("[data-image-tools]"),
      file: box.querySelector("[data-image-file]"),
      status: box.querySelector("[data-image-status]"),
      error: box.querySelector("[data-image-error]"),
      dialog: box.querySelector("[data-image-dialog]"),
      preview: box.querySelector("[data-image-preview]"),
      alt: box.querySelector("[data-image-alt]"),
      altError: box.querySelector("[data-image-alt-error]"),
    };
  }

  function say(parts, message) {
    parts.status.textContent = message;
  }

  function refuse(parts, message) {
    say(parts, "");
    parts.error.textContent = message;
    parts.error.scrollIntoView({ block: "nearest" });
  }

  function busy(parts, uploading) {
    parts.box.toggleAttribute("data-uploading", uploading);
    parts.tools.setAttribute("aria-busy", uploading ? "true" : "false");
    parts.tools.querySelector("[data-insert-image]").disabled = uploading;
  }

  function limit(parts) {
    return parts.tools.getAttribute("data-limit"); // in words: "5 MB"
  }

  function csrfToken(parts) {
    // The cookie first: signing in again in another tab renews it, and the page's own form
    // is given the new one too, so that saving the page still works.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var form = parts.box.closest("form");
    var inputs = form ? form.querySelectorAll("input[name=csrfmiddlewaretoken]") : [];
    if (match) {
      Array.prototype.forEach.call(inputs, function (input) {
        input.value = match[1];
      });
      return match[1];
    }
    return inputs.length ? inputs[0].value : "";
  }

  function refusalReason(parts, status, answer) {
    if (answer && answer.error) return answer.error;
    if (status === 413) {
      return "It is larger than the server accepts. Upload one under " + limit(parts) + ".";
    }
    if (status === 403) {
      return (
        "You are signed out, or your account may not add images. Sign in again in another " +
        "tab (so the edits on this page are kept), then try once more."
      );
    }
    return (
      "The server could not store it (error " + status + "). Try again; if it keeps " +
      "failing, tell the site's administrator."
    );
  }

  function upload(parts, file, returnFocusTo) {
    if (parts.box.hasAttribute("data-uploading") || parts.dialog.open) {
      say(parts, "One image at a time: wait for the one being added.");
      return;
    }
    parts.error.textContent = "";
    parts.box.returnFocusTo = returnFocusTo; // parts are looked up afresh on each event
    var name = "“" + file.name + "”";
    if (file.size > parseInt(parts.tools.getAttribute("data-limit-bytes"), 10)) {
      refuse(parts, name + " was not added: it is larger than " + limit(parts) +
        ". Upload a smaller one.");
      return;
    }
    say(parts, "Uploading " + name + "…");
    busy(parts, true);
    var body = new FormData();
    body.append("image", file);
    fetch(parts.textarea.getAttribute("data-markdownx-upload-urls-path"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "X-CSRFToken": csrfToken(parts) },
    })
      .then(
        function (response) {
          return response.text().then(function (text) {
            return { response: response, text: text };
          });
        },
        function () {
          return null; // nothing came back: the request did not get through
        }
      )
      .then(function (reply) {
        busy(parts, false);
        if (!reply) {
          refuse(parts, name + " was not added: it could not be sent. Check the connection " +
            "and try again.");
          return;
        }
        var answer = null;
        try {
          answer = JSON.parse(reply.text);
        } catch (notJson) {
          // an error page from the server or the proxy in front of it
        }
        if (reply.response.ok && answer && answer.url) {
          say(parts, "");
          describe(parts, answer.url);
        } else {
          refuse(parts, name + " was not added: " +
            refusalReason(parts, reply.response.status, answer));
        }
      });
  }

  var described = 0;

  function describe(parts, url) {
    // Ids made here: a section added on the page is a copy of a hidden one, ids and all.
    described += 1;
    var help = parts.dialog.querySelector("[data-image-alt-help]");
    help.id = "image-alt-help-" + described;
    parts.altError.id = "image-alt-error-" + described;
    parts.alt.setAttribute("aria-describedby", help.id + " " + parts.altError.id);
    parts.preview.src = url;
    parts.preview.hidden = false;
    parts.alt.value = "";
    parts.alt.removeAttribute("aria-invalid");
    parts.altError.textContent = "";
    parts.dialog.setAttribute("data-url", url);
    parts.dialog.showModal();
    parts.alt.focus();
  }

  function escapeAlt(text) {
    return text.replace(/\s+/g, " ").replace(/([\\\[\]])/g, "\\$1");
  }

  function insert(parts) {
    var alt = parts.alt.value.trim();
    if (!alt) {
      parts.alt.setAttribute("aria-invalid", "true");
      parts.altError.textContent =
        "Describe the image first: say what it shows, as you would to someone on the phone.";
      parts.alt.focus();
      return;
    }
    var textarea = parts.textarea;
    // Where the editor left the cursor; at the end if they never put it in the text.
    var chosen = textarea.hasAttribute("data-caret-chosen");
    var start = chosen ? textarea.selectionStart : textarea.value.length;
    var end = chosen ? textarea.selectionEnd : textarea.value.length;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    // An image is a paragraph of its own: blank lines around it, unless already there.
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var image = "![" + escapeAlt(alt) + "](" + parts.dialog.getAttribute("data-url") + ")";
    textarea.value = before + lead + image + trail + after;
    var caret = (before + lead + image).length;
    parts.dialog.close("inserted");
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true })); // markdownx's preview
    say(parts, "Image inserted: " + alt);
  }

  function filesOf(transfer) {
    return transfer && transfer.files ? Array.prototype.slice.call(transfer.files) : [];
  }

  function takeFiles(event, transfer) {
    var parts = event.target.closest && partsOf(event.target);
    var files = filesOf(transfer);
    if (!parts || event.target !== parts.textarea || !files.length) return;
    event.stopPropagation(); // markdownx's own upload must not run
    var types = Array.prototype.slice.call(transfer.types || []);
    if (event.type === "paste" && (types.indexOf("text/plain") !== -1 || types.indexOf("text/html") !== -1)) {
      return; // text from Word or a web page, which brings a picture of itself: paste the text
    }
    event.preventDefault();
    if (files.length > 1) {
      refuse(parts, "Add one image at a time: nothing was added.");
      return;
    }
    upload(parts, files[0], parts.textarea);
  }

  // Capturing on the document runs before the listeners markdownx puts on the text box.
  document.addEventListener("drop", function (event) {
    takeFiles(event, event.dataTransfer);
  }, true);
  document.addEventListener("paste", function (event) {
    takeFiles(event, event.clipboardData);
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-image], [data-image-confirm], [data-image-cancel]");
    var parts = button && partsOf(button);
    if (!parts) return;
    if (button.hasAttribute("data-insert-image")) {
      parts.file.value = "";
      parts.file.click();
    } else if (button.hasAttribute("data-image-confirm")) {
      insert(parts);
    } else {
      parts.dialog.close("cancelled");
    }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-image-file")) return;
    var parts = partsOf(event.target);
    if (parts && event.target.files.length) {
      upload(parts, event.target.files[0], parts.tools.querySelector("[data-insert-image]"));
    }
  });

  document.addEventListener("focusin", function (event) {
    var parts = partsOf(event.target);
    if (parts && event.target === parts.textarea) {
      parts.textarea.setAttribute("data-caret-chosen", "");
    }
  });

  document.addEventListener("keydown", function (event) {
    // Enter in the description inserts the image; it must not submit the page's form.
    if (event.key === "Enter" && !event.isComposing && event.target.hasAttribute("data-image-alt")) {
      event.preventDefault();
      insert(partsOf(event.target));
    }
  });

  document.addEventListener("close", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-image-dialog")) return;
    var parts = partsOf(event.target);
    if (event.target.returnValue !== "inserted") {
      say(parts, "The image was not added.");
      (parts.box.returnFocusTo || parts.textarea).focus(); // where the editor was
    }
    event.target.returnValue = "";
  }, true);

  function showTools() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-image-tools]"), function (tools) {
      tools.hidden = false;
    });
    document.documentElement.setAttribute("data-image-tools-ready", "true"); // for browser tests
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showTools);
  } else {
    showTools();
  }
})();
