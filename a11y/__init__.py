"""The WCAG suite: every page, in every state, checked in headless Chromium.

``server`` runs the portal on a loopback port with the demo data and what
``data`` adds for each feature's states; ``browser`` drives Chromium in three
headless variants and one a screen reader listens to; ``pages`` lists the page states (and downloads) each feature offers;
``checks`` and ``js/`` hold the accessibility, keyboard, reflow and budget
checks; ``report`` writes ``a11y/report/index.html``. ``screenreader`` runs
GNOME Orca with Chromium on a private X display (``orca_speech.py`` starts
Orca), so ``test_screenreader`` checks what a blind member hears.
"""
