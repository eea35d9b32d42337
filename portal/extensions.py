"""Extensions, created unbound here and bound to the app in ``create_app``."""

from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

from portal.core.db import Database
from portal.core.security import client_address


class Compressor(Compress):
    """Flask-Compress, but error responses too: Flask-Compress skips anything outside 2xx,
    yet a form sent back with its errors (422) or an error page is as heavy as any page
    and goes to the same slow connections."""

    def after_request(self, response):
        status = response.status_code
        if status < 400:
            return super().after_request(response)
        response.status_code = 200
        try:
            return super().after_request(response)
        finally:
            response.status_code = status

db = Database()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
htmx = HTMX()
compress = Compressor()
limiter = Limiter(key_func=client_address, default_limits=[])
