// Live preview of the catalogue card: copies the description, as text (never HTML), into the card as
// it is typed, and hints at shapes of personal data. The server checks the text again on publish.
(function () {
  "use strict";
  var box = document.getElementById("f-description");
  var target = document.getElementById("preview-description");
  var warning = document.getElementById("preview-warning");
  if (!box || !target) { return; }
  var shapes = [
    [/(?:\d{2})?\d{6}\s*[-+]?\s*\d{4}/, "något som liknar ett personnummer"],
    [/[^\s@]+@[^\s@]+\.[^\s@]+/, "en e-postadress"],
    [/(?:\+\s*46|\b0)[\d\s\-()]{6,}\d/, "ett telefonnummer"]
  ];
  function update() {
    target.textContent = box.value.trim();
    if (!warning) { return; }
    var found = shapes.filter(function (s) { return s[0].test(box.value); }).map(function (s) { return s[1]; });
    warning.textContent = found.length ? "Obs! Texten verkar innehålla " + found.join(", ") +
      ". Sådant får inte stå i katalogen." : "";
  }
  box.addEventListener("input", update);
  update();
}());
