"""StatusNotifierItem (SNI) tray hosts for end-to-end tests, and a D-Bus reader for their items.

Next to the XEmbed desktop in desktop.py (Xvfb + trayer), two SNI desktops, each on a private
session bus:
- `SwayDesktop`: headless sway (run as an unprivileged user when the tests run as root) with
  waybar or swaybar as the tray and mako for notifications; the app runs on native Wayland.
- `XfceDesktop`: xfce4-panel on Xvfb (its systray plugin is the watcher and the host), with dunst.
`TrayBus` reads the tray as a host does (registered items, their properties, the dbusmenu
layout) and clicks as a host does (Activate, ContextMenu, dbusmenu Event); `SignalLog` counts
what the item re-sends; `ocr` reads what a screenshot shows.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import open_dbus_connection

from tests.e2e.desktop import Desktop, wait_for

SNI_TOOLS = (
    "sway",
    "swaymsg",
    "swaybar",
    "waybar",
    "grim",
    "mako",
    "xfce4-panel",
    "tesseract",
    "convert",
    "setpriv",
)
SWAY_USER = "sniuser"  # sway refuses to run as root
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"

# A session bus that admits sway's user as well as the tests' user.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <include>/usr/share/dbus-1/session.conf</include>
  <policy context="default"><allow user="*"/></policy>
</busconfig>
"""

WAYBAR_CONFIG = {
    "layer": "top",
    "position": "top",
    "height": 30,
    "modules-center": ["clock"],
    "modules-right": ["tray"],
    "clock": {"format": "{:%H:%M}"},
    "tray": {"icon-size": 22, "spacing": 8},
}
WAYBAR_STYLE = """* { font-family: "DejaVu Sans"; font-size: 13px; }
window#waybar { background: #202020; color: #ffffff; }
"""

# One panel at the top: a spacer and the systray plugin (no first-run dialog, no other plugins).
XFCE_PANEL = """<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="icon-size" type="uint" value="22"/>
      <property name="background-style" type="uint" value="1"/>
      <property name="background-rgba" type="array">
        <value type="double" value="0.125"/><value type="double" value="0.125"/>
        <value type="double" value="0.125"/><value type="double" value="1"/>
      </property>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
        <value type="int" value="2"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="separator">
      <property name="expand" type="bool" value="true"/>
      <property name="style" type="uint" value="0"/>
    </property>
    <property name="plugin-2" type="string" value="systray"/>
  </property>
</channel>
"""


def missing_sni_tools() -> list[str]:
    return [tool for tool in SNI_TOOLS if shutil.which(tool) is None]


# -- reading the tray over D-Bus ----------------------------------------------------------------


@dataclass
class Item:
    """One registered StatusNotifierItem: its bus name and object path."""

    service: str
    path: str


