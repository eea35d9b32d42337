"""Run GNOME Orca for the screen-reader tests, writing out every utterance as it is spoken.

Usage (by Debian's ``python3``, where Orca's modules live, never the venv's)::

    python3 a11y/orca_speech.py SETTINGS_DIR SPEECH_FD

Orca starts as ``/usr/bin/orca`` would start it, with three differences:

- no speech server: with no audio device, speech-dispatcher blocks Orca inside its
  speak call. Orca still generates every utterance and passes it to the "speech"
  logger its own regression tests read; here that logger also writes each one to
  ``SPEECH_FD`` at once, as a JSON string on a line of its own;
- its settings live in ``SETTINGS_DIR`` (a fresh folder), never a person's own;
- no single-instance check (``pgrep -x orca``), so test runs can overlap one another
  and a person's own Orca. This process is not named "orca", so ``orca --replace``
  does not kill it either.
"""

import json
import logging
import os
import sys

SETTINGS = {
    "speechServerFactory": None,  # no speech server; utterances still reach the logger
    "enableSpeech": True,
    "enableBraille": False,  # no brltty here: nothing to wait for
    "enableSound": False,
    # What a person types is not echoed: a transcript holds what the page says.
    "enableKeyEcho": False,
    "enableEchoByCharacter": False,
    "enableEchoByWord": False,
    # A load speaks its title and page summary, then waits for keys, like a person who
    # stops say-all to navigate. With no speech server say-all would log the whole page at
    # once and leave Orca's caret at its end, which no person hears.
    "sayAllOnLoad": False,
    "pageSummaryOnLoad": True,
}


class SpeechWriter(logging.Handler):
    """Writes each record of Orca's speech log as one JSON line, flushed at once."""

    def __init__(self, stream) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(json.dumps(record.getMessage()) + "\n")
        self.stream.flush()


def main(settings_dir: str, speech_fd: int) -> int:
    from orca import orca  # imports orca.speech, which creates the "speech" logger

    logging.getLogger("speech").addHandler(SpeechWriter(os.fdopen(speech_fd, "w")))
    manager = orca.getSettingsManager()
    manager.activate(settings_dir, SETTINGS)
    sys.path.insert(0, manager.getPrefsDir())  # as /usr/bin/orca does, for its customizations
    return orca.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
