// Behaviour without inline scripts (the CSP forbids them): charts read their data from
// <script type="application/json"> blocks, progress bars from data-width.
(function () {
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      var chart = echarts.init(el);
      chart.setOption({
        tooltip: {},
        grid: { left: 40, right: 10, bottom: 90, top: 20 },
        xAxis: { type: "category", data: data.names, axisLabel: { rotate: 45, interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.sites, name: "阵地数" }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  function sizeBars(root) {
    root.querySelectorAll(".progress-bar[data-width]").forEach(function (el) {
      el.style.width = el.dataset.width + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    sizeBars(document);
  });
  document.addEventListener("htmx:afterSwap", function (e) { sizeBars(e.target.parentNode || document); });
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest("[data-toggle-node]");
    if (!toggle) return;
    var li = toggle.closest("li");
    var sub = li.querySelector(":scope > ul");
    if (sub) {
      sub.hidden = !sub.hidden;
      toggle.textContent = sub.hidden ? "▸" : "▾";
      e.preventDefault();
      e.stopImmediatePropagation();
    } else {
      toggle.textContent = "▾";
    }
  }, true);
})();
