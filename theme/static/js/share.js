// "Copy the link" on task pages. Without JavaScript the link stays visible as text.
(function () {
  "use strict";
  document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-copy");
      var done = function () {
        if (status) { status.textContent = status.getAttribute("data-copied"); }
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, function () { selectText(button); });
      } else {
        selectText(button);
      }
    });
  });

  // Fallback: select the visible URL so the visitor can copy it by hand.
  function selectText(button) {
    var text = button.parentNode.querySelector(".share-url-text");
    if (!text || !window.getSelection) { return; }
    var range = document.createRange();
    range.selectNodeContents(text);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