@dataclass
class MenuNode:
    """One dbusmenu entry: its id, properties (unwrapped) and children."""

    id: int
    props: dict[str, Any]
    children: list[MenuNode] = field(default_factory=list)

    def walk(self) -> Iterator[MenuNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def label(self) -> str:
        return str(self.props.get("label", ""))


class TrayBus:
    """A connection to the desktop's session bus that reads and clicks tray items like a host."""

    def __init__(self, address: str) -> None:
        self.conn = open_dbus_connection(address)

    def close(self) -> None:
        self.conn.close()

    def call(
        self, dest: str, path: str, iface: str, member: str, sig: str | None = None, *args: Any
    ) -> tuple[Any, ...]:
        msg = new_method_call(DBusAddress(path, dest, iface), member, sig, args)
        reply = self.conn.send_and_get_reply(msg, timeout=10)
        if reply.header.message_type is MessageType.error:
            raise RuntimeError(f"{dest} {iface}.{member}: {reply.body}")
        return tuple(reply.body)

    def _get(self, dest: str, path: str, iface: str, name: str) -> Any:
        props = "org.freedesktop.DBus.Properties"
        return self.call(dest, path, props, "Get", "ss", iface, name)[0][1]

    def host_registered(self) -> bool:
        try:
            return bool(
                self._get(
                    WATCHER, "/StatusNotifierWatcher", WATCHER, "IsStatusNotifierHostRegistered"
                )
            )
        except RuntimeError:
            return False

    def items(self) -> list[str]:
        try:
            return list(
                self._get(
                    WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems"
                )
            )
        except RuntimeError:
            return []

    def pid_of(self, name: str) -> int:
        bus = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
        try:
            return int(self.call(*bus, "GetConnectionUnixProcessID", "s", name)[0])
        except RuntimeError:
            return 0

    def item_of(self, pid: int) -> Item | None:
        """The item registered by process `pid`, if any."""
        for entry in self.items():
            # Watchers list `service/path`, a bare service, or a unique name plus path.
            service, _, path = entry.partition("/")
            if self.pid_of(service) == pid:
                return Item(service, "/" + path if path else "/StatusNotifierItem")
        return None

    def properties(self, item: Item) -> dict[str, Any]:
        props = "org.freedesktop.DBus.Properties"
        (values,) = self.call(item.service, item.path, props, "GetAll", "s", ITEM)
        return {name: value for name, (_sig, value) in values.items()}

    def layout(self, item: Item) -> MenuNode:
        menu = self.properties(item)["Menu"]
        _revision, root = self.call(item.service, menu, DBUSMENU, "GetLayout", "iias", 0, -1, [])
        return _node(root)

    def click_menu(self, item: Item, node: MenuNode) -> None:
        menu = self.properties(item)["Menu"]
        self.call(item.service, menu, DBUSMENU, "Event", "isvu", node.id, "clicked", ("i", 0), 0)

    def activate(self, item: Item, x: int, y: int) -> None:
        self.call(item.service, item.path, ITEM, "Activate", "ii", x, y)

    def context_menu(self, item: Item, x: int, y: int) -> None:
        self.call(item.service, item.path, ITEM, "ContextMenu", "ii", x, y)


def _node(raw: tuple[int, dict[str, tuple[str, Any]], list[tuple[str, Any]]]) -> MenuNode:
    ident, props, children = raw
    return MenuNode(ident, {k: v for k, (_s, v) in props.items()}, [_node(c) for _s, c in children])


def shown(label: str) -> str:
    """A dbusmenu label as hosts draw it: `__` is one `_`, a lone `_` only marks the mnemonic."""
    return re.sub(r"_(_?)", lambda m: m.group(1), label)


def tooltip_text(props: dict[str, Any]) -> str:
    """The ToolTip property's title and text, as one string."""
    _icon, _pixmaps, title, text = props["ToolTip"]
    return f"{title}\n{text}".strip()


def pixmap_colors(pixmaps: list[tuple[int, int, bytes]]) -> Counter[tuple[int, int, int]]:
    """Colours of the opaque pixels of the largest pixmap (ARGB32 in network byte order)."""
    if not pixmaps:
        return Counter()
    _w, _h, data = max(pixmaps, key=lambda p: p[0] * p[1])
    return Counter(
        (data[i + 1], data[i + 2], data[i + 3]) for i in range(0, len(data) - 3, 4) if data[i] > 200
    )


class SignalLog:
    """dbus-monitor recording the signals a tray item sends when it changes something."""

    def __init__(self, desk: Desktop, path: Path) -> None:
        self.path = path
        with open(path, "wb") as out:
            self.proc = subprocess.Popen(
                [
                    "dbus-monitor",
                    f"type='signal',interface='{DBUSMENU}'",
                    f"type='signal',interface='{ITEM}'",
                ],
                env=desk.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: b"NameAcquired" in path.read_bytes(), 10, "dbus-monitor", step=0.05)

    def counts(self) -> Counter[str]:
        text = self.path.read_text(errors="replace")
        return Counter(re.findall(r"^signal .*member=(\w+)$", text, flags=re.M))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def ocr(image: Path) -> str:
    """The text tesseract reads in a screenshot (scaled up 3x first: menu fonts are small)."""
    big = image.with_name(image.stem + "-x3.png")
    subprocess.run(
        ["convert", str(image), "+repage", "-scale", "300%", str(big)], check=True, timeout=60
    )
    out = subprocess.run(
        ["tesseract", str(big), "stdout"], capture_output=True, text=True, timeout=120
    )
    return out.stdout


# -- the desktops --------------------------------------------------------------------------------


def sway_user() -> str:
    """The unprivileged user sway runs as under root, created (no home, system) when missing."""
    try:
        pwd.getpwnam(SWAY_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "-M", "-r", "-s", "/usr/sbin/nologin", SWAY_USER], check=True, timeout=30
        )
    return SWAY_USER


