// onrecord article page: hover or click a highlight to see its attribution; download the record.
// Plain DOM code, no libraries; everything it shows comes from the JSON embedded in the page.
(function () {
  "use strict";

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

  ready(function () {
    var details = readJSON("details-json");
    var article = document.getElementById("article-text");
    if (!details || !article) return;
    var pinned = null;
    var tip = el("div");
    tip.id = "tip";
    tip.hidden = true;
    document.body.appendChild(tip);

    function firstId(node) {
      var ids = (node.getAttribute("data-a") || "").split(" ").filter(Boolean);
      return ids.length ? ids[0] : null;
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
      var sw = el("span", "swatch c" + d.colour);
      who.appendChild(sw);
      who.appendChild(document.createTextNode(d.speaker));
      row("speaker", who);
      if (d.mention && d.mention !== d.speaker) row("as written", d.mention);
      row("kind", d.kind + (d.affiliation ? " · " + d.affiliation : ""));
      row("type", d.type + (d.cue ? " · cue “" + d.cue + "”" : ""));
      row("act", d.act);
      row("to", d.to);
      row("when", d.time);
      row("via", d.via.length ? d.via.join(" → ") : "—");
      if (d.parent) {
        var link = el("a", null, d.parent + (d.parent_speaker ? " (" + d.parent_speaker + ")" : ""));
        link.href = "#";
        link.setAttribute("data-go", d.parent);
        row("inside", link);
      } else {
        row("inside", "—");
      }
      if (brief) return;
      row("content", d.content.length > 280 ? d.content.slice(0, 277) + "…" : d.content, "quote");
      row("id", d.id + (d.confidence !== null ? " · confidence " + d.confidence : ""));
    }

    function has(node, ids) {
      var own = (node.getAttribute("data-a") || "").split(" ");
      return ids.some(function (id) { return own.indexOf(id) >= 0; });
    }

    function mark(ids, cls) {
      document.querySelectorAll("." + cls).forEach(function (n) { n.classList.remove(cls); });
      if (!ids) return;
      document.querySelectorAll("[data-a]").forEach(function (n) { if (has(n, ids)) n.classList.add(cls); });
    }

    function select(id) {
      if (!details[id]) return;
      pinned = id;
      var body = document.getElementById("details-body");
      fill(body, details[id]);
      body.hidden = false;
      document.getElementById("details-empty").hidden = true;
      mark([id], "active");
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
    document.addEventListener("click", function (ev) {
      var go = ev.target.closest("[data-go]");
      if (go) {
        ev.preventDefault();
        select(go.getAttribute("data-go"));
        var first = article.querySelector(".active");
        if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
        return;
      }
      var node = ev.target.closest("[data-a]");
      if (node) {
        tip.hidden = true;
        select(firstId(node));
      }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && document.activeElement && document.activeElement.hasAttribute("data-a")) {
        select(firstId(document.activeElement));
      }
      if (ev.key === "Escape") { tip.hidden = true; }
    });

    // speaker list: point at that speaker's attributions
    document.querySelectorAll("#speakers li").forEach(function (li) {
      var ids = li.getAttribute("data-ids").split(" ");
      li.addEventListener("mouseenter", function () {
        mark(null, "spot");
        article.querySelectorAll("[data-a]").forEach(function (n) { if (has(n, ids)) n.classList.add("spot"); });
      });
      li.addEventListener("mouseleave", function () { mark(null, "spot"); });
      li.addEventListener("click", function () {
        select(ids[0]);
        var first = article.querySelector(".active");
        if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
      });
    });

    // /articles/HASH#a3 (a link from a corpus page) opens with that attribution selected
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    if (wanted && details[wanted]) {
      select(wanted);
      var target = article.querySelector(".active");
      if (target) target.scrollIntoView({ block: "center" });
    }

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
