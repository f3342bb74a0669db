"""Validation of credential requests: every error names the field and the reason."""
import ipaddress

from services.common.errors import InvalidArgument
from services.gateway.validation import validate_end_user
from stablebrowse.credentials.v1 import credentials_pb2

MAX_DOMAIN = 253
MAX_COOKIES = 50
MAX_COOKIE_NAME = 256
MAX_COOKIE_VALUE = 4096
MAX_COOKIE_PATH = 1024
MAX_USERNAME = 256
MAX_PASSWORD = 1024
SAME_SITE = ("", "Strict", "Lax", "None")
LABEL_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
# RFC 6265 token characters minus separators: what a cookie name may hold.
NAME_FORBIDDEN = set('()<>@,;:\\"/[]?={} \t')
VALUE_FORBIDDEN = set(';,"\\ \t')


def normalize_domain(domain: str, field: str = "domain") -> str:
    """The lower-case host name, or InvalidArgument naming `field`."""
    name = domain.strip().lower().rstrip(".")
    if not name:
        raise InvalidArgument(f"{field}: required")
    reason = f"{field}: must be a host name such as example.com (letters, digits, hyphens and dots)"
    if len(name) > MAX_DOMAIN:
        raise InvalidArgument(f"{field}: must be at most {MAX_DOMAIN} characters")
    if _is_ip(name):
        raise InvalidArgument(f"{field}: must be a host name, not an IP address")
    labels = name.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        raise InvalidArgument(reason)
    for label in labels:
        if not 1 <= len(label) <= 63 or not set(label) <= LABEL_CHARS or label[0] == "-" or label[-1] == "-":
            raise InvalidArgument(reason)
    return name


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def _control(text: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def validate_cookie(cookie: credentials_pb2.Cookie, domain: str, field: str) -> None:
    if not cookie.name:
        raise InvalidArgument(f"{field}.name: required")
    if len(cookie.name) > MAX_COOKIE_NAME or _control(cookie.name) or set(cookie.name) & NAME_FORBIDDEN:
        raise InvalidArgument(f"{field}.name: must be a cookie name of at most {MAX_COOKIE_NAME} characters "
                              "without spaces, control characters or separators")
    if len(cookie.value) > MAX_COOKIE_VALUE or _control(cookie.value) or set(cookie.value) & VALUE_FORBIDDEN:
        raise InvalidArgument(f"{field}.value: must be at most {MAX_COOKIE_VALUE} characters without spaces, "
                              "control characters, quotes, commas, semicolons or backslashes")
    if cookie.domain:
        host = normalize_domain(cookie.domain.lstrip("."), f"{field}.domain")
        if host != domain and not host.endswith("." + domain):
            raise InvalidArgument(f"{field}.domain: must be {domain} or one of its subdomains")
    if cookie.path and (not cookie.path.startswith("/") or len(cookie.path) > MAX_COOKIE_PATH or _control(cookie.path)):
        raise InvalidArgument(f"{field}.path: must start with / and be at most {MAX_COOKIE_PATH} characters")
    if cookie.HasField("expires") and cookie.expires < 0:
        raise InvalidArgument(f"{field}.expires: must be a Unix time in seconds (0 or more)")
    if cookie.same_site not in SAME_SITE:
        raise InvalidArgument(f"{field}.sameSite: must be Strict, Lax or None")


def validate_put(request: credentials_pb2.PutCredentialRequest) -> str:
    """Checks a PutCredential request; returns the normalized domain."""
    validate_end_user(request.end_user_id, required=True)
    domain = normalize_domain(request.domain)
    if len(request.cookies) > MAX_COOKIES:
        raise InvalidArgument(f"cookies: at most {MAX_COOKIES} cookies per domain")
    for i, cookie in enumerate(request.cookies):
        validate_cookie(cookie, domain, f"cookies[{i}]")
    if bool(request.username) != bool(request.password):
        missing = "password" if request.username else "username"
        raise InvalidArgument(f"{missing}: required when {'username' if missing == 'password' else 'password'} is given")
    if len(request.username) > MAX_USERNAME or _control(request.username):
        raise InvalidArgument(f"username: must be at most {MAX_USERNAME} characters without control characters")
    if len(request.password) > MAX_PASSWORD:
        raise InvalidArgument(f"password: must be at most {MAX_PASSWORD} characters")
    if not request.cookies and not request.username:
        raise InvalidArgument("cookies: give cookies, or a username and password, or both")
    return domain


def kind(request: credentials_pb2.PutCredentialRequest) -> str:
    return "+".join(k for k, present in (("cookies", bool(request.cookies)), ("password", bool(request.username))) if present)
