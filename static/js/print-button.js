// "Print this page" buttons: shown only where script runs, since printing needs it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
