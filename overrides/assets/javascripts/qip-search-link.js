/* Between a member site's search and its district's (qip_site/outputs/members.py).
 *
 * On every site, "?tim=words" opens the header's search box with those words: where a member site's
 * link "Tìm trong tất cả các trường của …" lands. In a member site, that link carries the words typed
 * in its own box, whose results hold its school only. Runs after qip-search.js (both deferred).
 */
(function () {
  "use strict";
  var input = document.getElementById("qip-search-input");
  var toggle = document.getElementById("__search");
  if (!input || !toggle) return;
  var link = document.querySelector("[data-qip-district]");
  if (link) {
    var name = link.getAttribute("data-qip-district");
    var address = link.getAttribute("href").split("?")[0];
    input.addEventListener("input", function () {
      link.setAttribute("href", address + "?" + name + "=" + encodeURIComponent(input.value.trim()));
    });
  }
  var query = new URLSearchParams(location.search).get("tim");
  if (query === null) return;
  toggle.checked = true;
  toggle.dispatchEvent(new Event("change"));
  input.value = query;
  input.focus();
  input.dispatchEvent(new Event("input"));
})();
