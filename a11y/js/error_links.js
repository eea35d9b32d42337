// Links in error summaries that would not put the person on the field to correct: the
// target is missing or cannot take focus. Focus goes back where it was afterwards.
const had = document.activeElement;
const broken = [];
for (const link of document.querySelectorAll('.error-summary a[href]')) {
  const href = link.getAttribute('href');
  const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  if (!target) {
    broken.push(describe(link) + ' (' + href + ') points at no element on the page');
    continue;
  }
  target.focus({preventScroll: true});
  if (document.activeElement !== target) {
    broken.push(describe(link) + ' points at ' + describe(target) + ', which cannot take focus');
  }
}
if (had && had.focus) { had.focus({preventScroll: true}); }
return broken;
