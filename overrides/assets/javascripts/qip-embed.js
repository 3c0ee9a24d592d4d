// "Nhúng vào trang web của trường" (qip_site/site/templates/_embed.j2) and the embed view, the same
// page with ?nhung=1 (a script in the head of overrides/main.html marks <html class="qip-embed">
// before the first paint; qip.css then hides the header, menu and footer).
(function () {
  "use strict";
  var root = document.documentElement;
  var here = location.origin + location.pathname;

  // The box: without site_url the snippet's addresses come from where the page is seen.
  document.querySelectorAll(".qip-embed-box").forEach(function (box) {
    var code = box.querySelector("textarea");
    var button = box.querySelector(".qip-embed-copy");
    var status = box.querySelector(".qip-embed-status");
    if (code.hasAttribute("data-qip-fill")) {
      code.value = code.value.split("QIP_SRC").join(here + "?nhung=1")
        .split('"QIP_ORIGIN"').join(JSON.stringify(location.origin));
    }
    var say = function (text) {
      status.textContent = "";
      setTimeout(function () { status.textContent = text; }, 50);
    };
    var selectOnly = function () {
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(copied ? "Đã chép" : "Đã chọn đoạn mã: bấm Ctrl+C (trên điện thoại: giữ ngón tay lên đoạn mã, chọn Sao chép).");
    };
    button.hidden = false;
    button.addEventListener("click", function () {
      code.focus();
      code.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.value).then(function () { say("Đã chép"); }, selectOnly);
      } else {
        selectOnly();
      }
    });
  });

  if (!root.classList.contains("qip-embed")) return;

  // The embed view: the full page's address, links that leave the frame, the host's scheme.
  document.querySelectorAll(".qip-embed-address[data-qip-fill]").forEach(function (span) {
    span.textContent = here;
  });
  document.querySelectorAll("a[href]").forEach(function (link) {
    if (link.getAttribute("href").charAt(0) === "#") return;
    link.target = "_blank";
    link.rel = "noopener";
  });
  var asked = new URLSearchParams(location.search).get("giao-dien");
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var scheme = function () {
    var wanted = asked === "toi" ? "slate" : asked === "sang" ? "default" : dark.matches ? "slate" : "default";
    if (document.body.getAttribute("data-md-color-scheme") !== wanted) {
      document.body.setAttribute("data-md-color-scheme", wanted);
    }
  };
  scheme();
  new MutationObserver(scheme).observe(document.body, {attributes: true, attributeFilter: ["data-md-color-scheme"]});
  dark.addEventListener("change", scheme);

  // The height, for the snippet's script in the host page (it checks the origin and its iframe).
  if (window.parent === window) return;
  var sent = 0;
  var post = function () {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage({type: "qip-height", height: height}, "*");
  };
  window.addEventListener("load", post);
  if (window.ResizeObserver) new ResizeObserver(post).observe(root);
  post();
})();
