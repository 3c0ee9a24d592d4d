/* Schools side by side (so-sanh/?truong=a,b&nam=2024-2025): drawn in the browser from small files.
   so-sanh/truong.json lists the schools; truong/<school>/so-sanh.json holds one school's years.
   Everything from those files is set as text (textContent), never as HTML. */
(function () {
  "use strict";
  var MAX = 4;
  var $ = function (id) { return document.getElementById(id); };
  var form = $("qip-compare-form"), input = $("qip-compare-add"), list = $("qip-compare-schools"),
      yearSelect = $("qip-compare-year"), status = $("qip-compare-status"), chosenList = $("qip-compare-chosen"),
      grid = $("qip-compare-grid");
  if (!form) return;
  var params = new URLSearchParams(window.location.search);
  var chosen = (params.get("truong") || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  var year = params.get("nam") || "";
  var schools = {}, byOption = {}, notes = [];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  var fetched = {};  // so-sanh.json by address: a school's years are fetched once per visit
  function optionOf(s) { return s.name + (s.place ? " — " + s.place : "") + " (" + s.slug + ")"; }

  function years() {
    var all = {};
    (chosen.length ? chosen : Object.keys(schools)).forEach(function (slug) {
      schools[slug].years.forEach(function (y) { all[y] = (all[y] || 0) + 1; });
    });
    return Object.keys(all).sort().reverse().map(function (y) { return [y, all[y]]; });
  }

  function save() {
    var query = "?truong=" + chosen.map(encodeURIComponent).join(",") + (year ? "&nam=" + encodeURIComponent(year) : "");
    window.history.replaceState(null, "", query);
  }

  function drawChosen() {
    chosenList.textContent = "";
    chosen.forEach(function (slug) {
      var item = el("li", schools[slug].name + " ");
      var remove = el("button", "Bỏ", "md-button qip-compare-remove");
      remove.type = "button";
      remove.setAttribute("aria-label", "Bỏ " + schools[slug].name + " khỏi so sánh");
      remove.addEventListener("click", function () {
        chosen = chosen.filter(function (s) { return s !== slug; });
        update();
      });
      item.appendChild(remove);
      chosenList.appendChild(item);
    });
    input.disabled = chosen.length >= MAX;
  }

  function drawYears() {
    var options = years();
    if (!options.some(function (o) { return o[0] === year; })) {
      // The latest school year most of the chosen schools share.
      var best = options.slice().sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? 1 : -1); })[0];
      year = best ? best[0] : "";
    }
    yearSelect.textContent = "";
    options.forEach(function (o) {
      var option = el("option", o[0]);
      option.value = o[0];
      option.selected = o[0] === year;
      yearSelect.appendChild(option);
    });
  }

  function card(slug, data, keys) {
    var box = el("section", null, "qip-compare-card");
    box.setAttribute("aria-label", schools[slug].name);
    var heading = el("h2");
    var link = el("a", schools[slug].name);
    link.href = "../" + (data ? data.url : schools[slug].url);
    heading.appendChild(link);
    box.appendChild(heading);
    if (schools[slug].synthetic) box.appendChild(el("p", "DỮ LIỆU MẪU: kế hoạch giả lập, không phải văn bản thật.", "qip-synthetic"));
    if (!data) {
      box.appendChild(el("p", "Không có kế hoạch áp dụng cho năm học " + year + ".", "qip-unknown"));
      return box;
    }
    box.appendChild(el("p", data.plans.join("; "), "qip-muted"));
    box.appendChild(el("p", data.summary, "qip-summary"));
    box.appendChild(el("p", "Kết quả thực hiện: " + data.results, "qip-results-summary"));
    var byKey = {};
    data.standards.forEach(function (s) { byKey[s.key] = s; });
    keys.forEach(function (key) {
      var s = byKey[key[0]];
      if (!s) {
        box.appendChild(el("p", key[1] + ": không có việc nào.", "qip-compare-standard qip-muted"));
        return;
      }
      var details = el("details", null, "qip-compare-standard");
      details.setAttribute("data-standard", s.key);
      var facts = s.count + " việc · " + (s.amount || "không ghi kinh phí bằng số") + " · " +
        s.done + "/" + s.count + " đã thực hiện";
      var summary = el("summary");
      summary.appendChild(el("strong", s.label));
      summary.appendChild(document.createTextNode(": " + facts));
      details.appendChild(summary);
      var rows = el("ul", null, "qip-compare-rows");
      s.rows.forEach(function (r) {
        var item = el("li");
        var title = el("a", r.title);
        title.href = "../" + r.url;
        item.appendChild(title);
        if (r.text) item.appendChild(el("p", r.text));
        if (r.budget) item.appendChild(el("p", "Kinh phí: " + r.budget));
        var result = el("p", "Kết quả: ");
        result.appendChild(el("span", r.result || "chưa ghi kết quả", "qip-badge qip-result-state"));
        item.appendChild(result);
        rows.appendChild(item);
      });
      details.appendChild(rows);
      box.appendChild(details);
    });
    return box;
  }

  function drawGrid() {
    var shown = chosen.slice();
    grid.style.setProperty("--qip-columns", String(Math.max(shown.length, 1)));
    status.textContent = notes.concat(shown.length < 2 ? ["Hãy chọn từ 2 đến 4 trường để so sánh."] : []).join(" ");
    var requests = shown.map(function (slug) {
      if (schools[slug].years.indexOf(year) < 0) return Promise.resolve(null);
      var address = "../" + schools[slug].data;
      fetched[address] = fetched[address] || fetch(address).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
      fetched[address].catch(function () { delete fetched[address]; });  // tried again next time
      return fetched[address].then(function (years) { return years[year] || null; });
    });
    Promise.all(requests).then(function (all) {
      var keys = [], seen = {};
      all.forEach(function (data) {
        (data ? data.standards : []).forEach(function (s) {
          if (!seen[s.key]) { seen[s.key] = true; keys.push([s.key, s.label, s.order]); }
        });
      });
      // The model's order (domain/summary.py StandardView.order), compared item by item.
      keys.sort(function (a, b) {
        for (var i = 0; i < a[2].length; i++) {
          if (a[2][i] !== b[2][i]) return a[2][i] < b[2][i] ? -1 : 1;
        }
        return 0;
      });
      grid.textContent = "";
      shown.forEach(function (slug, i) { grid.appendChild(card(slug, all[i], keys)); });
    }).catch(function () {
      status.textContent = "Không tải được dữ liệu so sánh; hãy tải lại trang.";
    });
  }

  function update() {
    drawChosen();
    drawYears();
    save();
    drawGrid();
    notes = [];
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var slug = byOption[input.value.trim()];
    if (!slug) {
      status.textContent = "Không có trường \"" + input.value.trim() + "\"; hãy chọn trong danh sách gợi ý.";
      return;
    }
    if (chosen.indexOf(slug) < 0 && chosen.length < MAX) chosen.push(slug);
    input.value = "";
    update();
  });
  yearSelect.addEventListener("change", function () { year = yearSelect.value; save(); drawGrid(); });

  fetch("truong.json").then(function (r) { return r.json(); }).then(function (index) {
    index.forEach(function (s) {
      schools[s.slug] = s;
      byOption[optionOf(s)] = s.slug;
      byOption[s.slug] = s.slug;
      var option = el("option");
      option.value = optionOf(s);
      list.appendChild(option);
    });
    var unknown = chosen.filter(function (slug) { return !schools[slug]; });
    if (unknown.length) notes.push("Không có trường \"" + unknown.join(", ") + "\" trên trang này.");
    chosen = chosen.filter(function (slug, i) { return schools[slug] && chosen.indexOf(slug) === i; });
    if (chosen.length > MAX) {
      notes.push("Chỉ so sánh được tối đa " + MAX + " trường; các trường sau bị bỏ: " + chosen.slice(MAX).join(", ") + ".");
      chosen = chosen.slice(0, MAX);
    }
    form.hidden = false;
    var noscript = $("qip-compare-noscript");
    if (noscript) noscript.hidden = true;
    update();
  }).catch(function () {
    status.textContent = "Không tải được danh sách trường; hãy tải lại trang.";
  });
})();
