// Loaded by every page of the SCORM package only (overrides/main.html, `make scorm`).
// An LMS serves the package's files, not its folders: "modules/01-prevenir/" answers
// "not found" there, "modules/01-prevenir/index.html" is the page. The site keeps its folder
// links (the plain site is unchanged); this script makes each link inside the course name
// the page's file, in the page as built and in what scripts add later (search results,
// the simulator's "Revoir dans le cours", the progress page), just before it is followed.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : document.baseURI); // this file is in assets/

  /** The URL with "index.html" added when it names a folder of the course; else null. */
  function fileUrl(href) {
    var url;
    try { url = new URL(href, document.baseURI); } catch (error) { return null; }
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    if (url.pathname.slice(-1) !== "/") return null;
    url.pathname += "index.html";
    return url.href;
  }

  function fix(element) {
    var href = element.getAttribute("href");
    if (!href || href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href) && href.indexOf(root.origin) !== 0) return;
    var fixed = fileUrl(href);
    if (fixed) element.setAttribute("href", fixed);
  }

  function fixAll() {
    var links = document.querySelectorAll("a[href], link[rel=prev][href], link[rel=next][href]");
    for (var i = 0; i < links.length; i += 1) fix(links[i]);
  }

  // Links drawn later are fixed as they are followed (mouse, keyboard, middle click).
  function onFollow(event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (link) fix(link);
  }
  document.addEventListener("click", onFollow, true);
  document.addEventListener("auxclick", onFollow, true);
  document.addEventListener("contextmenu", onFollow, true); // "open in a new tab" from the menu
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fixAll);
  else fixAll();
})();
