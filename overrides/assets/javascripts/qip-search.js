/* qip-site search: the header's search box over the Pagefind index built by qip_site/search.py.
 *
 * The index holds accent-folded words (no diacritics, đ → d), so the query is folded the same way
 * here; each result carries the real text of its rows, from which the snippet is cut and the
 * query's words are highlighted. Text from the index is only ever set with textContent.
 */
(function () {
  "use strict";

  var PAGE = 5;  // results shown at once: each one downloads its plan's text
  var FILTERS = ["Năm học", "Cấp học", "Tỉnh/thành phố", "Địa danh trong văn bản", "Xã/phường", "Tiêu chuẩn"];
  var root = document.querySelector("[data-qip-search]");
  if (!root) return;
  var toggle = document.getElementById("__search");
  var input = document.getElementById("qip-search-input");
  var form = root.querySelector("[data-qip-form]");
  var status = root.querySelector("[data-qip-status]");
  var list = root.querySelector("[data-qip-list]");
  var more = root.querySelector("[data-qip-more]");
  var filterBox = root.querySelector("[data-qip-filters]");
  var filterFields = root.querySelector("[data-qip-filter-fields]");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base || ".", location.href);
  var pagefind = null;
  // Pagefind downloads an index chunk per query word: a long query sends its four rarest words.
  var SEARCHED_WORDS = 4;
  var frequency = {};  // word -> rank among the site's frequent words (qip_site/search.py); absent = rare
  var results = [];
  var shown = 0;
  var serial = 0;
  var timer = null;
  var chosen = {};

  // The same folding as qip_site/search.py: NFD, drop combining marks, đ → d, lower case.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function terms(query) {
    return fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function load() {
    if (!pagefind) {
      var words = fetch(new URL("qip-search.json", base)).then(function (r) { return r.ok ? r.json() : { frequent: [] }; })
        .then(function (data) { data.frequent.forEach(function (w, rank) { frequency[w] = data.frequent.length - rank; }); });
      pagefind = Promise.all([import(new URL("pagefind/pagefind.js", base).href), words]).then(function (loaded) {
        var module = loaded[0];
        // Short records (a school) should win over long ones (a plan) on equal matches.
        return module.options({ baseUrl: base.pathname, noWorker: true, ranking: { pageLength: 1.0 } })
          .then(function () { return module; });
      });
    }
    return pagefind;
  }

  function say(text) { status.textContent = text; }

  // The query's rarest words, in their order: they narrow the most for the fewest bytes.
  function rarest(words) {
    var unique = words.filter(function (w, i) { return words.indexOf(w) === i; });
    var chosen = unique.slice().sort(function (a, b) {
      return (frequency[a] || 0) - (frequency[b] || 0) || b.length - a.length;
    }).slice(0, SEARCHED_WORDS);
    return unique.filter(function (w) { return chosen.indexOf(w) >= 0; });
  }

  function search() {
    var query = input.value.trim();
    var mine = ++serial;
    var active = {};
    Object.keys(chosen).forEach(function (name) { if (chosen[name]) active[name] = chosen[name]; });
    if (!query && !Object.keys(active).length) {
      list.textContent = "";
      more.hidden = true;
      say("Gõ tên trường, tiêu chí, người phụ trách hay khoản kinh phí để tìm.");
      return;
    }
    say("Đang tìm…");
    var asked = terms(query);
    load().then(function (pf) {
      return pf.search(rarest(asked).join(" ") || null, { filters: active });
    }).then(function (found) {
      if (mine !== serial) return;
      results = found ? found.results : [];
      shown = 0;
      ready = [];
      list.textContent = "";
      say(results.length ? "Tìm thấy " + results.length + " kết quả" : "Không tìm thấy kết quả nào. Hãy thử từ khác hoặc bỏ bớt bộ lọc.");
      return showMore(mine, query);
    }).catch(function () {
      say("Chưa tải được bộ tìm kiếm. Hãy kiểm tra kết nối rồi thử lại.");
    });
  }

  // Pagefind ranks by words, not phrases: the first RERANK results are fetched and ordered again,
  // those that have the query's words side by side first (see score()).
  var RERANK = 10;
  var ready = [];

  function fetchResult(result) {
    return result.data().then(function (data) {
      if (data.meta.kind !== "plan") return { data: data, rows: [] };
      // The plan's row texts (qip_site/search.py, rows_file): where the snippet comes from.
      var file = new URL("search/" + data.meta.school_slug + "/" + data.meta.plan + ".json", base);
      return fetch(file).then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) { return { data: data, rows: rows }; });
    });
  }

  function relevance(item, words) {
    var meta = item.data.meta;
    var own = score([meta.school, meta.place].join(" "), words);
    var best = 0;
    item.rows.forEach(function (block) { best = Math.max(best, score(block.t + "\n" + block.x, words)); });
    return Math.max(own, best);
  }

  function showMore(mine, query) {
    var words = terms(query);
    var fresh = shown === 0 && !ready.length;
    var take = fresh ? results.slice(0, RERANK) : (ready.length ? [] : results.slice(shown, shown + PAGE));
    return Promise.all(take.map(fetchResult)).then(function (items) {
      if (mine !== serial) return;
      if (fresh) {
        items.forEach(function (item, i) { item.order = i; item.score = relevance(item, words); });
        items.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
      }
      ready = ready.concat(items);
      var page = ready.splice(0, PAGE);
      shown += page.length;
      page.forEach(function (item) { list.appendChild(render(item.data, item.rows, words)); });
      more.hidden = shown >= results.length;
    });
  }

  // Where in `text` the query's words stand, in original-text offsets: [start, end, word number].
  // Words match whole folded words, the last one also as a prefix (the word being typed).
  function matches(text, words) {
    var folded = "";
    var index = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var k = 0; k < f.length; k++) { folded += f[k]; index.push(i); }
    }
    index.push(text.length);
    var found = [];
    words.forEach(function (word, position) {
      var tail = position === words.length - 1 ? "" : "(?![\\p{L}\\p{N}])";
      var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")" + tail, "gu");
      var m;
      while ((m = re.exec(folded))) {
        var start = m.index + m[1].length;
        found.push([index[start], index[start + m[2].length], position]);
        re.lastIndex = start + m[2].length;
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0]; });
  }

  // Runs of hits that spell the whole query in order, separated only by spaces or punctuation.
  function phrases(text, words) {
    var hits = matches(text, words);
    var out = [];
    for (var i = 0; i + words.length <= hits.length; i++) {
      var ok = true;
      for (var k = 0; k < words.length && ok; k++) {
        var h = hits[i + k];
        ok = h[2] === k && (k === 0 || /^[^\p{L}\p{N}]+$/u.test(text.slice(hits[i + k - 1][1], h[0])));
      }
      if (ok) out.push([hits[i][0], hits[i + words.length - 1][1]]);
    }
    return out;
  }

  // What to highlight: the whole query where it stands together, else each of its words.
  function marks(text, words) {
    var together = words.length > 1 ? phrases(text, words) : [];
    return together.length ? together : matches(text, words);
  }

  // How well a text answers the query: every word found counts, the words side by side count more.
  function score(text, words) {
    var found = {};
    matches(text, words).forEach(function (h) { found[h[2]] = 1; });
    return Object.keys(found).length * 10 + (words.length > 1 && phrases(text, words).length ? 100 : 0);
  }

  function bestBlock(blocks, words, year, standard) {
    var best = null;
    var bestScore = -1;
    blocks.forEach(function (block) {
      // A row of the table says more than the preamble; a match in the row's title says most.
      var value = score(block.t + "\n" + block.x, words) + score(block.t, words) / 2 + (block.a ? 5 : 0) +
        (year && block.y.indexOf(year) >= 0 ? 1000 : 0) + (standard && "Tiêu chuẩn " + block.s === standard ? 2000 : 0);
      if (value > bestScore) { best = block; bestScore = value; }
    });
    return best;
  }

  function snippet(text, words, className) {
    var hits = marks(text, words);
    var focus = hits.length ? hits[0][0] : 0;
    var start = focus > 60 ? text.lastIndexOf(" ", focus - 50) + 1 : 0;
    var end = Math.min(text.length, start + 240);
    if (end < text.length) end = text.indexOf(" ", end) < 0 ? text.length : text.indexOf(" ", end);
    var p = document.createElement("p");
    p.className = className;
    if (start > 0) p.appendChild(document.createTextNode("… "));
    var at = start;
    hits.forEach(function (h) {
      if (h[0] < at || h[1] > end) return;
      p.appendChild(document.createTextNode(text.slice(at, h[0]).replace(/\n/g, " · ")));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      p.appendChild(mark);
      at = h[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end).replace(/\n/g, " · ")));
    if (end < text.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function highlight(text, words) {
    var span = document.createElement("span");
    var at = 0;
    marks(text, words).forEach(function (h) {
      if (h[0] < at) return;
      span.appendChild(document.createTextNode(text.slice(at, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      span.appendChild(mark);
      at = h[1];
    });
    span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }

  function render(data, blocks, words) {
    var meta = data.meta || {};
    var year = chosen["Năm học"];
    var item = document.createElement("li");
    item.className = "md-search-result__item qip-search__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    var article = document.createElement("article");
    article.className = "md-search-result__article";
    var title = document.createElement("h3");
    title.className = "qip-search__title";
    title.appendChild(highlight(meta.school || meta.title || "", words));
    var where = document.createElement("p");
    where.className = "qip-search__where";
    var href = data.url;
    if (meta.kind === "school") {
      where.textContent = ["Trang trường", meta.level, meta.place].filter(Boolean).join(" · ");
      article.appendChild(title);
      article.appendChild(where);
    } else {
      var block = bestBlock(blocks, words, year, chosen["Tiêu chuẩn"]) || { a: "", t: "", y: [], x: "" };
      var plan = "truong/" + meta.school_slug + "/ke-hoach-" + meta.plan + "/";
      var inYear = year && block.y.indexOf(year) >= 0;
      var target = new URL((inYear ? "truong/" + meta.school_slug + "/" + year + "/" : plan) + (block.a ? "#" + block.a : ""), base);
      href = target.pathname + target.hash;
      var years = inYear ? "Năm học " + year : (meta.years.indexOf("đến") > 0 ? "Kế hoạch " + meta.years : "Năm học " + meta.years);
      where.textContent = [years, meta.level, meta.place].filter(Boolean).join(" · ");
      article.appendChild(title);
      article.appendChild(where);
      if (block.t) article.appendChild(snippet(block.t, words, "qip-search__heading"));
      article.appendChild(snippet(block.x || block.t, words, "qip-search__snippet"));
    }
    link.href = href;
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function buildFilters() {
    if (filterFields.dataset.ready) return;
    filterFields.dataset.ready = "1";
    load().then(function (pf) { return pf.filters(); }).then(function (available) {
      filterFields.textContent = "";
      FILTERS.forEach(function (name) {
        var values = Object.keys(available[name] || {}).sort(function (a, b) {
          return name === "Năm học" ? b.localeCompare(a) : a.localeCompare(b, "vi");
        });
        if (!values.length) return;
        var label = document.createElement("label");
        label.className = "qip-search__filter";
        var span = document.createElement("span");
        span.textContent = name;
        var select = document.createElement("select");
        select.name = name;
        var any = document.createElement("option");
        any.value = "";
        any.textContent = "Tất cả";
        select.appendChild(any);
        values.forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
        select.addEventListener("change", function () { chosen[name] = select.value; search(); });
        label.appendChild(span);
        label.appendChild(select);
        filterFields.appendChild(label);
      });
    }).catch(function () {
      filterFields.textContent = "Chưa tải được bộ lọc.";
      delete filterFields.dataset.ready;
    });
  }

  function open() {
    if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
    input.focus();
    if (document.activeElement !== input) setTimeout(function () { input.focus(); }, 50);
  }

  function close() {
    if (toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  // On wide screens the box sits in the header: focusing it opens the results panel.
  input.addEventListener("focus", function () {
    load();
    if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 180);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(); input.focus(); }, 0);
  });
  more.addEventListener("click", function () { showMore(serial, input.value.trim()); });
  filterBox.addEventListener("toggle", function () { if (filterBox.open) buildFilters(); });
  toggle.addEventListener("change", function () {
    if (!toggle.checked) return;
    input.focus();
    if (document.activeElement !== input) setTimeout(function () { input.focus(); }, 50);
  });
  list.addEventListener("click", function () { close(); });
  // Tab and Shift+Tab: focus coming into the dialog opens it (so the focused control is shown),
  // focus moving on to the page closes it (so its overlay never hides the focused element).
  root.addEventListener("focusin", function () { toggle.checked = true; });
  root.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) close();
  });

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable;
    if ((event.key === "/" || (event.key === "k" && (event.ctrlKey || event.metaKey))) && !typing) {
      event.preventDefault();
      open();
    } else if (event.key === "Escape" && toggle.checked) {
      close();
    } else if (toggle.checked && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { input.focus(); } else if (next < links.length) { links[next].focus(); }
      event.preventDefault();
    }
  });
})();
