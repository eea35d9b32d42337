"""Extensions, created unbound here and bound to the app in ``create_app``."""

from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

from portal.core.db import Database
from portal.core.security import client_address

db = Database()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
htmx = HTMX()
compress = Compress()
limiter = Limiter(key_func=client_address, default_limits=[])
