// Render the math that pymdownx.arithmatex (generic mode) leaves as \( \) and \[ \] in .arithmatex elements.
function renderMath() {
  for (const element of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }
}
// Material's instant navigation swaps pages without a load event: follow its document$ when there is one.
if (window.document$) window.document$.subscribe(renderMath);
else renderMath();
