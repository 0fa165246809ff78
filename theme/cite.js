// "Cite this brief": copy buttons, shown only where the clipboard can be written.
// The citations themselves are in the page; without this script they can be selected.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  var status = document.querySelector(".cite-status");
  var say = function (text) { if (status) status.textContent = text; };
  document.querySelectorAll(".cite-copy").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
        say("Copied to the clipboard.");
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      }, function () {
        say("Could not copy: select the text and copy it instead.");
      });
    });
  });
})();
