/* Charts of the dashboard (Chart.js, served from our static files). The data come from the
   <script type="application/json" id="donnees-graphiques"> block; every chart has a table
   alternative on the page. No inline script: this file only. */
(function () {
  "use strict";
  var source = document.getElementById("donnees-graphiques");
  if (!source || typeof window.Chart === "undefined") { return; }
  var donnees = JSON.parse(source.textContent);
  var euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
  var bleu = "#000091", bleuClair = "#6a6af4", rouge = "#e1000f", gris = "#929292";

  function nombres(liste) { return liste.map(function (v) { return Number(v); }); }

  function options(titreAxe) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var valeur = ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : ctx.parsed.y;
              return ctx.dataset.label + " : " + euros.format(valeur);
            }
          }
        }
      },
      scales: { y: { beginAtZero: true, title: { display: !!titreAxe, text: titreAxe } } }
    };
  }

  var mois = document.getElementById("graphique-mois");
  if (mois) {
    new window.Chart(mois, {
      type: "bar",
      data: {
        labels: donnees.mois.libelles,
        datasets: [
          { label: "Aide engagée", data: nombres(donnees.mois.engagee), backgroundColor: bleu },
          { label: "Aide prévue", data: nombres(donnees.mois.prevue), backgroundColor: bleuClair }
        ]
      },
      options: options("euros")
    });
  }

  var enveloppes = document.getElementById("graphique-enveloppes");
  if (enveloppes && donnees.enveloppes.libelles.length) {
    var opts = options("");
    opts.indexAxis = "y";
    opts.scales = { x: { beginAtZero: true, title: { display: true, text: "euros" } } };
    new window.Chart(enveloppes, {
      type: "bar",
      data: {
        labels: donnees.enveloppes.libelles,
        datasets: [
          { label: "Enveloppe", data: nombres(donnees.enveloppes.enveloppe), backgroundColor: gris },
          { label: "Aide engagée", data: nombres(donnees.enveloppes.engagee), backgroundColor: bleu },
          { label: "Aide prévue", data: nombres(donnees.enveloppes.prevue), backgroundColor: rouge }
        ]
      },
      options: opts
    });
  }
})();
