// Focus every tab stop in turn (keyboard modality is already set) and report missing outlines.
const problems = [];
for (const el of tabStops()) {
  el.focus({preventScroll: true});
  const problem = outlineProblem(el);
  if (problem) { problems.push(describe(el) + ': ' + problem); }
}
document.activeElement.blur();
return problems;
