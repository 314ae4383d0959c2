/*
 * Region picker (simpul.regions.forms.RegionPickerWidget): an ARIA combobox whose listbox
 * htmx fills from regions:search.
 *
 * Loaded as an external file because the CSP forbids inline scripts and handlers. All
 * listeners are delegated from the document, so pickers that htmx swaps in later work too.
 * Nothing here depends on a particular htmx version: the typed text reaches the request
 * through the hx-vals attribute, and new results are noticed with a MutationObserver.
 */
(function () {
  "use strict";

  var PICKER = "[data-region-picker]";
  var OPTION = '[role="option"]';

  function partsOf(element) {
    var root = element && element.closest ? element.closest(PICKER) : null;
    if (!root) {
      return null;
    }
    return {
      root: root,
      input: root.querySelector("[data-region-picker-input]"),
      code: root.querySelector("[data-region-picker-code]"),
      list: root.querySelector("[data-region-picker-results]"),
      status: root.querySelector("[data-region-picker-status]"),
    };
  }

  function optionsOf(parts) {
    return Array.prototype.slice.call(parts.list.querySelectorAll(OPTION));
  }

  function isOpen(parts) {
    return !parts.list.hidden;
  }

  function open(parts) {
    if (parts.list.children.length === 0) {
      close(parts);
      return;
    }
    parts.list.hidden = false;
    parts.input.setAttribute("aria-expanded", "true");
  }

  function close(parts) {
    parts.list.hidden = true;
    parts.input.setAttribute("aria-expanded", "false");
    setActive(parts, -1);
  }

  function activeIndex(parts) {
    return optionsOf(parts).findIndex(function (option) {
      return option.getAttribute("aria-selected") === "true";
    });
  }

  function setActive(parts, index) {
    var options = optionsOf(parts);
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && index < options.length) {
      parts.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      parts.input.removeAttribute("aria-activedescendant");
    }
  }

  function setCode(parts, code) {
    if (parts.code.value !== code) {
      parts.code.value = code;
      parts.code.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function choose(parts, option) {
    var label = option.getAttribute("data-label") || "";
    parts.input.value = label;
    parts.input.setAttribute("data-region-picker-label", label);
    setCode(parts, option.getAttribute("data-code") || "");
    close(parts);
    parts.input.focus();
  }

  // htmx reads hx-vals when it sends the request, after this capture-phase listener ran.
  function syncQuery(parts) {
    var params = {};
    try {
      params = JSON.parse(parts.input.getAttribute("hx-vals") || "{}");
    } catch (error) {
      params = {};
    }
    params.q = parts.input.value;
    parts.input.setAttribute("hx-vals", JSON.stringify(params));
  }

  function onTyping(event) {
    var parts = partsOf(event.target);
    if (!parts || event.target !== parts.input) {
      return;
    }
    syncQuery(parts);
    // Text that no longer matches the chosen label must not leave a stale code behind.
    if (parts.input.value !== parts.input.getAttribute("data-region-picker-label")) {
      setCode(parts, "");
    }
    if (parts.input.value.trim() === "") {
      parts.list.replaceChildren();
      close(parts);
    }
  }

  function onResults(parts) {
    var options = optionsOf(parts);
    options.forEach(function (option, i) {
      option.id = parts.list.id + "-option-" + i;
      option.setAttribute("aria-selected", "false");
    });
    if (document.activeElement === parts.input && parts.input.value.trim() !== "") {
      open(parts);
    } else {
      close(parts);
    }
    if (parts.status) {
      parts.status.textContent = options.length
        ? parts.status.getAttribute("data-text-some") + " " + options.length
        : parts.status.getAttribute("data-text-none");
    }
  }

  function onKeydown(event) {
    var parts = partsOf(event.target);
    if (!parts || event.target !== parts.input) {
      return;
    }
    var count = optionsOf(parts).length;
    var index = activeIndex(parts);
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (count === 0) {
          return;
        }
        event.preventDefault();
        open(parts);
        if (event.key === "ArrowDown") {
          setActive(parts, index < count - 1 ? index + 1 : 0);
        } else {
          setActive(parts, index > 0 ? index - 1 : count - 1);
        }
        break;
      case "Enter":
        if (isOpen(parts)) {
          // Enter picks a suggestion instead of submitting the surrounding form.
          event.preventDefault();
          if (index >= 0) {
            choose(parts, optionsOf(parts)[index]);
          }
        }
        break;
      case "Escape":
        if (isOpen(parts)) {
          // The first Escape only closes the list; the browser clears the box on the next.
          event.preventDefault();
          close(parts);
        }
        break;
      case "Tab":
        close(parts);
        break;
      default:
        break;
    }
  }

  function onPointerDown(event) {
    // Keeps focus in the input, so choosing with the mouse does not close the list first.
    if (event.target.closest && event.target.closest(PICKER + " " + OPTION)) {
      event.preventDefault();
    }
  }

  function onClick(event) {
    var option = event.target.closest ? event.target.closest(OPTION) : null;
    var parts = partsOf(option);
    if (option && parts && parts.list.contains(option)) {
      choose(parts, option);
    }
  }

  function onFocusOut(event) {
    var parts = partsOf(event.target);
    if (parts && !parts.root.contains(event.relatedTarget)) {
      close(parts);
    }
  }

  document.addEventListener("input", onTyping, true);
  document.addEventListener("search", onTyping, true);
  document.addEventListener("keydown", onKeydown);
  document.addEventListener("mousedown", onPointerDown);
  document.addEventListener("click", onClick);
  document.addEventListener("focusout", onFocusOut);

  new MutationObserver(function (mutations) {
    var seen = [];
    mutations.forEach(function (mutation) {
      var target = mutation.target;
      if (
        target.matches &&
        target.matches("[data-region-picker-results]") &&
        seen.indexOf(target) === -1
      ) {
        seen.push(target);
        var parts = partsOf(target);
        if (parts) {
          onResults(parts);
        }
      }
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
