"""Where a server database is and how to reach it: the address a person types in the window
(remembered per computer, never the password) and the connection, with a plain reason when
it fails — a clerk must be able to tell a wrong password from a server that is down."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database
from app.models.schema_version import stored_revision
from app.settings import load_settings, save_settings

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
DEFAULT_DATABASE = "kaoping"
TIMEOUT_SECONDS = 5  # a wrong host must not hold the window for libpq's default (forever)


@dataclass(frozen=True)
class ServerAddress:
    """A server database and the account that connects to it (a person's own login)."""

    host: str
    user: str
    port: int = DEFAULT_PORT
    database: str = DEFAULT_DATABASE

    def url(self, password: str | None = None) -> URL:
        """Quoted by SQLAlchemy, so a password with @ or / in it reaches the server intact."""
        return URL.create(
            DRIVER,
            username=self.user or None,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query={"connect_timeout": str(TIMEOUT_SECONDS)},
        )

    def label(self) -> str:
        return f"{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_url(cls, url: str | URL) -> ServerAddress | None:
        """The address in a server URL; None for a SQLite file or path."""
        text = str(url)
        if "://" not in text and not isinstance(url, URL):
            return None
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql":
            return None
        return cls(
            host=parsed.host or "localhost",
            user=parsed.username or "",
            port=parsed.port or DEFAULT_PORT,
            database=parsed.database or DEFAULT_DATABASE,
        )


def password_in(url: str) -> str | None:
    """The password written into a URL given on the command line, if any."""
    return make_url(url).password if "://" in url else None  # type: ignore[return-value]


class Reason(Enum):
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    PASSWORD_NEEDED = "password_needed"
    WRONG_LOGIN = "wrong_login"
    NOT_ALLOWED = "not_allowed"
    NO_DATABASE = "no_database"
    NOT_KAOPING = "not_kaoping"
    NOT_SET_UP = "not_set_up"
    OTHER = "other"


class ConnectionFailed(UserError):
    """The server could not be used; ``reason`` says which field to correct."""

    def __init__(self, message: str, reason: Reason) -> None:
        super().__init__(message)
        self.reason = reason


def connect(address: ServerAddress, password: str | None = None) -> Database:
    """The Kaoping database at ``address``, upgraded if this program's schema is newer. An
    empty database is not set up from here: that is the administrator's server set-up, which
    also makes the roles."""
    _reachable(address)
    url = address.url(password)
    probe = create_engine(url)
    try:
        with probe.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        revision = stored_revision(probe) if "alembic_version" in tables else None
    except DBAPIError as exc:
        raise _explained(address, exc) from None
    finally:
        probe.dispose()
    where = address.label()
    if revision is None and tables:
        raise ConnectionFailed(
            f"服务器上的数据库 {where} 不是考评数据库（其中有别的数据表）；请核对数据库名",
            Reason.NOT_KAOPING,
        )
    if revision is None:
        raise ConnectionFailed(
            f"服务器上的数据库 {where} 还是空的，尚未建立考评数据库；请系统管理员先完成服务器设置",
            Reason.NOT_SET_UP,
        )
    try:
        return open_database(url.render_as_string(hide_password=False))
    except DBAPIError as exc:
        raise _explained(address, exc) from None


def _reachable(address: ServerAddress) -> None:
    """A plain TCP connection first: whether anything answers at host:port says more than
    libpq's message, and it does not depend on the language the server speaks."""
    where = f"{address.host}:{address.port}"
    try:
        socket.create_connection((address.host, address.port), TIMEOUT_SECONDS).close()
    except socket.gaierror:
        raise ConnectionFailed(
            f"找不到服务器 {address.host}：请核对服务器地址（计算机名或 IP 地址）",
            Reason.UNREACHABLE,
        ) from None
    except TimeoutError:
        raise ConnectionFailed(
            f"连接服务器 {where} 超时（{TIMEOUT_SECONDS} 秒无应答）：请核对地址和端口，"
            "并确认网络和服务器防火墙放行该端口",
            Reason.TIMEOUT,
        ) from None
    except OSError:
        raise ConnectionFailed(
            f"无法连接服务器 {where}：该地址上没有数据库服务在运行，请核对地址和端口"
            "（PostgreSQL 默认端口为 5432），或请管理员确认数据库服务已启动",
            Reason.UNREACHABLE,
        ) from None


# What the server and libpq say, in English and in the Chinese of a server installed with a
# Chinese locale (lc_messages); the sqlstate is not sent before a session starts.
_SAYINGS = (
    (("fe_sendauth", "no password supplied", "没有提供密码"), Reason.PASSWORD_NEEDED),
    (
        ("password authentication failed", "Password 认证失败", "口令认证失败", "密码认证失败"),
        Reason.WRONG_LOGIN,
    ),
    (('role "', '角色 "'), Reason.WRONG_LOGIN),  # an account the server does not know
    (("pg_hba.conf", "permission denied", "权限不够"), Reason.NOT_ALLOWED),
    (('database "', '数据库 "'), Reason.NO_DATABASE),
    (("timeout expired", "超时"), Reason.TIMEOUT),
)


def _explained(address: ServerAddress, exc: DBAPIError) -> ConnectionFailed:
    said = str(exc.orig or exc)
    reason = next(
        (reason for words, reason in _SAYINGS if any(w in said for w in words)), Reason.OTHER
    )
    where, user = address.label(), address.user
    messages = {
        Reason.PASSWORD_NEEDED: f"服务器 {where} 要求账户 {user} 输入密码",
        Reason.WRONG_LOGIN: f"账户 {user} 或密码不对：服务器 {where} 拒绝了登录",
        Reason.NOT_ALLOWED: f"服务器 {where} 不允许账户 {user} 从这台电脑连接；"
        "请管理员在服务器上为该账户开通访问",
        Reason.NO_DATABASE: f"服务器 {address.host}:{address.port} 上没有名为 "
        f"{address.database} 的数据库；请核对数据库名",
        Reason.TIMEOUT: f"连接服务器 {where} 超时（{TIMEOUT_SECONDS} 秒无应答）",
    }
    detail = said.splitlines()[0] if said else type(exc).__name__
    text = messages.get(reason, f"无法使用服务器 {where} 上的数据库：{detail}")
    return ConnectionFailed(text, reason)


def remembered_address() -> ServerAddress | None:
    """The address last connected to from this computer (no password is ever kept)."""
    settings = load_settings()
    if not settings.server_host:
        return None
    return ServerAddress(
        host=settings.server_host,
        user=settings.server_user,
        port=settings.server_port,
        database=settings.server_database,
    )


def remember(address: ServerAddress) -> None:
    settings = load_settings()
    settings.server_host = address.host
    settings.server_port = address.port
    settings.server_database = address.database
    settings.server_user = address.user
    save_settings(settings)
