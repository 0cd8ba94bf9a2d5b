// briefing.js: enhancements of the built-in theme. Every page works without
// it: highlights and mentions are plain links or have their claim beside them,
// and the claims list is complete. With it:
// - pointing at or focusing a highlight or a mention shows a preview of the
//   claim, event or glossary entry, taken from the page's <template id="previews">;
// - every piece of the highlight named by the address's #fragment is marked;
// - claims/index.html filters by topic, status, actor or term, and source.
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.add("js");

  // ---- Previews -----------------------------------------------------------

  var cards = {};
  var store = doc.getElementById("previews");
  if (store && store.content) {
    Array.prototype.forEach.call(store.content.querySelectorAll("[data-preview-card]"), function (card) {
      cards[card.getAttribute("data-preview-card")] = card;
    });
  }

  var tip = null;
  var owner = null;
  var hideTimer = 0;

  function tooltip() {
    if (!tip) {
      tip = doc.createElement("div");
      tip.id = "preview";
      tip.className = "preview";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("pointerenter", cancelHide);
      tip.addEventListener("pointerleave", scheduleHide);
      doc.body.appendChild(tip);
    }
    return tip;
  }

  // The element a preview belongs to: the highlight piece or mention link.
  function previewable(node) {
    return node && node.closest ? node.closest("[data-preview]") : null;
  }

  // All pieces of the highlight `el` belongs to, and its margin notes.
  function companions(el) {
    var quote = el.getAttribute("data-quote");
    if (!quote) return [el];
    var sel = '[data-quote="' + cssEscape(quote) + '"], [data-note-for="' + cssEscape(quote) + '"]';
    return Array.prototype.slice.call(doc.querySelectorAll(sel));
  }

  function show(el) {
    var card = cards[el.getAttribute("data-preview")];
    if (!card) return;
    cancelHide();
    if (owner === el) return;
    hide();
    var box = tooltip();
    box.className = "preview " + card.className.replace("preview-card", "").trim();
    box.replaceChildren(card.cloneNode(true));
    box.hidden = false;
    owner = el;
    el.setAttribute("aria-describedby", "preview");
    companions(el).forEach(function (c) { c.classList.add("is-active"); });
    place(box, el);
  }

  function place(box, el) {
    var rects = el.getClientRects();
    var r = rects.length ? rects[0] : el.getBoundingClientRect();
    var width = box.offsetWidth;
    var height = box.offsetHeight;
    var viewport = doc.documentElement.clientWidth;
    var left = Math.min(Math.max(8, r.left), viewport - width - 8);
    // Above the line, where it hides only text already read; below when the
    // top of the window is too close. A margin note is beside or under its
    // paragraph, so a preview above never hides the note of its highlight.
    var above = r.top - height - 8;
    var top = above >= 0 ? above : r.bottom + 8;
    box.style.left = Math.max(8, left + window.scrollX) + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function hide() {
    if (!owner) return;
    owner.removeAttribute("aria-describedby");
    companions(owner).forEach(function (c) { c.classList.remove("is-active"); });
    owner = null;
    if (tip) tip.hidden = true;
  }

  function scheduleHide() {
    cancelHide();
    hideTimer = window.setTimeout(hide, 250);
  }

  function cancelHide() {
    window.clearTimeout(hideTimer);
  }

  // Highlights are not links; with the script they take keyboard focus, and
  // Enter opens their claim.
  Array.prototype.forEach.call(doc.querySelectorAll("mark[data-preview][id]"), function (mark) {
    mark.tabIndex = 0;
  });
  // The previews replace the browser's own title tooltips.
  Array.prototype.forEach.call(doc.querySelectorAll("[data-preview][title]"), function (el) {
    if (cards[el.getAttribute("data-preview")]) {
      el.removeAttribute("title");
    }
  });

  doc.addEventListener("pointerover", function (e) {
    // A tap follows the link or focuses the highlight; only a mouse hovers.
    if (e.pointerType !== "mouse") return;
    var el = previewable(e.target);
    if (el) show(el);
  });
  doc.addEventListener("pointerout", function (e) {
    var el = previewable(e.target);
    if (el && el === owner && !el.contains(e.relatedTarget)) scheduleHide();
  });
  doc.addEventListener("focusin", function (e) {
    var el = previewable(e.target);
    if (el) show(el); else hide();
  });
  doc.addEventListener("focusout", function (e) {
    if (previewable(e.target) === owner) scheduleHide();
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      hide();
    } else if (e.key === "Enter" && e.target.matches && e.target.matches("mark[data-preview]")) {
      var card = cards[e.target.getAttribute("data-preview")];
      var link = card && card.getAttribute("data-href");
      if (link) window.location.href = link;
    }
  });
  doc.addEventListener("pointerdown", function (e) {
    if (tip && !tip.contains(e.target) && !previewable(e.target)) hide();
  });
  window.addEventListener("resize", hide);

  // ---- The highlight the address points at ------------------------------

  function markTarget() {
    Array.prototype.forEach.call(doc.querySelectorAll(".is-target"), function (el) {
      el.classList.remove("is-target");
    });
    var id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (err) {
      return;
    }
    if (!id) return;
    Array.prototype.forEach.call(doc.querySelectorAll('[data-quote="' + cssEscape(id) + '"]'), function (el) {
      el.classList.add("is-target");
    });
  }
  window.addEventListener("hashchange", markTarget);
  markTarget();

  // ---- The claims filter -------------------------------------------------

  var form = doc.getElementById("claim-filter");
  if (form) {
    var cardsList = Array.prototype.slice.call(doc.querySelectorAll(".claim-card"));
    var groups = Array.prototype.slice.call(doc.querySelectorAll("section.topic"));
    var status = form.querySelector(".filter-status");
    var fields = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + cssEscape(wanted) + '"]')) select.value = wanted;
    });

    var apply = function () {
      var want = {};
      fields.forEach(function (select) { want[select.name] = select.value; });
      var shown = 0;
      cardsList.forEach(function (card) {
        var keep = (!want.topic || card.getAttribute("data-topic") === want.topic)
          && (!want.status || card.getAttribute("data-status") === want.status)
          && (!want.entry || tokens(card, "data-entries").indexOf(want.entry) >= 0)
          && (!want.source || tokens(card, "data-articles").indexOf(want.source) >= 0);
        card.hidden = !keep;
        if (keep) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".claim-card:not([hidden])");
        var link = doc.querySelector('.toc a[href="#' + group.id + '"]');
        if (link) link.parentNode.hidden = group.hidden;
      });
      status.textContent = shown === cardsList.length
        ? "Showing all " + shown + " claims."
        : shown === 0
          ? "No claim matches these choices."
          : "Showing " + shown + " of " + cardsList.length + " claims.";
      var query = new URLSearchParams();
      fields.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      var search = query.toString();
      try {
        window.history.replaceState(null, "", (search ? "?" + search : window.location.pathname) + window.location.hash);
      } catch (err) {
        // Some browsers refuse to change the address of a page opened from disk.
      }
    };

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  // ---- Helpers -----------------------------------------------------------

  function tokens(el, attribute) {
    return (el.getAttribute(attribute) || "").split(" ");
  }

  function cssEscape(text) {
    return window.CSS && window.CSS.escape ? window.CSS.escape(text) : text.replace(/["\\]/g, "\\$&");
  }
})();
