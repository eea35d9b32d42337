"""The WCAG suite: every page, in every state, checked in headless Chromium.

``server`` runs the portal on a loopback port, ``browser`` drives Chromium,
``pages`` lists the page states each feature offers, ``checks`` holds the
accessibility, keyboard, reflow and budget checks, and ``report`` writes
``a11y/report/index.html``.
"""
