// What the page cost to load: compressed bytes by kind, other origins, web fonts.
const nav = performance.getEntriesByType('navigation')[0];
const resources = performance.getEntriesByType('resource');
const size = list => list.reduce((sum, r) => sum + r.encodedBodySize, 0);
const path = r => new URL(r.name).pathname;
return {
  html: nav.encodedBodySize,
  css: size(resources.filter(r => path(r).endsWith('.css'))),
  js: size(resources.filter(r => path(r).endsWith('.js'))),
  foreign: resources.filter(r => new URL(r.name).origin !== location.origin).map(r => r.name),
  fonts: [...document.fonts].map(f => f.family).concat(
    resources.filter(r => /\.(woff2?|ttf|otf|eot)$/.test(path(r))).map(r => r.name)),
};
