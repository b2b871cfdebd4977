// Orchard's optional script (every page works without it): confirms destructive forms that
// carry data-confirm.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// A merge request's diff: a line's number opens the line-comment form under that line in place
// (without this script, its link reloads the page with the form there).
document.addEventListener("click", function (e) {
  var link = e.target.closest && e.target.closest("a.line-comment");
  var template = document.getElementById("line-comment-template");
  if (!link || !template) { return; }
  e.preventDefault();
  var open = document.getElementById("line-comment");
  if (open) { open.closest("tr").remove(); }
  var row = template.content.firstElementChild.cloneNode(true);
  var form = row.querySelector("form");
  form.elements.file.value = link.dataset.file;
  form.elements.side.value = link.dataset.side;
  form.elements.line.value = link.dataset.line;
  row.querySelector("label").textContent =
    "Comment on line " + link.dataset.line + " of " + link.dataset.file + " (Markdown)";
  link.closest("tr").after(row);
  form.elements.content.focus();
});
