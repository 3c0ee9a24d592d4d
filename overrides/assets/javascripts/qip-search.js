/* qip-site search: the header's search box over the Pagefind index built by qip_site/outputs/search.py.
 *
 * The index holds accent-folded words (no diacritics, đ → d), each ending with `end` ("nha" is
 * "nhaq", so a finished word matches whole), and hidden terms for what a text means: concepts
 * of the dictionary of school life, amounts of money, months, districts. A query is read the same
 * way (read()): Telex and VNI leftovers repaired, amounts and dates normalised, phrases of the
 * dictionary turned into their concept; a word the site does not have is matched to a word one
 * edit away (typos()). Results with all the query's words come first, then those with some, the
 * rarer words weighing more; each result's best row is cut from the real text, and only words the
 * text really has are highlighted. Text from the index is only ever set with textContent.
 *
 * engine(base) holds one site's index (Pagefind, dictionary, vocabulary); the header box uses its
 * own site's, and a national hub (qip_site/outputs/hub.js) one per province, through window.qipSearch.
 */
(function () {
  "use strict";

  var PAGE = 5;  // results shown at once: each one downloads its plan's text
  var RERANK = 10;  // the first results are fetched and ordered by their rows (relevance())
  var SEARCHED_WORDS = 4;  // Pagefind downloads an index chunk per word: a query sends its 4 rarest
  var SYNONYM = 0.75;  // how much a synonym counts against the word typed (less further down its list)
  var TYPO = 0.6;  // and a word one edit away
  var FILTERS = ["Năm học", "Cấp học", "Tỉnh/thành phố", "Địa danh trong văn bản", "Xã/phường", "Tiêu chuẩn"];
  var HINT = "Gõ tên trường, tiêu chí, người phụ trách hay khoản kinh phí. Có dấu hay không dấu, viết tắt hay gõ sai một chữ đều được.";

  // The same folding as qip_site/outputs/search.py: NFD, drop combining marks, đ → d, lower case,
  // a final y after a consonant as i ("kỳ" and "kì", "quy" and "qui", "Mỹ" and "Mi": both are written).
  var FINAL_Y = /(?<![a-z0-9])(ngh|ng|nh|ch|gh|kh|ph|th|tr|qu|[bcdghklmnprstvx])y(?![a-z0-9])/g;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase()
      .replace(FINAL_Y, "$1i");
  }

  // ---- Reading a query: the same expressions as search.py (money_terms, date_terms, place_terms) ----

  var MONEY_RE = /(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3}){2,}|\d+)(?:[.,](\d{1,3}))?\s*(trieu|tr|cu|ty|ti|nghin|ngan|k|dong|d|vnd)?(?!\w)/g;
  var TIMES = { trieu: 1e6, tr: 1e6, cu: 1e6, ty: 1e9, ti: 1e9, nghin: 1e3, ngan: 1e3, k: 1e3 };
  // "năm triệu", "ba trăm triệu", "mười củ", "bảy mươi lăm triệu": a number in words, under a
  // thousand, before its unit (search.py, number_in_words()).
  var MONEY_WORDS_RE = /(?<![a-z0-9])((?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)(?:\s+(?:mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|tram|linh|le))*)\s+(trieu|cu|ty|ti|nghin|ngan)(?![a-z0-9])/g;
  var NUMBER_WORDS = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, lam: 5, sau: 6, bay: 7, tam: 8, chin: 9 };
  var DATE_RES = [
    /(?<!\w)thang\s*(\d{1,2})\s*(?:nam|[/.\-])?\s*(\d{4})(?!\d)/g,
    /(?<![\w/.\-])t(\d{1,2})\s*[/.\-\s]\s*(\d{4})(?!\d)/g,
    /(?<![\w/.\-])(?:\d{1,2}[/.\-])?(\d{1,2})[/.\-](\d{4})(?!\d)/g,
    // A range of months, "T8-T9/2025": its first month, then its second.
    /(?<![\w/.\-])(?:thang|t)\s*(\d{1,2})\s*[\-–]\s*(?:thang|t)?\s*\d{1,2}\s*[/.\-]\s*(\d{4})(?!\d)/g,
    /(?<![\w/.\-])(?:thang|t)\s*\d{1,2}\s*[\-–]\s*(?:thang|t)?\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)/g
  ];
  var PLACE_RE = /(?<!\w)(quan|q|phuong|p)\s*\.?\s*(\d{1,2})(?!\w)/g;
  var WORD = /[\p{L}\p{N}]+/gu;

  function money(m) {
    var times = TIMES[m[3] || ""] || 1;
    if (m[2] && times === 1) return null;
    var value = Math.round(Number(m[1].replace(/[.,]/g, "") + "." + (m[2] || "0")) * times);
    var grouped = m[1].split(/[.,]/).length >= 3;
    // "5000000" is an amount too: six digits or more, not a telephone number ("09…").
    var plain = m[1].length >= 6 && m[1][0] !== "0";
    return times > 1 || grouped || plain || (m[3] && value >= 1000) ? "vnd" + value : null;
  }

  function moneyWords(m) {
    var total = 0, digit = null;
    var words = m[1].split(/\s+/);
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w === "muoi" || w === "tram") { total += (digit === null ? 1 : digit) * (w === "muoi" ? 10 : 100); digit = null; }
      else if (w === "linh" || w === "le") continue;
      else if (digit !== null) return null;
      else digit = NUMBER_WORDS[w];
    }
    total += digit || 0;
    return total ? "vnd" + total * TIMES[m[2]] : null;
  }

  function month(m) {
    var mm = Number(m[1]), yyyy = Number(m[2]);
    return mm >= 1 && mm <= 12 && yyyy >= 1900 && yyyy <= 2099 ? "ym" + yyyy + (mm < 10 ? "0" : "") + mm : null;
  }

  function place(m) {
    return (m[1] === "quan" || m[1] === "q" ? "quan" : "phuong") + Number(m[2]);
  }

  // Every span of folded `text` whose meaning is `term` ("vnd300000000", "ym202409", "quan5").
  function meaningSpans(text, term) {
    var found = [];
    function scan(re, value) {
      re.lastIndex = 0;
      var m;
      while ((m = re.exec(text))) {
        if (value(m) === term) found.push([m.index, m.index + m[0].replace(/\s+$/, "").length]);
        if (m[0] === "") re.lastIndex++;
      }
    }
    if (term.indexOf("vnd") === 0) { scan(MONEY_RE, money); scan(MONEY_WORDS_RE, moneyWords); }
    else if (term.indexOf("ym") === 0) DATE_RES.forEach(function (re) { scan(re, month); });
    else scan(PLACE_RE, place);
    return found;
  }

  // A Vietnamese syllable, folded: initial consonant, one to three vowels, final consonant.
  var SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$/;

  // Words run together ("cosovatchat", "thuytien"): the fewest syllables of two letters or more, a
  // syllable starting with a vowel counting double ("thuy tien", not "thuyt ien"); null if none.
  function syllables(word) {
    var best = [[0, []]];
    for (var i = 2; i <= word.length; i++) {
      for (var j = Math.max(0, i - 7); j <= i - 2; j++) {
        var piece = word.slice(j, i);
        if (!best[j] || !SYLLABLE.test(piece)) continue;
        var cost = best[j][0] + (/^[aeiouy]/.test(piece) ? 2 : 1);
        if (!best[i] || cost < best[i][0]) best[i] = [cost, best[j][1].concat([piece])];
      }
    }
    var found = best[word.length];
    return found && found[1].length > 1 ? found[1] : null;
  }

  // One insertion, deletion, substitution or swap of two neighbours turns a into b.
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return false;
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // A word's weight: the fewer records have it, the more it says (BM25's idf), squared (as in
  // Lucene's classic scoring) so that one rare word outweighs two common ones.
  function idfOf(n, df) {
    var w = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    return w * w;
  }

  // ---- One site's index, at `base`: the header's own site, or each site of a hub (qip-hub.js) ----

  function engine(base) {
    var pagefind = null;
    var site = { n: 1, end: "q", frequent: [], concepts: [] };  // qip-search.json
    var frequency = {};  // word -> rank among the site's frequent words; absent = rare
    var phrases = {};  // folded phrase of the dictionary -> its concept
    var longest = 1;  // words in the dictionary's longest phrase
    var vocabulary = {};  // first two letters -> promise of the site's words (search-words/xx.json)

    function load() {
      if (!pagefind) {
        var words = fetch(new URL("qip-search.json", base)).then(function (r) { return r.ok ? r.json() : site; })
          .then(function (data) {
            site = data;
            data.frequent.forEach(function (w, rank) { frequency[w] = data.frequent.length - rank; });
            (data.concepts || []).forEach(function (entry) {
              var concept = { term: entry[0], phrases: entry.slice(1) };
              concept.phrases.forEach(function (p) { phrases[p] = concept; longest = Math.max(longest, p.split(" ").length); });
            });
          });
        pagefind = Promise.all([import(new URL("pagefind/pagefind.js", base).href), words]).then(function (loaded) {
          var module = loaded[0];
          // Short records (a school) should win over long ones (a plan) on equal matches.
          return module.options({ baseUrl: base.pathname, noWorker: true, ranking: { pageLength: 1.0 } })
            .then(function () { return module; });
        });
      }
      return pagefind;
    }

    // Telex and VNI leftovers: "maamf" → "mam", "ngoaij" → "ngoai", "tru7o7ng2" → "truong", "ddi" → "di".
    function repair(word) {
      if (SYLLABLE.test(word) || phrases[word] || !/[a-z]/.test(word)) return word;
      if (/\d/.test(word) && /^[a-z]/.test(word)) {
        var vni = word.replace(/d9/g, "d").replace(/\d/g, "");
        if (SYLLABLE.test(vni)) return vni;
      }
      var telex = word.replace(/dd/g, "d").replace(/aa/g, "a").replace(/ee/g, "e").replace(/oo/g, "o")
        .replace(/([aou])w/g, "$1").replace(/w/g, "u");
      var vowel = telex.search(/[aeiouy]/);
      if (vowel >= 0) telex = telex.slice(0, vowel + 1) + telex.slice(vowel + 1).replace(/[sfrxjz]/g, "");
      return SYLLABLE.test(telex) ? telex : word;
    }

    // A slot is one thing the query asks for: `keys` are the index terms that find it (any of them),
    // `alts` the words that show it in a text, each with its weight; `term` for a meaning.
    // A question's own words: "có … không", "gì" ask, they are not what the parent looks for.
    function asking(tokens) {
      var words = tokens.map(function (t) { return t.word; });
      return tokens.filter(function (t, i) {
        if (tokens.length < 2) return true;
        if (t.word === "gi") return false;
        return !(t.word === "khong" && i === tokens.length - 1 && words.indexOf("co") >= 0 && words.indexOf("co") < i - 1);
      });
    }

    function read(query) {
      // A criterion's code typed against its word ("tc3.2", "tieu chi3.2"): the word and the code apart.
      var folded = fold(query).replace(/([a-z])(\d{1,2}[.,]\d{1,2})(?!\d)/g, "$1 $2");
      var slots = [];
      slots.query = folded;
      function take(re, value) {
        re.lastIndex = 0;
        folded = folded.replace(re, function () {
          var m = Array.prototype.slice.call(arguments, 0, -2);
          var at = arguments[arguments.length - 2];
          var term = value(m);
          if (!term) return m[0];
          slots.push({ at: at, keys: [term], term: term, alts: [], typed: m[0].trim() });
          return " ".repeat(m[0].length);
        });
      }
      DATE_RES.forEach(function (re) { take(re, month); });
      take(MONEY_RE, money);
      take(MONEY_WORDS_RE, moneyWords);
      take(PLACE_RE, place);
      var tokens = [];
      var m;
      WORD.lastIndex = 0;
      // A repaired word is folded again: Telex "kyx" is "ky", which the index writes "ki".
      while ((m = WORD.exec(folded))) tokens.push({ at: m.index, word: repair(m[0]).replace(FINAL_Y, "$1i"), typed: m[0] });
      tokens = asking(tokens);
      var typing = !/\s$/.test(query);
      for (var i = 0; i < tokens.length;) {
        var matched = 0;
        for (var n = Math.min(longest, tokens.length - i); n >= 1 && !matched; n--) {
          var phrase = tokens.slice(i, i + n).map(function (t) { return t.word; }).join(" ");
          // A phrase of the dictionary as typed, before a Telex repair ("wi fi" is no "ui fi").
          var raw = tokens.slice(i, i + n).map(function (t) { return t.typed; }).join(" ");
          if (!phrases[phrase] && phrases[raw]) phrase = raw;
          var concept = phrases[phrase];
          if (concept) {
            slots.push({
              at: tokens[i].at, keys: [concept.term], typed: phrase,
              // The dictionary lists a concept's words from the closest to the loosest.
              alts: concept.phrases.map(function (p, k) {
                return { words: p.split(" "), weight: p === phrase ? 1 : SYNONYM - 0.02 * Math.min(k, 5) };
              })
            });
            matched = n;
          }
        }
        if (!matched) {
          var t = tokens[i];
          var last = i === tokens.length - 1 && typing && !frequency[t.word] && /^[a-z]+$/.test(t.word);
          slots.push({ at: t.at, keys: [t.word], typed: t.typed, word: t.word, prefix: last,
                       alts: [{ words: [t.word], weight: 1 }] });
          matched = 1;
        }
        i += matched;
      }
      return slots.sort(function (a, b) { return a.at - b.at; });
    }

    // ---- Typos: a word the site does not have is matched to its words one edit away ----

    function words(prefix) {
      if (!vocabulary[prefix]) {
        vocabulary[prefix] = fetch(new URL("search-words/" + prefix + ".json", base))
          .then(function (r) { return r.ok ? r.json() : ""; })
          .then(function (text) { return text ? text.split(" ") : []; })
          .catch(function () { return []; });
      }
      return vocabulary[prefix];
    }

    function typos(slots) {
      return Promise.all(slots.map(function (slot) {
        var word = slot.word;
        // Three letters are enough when they cannot be a syllable ("hco"): then it is a slip.
        if (!word || (word.length < 4 && !(word.length === 3 && !SYLLABLE.test(word))) || !/^[a-z]+$/.test(word) || frequency[word]) return null;
        // The word's first two letters, and its first and third (a slip in the second letter).
        return Promise.all([words(word.slice(0, 2)), words(word[0] + word[2])]).then(function (lists) {
          var known = lists[0].concat(lists[1]);
          if (known.indexOf(word) >= 0) return;
          if (slot.prefix && known.some(function (k) { return k.indexOf(word) === 0; })) return;
          var pieces = SYLLABLE.test(word) ? null : syllables(word);
          if (pieces) { slot.split = pieces.join(" "); return; }
          var near = known.filter(function (k) { return oneEdit(word, k); })
            .sort(function (a, b) { return (frequency[b] || 0) - (frequency[a] || 0); }).slice(0, 2);
          slot.keys = near;
          slot.prefix = false;
          slot.alts = near.map(function (k) { return { words: [k], weight: TYPO }; });
        });
      })).then(function () {
        // Words run together are read again apart, the dictionary's phrases with them; in place,
        // as the callers hold `slots`.
        var split = slots.filter(function (s) { return s.split; });
        if (!split.length) return;
        var text = slots.query;
        var last = split.some(function (s) { return s.prefix; });
        split.sort(function (a, b) { return b.at - a.at; }).forEach(function (s) {
          text = text.slice(0, s.at) + s.split + text.slice(s.at + s.typed.length);
        });
        var again = read(last ? text.trimEnd() + " " : text);
        slots.length = 0;
        Array.prototype.push.apply(slots, again);
        slots.query = again.query;
        return typos(slots);
      });
    }

    // ---- Finding: all the words first, then some of them, rarer words weighing more ----

    function rank(slot) {
      return Math.max.apply(null, slot.keys.map(function (k) { return frequency[k] || 0; }).concat([0]));
    }

    function term(slot, key) { return key + (slot.prefix ? "" : site.end); }

    function idf(df) { return idfOf(site.n, df); }

    function find(pf, slots, filters) {
      var usable = slots.filter(function (s) { return s.keys.length; });
      var sent = usable.slice().sort(function (a, b) { return rank(a) - rank(b); }).slice(0, SEARCHED_WORDS);
      if (!sent.length) return Promise.resolve({ all: [], some: [] });
      var combos = [[]];
      sent.forEach(function (slot) {
        var next = [];
        combos.forEach(function (c) { slot.keys.forEach(function (k) { next.push(c.concat([term(slot, k)])); }); });
        combos = next.slice(0, 4);
      });
      // A word neither the site nor a near spelling has: no result has all the words. (The words
      // not sent are the query's most frequent ones: taken as present.)
      var whole = usable.length === slots.length;
      var searches = combos.map(function (c) { return pf.search(c.join(" "), { filters: filters }); });
      var single = sent.length > 1 || !whole ? sent : [];
      single.forEach(function (slot) {
        slot.keys.forEach(function (k) { searches.push(pf.search(term(slot, k), { filters: filters })); });
      });
      return Promise.all(searches).then(function (found) {
        var all = [];
        var seen = {};
        found.slice(0, combos.length).forEach(function (f) {
          f.results.forEach(function (r) { if (!seen[r.id]) { seen[r.id] = 1; all.push(r); } });
        });
        if (!whole) { seen = {}; all = []; }
        var at = combos.length;
        var weight = {};
        var best = {};
        var has = {};  // id -> the slots it has (a hub weighs them again over all its sites)
        single.forEach(function (slot) {
          var hits = {};
          slot.keys.forEach(function () {
            found[at++].results.forEach(function (r) { hits[r.id] = r; });
          });
          var df = Object.keys(hits).length;
          slot.df = df;
          slot.idf = idf(df);
          Object.keys(hits).forEach(function (id) {
            weight[id] = (weight[id] || 0) + slot.idf;
            best[id] = hits[id];
            (has[id] = has[id] || []).push(slot);
          });
        });
        usable.forEach(function (slot) {
          if (slot.idf === undefined) { slot.df = all.length; slot.idf = idf(all.length); }
        });
        var some = Object.keys(best).filter(function (id) { return !seen[id]; }).map(function (id) { return best[id]; });
        some.sort(function (a, b) { return weight[b.id] - weight[a.id] || b.score - a.score; });
        return { all: all, some: some, has: has };
      });
    }

    // A plan's row texts (qip_site/outputs/search.py, rows_file): where the snippets come from.
    // Fetched once per plan; a file that cannot be had gives no rows (a network failure is tried
    // again by a later search).
    var planRows = {};  // "school/plan" -> promise of the plan's rows
    function rowsOf(school, plan) {
      var name = school + "/" + plan;
      if (!planRows[name]) {
        planRows[name] = fetch(new URL("search/" + name + ".json", base))
          .then(function (r) { return r.ok ? r.json() : []; })
          .catch(function () { delete planRows[name]; return []; });
      }
      return planRows[name];
    }

    function fetchResult(result) {
      return result.data().then(function (data) {
        if (data.meta.kind !== "plan") return { data: data, rows: [] };
        return rowsOf(data.meta.school_slug, data.meta.plan).then(function (rows) {
          return { data: data, rows: Array.isArray(rows) ? rows : [] };
        });
      });
    }

    return { base: base, load: load, read: read, typos: typos, find: find, fetchResult: fetchResult,
             size: function () { return site.n; } };
  }

  // A row is read with its school's name and place: "hop phu huynh hoa mi" is a row of Họa Mi.
  function context(meta) { return "\n" + [meta.school, meta.place].join("\n"); }

  // What the query asks of a row once the school's own name and place have answered their part.
  function topical(slots, meta) {
    var named = matches(context(meta), slots).map(function (h) { return h[2]; });
    return slots.filter(function (s, i) { return named.indexOf(i) < 0; });
  }

  // How well a row answers: all the query in the row, or the school's name plus the rest in the row.
  function rowScore(block, slots, asked, own) {
    var text = block.t + "\n" + block.x;
    return Math.max(score(text, slots), asked.length ? own + score(text, asked) : 0);
  }

  function relevance(item, slots) {
    var meta = item.data.meta;
    var own = score(context(meta), slots);
    var asked = topical(slots, meta);
    // A query that only names the school: its page first (Pagefind's order), then its plans.
    if (!asked.length) return own;
    var best = 0;
    item.rows.forEach(function (block) { best = Math.max(best, rowScore(block, slots, asked, own)); });
    return Math.max(own, best);
  }

  // ---- Where the query stands in a text: spans in original offsets [start, end, slot, weight] ----

  // Each character folded once, and each text once while it is still read (the rows of the first
  // results come back query after query): a query reads every row of its first results.
  var FOLDED_CHARS = new Map();
  var FOLDED_TEXTS = new Map();
  function foldChar(c) {
    var f = FOLDED_CHARS.get(c);
    if (f === undefined) { f = fold(c); FOLDED_CHARS.set(c, f); }
    return f;
  }

  // The folded text, and where each of its letters stands in `text` (null: at the same place, the
  // usual case, since a Vietnamese letter folds to one letter).
  function foldedIndex(text) {
    var known = FOLDED_TEXTS.get(text);
    if (known) return known;
    var folded = "";
    var index = [];
    var moved = false;
    for (var i = 0; i < text.length; i++) {
      var f = foldChar(text[i]);
      if (f.length !== 1) moved = true;
      for (var k = 0; k < f.length; k++) { folded += f[k]; index.push(i); }
    }
    index.push(text.length);
    folded = folded.replace(FINAL_Y, "$1i");  // one letter for one: the offsets hold
    if (FOLDED_TEXTS.size >= 5000) FOLDED_TEXTS.clear();
    known = { folded: folded, index: moved ? index : null };
    FOLDED_TEXTS.set(text, known);
    return known;
  }

  function original(f, at) { return f.index ? f.index[at] : at; }

  function escape(word) { return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Each word's expression compiled once, not again for every text it is looked for in.
  var PATTERNS = new Map();
  function pattern(source) {
    var re = PATTERNS.get(source);
    if (!re) {
      if (PATTERNS.size >= 1000) PATTERNS.clear();
      re = new RegExp(source, "uy");  // sticky: tried at lastIndex only
      PATTERNS.set(source, re);
    }
    re.lastIndex = 0;
    return re;
  }

  function matches(text, slots) {
    var f = foldedIndex(text);
    var found = [];
    slots.forEach(function (slot, position) {
      if (slot.term) {
        meaningSpans(f.folded, slot.term).forEach(function (s) { found.push([original(f, s[0]), original(f, s[1]), position, 1]); });
        return;
      }
      slot.alts.forEach(function (alt) {
        // Only where its first word stands (found by indexOf, fast), the whole alternative is tried:
        // after a letter or digit, no word starts.
        var first = alt.words[0];
        var at = first ? f.folded.indexOf(first) : -1;  // (an empty word would stand everywhere)
        if (at < 0) return;
        var tail = slot.prefix ? "" : "(?![\\p{L}\\p{N}])";
        var re = pattern("(?<![\\p{L}\\p{N}])(" + alt.words.map(escape).join("[^\\p{L}\\p{N}]+") + ")" + tail);
        while (at >= 0) {
          re.lastIndex = at;
          var m = re.exec(f.folded);
          if (m) found.push([original(f, at), original(f, at + m[1].length), position, alt.weight]);
          at = f.folded.indexOf(first, m ? at + m[1].length : at + 1);
        }
      });
    });
    return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  // Runs of hits that spell the whole query in order, separated only by spaces or punctuation.
  function runs(text, slots, hits) {
    hits = hits || matches(text, slots);
    var out = [];
    hits.forEach(function (first, i) {
      if (first[2] !== 0) return;
      var end = first;
      for (var k = 1; k < slots.length && end; k++) {
        var next = null;
        for (var j = i + 1; j < hits.length && !next; j++) {
          if (hits[j][2] === k && hits[j][0] >= end[1] && /^[^\p{L}\p{N}]*$/u.test(text.slice(end[1], hits[j][0]))) next = hits[j];
        }
        end = next;
      }
      if (end) out.push([first[0], end[1]]);
    });
    return out;
  }

  // What to highlight: the whole query where it stands together, else each of its words.
  function marks(text, slots) {
    var hits = matches(text, slots);
    var together = slots.length > 1 ? runs(text, slots, hits) : [];
    return together.length ? together : hits;
  }

  // How well a text answers the query: each slot found counts by its rarity and by how close to
  // the typed word it is; all found counts more, side by side most.
  function score(text, slots) {
    var hits = matches(text, slots);
    var best = {};
    var count = {};
    hits.forEach(function (h) {
      best[h[2]] = Math.max(best[h[2]] || 0, h[3]);
      count[h[2]] = (count[h[2]] || 0) + 1;
    });
    var total = 0, all = 0, found = 0;
    slots.forEach(function (slot, i) {
      var weight = slot.idf || 1;
      all += weight;
      // Said again (or said another way too) counts a little more, up to four times.
      if (best[i]) { total += weight * (best[i] + 0.05 * Math.min(count[i] - 1, 3)); found++; }
    });
    if (found === slots.length && found) total += all;
    if (slots.length > 1 && runs(text, slots, hits).length) total += 2 * all;
    // Two neighbours of the query side by side ("họp PHHS" for "hop cha me hoc sinh hoa mi").
    for (var k = 0; k + 1 < slots.length; k++) {
      var pair = [slots[k], slots[k + 1]];
      var near = hits.filter(function (h) { return h[2] === k || h[2] === k + 1; })
        .map(function (h) { return [h[0], h[1], h[2] - k, h[3]]; });
      if (runs(text, pair, near).length) total += ((slots[k].idf || 1) + (slots[k + 1].idf || 1)) / 2;
    }
    return total;
  }

  function bestBlock(blocks, slots, year, standard, meta) {
    var best = null;
    var bestScore = -1;
    // Rows of one plan are told apart by what the query asks about, not by the school's name.
    var asked = topical(slots, meta);
    if (!asked.length) asked = slots;
    blocks.forEach(function (block) {
      // A row of the table says more than the preamble; a match in the row's title says most.
      var value = score(block.t + "\n" + block.x, asked) + score(block.t, asked) / 2 + (block.a ? 0.5 : 0) +
        (year && block.y.indexOf(year) >= 0 ? 1000 : 0) + (standard && "Tiêu chuẩn " + block.s === standard ? 2000 : 0);
      if (value > bestScore) { best = block; bestScore = value; }
    });
    return best;
  }

  function snippet(text, slots, className) {
    var hits = marks(text, slots);
    // The snippet opens on the closest match: the word typed rather than a synonym.
    var first = hits.reduce(function (a, h) { return !a || (h[3] || 1) > (a[3] || 1) ? h : a; }, null);
    var focus = first ? first[0] : 0;
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

  function highlight(text, slots) {
    var span = document.createElement("span");
    var at = 0;
    marks(text, slots).forEach(function (h) {
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

  // One result as a list item. `base` is its site; `year` and `standard` the filters chosen; a hub
  // names the site (`label`) and links across hosts with whole addresses.
  function result(data, blocks, slots, base, year, standard, label) {
    var meta = data.meta || {};
    var away = base.origin !== location.origin;
    var item = document.createElement("li");
    item.className = "md-search-result__item qip-search__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    var article = document.createElement("article");
    article.className = "md-search-result__article";
    var title = document.createElement("h3");
    title.className = "qip-search__title";
    title.appendChild(highlight(meta.school || meta.title || "", slots));
    var where = document.createElement("p");
    where.className = "qip-search__where";
    var href = away ? new URL(data.url, base).href : data.url;
    if (meta.kind === "school") {
      where.textContent = [label, "Trang trường", meta.level, meta.place].filter(Boolean).join(" · ");
      article.appendChild(title);
      article.appendChild(where);
    } else {
      var block = bestBlock(blocks, slots, year, standard, meta) || { a: "", t: "", y: [], x: "" };
      var plan = "truong/" + meta.school_slug + "/ke-hoach-" + meta.plan + "/";
      var inYear = year && block.y.indexOf(year) >= 0;
      var target = new URL((inYear ? "truong/" + meta.school_slug + "/" + year + "/" : plan) + (block.a ? "#" + block.a : ""), base);
      href = away ? target.href : target.pathname + target.hash;
      var years = inYear ? "Năm học " + year : (meta.years.indexOf("đến") > 0 ? "Kế hoạch " + meta.years : "Năm học " + meta.years);
      where.textContent = [label, years, meta.level, meta.place].filter(Boolean).join(" · ");
      article.appendChild(title);
      article.appendChild(where);
      if (block.t) article.appendChild(snippet(block.t, slots, "qip-search__heading"));
      article.appendChild(snippet(block.x || block.t, slots, "qip-search__snippet"));
    }
    link.href = href;
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  window.qipSearch = {
    engine: engine, idf: idfOf, relevance: relevance, result: result, PAGE: PAGE, RERANK: RERANK
  };

  // ---- The dialog: drawn here, not repeated in every page (issue 15); search needs script anyway ----

  // Material's icons (material/magnify, arrow-left, close), as its own search box has them.
  var ICON = {
    magnify: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>',
    back: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z"/></svg>',
    close: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/></svg>'
  };
  // Material's look (md-search classes); the status line gets its hint from say(HINT). No data in it:
  // what varies (a member site's district) is set below as text and attributes.
  var DIALOG = [
    '<div class="md-search qip-search" role="dialog" aria-label="Tìm kiếm" data-qip-search>',
    '<label class="md-search__overlay" for="__search"></label>',
    '<div class="md-search__inner" role="search">',
    '<form class="md-search__form" name="search" data-qip-form>',
    '<input type="text" class="md-search__input" name="query" id="qip-search-input"' +
      ' aria-label="Tìm trường, tiêu chí hoặc nội dung kế hoạch" placeholder="Tìm trường, nội dung…"' +
      ' aria-controls="qip-search-results" autocapitalize="off" autocorrect="off" autocomplete="off"' +
      ' spellcheck="false" enterkeyhint="search">' +
      // A label cannot carry aria-label (axe: aria-prohibited-attr); keyboard users close with Escape.
      '<label class="md-search__icon md-icon" for="__search" title="Đóng tìm kiếm">',
    ICON.magnify,
    ICON.back,
    '</label>',
    '<nav class="md-search__options" aria-label="Tìm kiếm">',
    '<button type="reset" class="md-search__icon md-icon" title="Xóa" aria-label="Xóa ô tìm kiếm">',
    ICON.close,
    '</button>',
    '</nav>',
    '</form>',
    '<div class="md-search__output">',
    '<div class="md-search__scrollwrap" data-md-scrollfix>',
    '<details class="qip-search__filters" data-qip-filters>',
    '<summary>Lọc kết quả</summary>',
    '<div class="qip-search__filter-fields" data-qip-filter-fields>',
    '<p class="qip-search__note">Đang tải bộ lọc…</p>',
    '</div>',
    // The filters chosen, each a button that removes it (showChips).
    '</details><div class="qip-search__chips" data-qip-chips hidden></div>',
    '<div class="md-search-result" id="qip-search-results">',
    '<div class="md-search-result__meta" role="status" aria-live="polite" data-qip-status></div>',
    // More results load when the sentinel comes into view (IntersectionObserver).
    '<ol class="md-search-result__list" data-qip-list></ol>' +
      '<div class="qip-search__sentinel" data-qip-sentinel aria-hidden="true"></div>',
    '</div>',
    '</div>',
    '</div>',
    '</div>',
    '</div>',
    ''
  ].join("\n");

  // Draw the dialog before the script's tag (overrides/partials/qip-search.html). Deferred, this
  // runs before DOMContentLoaded, when Material's own script looks for its components: it finds the
  // dialog as if the page held it. On a member site, the tag names the district's search.
  function draw(tag) {
    tag.insertAdjacentHTML("beforebegin", DIALOG);
    var href = tag.getAttribute("data-qip-district-href");
    if (href === null) return;
    var link = document.createElement("a");
    link.setAttribute("data-qip-district", tag.getAttribute("data-qip-district-query") || "");
    link.setAttribute("href", href);
    link.textContent = "Tìm trong tất cả các trường của " + (tag.getAttribute("data-qip-district-name") || "");
    var p = document.createElement("p");
    p.className = "qip-search__district";
    p.appendChild(link);
    var filters = document.querySelector("[data-qip-search] [data-qip-filters]");
    filters.parentNode.insertBefore(p, filters);
    filters.parentNode.insertBefore(document.createTextNode("\n"), filters);
  }

  var tag = document.querySelector("script[data-qip-search-box]");
  if (tag && !document.querySelector("[data-qip-search]")) draw(tag);
  var root = document.querySelector("[data-qip-search]");
  if (!root) return;
  var toggle = document.getElementById("__search");
  var input = document.getElementById("qip-search-input");
  var form = root.querySelector("[data-qip-form]");
  var status = root.querySelector("[data-qip-status]");
  var list = root.querySelector("[data-qip-list]");
  var sentinel = root.querySelector("[data-qip-sentinel]");
  var chips = root.querySelector("[data-qip-chips]");
  var filterBox = root.querySelector("[data-qip-filters]");
  var filterFields = root.querySelector("[data-qip-filter-fields]");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base || ".", location.href);
  var index = engine(base);
  var load = index.load, read = index.read, typos = index.typos, find = index.find, fetchResult = index.fetchResult;
  var results = [];
  var allCount = 0;
  var shown = 0;
  var serial = 0;
  var timer = null;
  var chosen = {};
  var ready = [];
  var loading = 0;  // the search whose next page is being fetched
  var current = { slots: [], mine: 0 };

  function say(text) { status.textContent = text; }

  function search() {
    var query = input.value.trim();
    var mine = ++serial;
    var active = {};
    Object.keys(chosen).forEach(function (name) { if (chosen[name]) active[name] = chosen[name]; });
    showChips(active);
    if (!query && !Object.keys(active).length) {
      list.textContent = "";
      list.dataset.query = "";
      results = [];
      say(HINT);
      return;
    }
    say("Đang tìm…");
    var slots;
    load().then(function (pf) {
      slots = read(input.value);
      return typos(slots).then(function () {
        // Nothing to look for ("((((", a lone invisible character): no result, rather than every page.
        if (!slots.length && !Object.keys(active).length) return { all: [], some: [], wordless: true };
        if (!slots.length) return pf.search(null, { filters: active }).then(function (f) { return { all: f.results, some: [] }; });
        return find(pf, slots, active);
      });
    }).then(function (found) {
      if (mine !== serial) return;
      results = found.all.concat(found.some);
      allCount = found.all.length;
      shown = 0;
      ready = [];
      current = { slots: slots, mine: mine };
      list.textContent = "";
      var near = found.some.length ? " và " + found.some.length + " kết quả gần đúng" : "";
      if (found.wordless) say("Không có chữ hay số nào để tìm. " + HINT);
      else if (!results.length) say("Không tìm thấy kết quả nào. Hãy thử từ khác hoặc bỏ bớt bộ lọc.");
      else if (!allCount) say("Không có kết quả chứa đủ các từ đã gõ; có " + found.some.length + " kết quả gần đúng");
      else say("Tìm thấy " + allCount + " kết quả" + near);
      return showMore().then(function () {
        // What the results on screen answer (tests wait for it: typing outruns the search).
        if (mine === serial) list.dataset.query = input.value;
      });
    }).catch(function () {
      say("Chưa tải được bộ tìm kiếm. Hãy kiểm tra kết nối rồi thử lại.");
    });
  }

  function showMore() {
    var mine = current.mine;
    var slots = current.slots || [];
    if (loading === mine || mine !== serial) return Promise.resolve();
    var fresh = shown === 0 && !ready.length;
    var take = fresh ? results.slice(0, RERANK) : (ready.length ? [] : results.slice(shown, shown + PAGE));
    if (!take.length && !ready.length) return Promise.resolve();
    loading = mine;  // one page at a time for this search; a newer search does not wait for it
    return Promise.all(take.map(fetchResult)).then(function (items) {
      loading = 0;
      if (mine !== serial) return;
      if (fresh) {
        items.forEach(function (item, i) {
          item.order = i;
          item.group = i < allCount ? 0 : 1;
          item.score = relevance(item, slots);
        });
        items.sort(function (a, b) { return a.group - b.group || b.score - a.score || a.order - b.order; });
      }
      ready = ready.concat(items);
      var page = ready.splice(0, PAGE);
      page.forEach(function (item) {
        if (shown === allCount && allCount > 0) {
          var divider = document.createElement("li");
          divider.className = "qip-search__approx";
          divider.textContent = "Kết quả gần đúng (không có đủ các từ đã gõ)";
          list.appendChild(divider);
        }
        shown++;
        list.appendChild(render(item.data, item.rows, slots));
      });
      // The sentinel may still be on screen: keep filling it.
      if (sentinelVisible()) return showMore();
    }, function (error) { loading = 0; throw error; });
  }

  function render(data, blocks, slots) {
    return result(data, blocks, slots, base, chosen["Năm học"], chosen["Tiêu chuẩn"]);
  }

  // ---- Filters: chosen in the panel (which then closes), shown as removable chips ----

  function showChips(active) {
    chips.textContent = "";
    Object.keys(active).forEach(function (name) {
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "qip-search__chip";
      chip.setAttribute("aria-label", "Bỏ lọc " + name + ": " + active[name]);
      chip.textContent = name + ": " + active[name];
      var x = document.createElement("span");
      x.setAttribute("aria-hidden", "true");
      x.textContent = " ×";
      chip.appendChild(x);
      chip.addEventListener("click", function () {
        chosen[name] = "";
        var select = filterFields.querySelector("select[name='" + name.replace(/'/g, "\\'") + "']");
        if (select) select.value = "";
        search();
        input.focus();
      });
      chips.appendChild(chip);
    });
    chips.hidden = !chips.childNodes.length;
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
          if (chosen[name] === value) option.selected = true;
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          chosen[name] = select.value;
          filterBox.open = false;  // the results, not the panel, are what the parent wants to see now
          search();
        });
        label.appendChild(span);
        label.appendChild(select);
        filterFields.appendChild(label);
      });
    }).catch(function () {
      filterFields.textContent = "Chưa tải được bộ lọc.";
      delete filterFields.dataset.ready;
    });
  }

  // ---- More results as the parent scrolls ----

  var scroller = root.querySelector(".md-search__scrollwrap");

  function sentinelVisible() {
    if (!sentinel || !sentinel.offsetParent) return false;
    var box = sentinel.getBoundingClientRect();
    var frame = scroller.getBoundingClientRect();
    return box.top < Math.min(frame.bottom, window.innerHeight) && box.bottom >= frame.top;
  }

  if (sentinel && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) showMore();
    }, { root: scroller }).observe(sentinel);
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

  say(HINT);
  list.dataset.query = "";
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
  filterBox.addEventListener("toggle", function () { if (filterBox.open) buildFilters(); });
  toggle.addEventListener("change", function () {
    if (!toggle.checked) return;
    input.focus();
    if (document.activeElement !== input) setTimeout(function () { input.focus(); }, 50);
  });
  list.addEventListener("click", function (event) { if (event.target.closest("a")) close(); });
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