class SniDesktop(Desktop):
    """A desktop whose tray is read over D-Bus; its reader is closed with it."""

    _reader: TrayBus | None = None

    def reader(self) -> TrayBus:
        if self._reader is None:
            self._reader = TrayBus(self.env["DBUS_SESSION_BUS_ADDRESS"])
        return self._reader

    def stop(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        super().stop()


class SwayDesktop(SniDesktop):
    """Headless sway with waybar (or swaybar) as its tray and mako; the app on native Wayland."""

    def __init__(self, workdir: Path, bar: str = "waybar") -> None:
        super().__init__(workdir)
        assert bar in ("waybar", "swaybar"), bar
        self.bar = bar
        # sway's own runtime dir: another user cannot reach into pytest's tmp_path.
        self.runtime = Path(tempfile.mkdtemp(prefix="sni-sway-"))
        self.swaysock = ""

    def _prepare_home(self) -> None:
        super()._prepare_home()
        self.env["NO_AT_BRIDGE"] = "1"  # GTK (waybar) without the accessibility bus

    def _start_bus(self, args: tuple[str, ...] = ()) -> None:
        conf = self.workdir / "bus.conf"
        conf.write_text(BUS_CONFIG)
        super()._start_bus((f"--config-file={conf}",))

    def _start_display(self) -> None:
        config = self.runtime / "config"
        lines = ["output HEADLESS-1 resolution 1024x768", "xwayland disable"]
        if self.bar == "swaybar":
            lines += ["bar {", "  position top", "  tray_output *", "}"]
        config.write_text("\n".join(lines) + "\n")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.runtime),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "DBUS_SESSION_BUS_ADDRESS": self.env["DBUS_SESSION_BUS_ADDRESS"],
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
        }
        args = ["sway", "-c", str(config)]
        if os.geteuid() == 0:
            user = sway_user()
            shutil.chown(self.runtime, user, user)
            config.chmod(0o644)
            args = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", *args]
        self._spawn(args, env=env)
        wait_for(self._sway_ready, 20, "sway")
        self.env.pop("DISPLAY", None)
        self.env["QT_QPA_PLATFORM"] = "wayland"

    def _sway_ready(self) -> bool:
        socks = list(self.runtime.glob("sway-ipc.*.sock"))
        displays = [p for p in self.runtime.glob("wayland-*") if not p.name.endswith(".lock")]
        if not socks or not displays:
            return False
        self.swaysock = str(socks[0])
        self.env["WAYLAND_DISPLAY"] = str(displays[0])
        return bool(self.swaymsg("-t", "get_outputs"))

    def _start_notifications(self, daemon: str = "mako") -> None:
        super()._start_notifications(daemon)

    def start_tray(self) -> None:
        if self.bar == "waybar":
            config = self.workdir / "waybar.json"
            config.write_text(json.dumps(WAYBAR_CONFIG))
            style = self.workdir / "waybar.css"
            style.write_text(WAYBAR_STYLE)
            self._spawn(["waybar", "-c", str(config), "-s", str(style)])
        wait_for_host(self)

    def swaymsg(self, *args: str) -> Any:
        out = subprocess.run(
            ["swaymsg", "-s", self.swaysock, "-r", *args],
            capture_output=True,
            env=self.env,
            timeout=10,
        )
        return json.loads(out.stdout) if out.returncode == 0 else None

    def app_windows(self, pid: int) -> list[str]:
        """Titles of the toplevel windows process `pid` shows (sway's tree)."""
        titles: list[str] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("pid") == pid and node.get("type") in ("con", "floating_con"):
                titles.append(str(node.get("name") or ""))
            for child in node.get("nodes", []) + node.get("floating_nodes", []):
                walk(child)

        walk(self.swaymsg("-t", "get_tree") or {})
        return titles

    def screenshot(self, path: Path, crop: str | None = None, depth8: bool = False) -> Path:
        args = ["grim"]
        if crop:  # ImageMagick's WxH+X+Y, as for the X desktops
            size, x, y = re.fullmatch(r"(\d+x\d+)\+(\d+)\+(\d+)", crop).groups()  # type: ignore[union-attr]
            args += ["-g", f"{x},{y} {size}"]
        if path.suffix == ".ppm":
            args += ["-t", "ppm"]
        subprocess.run([*args, str(path)], env=self.env, check=True, timeout=30)
        return path

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.runtime, ignore_errors=True)


class XfceDesktop(SniDesktop):
    """xfce4-panel on Xvfb: its systray plugin is the SNI watcher and host (and an XEmbed one)."""

    def _prepare_home(self) -> None:
        super()._prepare_home()
        self.env["NO_AT_BRIDGE"] = "1"
        channels = Path(self.env["XDG_CONFIG_HOME"]) / "xfce4" / "xfconf" / "xfce-perchannel-xml"
        channels.mkdir(parents=True, exist_ok=True)
        (channels / "xfce4-panel.xml").write_text(XFCE_PANEL)

    def start_tray(self) -> None:
        self._spawn(["xfce4-panel", "--disable-wm-check"])
        wait_for_host(self)


def wait_for_host(desk: Desktop) -> None:
    """Until a StatusNotifierHost is registered with the watcher on the desktop's bus."""
    bus = TrayBus(desk.env["DBUS_SESSION_BUS_ADDRESS"])
    try:
        wait_for(bus.host_registered, 20, "the tray (StatusNotifierHost)", step=0.05)
    finally:
        bus.close()


# -- X11 windows ----------------------------------------------------------------------------------


def x_windows(desk: Desktop, *criteria: str) -> list[str]:
    out = subprocess.run(
        ["xdotool", "search", "--onlyvisible", *criteria],
        capture_output=True,
        text=True,
        env=desk.env,
        timeout=10,
    )
    return out.stdout.split()


def x_geometry(desk: Desktop, window: str) -> tuple[int, int, int, int]:
    """x, y, width, height of a window on the screen."""
    out = subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", window],
        capture_output=True,
        text=True,
        env=desk.env,
        timeout=10,
    ).stdout
    values = dict(re.findall(r"^(\w+)=(-?\d+)$", out, flags=re.M))
    if not values:
        return 0, 0, 0, 0
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def x_app_windows(desk: Desktop, pid: int) -> list[tuple[int, int, int, int]]:
    """Geometry of the windows process `pid` shows, not counting its tray icon (small)."""
    found = [x_geometry(desk, w) for w in x_windows(desk, "--pid", str(pid))]
    return [g for g in found if g[2] >= 100 and g[3] >= 100]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def elapsed(since: float) -> float:
    return time.monotonic() - since
