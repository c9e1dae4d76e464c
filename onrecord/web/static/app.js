// onrecord article page: a quote link lands on its highlight; hover, click or Enter on a highlight shows its
// attribution in a panel that stays in view (Escape closes it); download the record.
// Plain DOM code, no libraries; everything it shows comes from the JSON embedded in the page.
(function () {
  "use strict";
  document.documentElement.classList.add("js"); // styles for what only works with this script (the details panel)

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // The form's text lives in this tab's sessionStorage from submit until an article page shows the result:
  // the server refuses an oversized request (413) without reading it, so it cannot send the text back,
  // and Back to the form restores it from here.
  var DRAFT = "onrecord.draft";

  function draftStore() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  ready(function () {
    var store = draftStore();
    if (!store) return;
    if (document.getElementById("draft-done")) { store.removeItem(DRAFT); return; }
    var kept = null;
    try { kept = JSON.parse(store.getItem(DRAFT) || "null"); } catch (e) { kept = null; }
    var note = document.getElementById("draft-kept");
    if (note && kept && kept.text) note.hidden = false;
    var form = document.querySelector("form.analyze");
    if (!form) return;
    var text = form.querySelector("#text");
    var published = form.querySelector("#published");
    if (kept && kept.text && !text.value) {
      text.value = kept.text;
      if (kept.published && !published.value) published.value = kept.published;
      var restored = document.getElementById("draft-restored");
      if (restored) restored.hidden = false;
    }
    form.addEventListener("submit", function () {
      try {
        store.setItem(DRAFT, JSON.stringify({ text: text.value, published: published.value }));
      } catch (e) {
        store.removeItem(DRAFT); // over this browser's storage quota: nothing is kept
      }
    });
  });

  // text and a file together are refused by the server (E194); the form says so as soon as both are there
  ready(function () {
    var form = document.querySelector("form.analyze");
    var both = document.getElementById("both-given");
    if (!form || !both) return;
    var text = form.querySelector("#text");
    var file = form.querySelector("#file");
    function check() { both.hidden = !(file.files && file.files.length && text.value.trim()); }
    file.addEventListener("change", check);
    text.addEventListener("input", check);
    check();
  });

  ready(function () {
    var details = readJSON("details-json");
    var article = document.getElementById("article-text");
    if (!details || !article) return;
    var panel = document.getElementById("details");
    var body = document.getElementById("details-body");
    var empty = document.getElementById("details-empty");
    var links = document.getElementById("details-links");
    var close = document.getElementById("details-close");
    var pinned = null;
    var returnTo = null;
    var tip = el("div");
    tip.id = "tip";
    tip.hidden = true;
    document.body.appendChild(tip);

    function ids(node) {
      return (node.getAttribute("data-a") || "").split(" ").filter(Boolean);
    }

    function firstId(node) {
      return node.getAttribute("data-start") || ids(node)[0] || null;
    }

    // the attributions a piece belongs to, the one it opens first in front (a quote inside a report,
    // a speaker's name inside someone else's quote)
    function here(node) {
      var first = firstId(node);
      return [first].concat(ids(node).filter(function (id) { return id !== first; }));
    }

    // a click or Enter on a piece opens its first attribution; again on the same piece, the next one
    function choose(node) {
      var order = here(node);
      var at = order.indexOf(pinned);
      return at >= 0 ? order[(at + 1) % order.length] : order[0];
    }

    function fill(dl, d, brief) {
      dl.textContent = "";
      function row(label, value, cls) {
        if (value === null || value === undefined || value === "") return;
        dl.appendChild(el("dt", null, label));
        var dd = el("dd", cls || null);
        if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
        dl.appendChild(dd);
      }
      var who = el("span");
      who.appendChild(el("span", "swatch c" + d.tone));
      if (d.number) { who.appendChild(el("span", "idx", d.number)); who.appendChild(document.createTextNode(" ")); }
      who.appendChild(document.createTextNode(d.resolved ? d.speaker : "not resolved: no source found"));
      row("speaker", who);
      if (d.mention && d.mention !== d.speaker) row("as written", d.mention);
      row("kind", d.kind + (d.affiliation ? " · " + d.affiliation : ""));
      row("type", d.type + (d.cue ? " · cue “" + d.cue + "”" : ""));
      row("act", d.act);
      row("to whom", d.to);
      row("when", d.time);
      row("via", d.via.length ? d.via.join(" → ") : "—");
      if (d.parent) {
        var link = el("a", null, d.parent + (d.parent_speaker ? " (" + d.parent_speaker + ")" : ""));
        link.href = "#" + d.parent;
        link.setAttribute("data-go", d.parent);
        row("inside", link);
      } else {
        row("inside", "—");
      }
      if (brief) return;
      row("content", d.content.length > 280 ? d.content.slice(0, 277) + "…" : d.content, "quote");
      row("id", d.id + (d.confidence !== null ? " · confidence " + d.confidence : ""));
    }

    function has(node, wanted) {
      var own = ids(node);
      return wanted.some(function (id) { return own.indexOf(id) >= 0; });
    }

    function mark(wanted, cls) {
      document.querySelectorAll("." + cls).forEach(function (n) { n.classList.remove(cls); });
      if (!wanted) return;
      document.querySelectorAll("[data-a]").forEach(function (n) { if (has(n, wanted)) n.classList.add(cls); });
    }

    // where an attribution begins in the text (its anchor's next piece), else its first piece
    function startOf(id) {
      return article.querySelector('[data-start="' + id + '"]') ||
        Array.prototype.find.call(article.querySelectorAll("[data-a]"), function (n) { return has(n, [id]); }) || null;
    }

    // the part of the window the bottom sheet (narrow screens) leaves free
    function freeHeight() {
      var h = window.innerHeight;
      if (panel && panel.classList.contains("open") && getComputedStyle(panel).position === "fixed") {
        h -= panel.getBoundingClientRect().height;
      }
      return Math.max(h, 120);
    }

    function reveal(node, always) {
      if (!node) return;
      var rect = node.getBoundingClientRect();
      var free = freeHeight();
      if (!always && rect.top >= 8 && rect.bottom <= free - 8) return;
      var top = window.scrollY + rect.top - Math.max(free * 0.3, Math.min(40, free / 4));
      window.scrollTo({ top: Math.max(top, 0), behavior: "auto" });
    }

    function pulse(node) {
      if (!node) return;
      node.classList.remove("pulse");
      void node.offsetWidth; // restart the animation
      node.classList.add("pulse");
      setTimeout(function () { node.classList.remove("pulse"); }, 2400);
    }

    function select(id, how) {
      if (!details[id]) return;
      how = how || {};
      pinned = id;
      fill(body, details[id]);
      var order = how.piece ? here(how.piece) : [id];
      if (order.length > 1) {
        body.appendChild(el("dt", null, "here"));
        body.appendChild(el("dd", "small", (order.indexOf(id) + 1) + " of " + order.length +
          " attributions at this place: click or press Enter again for the next"));
      }
      body.hidden = false;
      empty.hidden = true;
      if (links) {
        links.hidden = !document.getElementById("row-" + id);
        document.getElementById("details-row").href = "#row-" + id;
      }
      if (close) close.hidden = false;
      if (panel) {
        panel.classList.add("open");
        document.body.classList.toggle("sheet-open", getComputedStyle(panel).position === "fixed");
        if (panel.parentNode.scrollTop) panel.parentNode.scrollTop = 0; // the side panel shows its first card
      }
      mark([id], "active");
      var start = startOf(id);
      if (how.scroll) reveal(start, how.scroll === "always");
      else if (how.from) reveal(how.from, false);
      if (how.pulse) pulse(start);
    }

    function clear() {
      pinned = null;
      mark(null, "active");
      body.hidden = true;
      empty.hidden = false;
      if (links) links.hidden = true;
      if (close) close.hidden = true;
      if (panel) panel.classList.remove("open");
      document.body.classList.remove("sheet-open");
      tip.hidden = true;
      if (returnTo && document.contains(returnTo)) returnTo.focus({ preventScroll: true });
      returnTo = null;
    }

    function showTip(node, ev) {
      var id = firstId(node);
      if (!id || !details[id]) return;
      var dl = el("dl");
      fill(dl, details[id], true);
      tip.textContent = "";
      tip.appendChild(dl);
      tip.hidden = false;
      var x = ev.pageX + 14, y = ev.pageY + 16;
      var maxX = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
      tip.style.left = Math.max(8, Math.min(x, maxX)) + "px";
      tip.style.top = y + "px";
    }

    article.addEventListener("mouseover", function (ev) {
      var node = ev.target.closest("[data-a]");
      if (node) showTip(node, ev);
    });
    article.addEventListener("mouseout", function (ev) {
      if (!ev.relatedTarget || !ev.relatedTarget.closest || !ev.relatedTarget.closest("[data-a]")) tip.hidden = true;
    });
    if (close) close.addEventListener("click", clear);

    document.addEventListener("click", function (ev) {
      var go = ev.target.closest("[data-go]");
      if (go) {
        ev.preventDefault();
        select(go.getAttribute("data-go"), { scroll: true, pulse: true });
        return;
      }
      var link = ev.target.closest("a[href]");
      if (link) { // links go where they point (a row's "↑" to the text); the same fragment again lands again
        if (link.getAttribute("href") === window.location.hash) setTimeout(function () { fromHash(false); }, 0);
        return;
      }
      var node = ev.target.closest("[data-a]");
      if (!node) return;
      tip.hidden = true;
      if (article.contains(node)) {
        returnTo = node;
        select(choose(node), { from: node, piece: node });
      } else {
        select(node.getAttribute("data-a"), { scroll: "always", pulse: true }); // a table row: to the text
      }
    });
    document.addEventListener("keydown", function (ev) {
      var focused = document.activeElement;
      var onPiece = focused && article.contains(focused) && focused.hasAttribute("data-a");
      if ((ev.key === "Enter" || ev.key === " ") && onPiece) {
        ev.preventDefault();
        returnTo = focused;
        select(choose(focused), { from: focused, piece: focused });
      }
      if (ev.key === "Escape") {
        if (pinned) clear(); else tip.hidden = true;
      }
    });

    // the speaker legend and list: point at that speaker's attributions; a click goes to the first
    document.querySelectorAll("#speakers li, #speaker-legend li").forEach(function (li) {
      var own = li.getAttribute("data-ids").split(" ");
      li.addEventListener("mouseenter", function () { mark(own, "spot"); });
      li.addEventListener("mouseleave", function () { mark(null, "spot"); });
      function go() { select(own[0], { scroll: "always", pulse: true }); }
      li.addEventListener("click", go);
      li.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); }
      });
    });

    // /articles/HASH#a3 (a link from a corpus page, or a row's "↑") lands on the quote in the text, selected
    function fromHash(first) {
      var wanted = decodeURIComponent(window.location.hash.slice(1));
      if (wanted && details[wanted]) select(wanted, { scroll: "always", pulse: true });
      else if (!first && wanted.indexOf("row-") === 0 && details[wanted.slice(4)]) mark([wanted.slice(4)], "active");
    }
    window.addEventListener("hashchange", function () { fromHash(false); });
    fromHash(true);
    // the browser's own jump to the fragment may come after this script; land on the quote again then
    window.addEventListener("load", function () { if (pinned && window.location.hash.slice(1) === pinned) reveal(startOf(pinned), false); });

    var download = document.getElementById("download");
    if (download) {
      download.addEventListener("click", function () {
        var record = readJSON("record-json");
        var blob = new Blob([JSON.stringify(record, null, 2) + "\n"], { type: "application/json" });
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = download.getAttribute("data-filename") || "article.onrecord.json";
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
    }
  });
})();
