/* The review page's small behaviours: keyboard shortcuts, the unsaved-changes guard, undo for Restore and Escape,
   focus and scrolling after a swap, errors in the live region. Everything else is htmx attributes in the page;
   without JavaScript the page still works with plain links and forms. */
(function () {
  "use strict";

  function editor() { return document.getElementById("editor"); }
  function dirty() {
    var e = editor();
    return !!e && (e.value !== e.defaultValue || e.hasAttribute("data-unsaved"));
  }
  function say(text) { var s = document.getElementById("status"); if (s) { s.textContent = text; } }

  /* The sentence opens with its source in view (on a phone the editor sits below it): focus goes to the editor
     without scrolling, and after a swap the page shows the message and the sentence from the top, or the panel
     that needs the person first (changed meanwhile, approve anyway?). */
  function settle(scroll) {
    var ed = editor();
    var panel = document.querySelector(".conflict, .confirm");
    if (ed) {
      ed.focus({ preventScroll: true });
      ed.setSelectionRange(ed.value.length, ed.value.length);
    }
    if (panel) {
      panel.scrollIntoView({ block: "start" });
    } else if (scroll) {
      var top = document.getElementById("status");
      window.scrollTo(0, top ? Math.max(0, top.getBoundingClientRect().top + window.scrollY - 8) : 0);
    }
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

  /* Restore, Escape and "Edit from it" replace the editor's text: the text they replace stays one tap away
     (Undo) and in the browser's own undo (Ctrl+Z), since the replacement is typed in as an edit. */
  var replaced = null;
  function replaceText(text, note) {
    var ed = editor();
    if (!ed || ed.value === text) { return; }
    var before = ed.value;
    ed.focus({ preventScroll: true });
    ed.select();
    var typed = false;
    try { typed = document.execCommand("insertText", false, text); } catch (err) { typed = false; }
    if (!typed || ed.value !== text) {
      ed.value = text;
      ed.dispatchEvent(new Event("input", { bubbles: true }));
    }
    replaced = before;
    var undo = document.getElementById("undo");
    var said = document.getElementById("undo-note");
    if (undo) { undo.hidden = false; }
    if (said) { said.textContent = note; }
  }
  function undoReplace() {
    if (replaced === null) { return; }
    var back = replaced;
    replaceText(back, "Your text is back.");
    replaced = null;
    var undo = document.getElementById("undo");
    if (undo) { undo.hidden = true; }
  }

  document.addEventListener("keydown", function (e) {
    var ctrl = e.ctrlKey || e.metaKey;
    if (e.key === "Enter" && ctrl) {
      if (document.activeElement && document.activeElement.id === "comment") { return; }
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
    } else if (e.key === "Escape" && document.activeElement === editor() && editor().value !== editor().defaultValue) {
      e.preventDefault();
      replaceText(editor().defaultValue, "Your changes were undone.");
    }
  });

  document.addEventListener("input", function (e) {
    if (e.target && e.target.id === "editor") { showDirty(); }
  });

  document.addEventListener("click", function (e) {
    var target = e.target.closest ? e.target : null;
    if (!target) { return; }
    var restore = target.closest("#restore");
    if (restore) {
      replaceText(restore.getAttribute("data-draft"), "The machine draft replaced your text.");
      return;
    }
    if (target.closest("#undo")) { undoReplace(); return; }
    var from = target.closest(".edit-from");
    if (from) {
      replaceText(from.getAttribute("data-text"), "The suggestion is in the editor.");
      editor().scrollIntoView({ block: "center" });
      return;
    }
    var link = target.closest("a[data-guard]:not([hx-get])");
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
      replaced = null;
      settle(true);
      showDirty();
    }
  });

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var text = xhr && xhr.getResponseHeader("content-type") && xhr.getResponseHeader("content-type").indexOf("text/plain") === 0
      ? xhr.responseText : "The server refused this (" + (xhr ? xhr.status : "?") + ").";
    say(text);
  });

  document.addEventListener("htmx:sendError", function () {
    say("The server cannot be reached. Your text is still in the editor: try again in a moment.");
  });

  document.addEventListener("DOMContentLoaded", function () {
    var ws = document.getElementById("workspace");
    if (ws) { ws.removeAttribute("data-fresh"); }
    settle(false);
    showDirty();
  });
}());
