/* Pages that follow a job of the worker (an import of posts, a ZIP of conventions): the zone
   <div data-suivi="2" role="status" aria-live="polite"> is fetched again every 2 s (the attribute's
   value, commun/vues.py RAFRAICHIR_S) and its new content put in place, so that a screen reader hears
   the progress without the page reloading under it (no <meta http-equiv="refresh">, RGAA 13.1). When
   the fetched page has no such zone any more, the job has finished a step: the page is loaded again,
   to show its result. No inline script. */
(function () {
  "use strict";

  var zone = document.querySelector("[data-suivi]");
  if (!zone || !window.fetch || !window.DOMParser) {
    return;
  }
  var delai = (Number(zone.getAttribute("data-suivi")) || 2) * 1000;

  function suivre() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error(String(reponse.status));
        }
        return reponse.text();
      })
      .then(function (html) {
        var nouvelle = new DOMParser().parseFromString(html, "text/html").querySelector("[data-suivi]");
        if (!nouvelle) {
          window.location.reload();
          return;
        }
        if (nouvelle.innerHTML !== zone.innerHTML) {
          zone.innerHTML = nouvelle.innerHTML;
        }
        window.setTimeout(suivre, delai);
      })
      .catch(function () {
        window.setTimeout(suivre, delai * 3); // network or server hiccup: try again, less often
      });
  }

  window.setTimeout(suivre, delai);
})();
