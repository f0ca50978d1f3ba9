// "Preview changes" opens the article at the section last edited: the button's address
// gets that section's anchor (its #address on the page) as its fragment.
(function () {
  "use strict";
  var button = document.getElementById("preview-changes");
  if (!button) return;
  var base = button.getAttribute("formaction");
  button.setAttribute("data-follows-edits", "true"); // listening from here on
  document.addEventListener("focusin", function (event) {
    var section = event.target.closest(".inline-related");
    var anchor = section && section.querySelector("input[name$='-anchor']");
    if (anchor && anchor.value) {
      button.setAttribute("formaction", base + "#" + encodeURIComponent(anchor.value));
    }
  });
})();
