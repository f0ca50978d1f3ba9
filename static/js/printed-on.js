// A printout's date is the day it is printed: the page may have been loaded days before.
window.addEventListener("beforeprint", function () {
  var now = new Date();
  var day = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    .map(function (part) { return String(part).padStart(2, "0"); })
    .join("-");
  document.querySelectorAll("[data-printed-on]").forEach(function (time) {
    time.dateTime = day;
    time.textContent = now.toLocaleDateString(document.documentElement.lang || "en-US", { year: "numeric", month: "long", day: "numeric" });
  });
});
