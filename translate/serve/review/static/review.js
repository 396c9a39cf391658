/* The review page's small behaviours: keyboard shortcuts, the unsaved-changes guard, focus after a swap,
   errors in the live region. Everything else is htmx attributes in the page; without JavaScript the page
   still works with plain links and forms. */
(function () {
  "use strict";

  function editor() { return document.getElementById("editor"); }
  function dirty() {
    var e = editor();
    return !!e && (e.value !== e.defaultValue || e.hasAttribute("data-unsaved"));
  }
  function say(text) { var s = document.getElementById("status"); if (s) { s.textContent = text; } }

  /* The status bar sits over the bottom of the page: it shows each new message for a few seconds (screen
     readers have heard it by then; the conflict panel and the page say what stays true), then steps aside.
     A click on it hides it at once. */
  var QUIET_AFTER_MS = 8000;
  var quietTimer = null;
  function showStatus() {
    var s = document.getElementById("status");
    if (!s) { return; }
    s.classList.remove("quiet");
    if (quietTimer) { clearTimeout(quietTimer); }
    quietTimer = setTimeout(function () { s.classList.add("quiet"); }, QUIET_AFTER_MS);
  }
  function watchStatus() {
    var s = document.getElementById("status");
    if (!s || !window.MutationObserver) { return; }
    new MutationObserver(showStatus).observe(s, { childList: true, characterData: true, subtree: true });
    s.addEventListener("click", function () { s.classList.add("quiet"); });
    if (s.textContent.trim()) { showStatus(); }
  }
  function focusEditor() {
    var ed = editor();
    if (!ed) { return; }
    var panel = document.querySelector(".conflict");
    ed.focus({ preventScroll: !!panel });
    ed.setSelectionRange(ed.value.length, ed.value.length);
    if (panel) { panel.scrollIntoView({ block: "start" }); }  /* both texts first; typing still goes to the editor */
  }
  function press(id) {
    var el = document.getElementById(id);
    if (el && !el.disabled) { el.click(); return true; }
    return false;
  }
  function showDirty() {
    var ws = document.getElementById("workspace");
    var label = document.getElementById("unsaved");
    if (!ws || !label) { return; }
    var d = dirty();
    ws.classList.toggle("has-changes", d);
    label.hidden = !d;
  }

  document.addEventListener("keydown", function (e) {
    var ctrl = e.ctrlKey || e.metaKey;
    if (e.key === "Enter" && ctrl) {
      e.preventDefault();
      press(e.shiftKey ? "approve" : "save");
    } else if (e.altKey && e.key === "ArrowDown") {
      e.preventDefault();
      press("next-link");
    } else if (e.altKey && e.key === "ArrowUp") {
      e.preventDefault();
      press("previous-link");
    } else if (ctrl && e.shiftKey && (e.key === "Y" || e.key === "y")) {
      e.preventDefault();
      press("needs-work");
    } else if (e.key === "Escape" && document.activeElement === editor() && dirty()) {
      var ed = editor();
      ed.value = ed.defaultValue;
      ed.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  document.addEventListener("input", function (e) {
    if (e.target && e.target.id === "editor") { showDirty(); }
  });

  document.addEventListener("click", function (e) {
    var restore = e.target.closest && e.target.closest("#restore");
    if (restore) {
      var ed = editor();
      ed.value = restore.getAttribute("data-draft");
      ed.dispatchEvent(new Event("input", { bubbles: true }));
      ed.focus();
      return;
    }
    var link = e.target.closest && e.target.closest("a[data-guard]:not([hx-get])");
    if (link && dirty() && !window.confirm("You have unsaved changes in this sentence. Leave it without saving?")) {
      e.preventDefault();
    }
  });

  window.addEventListener("beforeunload", function (e) {
    if (dirty()) { e.preventDefault(); e.returnValue = ""; }
  });

  document.addEventListener("htmx:confirm", function (e) {
    var el = e.detail.elt;
    if (!el.hasAttribute("data-guard") || !dirty()) { return; }
    e.preventDefault();
    if (window.confirm("You have unsaved changes in this sentence. Leave it without saving?")) {
      e.detail.issueRequest(true);
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var ws = document.getElementById("workspace");
    if (ws && ws.hasAttribute("data-fresh")) {
      ws.removeAttribute("data-fresh");
      focusEditor();
      showDirty();
    }
  });

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var text = xhr && xhr.getResponseHeader("content-type") && xhr.getResponseHeader("content-type").indexOf("text/plain") === 0
      ? xhr.responseText : "The server refused this (" + (xhr ? xhr.status : "?") + ").";
    say(text + " Your text is still in the editor.");
  });

  document.addEventListener("htmx:sendError", function () {
    say("The server cannot be reached. Your text is still in the editor: try again in a moment.");
  });

  document.addEventListener("DOMContentLoaded", function () {
    var ws = document.getElementById("workspace");
    if (ws) { ws.removeAttribute("data-fresh"); }
    focusEditor();
    showDirty();
    watchStatus();
  });
}());
