// Behaviour without inline scripts (the CSP forbids them): charts read their data from
// <script type="application/json"> blocks, progress bars from data-width.
(function () {
  // Many bars read best as a sorted horizontal bar chart; a long name is shortened on the axis
  // and shown whole on hover; the value axis carries its unit (data.unit), and a tooltip each
  // bar's exact value with it.
  var MANY = 12;
  var SHORT = 10;
  function shorten(name) { return name.length > SHORT ? name.slice(0, SHORT - 1) + "…" : name; }
  // A chart whose values are yuan (unit "元") and reach WAN_FROM shows its axis in 万元.
  var WAN_FROM = 100000;
  function isWan(data) {
    if (data.unit !== "元") return false;
    var series = data.series || [];
    return series.some(function (s) { return s.data.some(function (v) { return v >= WAN_FROM; }); });
  }
  function amount(v, unit) {
    if (unit === "元") {
      return Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 元";
    }
    return Number(v).toLocaleString("zh-CN") + (unit ? " " + unit : "");
  }
  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  // The whole name (the axis may shorten it) and each series' exact value with its unit.
  function tooltip(items, unit) {
    var lines = [escapeText(items[0].axisValue)];
    items.forEach(function (item) {
      lines.push(item.marker + escapeText(item.seriesName) + "：" + amount(item.value, unit));
    });
    return lines.join("<br>");
  }
  function chartOption(data) {
    // A chart block names its bars in `series`; the dashboard's older block holds `sites`.
    var series = (data.series || [{ name: "阵地数", data: data.sites }]);
    var names = data.names.slice();
    var many = names.length > MANY;
    if (many) {
      // sorted by the first series, largest on top
      var order = names.map(function (_, i) { return i; });
      order.sort(function (a, b) { return series[0].data[a] - series[0].data[b]; });
      names = order.map(function (i) { return data.names[i]; });
      series = series.map(function (s) {
        return { name: s.name, data: order.map(function (i) { return s.data[i]; }) };
      });
    }
    var category = {
      type: "category", data: names,
      axisLabel: { interval: 0, formatter: shorten, rotate: many || names.length < 6 ? 0 : 30 },
    };
    var unit = data.unit || "";
    var value = { type: "value", minInterval: 1, name: unit };
    if (isWan(data)) {
      // Large sums of money read in 万元 on the axis; the tooltip keeps the exact yuan.
      value.name = "万元";
      value.axisLabel = { formatter: function (v) { return (v / 10000).toLocaleString("zh-CN"); } };
    }
    return {
      tooltip: { trigger: "axis", formatter: function (items) { return tooltip(items, unit); } },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 10, right: 30, bottom: 10, top: 40, containLabel: true },
      xAxis: many ? value : category,
      yAxis: many ? category : value,
      series: series.map(function (s) { return { type: "bar", name: s.name, data: s.data }; }),
    };
  }
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      if (data.names.length > MANY) el.style.height = Math.max(320, data.names.length * 22 + 80) + "px";
      var chart = echarts.init(el);
      chart.setOption(chartOption(data));
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
  // The org picker's browse panel (orgs/_picker_browse.html, loaded by HTMX): 选择 writes the
  // org's label into the field, as a typed suggestion would, and closes the panel.
  document.addEventListener("click", function (e) {
    var choose = e.target.closest("[data-org-choose]");
    var close = e.target.closest("[data-org-browse-close]");
    if (!choose && !close) return;
    var field = (choose || close).closest("[data-org-field]");
    if (!field) return;
    field.querySelector(".org-browse").replaceChildren();
    var box = field.querySelector("input[data-org-picker]");
    if (choose) {
      box.value = choose.dataset.orgChoose;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    box.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var field = e.target.closest && e.target.closest("[data-org-field]");
    if (field) field.querySelector(".org-browse").replaceChildren();
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
