/* The portal's only script. htmx does the requests; this keeps people oriented:
   the target is busy while a request runs, focus never falls to <body> after a
   swap, and a failed request is announced. Everything works without it. */
(function () {
  "use strict";

  var live = function () { return document.getElementById("live-region"); };

  function announce(message) {
    var region = live();
    if (!region) { return; }
    region.textContent = "";
    // A fresh text node after a tick makes screen readers speak a repeated message again.
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function targetOf(event) {
    return (event.detail && event.detail.target) || event.target;
  }

  function submitButtons(element) {
    var form = element.closest ? element.closest("form") : null;
    return form ? form.querySelectorAll("button[type=submit], button:not([type])") : [];
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    targetOf(event).setAttribute("aria-busy", "true");
    submitButtons(event.detail.elt).forEach(function (button) { button.disabled = true; });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    // After an outerHTML swap the old target is detached; the new one was never busy.
    targetOf(event).removeAttribute("aria-busy");
    submitButtons(event.detail.elt).forEach(function (button) { button.disabled = false; });
  });

  function focusAfterSwap(container) {
    if (document.activeElement && document.activeElement !== document.body && document.contains(document.activeElement)) {
      return;
    }
    var next = container.querySelector("[data-autofocus]") ||
      container.querySelector("h1[tabindex='-1'], h2[tabindex='-1'], h3[tabindex='-1']") ||
      container.querySelector("a[href], button:not([disabled]), input:not([type=hidden]), select, textarea");
    if (!next && container.getAttribute("tabindex") === null) {
      container.setAttribute("tabindex", "-1");
      next = container;
    }
    if (next) { next.focus(); }
  }

  // Display preferences saved through htmx apply at once, as they do after a reload.
  function applyPreferences(container) {
    var classes = container.getAttribute("data-preference-classes");
    if (classes !== null) { document.documentElement.className = classes; }
  }

  // The title starts "Error: " while the page shows form errors, as it does after a reload.
  function markErrorsInTitle() {
    var prefix = "Error: ";
    var flagged = document.title.indexOf(prefix) === 0;
    var errors = Boolean(document.querySelector(".error-summary"));
    if (errors && !flagged) { document.title = prefix + document.title; }
    if (!errors && flagged) { document.title = document.title.slice(prefix.length); }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = document.getElementById(targetOf(event).id) || targetOf(event);
    markErrorsInTitle();
    if (target && target.isConnected) {
      applyPreferences(target);
      focusAfterSwap(target);
    }
  });

  // main can take focus only while the skip link is used: a permanent tabindex makes
  // Chromium move focus to main when a screen reader's caret moves inside it, so the
  // next Tab would start again from main's first link.
  // The listener sits on the skip link alone: a click listener on the document makes
  // Chromium expose everything focusable as "clickable" to screen readers.
  function skipLinkFocus() {
    var link = document.querySelector("a.skip-link");
    var target = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!target) { return; }
    link.addEventListener("click", function () {
      target.setAttribute("tabindex", "-1");
      target.addEventListener("blur", function () { target.removeAttribute("tabindex"); }, { once: true });
      target.focus();
    });
  }

  // Without JavaScript "Menu" is a link that opens the menu by its fragment; with it, a
  // button that says whether the menu is open.
  function menuButton() {
    var link = document.querySelector("[data-menu-toggle]");
    if (!link) { return; }
    var header = link.closest("header");
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", link.getAttribute("href").slice(1));
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", String(open));
    });
    link.replaceWith(button);
  }

  // The device knows its time zone; the server cannot. Offer it beside the field (typed
  // in by hand without JavaScript) when it differs from what the field holds.
  function suggestZone() {
    var hint = document.querySelector("[data-zone-suggestion]");
    var field = document.getElementById("timezone");
    var zone = window.Intl ? Intl.DateTimeFormat().resolvedOptions().timeZone : "";
    if (!hint || !field || !zone || field.value === zone) { return; }
    hint.querySelector("strong").textContent = zone;
    hint.querySelector("button").addEventListener("click", function () {
      field.value = zone;
      hint.hidden = true;
      field.focus();
    });
    hint.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    skipLinkFocus();
    suggestZone();
    menuButton();
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  });

  document.addEventListener("htmx:sendError", function () {
    announce("Could not reach the portal. Check your connection and try again.");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    announce(status === 429 ? "Too many attempts. Wait a few minutes and try again." :
      "Something went wrong and nothing was changed. Try again, or reload the page.");
  });
})();
