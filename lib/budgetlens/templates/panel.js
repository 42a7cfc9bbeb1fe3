/* budgetlens panel: sort, filter, search and page the table of every document; mark a unit on the
   distribution charts. Reads the JSON of #panel-data (budgetlens.panel.panel_data). No library. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("panel-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var PAGE = 100, FIG = 7;  // rows per page; index of the first figure in a data row
  var cols = data.columns, units = data.units, regions = data.regions;
  var state = { sort: -1, dir: 1, page: 0, marked: null };
  var rows = data.rows.map(function (r, i) {
    var u = units[r[0]], g = regions[u[2]];
    return { i: i, u: u, g: g, y: r[1], k: r[2], l: r[3], f: r[4], e: r[5], w: r[6], v: r.slice(FIG),
             q: r[5] ? "error" : (r[6] ? "warning" : "ok"),
             s: (u[1] + " " + g[2] + " " + r[4]).toLowerCase().replace(/\s+/g, "") };
  });
  var headers = ["单位", "地区", "文件"].concat(cols.map(function (c) { return c[1]; }), ["数据质量"]);

  function esc(t) {
    return String(t).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function grouped(n) {
    var parts = Math.abs(n).toFixed(2).split(".");
    return (n < 0 ? "-" : "") + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + parts[1];
  }
  function fmt(v, kind) {
    if (v === null || v === undefined) return "—";
    if (kind === "percent") return v.toFixed(2) + "%";
    if (kind === "change") return (v > 0 ? "+" : "") + v.toFixed(2) + "%";
    return grouped(v);
  }
  function docLabel(r) { return (r.y === null ? "" : r.y) + (data.kinds[r.k] || r.k); }
  function quality(r) {
    var text = r.e ? data.quality.error + r.e + "处" : (r.w ? data.quality.warning + r.w + "处" : data.quality.ok);
    return '<span class="badge ' + r.q + '">' + text + "</span>";
  }
  function unitCell(r) {
    var href = "units/" + encodeURIComponent(r.u[0]) + ".html";
    var name = '<a href="' + href + '">' + esc(r.u[1]) + "</a>";
    if (!r.u[3]) name += ' <span class="meta">（' + esc(data.unread) + "）</span>";
    return '<button type="button" class="mark-btn" title="在分布图中标出" data-row="' + r.i + '">◎</button> ' + name;
  }

  // the sort key of column c for row r: null sorts last in both directions
  function key(r, c) {
    if (c === 0) return r.u[1];
    if (c === 1) return r.u[2];
    if (c === 2) return (r.y === null ? 0 : r.y) * 10 + ["budget", "final", "performance"].indexOf(r.k);
    if (c === headers.length - 1) return r.e * 1e6 + r.w;
    return r.v[c - 3];
  }
  function compare(a, b) {
    var c = state.sort, ka = key(a, c), kb = key(b, c);
    if (ka === null || ka === undefined) return (kb === null || kb === undefined) ? a.i - b.i : 1;
    if (kb === null || kb === undefined) return -1;
    var d = typeof ka === "string" ? ka.localeCompare(kb, "zh") : ka - kb;
    return d ? d * state.dir : a.i - b.i;
  }

  function selected() {
    var q = $("x-q").value.toLowerCase().replace(/\s+/g, ""), region = $("x-region").value, kind = $("x-kind").value;
    var year = $("x-year").value, qual = $("x-quality").value;
    var out = rows.filter(function (r) {
      if (q && r.s.indexOf(q) < 0) return false;
      if (region && r.g[0] !== region && r.g[1] !== region) return false;
      if (kind && r.k !== kind) return false;
      if (year === "latest" ? !r.l : (year && String(r.y) !== year)) return false;
      if (qual === "unread") return !r.u[3];
      return !qual || r.q === qual;
    });
    return state.sort < 0 ? out : out.sort(compare);
  }

  function render() {
    var list = selected(), pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * PAGE, html = [];
    list.slice(start, start + PAGE).forEach(function (r) {
      var cells = [unitCell(r), esc(r.g[2]), esc(docLabel(r))];
      cols.forEach(function (c, j) { cells.push(fmt(r.v[j], c[2])); });
      cells.push(quality(r));
      html.push('<tr data-row="' + r.i + '"' + (state.marked === r.i ? ' class="marked"' : "") + ">" +
                cells.map(function (t, j) { return (j > 2 && j < headers.length - 1 ? '<td class="num">' : "<td>") + t + "</td>"; }).join("") + "</tr>");
    });
    $("x-table").tBodies[0].innerHTML = html.join("") ||
      '<tr><td colspan="' + headers.length + '">没有符合条件的文件。</td></tr>';
    $("x-status").textContent = "共" + list.length + "份文件（" + new Set(list.map(function (r) { return r.u[0]; })).size +
      "个单位）符合条件" + (list.length > PAGE ? "，显示第" + (start + 1) + "–" + Math.min(start + PAGE, list.length) + "份" : "");
    $("x-page").textContent = "第" + (state.page + 1) + "/" + pages + "页";
    $("x-prev").disabled = state.page === 0;
    $("x-next").disabled = state.page >= pages - 1;
  }

  function head() {
    $("x-table").tHead.innerHTML = "<tr>" + headers.map(function (h, c) {
      var sort = state.sort === c ? (state.dir > 0 ? "ascending" : "descending") : "none";
      var arrow = state.sort === c ? (state.dir > 0 ? " ▲" : " ▼") : "";
      return '<th aria-sort="' + sort + '"' + (c > 2 && c < headers.length - 1 ? ' class="num"' : "") +
             '><button type="button" class="sort" data-col="' + c + '">' + esc(h) + arrow + "</button></th>";
    }).join("") + "</tr>";
  }

  function mark(i) {
    state.marked = i;
    var r = i === null ? null : rows[i];
    document.querySelectorAll("figure.dist").forEach(function (fig) {
      var m = fig.querySelector(".mark"), c = -1;
      cols.forEach(function (col, j) { if (col[0] === fig.dataset.key) c = j; });
      var v = r && c >= 0 ? r.v[c] : null;
      if (v === null || v === undefined) { m.hidden = true; return; }
      var box = fig.dataset.box.split(",").map(Number), lim = fig.dataset.lim.split(",").map(Number);
      var t = Math.min(1, Math.max(0, (v - lim[0]) / (lim[1] - lim[0])));
      m.style.left = (100 * (box[0] + t * (box[2] - box[0]))) + "%";
      m.style.top = (100 * (1 - box[3])) + "%";
      m.style.height = (100 * (box[3] - box[1])) + "%";
      m.querySelector("b").textContent = fmt(v, cols[c][2]);
      m.hidden = false;
    });
    var note = $("x-marked");
    if (note) {
      note.hidden = r === null;
      if (r) note.querySelector("span").textContent = r.u[1] + " " + docLabel(r);
    }
    if (window.history && history.replaceState) {
      history.replaceState(null, "", r ? "#u=" + encodeURIComponent(r.u[0]) : location.pathname + location.search);
    }
    render();
  }

  $("x-table").addEventListener("click", function (ev) {
    var s = ev.target.closest("button.sort"), m = ev.target.closest("button.mark-btn");
    if (s) {
      var c = Number(s.dataset.col);
      state.dir = state.sort === c ? -state.dir : (c > 2 ? -1 : 1);  // figures: largest first
      state.sort = c; state.page = 0; head(); render();
    } else if (m) {
      var i = Number(m.dataset.row);
      mark(state.marked === i ? null : i);
    }
  });
  ["x-q", "x-region", "x-kind", "x-year", "x-quality"].forEach(function (id) {
    $(id).addEventListener("input", function () { state.page = 0; render(); });
  });
  $("x-prev").addEventListener("click", function () { state.page -= 1; render(); });
  $("x-next").addEventListener("click", function () { state.page += 1; render(); });

  // the region filter: each province, then its city-level groups
  var select = $("x-region"), seen = {};
  regions.forEach(function (g) {
    if (g[0] && !seen["p" + g[0]]) {
      seen["p" + g[0]] = 1;
      select.add(new Option(g[0] + "（全部）", g[0]));
    }
    if (!seen["g" + g[1]] && g[1] !== g[0]) {
      seen["g" + g[1]] = 1;
      select.add(new Option((g[0] ? "\u3000" : "") + g[1], g[1]));
    }
  });

  function start() {  // once the whole page (the charts come after the table) is there
    var clear = document.querySelector("#x-marked button");
    if (clear) clear.addEventListener("click", function () { mark(null); });
    head();
    var wanted = /^#u=(.+)$/.exec(location.hash);
    var first = wanted ? rows.filter(function (r) { return r.l && r.u[0] === decodeURIComponent(wanted[1]); })[0] : null;
    if (first) mark(first.i); else render();
    document.documentElement.dataset.panelReady = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
