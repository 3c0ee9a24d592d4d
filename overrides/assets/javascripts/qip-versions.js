/* "So sánh các phiên bản": any two versions of a plan, compared in the browser from the JSON the
   build wrote (the data-versions attribute of #qip-versions, JSON: per version, its parts as [key, label, paragraphs]). Parts are
   matched by key: a part only in the newer version was added, only in the older removed, in both
   with other paragraphs changed (the paragraphs compared in order). Plan text is set with
   textContent only: it stays text. */
(function () {
  var source = document.getElementById("qip-versions");
  var older = document.getElementById("qip-version-old");
  var newer = document.getElementById("qip-version-new");
  var out = document.getElementById("qip-diff");
  if (!source || !older || !newer || !out) return;
  var versions = JSON.parse(source.getAttribute("data-versions"));

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Paragraph diff by longest common subsequence: [["=", text] | ["-", text] | ["+", text]].
  function lines(a, b) {
    var n = a.length, m = b.length, i, j, table = [];
    for (i = 0; i <= n; i++) { table.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) {
      for (j = m - 1; j >= 0; j--) {
        table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var result = [];
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { result.push(["=", a[i]]); i++; j++; }
      else if (i < n && (j === m || table[i + 1][j] >= table[i][j + 1])) { result.push(["-", a[i]]); i++; }
      else { result.push(["+", b[j]]); j++; }
    }
    return result;
  }

  function part(kind, label, entries) {
    var section = el("section", "qip-diff-part qip-diff-" + kind);
    section.dataset.kind = kind;
    var names = { added: "Thêm", removed: "Bỏ", changed: "Sửa" };
    var heading = el("h3");
    heading.appendChild(el("span", "qip-diff-kind", names[kind] + ": "));
    heading.appendChild(document.createTextNode(label));
    section.appendChild(heading);
    entries.forEach(function (entry) {
      if (entry[0] === "=") return;
      var line = el(entry[0] === "+" ? "ins" : "del");
      line.appendChild(el("span", "qip-diff-sign", entry[0] === "+" ? "Thêm:" : "Bỏ:"));
      line.appendChild(document.createTextNode(" " + entry[1]));
      var p = el("p");
      p.appendChild(line);
      section.appendChild(p);
    });
    return section;
  }

  function show() {
    var a = versions[Number(older.value)], b = versions[Number(newer.value)];
    out.textContent = "";
    if (!a || !b) return;
    if (a.faulty || b.faulty) {
      out.appendChild(el("p", "qip-unknown", "Bản này có lỗi, không so sánh được."));
      return;
    }
    var before = {}, after = {}, found = [];
    a.parts.forEach(function (p) { before[p[0]] = p; });
    b.parts.forEach(function (p) { after[p[0]] = p; });
    b.parts.forEach(function (p) {
      var old = before[p[0]];
      if (!old) found.push(part("added", p[1], p[2].map(function (t) { return ["+", t]; })));
      else if (JSON.stringify(old[2]) !== JSON.stringify(p[2])) found.push(part("changed", p[1], lines(old[2], p[2])));
    });
    a.parts.forEach(function (p) {
      if (!after[p[0]]) found.push(part("removed", p[1], p[2].map(function (t) { return ["-", t]; })));
    });
    var counts = { added: 0, removed: 0, changed: 0 };
    found.forEach(function (s) { counts[s.dataset.kind] += 1; });
    out.appendChild(el("p", "qip-diff-summary", a === b || found.length === 0
      ? "Hai phiên bản có cùng nội dung."
      : "Bản " + a.date + " so với bản " + b.date + ": " + counts.added + " phần thêm, " + counts.removed +
        " phần bỏ, " + counts.changed + " phần sửa."));
    found.forEach(function (s) { out.appendChild(s); });
  }

  older.addEventListener("change", show);
  newer.addEventListener("change", show);
  show();
})();
