/* The form builder, a little better with JavaScript: moving a step or a question up or down
   sends the same POST the button sends, puts the page it leads to in place of this one (no
   reload, the scroll position kept) and gives the focus to what moved, as the page itself
   does. Without JavaScript, or should anything fail, the form is sent as usual. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) return;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-builder-move")) return;
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text().then(function (html) {
          return { url: response.url, html: html };
        });
      })
      .then(function (result) {
        var page = new DOMParser().parseFromString(result.html, "text/html");
        var main = page.querySelector("main");
        if (!main) throw new Error("no main");
        var status = main.querySelector("[role=status]");
        var said = status ? status.innerHTML : "";
        if (status) status.innerHTML = "";
        document.querySelector("main").replaceWith(document.importNode(main, true));
        document.title = page.title;
        history.replaceState(null, "", result.url);
        var moved = document.querySelector("main [autofocus]");
        if (moved) moved.focus();
        // filled after it is in the page, so that screen readers announce the change
        var region = document.querySelector("main [role=status]");
        if (region) window.setTimeout(function () { region.innerHTML = said; }, 100);
      })
      .catch(function () {
        form.submit();
      });
  });
})();
