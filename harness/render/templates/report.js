(function () {
  "use strict";
  var button = document.getElementById("show-all");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var on = document.body.classList.toggle("show-all");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Show one pair at a time" : "Show every pair";
  });
})();
