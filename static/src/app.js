import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

// "Add another" rows in formsets: a button clones the hidden empty form and bumps the management form's total.
document.querySelectorAll("[data-add-another]").forEach((button) => {
  button.addEventListener("click", () => {
    const prefix = button.dataset.addAnother;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty-form`);
    const target = document.getElementById(`${prefix}-rows`);
    if (!total || !template || !target) return;
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, index);
    target.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    const first = target.lastElementChild && target.lastElementChild.querySelector("input, textarea, select");
    if (first) first.focus();
  });
});

// Confirm before destructive buttons.
document.querySelectorAll("[data-confirm]").forEach((el) => {
  el.addEventListener("click", (event) => {
    if (!window.confirm(el.dataset.confirm)) event.preventDefault();
  });
});

// "Copy" buttons: copy the text of the element named by data-copy; shown only when the clipboard is available.
if (navigator.clipboard) {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    button.hidden = false;
    const label = button.innerHTML;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(source.textContent.trim()).then(() => {
        button.textContent = "Copied";
        window.setTimeout(() => { button.innerHTML = label; }, 2000);
      });
    });
  });
}
