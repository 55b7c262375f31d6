// Behaviour without inline scripts (the CSP forbids them): charts read their data from
// <script type="application/json"> blocks, progress bars from data-width.
(function () {
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      var chart = echarts.init(el);
      // A chart block names its bars in `series`; the dashboard's older block holds `sites`.
      var series = (data.series || [{ name: "阵地数", data: data.sites }]).map(function (s) {
        return { type: "bar", name: s.name, data: s.data };
      });
      chart.setOption({
        tooltip: {},
        legend: series.length > 1 ? { top: 0 } : undefined,
        grid: { left: 60, right: 10, bottom: 90, top: 30 },
        xAxis: { type: "category", data: data.names, axisLabel: { rotate: 45, interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: series,
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
  document.addEventListener("change", function (e) {
    if (!e.target.matches("[data-check-all]")) return;
    e.target.closest("form").querySelectorAll("input[name=ids]").forEach(function (box) {
      box.checked = e.target.checked;
    });
  });
  // An irreversible button asks first. data-confirm holds the question; data-confirm-selected
  // a question about the ticked rows of its form, with {n} for how many and {sum} for their
  // data-amount added up in fen (so no float error), written with thousands separators.
  function yuan(fen) {
    return (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function selectedQuestion(button) {
    var boxes = button.form.querySelectorAll("input[name=ids]:checked");
    if (!boxes.length) return null;
    var fen = 0;
    boxes.forEach(function (box) { fen += Math.round(parseFloat(box.dataset.amount || "0") * 100); });
    return button.dataset.confirmSelected.replace("{n}", boxes.length).replace("{sum}", yuan(fen));
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-confirm], [data-confirm-selected]");
    if (!button) return;
    var question = button.dataset.confirm;
    if (button.dataset.confirmSelected) {
      question = selectedQuestion(button);
      if (question === null) {
        window.alert("请先勾选要办理的记录。");
        e.preventDefault();
        return;
      }
    }
    if (!window.confirm(question)) e.preventDefault();
  });
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
