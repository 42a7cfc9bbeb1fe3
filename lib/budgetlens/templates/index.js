/* budgetlens index: search the units by name or region; regions without a match are hidden. No library. */
(function () {
  "use strict";
  var input = document.getElementById("i-q"), status = document.getElementById("i-status");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.region"));
  var items = sections.map(function (s) {
    return { section: s, rows: Array.prototype.slice.call(s.querySelectorAll("tbody tr")).map(function (tr) {
      return { tr: tr, text: tr.getAttribute("data-s").toLowerCase().replace(/\s+/g, "") };
    }), link: document.querySelector('nav.regions a[href="#' + s.id + '"]') };
  });
  function update() {
    var q = input.value.toLowerCase().replace(/\s+/g, ""), shown = 0, groups = 0;
    items.forEach(function (g) {
      var n = 0;
      g.rows.forEach(function (r) {
        var hit = !q || r.text.indexOf(q) >= 0;
        r.tr.hidden = !hit;
        n += hit ? 1 : 0;
      });
      g.section.hidden = n === 0;
      if (g.link) g.link.hidden = n === 0;
      shown += n; groups += n ? 1 : 0;
    });
    status.textContent = q ? "找到" + shown + "个单位，分属" + groups + "个地区" : "";
    document.getElementById("i-none").hidden = shown > 0;
  }
  input.addEventListener("input", update);
  update();
  document.documentElement.dataset.indexReady = "1";
})();
