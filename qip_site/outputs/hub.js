/* qip-site national hub: one search box over the sites of several provinces (shards).
 *
 * Each shard is a whole qip-site build; its index is read where it is published, with the header
 * search's own code (qip-search.js, window.qipSearch): one engine per shard, the query read and
 * looked up by each. The lists are merged into one: results with all the query's words first, then
 * ordered by the slots they have, weighed over all the shards together (the records and the
 * records with a word, summed: the same idf as one site holding them all); the first RERANK are
 * fetched and ordered by their best row, as on a site. A shard that does not answer is named in a
 * note; the others' results still show. Text from a shard is only ever set with textContent.
 */
(function () {
  "use strict";

  var q = window.qipSearch;
  var shards = JSON.parse(document.getElementById("qip-shards").textContent);  // [{name, url}]
  var input = document.getElementById("qip-hub-input");
  var status = document.querySelector("[data-qip-hub-status]");
  var notes = document.querySelector("[data-qip-hub-notes]");
  var list = document.querySelector("[data-qip-hub-list]");
  var more = document.querySelector("[data-qip-hub-more]");
  var HINT = status.textContent;
  var engines = [];
  var serial = 0;
  var timer = null;
  var pending = [];  // candidates not fetched yet, best first
  var allCount = 0;
  var shown = 0;

  function engineOf(i) {
    if (!engines[i]) engines[i] = q.engine(new URL(shards[i].url, location.href));
    return engines[i];
  }

  function note(i) {
    var text = "Không tải được kết quả của " + shards[i].name + ".";
    var known = Array.prototype.some.call(notes.childNodes, function (li) { return li.textContent === text; });
    if (known) return;
    var li = document.createElement("li");
    li.textContent = text;
    notes.appendChild(li);
    notes.hidden = false;
  }

  // One shard's reading of the query (its dictionary, its words), or `failed` (then a fresh engine
  // next time). `before` keeps each slot's keys as read, to tell which ones typos() changed.
  function read(i, query) {
    var engine = engineOf(i);
    return engine.load().then(function (pf) {
      var slots = engine.read(query);
      var before = slots.map(function (s) { return s.keys; });
      return engine.typos(slots).then(function () {
        return { shard: i, engine: engine, pf: pf, slots: slots, before: before };
      });
    }).catch(function () {
      engines[i] = null;
      return { shard: i, failed: true };
    });
  }

  // A word one shard has is no typo in the others: there it is simply missing (as a word neither
  // the site nor a near spelling has), instead of a near word of theirs ranking with real matches.
  function agree(answers) {
    var length = answers.length ? answers[0].slots.length : 0;
    var same = answers.filter(function (a) { return a.slots.length === length; });
    for (var k = 0; k < length; k++) {
      var changed = function (a) { return a.slots[k].keys !== a.before[k]; };
      if (!same.some(changed) || same.every(changed)) continue;
      same.filter(changed).forEach(function (a) {
        a.slots[k].keys = [];
        a.slots[k].alts = [];
      });
    }
  }

  function ask(a) {
    return a.engine.find(a.pf, a.slots, {}).then(function (found) {
      a.found = found;
      return a;
    }, function () {
      engines[a.shard] = null;
      return { shard: a.shard, failed: true };
    });
  }

  // Each slot's weight over all the shards: records and records with it, summed. Shards that read
  // the query into other slots (another dictionary) keep their own weights.
  function weigh(answers) {
    var n = 0;
    answers.forEach(function (a) { n += a.engine.size(); });
    var length = answers.length ? answers[0].slots.length : 0;
    var same = answers.filter(function (a) { return a.slots.length === length; });
    for (var k = 0; k < length; k++) {
      var df = 0;
      same.forEach(function (a) { df += a.slots[k].df || 0; });
      var idf = q.idf(n, df);
      same.forEach(function (a) { a.slots[k].idf = idf; });
    }
  }

  function candidates(answers) {
    var out = [];
    answers.forEach(function (a) {
      var whole = 0;
      a.slots.forEach(function (s) { whole += s.idf || 0; });
      a.found.all.forEach(function (r) { out.push({ answer: a, result: r, group: 0, weight: whole }); });
      a.found.some.forEach(function (r) {
        var weight = 0;
        ((a.found.has || {})[r.id] || []).forEach(function (s) { weight += s.idf || 0; });
        out.push({ answer: a, result: r, group: 1, weight: weight });
      });
    });
    return out.sort(function (x, y) {
      return x.group - y.group || y.weight - x.weight || y.result.score - x.result.score ||
        x.answer.shard - y.answer.shard;
    });
  }

  function showMore(mine) {
    var take = pending.splice(0, q.RERANK);
    more.hidden = true;
    return Promise.all(take.map(function (c, order) {
      return c.answer.engine.fetchResult(c.result).then(function (item) {
        item.candidate = c;
        item.order = order;
        item.score = q.relevance(item, c.answer.slots);
        return item;
      }, function () { note(c.answer.shard); return null; });
    })).then(function (items) {
      if (mine !== serial) return;
      items = items.filter(Boolean).sort(function (a, b) {
        return a.candidate.group - b.candidate.group || b.score - a.score || a.order - b.order;
      });
      items.forEach(function (item) {
        var c = item.candidate;
        if (shown === allCount && allCount > 0 && c.group === 1) {
          var divider = document.createElement("li");
          divider.className = "qip-search__approx";
          divider.textContent = "Kết quả gần đúng (không có đủ các từ đã gõ)";
          list.appendChild(divider);
        }
        shown++;
        var li = q.result(item.data, item.rows, c.answer.slots, c.answer.engine.base, "", "", shards[c.answer.shard].name);
        li.dataset.qipShard = shards[c.answer.shard].name;
        list.appendChild(li);
      });
      more.hidden = !pending.length;
    });
  }

  function search() {
    var query = input.value;
    var mine = ++serial;
    notes.textContent = "";
    notes.hidden = true;
    if (!query.trim()) {
      list.textContent = "";
      list.dataset.query = "";
      pending = [];
      more.hidden = true;
      status.textContent = HINT;
      return;
    }
    status.textContent = "Đang tìm…";
    Promise.all(shards.map(function (s, i) { return read(i, query); })).then(function (read) {
      var ready = read.filter(function (a) { return !a.failed; });
      agree(ready);
      return Promise.all(ready.map(ask)).then(function (asked) {
        return read.filter(function (a) { return a.failed; }).concat(asked);
      });
    }).then(function (answers) {
      if (mine !== serial) return;
      answers.sort(function (a, b) { return a.shard - b.shard; });
      answers.forEach(function (a) { if (a.failed) note(a.shard); });
      answers = answers.filter(function (a) { return !a.failed; });
      weigh(answers);
      pending = candidates(answers);
      allCount = pending.filter(function (c) { return c.group === 0; }).length;
      var some = pending.length - allCount;
      shown = 0;
      list.textContent = "";
      var near = some ? " và " + some + " kết quả gần đúng" : "";
      if (!answers.length) status.textContent = "Chưa tải được bộ tìm kiếm. Hãy kiểm tra kết nối rồi thử lại.";
      else if (!pending.length) status.textContent = "Không tìm thấy kết quả nào. Hãy thử từ khác.";
      else if (!allCount) status.textContent = "Không có kết quả chứa đủ các từ đã gõ; có " + some + " kết quả gần đúng";
      else status.textContent = "Tìm thấy " + allCount + " kết quả" + near;
      return showMore(mine).then(function () {
        // What the results on screen answer (tests wait for it: typing outruns the search).
        if (mine === serial) list.dataset.query = query;
      });
    }).catch(function () {
      if (mine === serial) status.textContent = "Chưa tải được bộ tìm kiếm. Hãy kiểm tra kết nối rồi thử lại.";
    });
  }

  list.dataset.query = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 180);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  more.addEventListener("click", function () { showMore(serial); });
})();
