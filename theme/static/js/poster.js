// Posters (posters.py, poster.css): the Print button, and the text fitted to the sheet.
// Styles are set through the CSSOM only (a custom property), which the CSP allows.
// The build sends whole sentences (a task) or whole tasks (a place); this measures the sheet
// as the browser lays it out and leaves out, from the end, those that do not fit, showing
// "meer info: scan de code" instead. The title first steps down a size until it fits its
// lines. Without this script the CSS cuts the text at a whole line and always shows the note.
(function () {
  "use strict";

  var TITLE_SIZES = ["title-xl", "title-l", "title-m", "title-s", "title-xs", "title-xxs"];
  var SLACK = 1; // px: layout rounds to whole pixels

  function fits(element) {
    return element.scrollHeight <= element.clientHeight + SLACK &&
      element.scrollWidth <= element.clientWidth + SLACK;
  }

  // As large as fits its lines (two in the largest sizes) and leaves the QR code and its links
  // beside the text room to fit: the build's guess is the fallback without this script.
  // The QR code's box counts too: it gives up height to a long title (or long strips) only
  // down to its 32 mm code and "Scan me", and would otherwise overflow onto the link below.
  function fitTitle(title) {
    var side = Array.prototype.slice.call(document.querySelectorAll(".poster-side, .poster-side > *"));
    TITLE_SIZES.forEach(function (name) { title.classList.remove(name); });
    for (var i = 0; i < TITLE_SIZES.length; i++) {
      title.classList.add(TITLE_SIZES[i]);
      if ((fits(title) && side.every(fits)) || i === TITLE_SIZES.length - 1) {
        return;
      }
      title.classList.remove(TITLE_SIZES[i]);
    }
  }

  var TEXT_SIZES = ["fit-xl", "fit-l", "fit-m", "fit-s"];

  // The largest text size at which every sentence (or task) fits; else the smallest, leaving
  // out whole ones from the end, with "meer info: scan de code" shown.
  function fitText(box) {
    var main = box.closest(".poster-main") || box.parentNode;
    var more = main.querySelector("[data-fit-more]");
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-fit-item]"));
    var blocks = Array.prototype.slice.call(box.querySelectorAll("[data-fit-block]"));
    items.concat(blocks).forEach(function (element) { element.hidden = false; });
    var always = more && more.hasAttribute("data-fit-always"); // the build left some out
    if (more) {
      more.hidden = !always;
    }
    for (var size = 0; size < TEXT_SIZES.length; size++) {
      TEXT_SIZES.forEach(function (name) { box.classList.remove(name); });
      box.classList.add(TEXT_SIZES[size]);
      if (fits(box)) {
        return;
      }
    }
    if (more) {
      more.hidden = false; // it takes a line: fit the text with it shown
    }
    // Whole sentences (or tasks) from the end, and a paragraph with the last of its own (its
    // space before it goes too): under a very long title, none may be left but the note.
    for (var i = items.length - 1; i >= 0 && !fits(box); i--) {
      items[i].hidden = true;
      var block = items[i].closest("[data-fit-block]");
      if (block && !block.querySelector("[data-fit-item]:not([hidden])")) {
        block.hidden = true;
      }
    }
  }

  // The strips as short as their lines allow (a narrow font needs less than the CSS's one
  // line per item), so the text above gets the rest: the shortest length, from 40 mm up in
  // steps of 2, at which every strip's lines still fit across it, clear of the cut lines;
  // none shorter than the CSS's own length, which always fits.
  var STRIP_SHORTEST = 40;
  function fitStrips(list) {
    var strips = Array.prototype.slice.call(list.querySelectorAll(".strip, .strip > *"));
    var all = function () { return strips.every(fits); };
    list.classList.remove("strips-fitted");
    list.style.removeProperty("--strip-height");
    var natural = list.getBoundingClientRect().height;
    list.classList.add("strips-fitted");
    for (var height = STRIP_SHORTEST; ; height += 2) {
      list.style.setProperty("--strip-height", String(height));
      if (list.getBoundingClientRect().height >= natural - SLACK) {
        break;
      }
      if (all()) {
        return;
      }
    }
    list.classList.remove("strips-fitted");
    list.style.removeProperty("--strip-height");
  }

  function fitAll() {
    document.querySelectorAll(".strip-list").forEach(fitStrips);
    document.querySelectorAll("[data-fit-title]").forEach(fitTitle);
    document.querySelectorAll("[data-fit]").forEach(fitText);
  }

  var pending = false;
  function refit() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fitAll();
      });
    }
  }

  // Before printing, measure the sheet at its printed size (210 mm wide, as poster.css
  // lays it out for paper), so what fits on screen is exactly what fits on paper.
  function beforePrint() {
    document.documentElement.classList.add("measure-print");
    fitAll();
  }
  function afterPrint() {
    document.documentElement.classList.remove("measure-print");
    fitAll();
  }

  fitAll();
  window.addEventListener("resize", refit);
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) {
      print.addEventListener("change", function (event) {
        (event.matches ? beforePrint : afterPrint)();
      });
    }
  }

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
