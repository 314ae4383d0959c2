/* Simpul page behaviour. No inline scripts anywhere: the CSP forbids them. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    document.documentElement.classList.add("js");
    // Language switcher: submit on change; the button stays for keyboard users without JS.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  });
  // Send the CSRF token with every HTMX request.
  document.addEventListener("htmx:configRequest", function (evt) {
    var m = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    var token = input ? input.value : (m ? decodeURIComponent(m[1]) : "");
    if (token) { evt.detail.headers["X-CSRFToken"] = token; }
  });
})();
