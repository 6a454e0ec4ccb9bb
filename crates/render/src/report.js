(function () {
  "use strict";
  var pinned = null;
  function light(claim, on) {
    var els = document.querySelectorAll('[data-claim="' + claim + '"]');
    for (var i = 0; i < els.length; i++) { els[i].classList.toggle("hl", on); }
  }
  var targets = document.querySelectorAll("[data-claim]");
  for (var i = 0; i < targets.length; i++) {
    (function (el) {
      var c = el.getAttribute("data-claim");
      el.addEventListener("mouseenter", function () { light(c, true); });
      el.addEventListener("mouseleave", function () { if (pinned !== c) { light(c, false); } });
      el.addEventListener("focus", function () { light(c, true); });
      el.addEventListener("blur", function () { if (pinned !== c) { light(c, false); } });
      el.addEventListener("click", function () {
        if (pinned && pinned !== c) { light(pinned, false); }
        pinned = pinned === c ? null : c;
        light(c, pinned === c);
      });
      el.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); el.click(); }
      });
    })(targets[i]);
  }
  var onlyDiff = document.getElementById("only-diff");
  var onlyOutlet = document.getElementById("only-outlet");
  function apply() {
    var diff = onlyDiff.checked;
    var outlet = onlyOutlet.value;
    var rows = document.querySelectorAll(".sbs tbody tr");
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var kind = r.getAttribute("data-kind");
      var hide = (diff && kind === "identical") ||
        (outlet !== "" && !(kind === "added" && r.getAttribute("data-owner") === outlet));
      r.hidden = hide;
    }
    var claims = document.querySelectorAll(".matrix tr.claim");
    for (var j = 0; j < claims.length; j++) {
      var c = claims[j];
      var owners = JSON.parse(c.getAttribute("data-only") || "[]");
      c.hidden = (diff && c.getAttribute("data-diff") === "same") ||
        (outlet !== "" && owners.indexOf(outlet) < 0);
    }
    var filters = [];
    if (diff) { filters.push("only differences"); }
    if (outlet !== "") { filters.push("additions of " + outlet); }
    var tables = document.querySelectorAll("table.sbs, table.matrix");
    for (var t = 0; t < tables.length; t++) {
      nothing(tables[t], filters);
    }
  }
  // Under a table the filters leave empty: say so, and what is filtered (text only).
  function nothing(table, filters) {
    var box = table.parentNode;
    var note = box.nextElementSibling;
    if (!note || !note.classList.contains("nothing")) {
      note = document.createElement("p");
      note.className = "nothing";
      note.hidden = true;
      box.parentNode.insertBefore(note, box.nextSibling);
    }
    var shown = table.querySelectorAll("tbody tr:not([hidden])").length;
    note.textContent = "Nothing matches the filters (" + filters.join("; ") + ").";
    note.hidden = filters.length === 0 || shown > 0;
  }
  onlyDiff.addEventListener("change", apply);
  onlyOutlet.addEventListener("change", apply);
})();
