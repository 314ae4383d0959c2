/*
 * Session drafts (simpul.accounts.middleware, templatetags/session_drafts.py).
 *
 * 1. Background polling never keeps a session alive: a request from an element that polls
 *    (hx-trigger="every ...") carries X-Simpul-Background: 1, and the server does not count it
 *    as activity.
 * 2. When the session ran out while a form was being filled in, the server kept what was typed;
 *    after signing in again the page gets it once (data-draft on this script) and the fields
 *    are filled in again by name, in the form that posted them.
 */
(function () {
  "use strict";

  var script = document.currentScript;

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    if (!elt || !elt.getAttribute || detail.triggeringEvent) return;
    var trigger = elt.getAttribute("hx-trigger") || elt.getAttribute("data-hx-trigger") || "";
    if (/(^|,)\s*every\s/.test(trigger)) {
      detail.headers["X-Simpul-Background"] = "1";
    }
  });

  var raw = script && script.getAttribute("data-draft");
  if (!raw) return;
  var pending;
  try {
    pending = JSON.parse(raw);
  } catch (e) {
    return;
  }
  script.removeAttribute("data-draft");

  function pathOf(url) {
    try {
      return new URL(url, window.location.href).pathname;
    } catch (e) {
      return "";
    }
  }

  function named(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name;
    });
  }

  function formFor(draft) {
    var forms = Array.prototype.slice.call(document.querySelectorAll("form"));
    var byAction = forms.filter(function (form) {
      if ((form.method || "").toLowerCase() !== "post") return false;
      var action = form.getAttribute("action");
      return pathOf(action === null ? window.location.href : action) === draft.action ||
        pathOf(form.getAttribute("hx-post") || "") === draft.action;
    });
    var names = Object.keys(draft.fields || {});
    var withFields = function (form) {
      return names.some(function (name) { return named(form, name).length > 0; });
    };
    return byAction.filter(withFields)[0] || forms.filter(function (form) {
      return (form.method || "").toLowerCase() === "post" && withFields(form);
    })[0] || null;
  }

  function fill(el, values, index) {
    var type = (el.type || "").toLowerCase();
    if (type === "file" || type === "password" || el.name === "csrfmiddlewaretoken") return;
    if (type === "checkbox" || type === "radio") {
      el.checked = values.indexOf(el.value) !== -1;
    } else if (el.tagName === "SELECT" && el.multiple) {
      Array.prototype.forEach.call(el.options, function (option) {
        option.selected = values.indexOf(option.value) !== -1;
      });
    } else {
      var value = values[Math.min(index, values.length - 1)];
      el.value = value === undefined ? "" : value;
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function apply() {
    if (!pending) return;
    var form = formFor(pending);
    if (!form) return;
    var fields = pending.fields || {};
    Object.keys(fields).forEach(function (name) {
      named(form, name).forEach(function (el, index) { fill(el, fields[name], index); });
    });
    var note = document.createElement("p");
    note.id = "draft-restored";
    note.className = "msg-info";
    note.setAttribute("role", "status");
    note.textContent = pending.message || "";
    form.parentNode.insertBefore(note, form);
    var details = form.closest("details");
    if (details) details.open = true;
    pending = null;
    document.removeEventListener("htmx:afterSettle", apply);
  }

  // The form may arrive later in a fragment; try again after each swap until it is there.
  document.addEventListener("htmx:afterSettle", apply);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
})();
