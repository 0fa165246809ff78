// "Cite this brief": copy buttons, shown only where the clipboard can be written.
// The citations themselves are in the page; without this script they can be selected.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  var status = document.querySelector(".cite-status");
  var say = function (text) { if (status) status.textContent = text; };
  // The page's language may give its own strings (data-strings); these are the English ones.
  var strings = { cite_copied: "Copied", cite_copied_status: "Copied to the clipboard.",
    cite_failed: "Could not copy: select the text and copy it instead." };
  var section = document.getElementById("cite");
  try { Object.assign(strings, JSON.parse((section && section.getAttribute("data-strings")) || "{}")); } catch (e) { /* keep English */ }
  document.querySelectorAll(".cite-copy").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = strings.cite_copied;
        say(strings.cite_copied_status);
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        say(strings.cite_failed);
      });
    });
  });
})();
