// Anything that moves: running animations and transitions, and smooth scrolling.
const running = document.getAnimations().filter(a => a.playState === 'running')
  .map(a => describe(a.effect && a.effect.target) + ' runs ' + (a.animationName || a.transitionProperty || 'an animation'));
if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') {
  running.push('html scrolls smoothly');
}
return running;
