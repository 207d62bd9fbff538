/* Keyboard shortcuts of the inbox (listed on the page and in docs/clerks/inbox.md):
   j / k next and previous row, o open, x select, a assign to me (through the confirmation
   page), / search. A static file because the CSP allows no inline script; without it every
   action still works through the page's own links and forms. Keys typed into a field, or
   with Ctrl, Alt or Meta, are never taken. */
(function () {
  "use strict";

  var KEYLESS_INPUTS = ["checkbox", "radio", "button", "submit", "reset"];

  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.closest("select, textarea, [contenteditable]")) return true;
    return target.tagName === "INPUT" && KEYLESS_INPUTS.indexOf(target.type) === -1;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-queue-row]"));
  }

  function currentRow() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("tr[data-queue-row]") : null;
  }

  function focusRow(row) {
    var link = row && row.querySelector("[data-queue-open]");
    if (link) link.focus();
  }

  function move(step) {
    var list = rows();
    if (!list.length) return;
    var row = currentRow();
    var index = row ? list.indexOf(row) + step : step > 0 ? 0 : list.length - 1;
    focusRow(list[Math.max(0, Math.min(list.length - 1, index))]);
  }

  function toggle() {
    var row = currentRow();
    var box = row && row.querySelector("input[name=ids]");
    if (box) box.checked = !box.checked;
  }

  function assignToMe() {
    var button = document.getElementById("bulk-assign-me");
    var form = document.getElementById("queue-form");
    if (!button || !form) return;
    if (!form.querySelector("input[name=ids]:checked")) {
      var row = currentRow();
      var box = row && row.querySelector("input[name=ids]");
      if (!box) return;
      box.checked = true;
    }
    form.requestSubmit(button);
  }

  function open() {
    var row = currentRow();
    var link = row && row.querySelector("[data-queue-open]");
    if (link) link.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o": open(); break;
      case "x": toggle(); break;
      case "a": assignToMe(); break;
      case "/": {
        var search = document.getElementById("f-q");
        if (!search) return;
        search.focus();
        search.select();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  // Back from an action: the focus goes to the row (or the list) the clerk worked on, and the
  // page's message is read out (a live region announces what is put into it, not what the
  // page loaded with).
  // (a row the action took out of this filtered list: the list itself)
  var target = /^#(row-\d+|queue|views)$/.test(window.location.hash)
    ? document.getElementById(window.location.hash.slice(1)) || document.getElementById("queue")
    : null;
  function returnFocus() {
    if (target.matches("tr[data-queue-row]")) focusRow(target);
    else target.focus();
  }
  // after the load: the browser's own move to the #fragment would take the focus away again
  if (target) {
    if (document.readyState === "complete") window.setTimeout(returnFocus, 0);
    else window.addEventListener("load", function () { window.setTimeout(returnFocus, 0); });
  }
  var message = document.querySelector("main .messages");
  var live = document.getElementById("queue-announce");
  if (message && live) {
    window.setTimeout(function () { live.textContent = message.textContent.trim(); }, 300);
  }
})();
