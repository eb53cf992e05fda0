/* Size of a file chosen for upload, checked in the browser before it is sent: an input
   <input type="file" data-taille-max="20971520" data-taille-max-lisible="20 Mo"> refuses a larger file
   with the same French message as the server (which checks again). No inline script: this file only. */
(function () {
  "use strict";

  function lisible(octets) {
    var unites = [["Go", Math.pow(1024, 3)], ["Mo", Math.pow(1024, 2)], ["Ko", 1024]];
    for (var i = 0; i < unites.length; i++) {
      if (octets >= unites[i][1]) {
        var valeur = (Math.round(octets / unites[i][1] * 10) / 10).toFixed(1).replace(/\.0$/, "").replace(".", ",");
        return valeur + "\u00a0" + unites[i][0];
      }
    }
    return octets + "\u00a0octet" + (octets > 1 ? "s" : "");
  }

  function verifier(champ) {
    var maximum = Number(champ.dataset.tailleMax);
    var message = "";
    Array.prototype.forEach.call(champ.files || [], function (fichier) {
      if (!message && fichier.size > maximum) {
        message = "Le fichier « " + fichier.name + " » pèse " + lisible(fichier.size) +
          " : la taille maximale sur cette page est de " + champ.dataset.tailleMaxLisible + ".";
      }
    });
    champ.setCustomValidity(message);
    var groupe = champ.closest(".fr-input-group");
    var erreur = document.getElementById(champ.id + "-taille");
    if (!erreur) {
      erreur = document.createElement("p");
      erreur.id = champ.id + "-taille";
      erreur.className = "fr-error-text";
      erreur.setAttribute("aria-live", "polite");
      champ.insertAdjacentElement("afterend", erreur);
    }
    erreur.textContent = message;
    erreur.hidden = !message;
    if (groupe) { groupe.classList.toggle("fr-input-group--error", Boolean(message)); }
  }

  document.querySelectorAll("input[type=file][data-taille-max]").forEach(function (champ) {
    champ.addEventListener("change", function () { verifier(champ); });
  });
})();
