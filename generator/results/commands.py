"""``python -m generator results ...``: serve, migrate, add-user, export, purge (DESIGN §11.1).

cli.py adds these commands with ``add_parser`` and hands them to ``run``; this module imports
nothing heavy itself, so that the site's own commands do not load FastAPI or SQLAlchemy.  Every
failure is a plain message in both languages and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import re
import socket
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import format_report
from ..settings import Settings
from ..units import UNITS_FILE, load_units

if TYPE_CHECKING:
    from sqlalchemy import Engine

EXIT_OK, EXIT_ERRORS = 0, 1
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD = 8
_DB_HELP = "数据库地址 / database URL (default: sqlite:///results/results.db in the project folder)"


class Failure(Exception):
    """A command that cannot go on: the message in both languages, printed as it is."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(f"{zh}\n{en}" if en else zh)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``results`` command group, for cli.py's parser."""
    results = commands.add_parser("results", help="统计参与情况的服务 / the results service (counting participation)")
    group = results.add_subparsers(dest="results_command", required=True)
    serve = group.add_parser("serve", help="启动统计服务 / run the service")
    serve.add_argument("--db", help=_DB_HELP)
    serve.add_argument("--host", default="127.0.0.1", help="监听地址 / address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8100, help="端口 / port (default: 8100)")
    serve.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="另外允许的网站来源 / another site origin allowed to send, e.g. https://www.example.gov.cn",
    )
    serve.add_argument(
        "--proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="可信的反向代理地址 / a trusted reverse proxy (its X-Forwarded-For is believed), e.g. 127.0.0.1",
    )
    migrate = group.add_parser("migrate", help="创建或升级数据库 / create or upgrade the database")
    migrate.add_argument("--db", help=_DB_HELP)
    add_user = group.add_parser("add-user", help="添加工作人员账号 / add a staff account")
    add_user.add_argument("username")
    add_user.add_argument("--role", choices=["admin", "unit"], required=True)
    add_user.add_argument("--unit", help="单位代码（role 为 unit 时）/ the unit's code, for --role unit")
    add_user.add_argument("--db", help=_DB_HELP)
    export = group.add_parser("export", help="导出全部作答记录 / export every attempt to .xlsx")
    export.add_argument("file", help="例如 / e.g. results.xlsx")
    export.add_argument("--db", help=_DB_HELP)
    purge = group.add_parser("purge", help="删除旧的作答记录 / delete old attempts")
    purge.add_argument("--before", required=True, help="日期 / date, e.g. 2026-01-01 (server's local time)")
    purge.add_argument("--db", help=_DB_HELP)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Carry out ``results <command>``; the exit code."""
    command = args.results_command
    try:
        if command == "serve":
            return _serve(settings, args)
        if command == "add-user":
            _check_user(args)
        before = _date(args.before) if command == "purge" else None
        engine = _database(settings, args.db)
        try:
            if command == "migrate":
                print(f"数据库已是最新结构：{_shown(engine)}\nThe database is up to date: {_shown(engine)}")
            elif command == "add-user":
                _add_user(settings, engine, args)
            elif command == "export":
                _export(settings, engine, Path(args.file))
            elif command == "purge":
                _purge(engine, before)
        finally:
            engine.dispose()
        return EXIT_OK
    except Failure as failure:
        print(failure, file=sys.stderr)
        return EXIT_ERRORS


def _database(settings: Settings, given: str | None) -> Engine:
    """The engine for --db (or the default), created and migrated; Failure when it cannot be."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from .store import DatabaseAddressError, database_url, migrate, open_engine

    try:
        url = database_url(given, settings.root)
    except DatabaseAddressError as error:
        raise Failure(error.message.zh, error.message.en) from None
    except OSError as error:
        raise Failure(
            f"无法创建数据库所在的文件夹（{error.strerror}）。",
            f"The database's folder cannot be made ({error.strerror}).",
        ) from None
    try:
        engine = open_engine(url)
    except (ArgumentError, ImportError) as error:  # a driver that is not installed
        raise Failure(
            f"无法使用数据库 {url.render_as_string(hide_password=True)}：{error}",
            f"The database {url.render_as_string(hide_password=True)} cannot be used: {error}",
        ) from None
    try:
        migrate(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        reason = str(getattr(error, "orig", None) or type(error).__name__).strip().splitlines()[0]
        shown = _shown(engine)
        raise Failure(
            f"无法打开或升级数据库 {shown}：{reason}。\n请检查地址、权限和磁盘空间；PostgreSQL 要先建好数据库和用户。",
            f"The database {shown} cannot be opened or upgraded: {reason}.\n"
            "Check the address, the permissions and the free disk space; "
            "for PostgreSQL, the database and its user must exist.",
        ) from None
    return engine


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


# -- serve ------------------------------------------------------------------------------------


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from .service import load_service, network, origin

    origins = []
    for given in args.allow_origin:
        found = origin(given)
        if found is None or given.rstrip("/") != found:
            raise Failure(
                f"--allow-origin “{given}” 不是网站来源：应写成 https://主机名[:端口]，不带路径。",
                f'--allow-origin "{given}" is not an origin: write https://host[:port], with no path.',
            )
        origins.append(found)
    proxies = []
    for given in args.proxy:
        found = network(given)
        if found is None:
            raise Failure(
                f"--proxy “{given}” 不是 IP 地址或网段，例如 127.0.0.1 或 10.0.0.0/8。",
                f'--proxy "{given}" is not an IP address or network, e.g. 127.0.0.1 or 10.0.0.0/8.',
            )
        proxies.append(found)
    if not 0 < args.port < 65536:
        raise Failure(
            f"端口 {args.port} 不可用：应在 1 到 65535 之间。", f"Port {args.port} is not between 1 and 65535."
        )
    service, problems = load_service(settings, origins=tuple(origins), proxies=tuple(proxies))
    if service is None:
        print(format_report(problems, after="results"), file=sys.stderr)
        return EXIT_ERRORS
    if problems:
        print(format_report(problems, after="results"), file=sys.stderr)
    engine = _database(settings, args.db)
    _fill_responses(engine, service)
    listener = _listen(args.host, args.port)

    import uvicorn

    from .app import create_app

    app = create_app(service, engine)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    allowed = "、".join(service.origins) or "无 none"
    print(
        f"统计服务已启动：http://{shown_host}:{args.port}/（数据库 {_shown(engine)}）；按 Ctrl+C 停止。\n"
        f"The results service is running at http://{shown_host}:{args.port}/ (database {_shown(engine)}); "
        "Ctrl+C stops it.\n"
        f"测验 quizzes: {len(service.bank)}; 单位 units: {len(service.units)}; "
        f"允许的网站来源 allowed origins: {allowed}",
        flush=True,
    )
    config = uvicorn.Config(
        app,
        lifespan="off",
        proxy_headers=False,  # X-Forwarded-For is read by limits.py, and only from --proxy addresses
        access_log=False,  # an access log would keep every worker's IP address (DESIGN §11, privacy)
        server_header=False,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:  # uvicorn raises Ctrl+C again once it has finished the requests in hand
        pass
    finally:
        engine.dispose()
    print("统计服务已停止。\nThe results service has stopped.", flush=True)
    return EXIT_OK


def _fill_responses(engine: Engine, service) -> None:
    """Question statistics for attempts stored by a service older than the responses table."""
    from sqlalchemy.exc import SQLAlchemyError

    from .store import fill_responses

    try:
        filled = fill_responses(engine, service.bank)
    except SQLAlchemyError:
        engine.dispose()
        raise Failure(
            "无法写入数据库（补全答题明细时）。", "The database could not be written (filling in the responses)."
        ) from None
    if filled:
        print(f"已为 {filled} 条旧作答记录补全逐题明细。\nFilled in the responses of {filled} older attempts.")


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, made here so that a port in use is said plainly."""
    listener = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listener = socket.socket(family, kind, proto)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(2048)
    except OSError as error:
        if listener is not None:
            listener.close()
        raise Failure(
            f"无法在 {host}:{port} 上监听（{error.strerror or error}）：端口可能已被占用，换一个 --port 试试。",
            f"Cannot listen on {host}:{port} ({error.strerror or error}): the port may be in use; try another --port.",
        ) from None
    listener.set_inheritable(True)
    return listener


# -- add-user ---------------------------------------------------------------------------------


def _check_user(args: argparse.Namespace) -> None:
    if not USERNAME.match(args.username):
        raise Failure(
            f"用户名“{args.username[:64]}”不能用：用英文字母、数字和 . _ -，最多 64 个字符。",
            f'The username "{args.username[:64]}" cannot be used: letters a-z, digits and . _ -, '
            "64 characters at most.",
        )
    if args.role == "admin" and args.unit:
        raise Failure(
            "管理员能看到所有单位，不要写 --unit。", "An admin sees every unit: leave out --unit for --role admin."
        )
    if args.role == "unit" and not args.unit:
        raise Failure(
            "单位账号要用 --unit 写明单位代码（units.yaml 里的 code）。",
            "A unit account needs --unit with the unit's code (its code in units.yaml).",
        )


def _add_user(settings: Settings, engine: Engine, args: argparse.Namespace) -> None:
    from argon2 import PasswordHasher

    from .store import add_user

    if args.role == "unit":
        units, problems = load_units(settings.root / UNITS_FILE)
        if units is None:
            raise Failure(format_report(problems, after="results"))
        codes = [unit.code for unit in units]
        if args.unit not in codes:
            raise Failure(
                f"units.yaml 里没有代码为“{args.unit}”的单位（有：{'、'.join(codes)}）。",
                f'units.yaml has no unit with the code "{args.unit}" (it has: {", ".join(codes)}).',
            )
    password = _password()
    if not add_user(engine, args.username, args.role, args.unit, PasswordHasher().hash(password)):
        raise Failure(f"用户名“{args.username}”已经有了。", f'There is already a user "{args.username}".')
    zh, en = (
        ("管理员", "admin") if args.role == "admin" else (f"{args.unit} 的单位账号", f"unit account of {args.unit}")
    )
    print(f"已添加用户 {args.username}（{zh}）。\nAdded the user {args.username} ({en}).")


def _password() -> str:
    """The password: prompted twice on a terminal, else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("密码 Password: ")
        if getpass.getpass("再输入一次 Again: ") != first:
            raise Failure("两次输入的密码不一样，没有添加用户。", "The two passwords differ; no user was added.")
        password = first
    else:
        password = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise Failure(
            f"密码至少要 {MIN_PASSWORD} 个字符，没有添加用户。",
            f"A password needs at least {MIN_PASSWORD} characters; no user was added.",
        )
    return password


# -- export and purge -------------------------------------------------------------------------


def _export(settings: Settings, engine: Engine, path: Path) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from .export import export_attempts

    if path.suffix.lower() != ".xlsx":
        raise Failure(f"导出文件名要以 .xlsx 结尾：{path}", f"The export file's name must end in .xlsx: {path}")
    if not path.parent.is_dir():
        raise Failure(f"文件夹 {path.parent} 不存在。", f"The folder {path.parent} does not exist.")
    from .service import load_service

    service, _ = load_service(settings)  # the quizzes, for the questions sheet
    units, _ = load_units(settings.root / UNITS_FILE)  # for the units' names; codes alone do without
    try:
        count = export_attempts(engine, {unit.code: unit for unit in units or ()}, path, service)
    except OSError as error:
        raise Failure(
            f"无法写入 {path}（{error.strerror or error}）：文件是否在 Excel 里打开着？",
            f"Cannot write {path} ({error.strerror or error}): is it open in Excel?",
        ) from None
    except SQLAlchemyError:
        raise Failure("读取数据库时出错，没有导出。", "The database could not be read; nothing was exported.") from None
    print(f"已导出 {count} 条作答记录到 {path}。\nExported {count} attempts to {path}.")


def _date(given: str) -> datetime:
    """--before: a date (midnight, server's local time) or a date and time; aware."""
    try:
        moment = datetime.combine(date.fromisoformat(given), datetime.min.time())
    except ValueError:
        try:
            moment = datetime.fromisoformat(given)
        except ValueError:
            raise Failure(
                f"--before “{given}” 不是日期，应写成 2026-01-01 这样。",
                f'--before "{given}" is not a date: write it as 2026-01-01.',
            ) from None
    return moment if moment.tzinfo else moment.astimezone()


def _purge(engine: Engine, before: datetime) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from .store import purge

    try:
        count = purge(engine, before)
    except SQLAlchemyError:
        raise Failure(
            "写数据库时出错，没有删除任何记录。", "The database could not be written; nothing was deleted."
        ) from None
    shown = before.isoformat(sep=" ", timespec="minutes")
    print(f"已删除 {shown} 之前收到的 {count} 条作答记录。\nDeleted {count} attempts received before {shown}.")
