// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // <form data-confirm="Question?"> asks before submitting.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // <button data-copy="id"> copies the codes listed in that element, one a line.
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.copy);
      const text = Array.from(source.querySelectorAll("code"), (code) => code.textContent).join("\n");
      navigator.clipboard.writeText(text).then(
        () => { button.textContent = button.dataset.copied; },
        () => { window.getSelection().selectAllChildren(source); },
      );
    });
  });
  // <button data-print> prints the page.
  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // <select data-fills='{"option": {"field": "text"}}'>: choosing an option fills the
  // form's fields that are empty or still hold a suggestion (never what the user typed).
  document.querySelectorAll("select[data-fills]").forEach((select) => {
    const fills = JSON.parse(select.dataset.fills);
    const suggested = new Set(Object.values(fills).flatMap((fill) => Object.values(fill)));
    select.addEventListener("change", () => {
      Object.entries(fills[select.value] || {}).forEach(([name, value]) => {
        const input = select.form.elements.namedItem(name);
        if (input && (input.value === "" || suggested.has(input.value))) {
          input.value = value;
        }
      });
    });
  });
  // Buttons that submit a form once: a second click while the first is in flight does nothing.
  document.querySelectorAll("form[data-submit-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) {
        return;
      }
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        window.setTimeout(() => { button.disabled = true; }, 0);
      });
    });
  });
});
