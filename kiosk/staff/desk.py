"""The navigator's desk: sign in, then the dashboard, the audit log, the settings (for
administrators), assisting a resident, and signing out (by hand, or after some minutes
untouched).

The desk shows its screens in the kiosk's own window, so a navigator at a kiosk and a
navigator at the desktop client see the same thing. Everything it reads or writes — the
figures, the audit chain, settings, the diagnostics zip, enrollment over the network —
runs as an operation on the store's worker, and each screen is drawn when its answer
comes back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QWidget

from kiosk.backend import Backend
from kiosk.i18n import Words
from kiosk.idle import IdleWatch
from kiosk.journey import Journey
from kiosk.operations import Device, StoreOp
from kiosk.staff.apply import apply_to_journey
from kiosk.staff.audit_view import AuditScreen
from kiosk.staff.dashboard import DashboardScreen
from kiosk.staff.entrance import StaffEntrance
from kiosk.staff.lookup import ReceiptLookup
from kiosk.staff.settings import SettingsScreen
from kiosk.staff.sign_in import SignInScreen, check_pins
from kiosk.widgets import button, label
from sync import audit
from sync.device_settings import BadSetting, DeviceSettings, load_settings, save_settings
from sync.diagnostics import export
from sync.enrollment import EnrollmentError, enroll_device
from sync.health import QueueHealth, check_catalog_soon, queue_health
from sync.navigators import Navigator, list_navigators, sign_out

log = logging.getLogger(__name__)

AuditFindings = tuple[audit.AuditCheck, list[dict[str, Any]], dict[str, str]]
"""The chain's verification, the newest entries, and the staff's names by id."""

SIGN_OUT_SECONDS = 5 * 60.0
"""A desk left alone this long signs its navigator out (after a 30 s warning)."""


def enrollment_words(words: Words, reason: str) -> str:
    """Why enrollment failed (sync.enrollment.EnrollmentError's reason), and what to do."""
    _ = words._
    plain = {
        "url": _("The platform address is not a web address. Check it in the settings."),
        "unreachable": _("The platform cannot be reached. Check the network and the address."),
        "not_platform": _("The address answers, but it is not the city's platform."),
        "clock": _("This kiosk's clock is far off. Set the date and time, then try again."),
        "token": _("The platform did not accept this token: it is wrong, used or expired."),
        "already": _("This kiosk is already enrolled."),
    }
    return plain.get(reason, _("The platform could not enroll this kiosk. Try again later."))


class StaffDesk(QObject):
    def __init__(
        self,
        journey: Journey,
        backend: Backend,
        versions: dict[str, str] | None = None,
        on_leave: Callable[[], None] | None = None,
        entrance: StaffEntrance | None = None,
    ) -> None:
        """`on_leave`: where signing out goes (the kiosk's welcome; by default the
        sign-in screen again, for the desktop client)."""
        super().__init__()
        self.journey = journey
        self.window = journey.window
        self.backend = backend
        self.versions = versions or {}
        self.on_leave = on_leave
        self.entrance = entrance
        """The kiosk's staff entrance: assisted visits and drafts go through it, with the
        resident's consent and "assisted by" (None: the plain journey, as in tests)."""
        self.owner = journey.owner
        self.data = journey.data
        self.navigator: Navigator | None = None
        self.screen: QWidget | None = None
        self.idle = IdleWatch(SIGN_OUT_SECONDS, 30.0)
        self.idle.expired.connect(lambda: self.sign_out("idle"))
        backend.synced.connect(self._synced)
        self.lookup = ReceiptLookup(self)
        """Find an application by reference; print its receipt again."""

    # -- showing -------------------------------------------------------------------
    def _show(self, screen: QWidget, back: Callable[[], None] | None) -> None:
        self.screen = screen
        journey = self.journey
        self.window.show_page(screen, journey.theme, journey.words, back, None, tools=False)

    def _run(self, work: Callable[[Device], object], what: str,
             then: Callable[..., None] | None = None) -> None:  # fmt: skip
        """`work` on the store's worker; `then(result)` back here, unless the desk is gone."""
        op = StoreOp(self, work, what)
        if then is not None:
            op.success(then)
        op.run(self.owner)

    def show_sign_in(self) -> None:
        self._run(lambda device: list_navigators(device.store), "staff list", self._sign_in)

    def _sign_in(self, staff: list[Navigator]) -> None:
        screen = SignInScreen(self.journey.theme, self.journey.words, staff)
        check_pins(screen, self.owner)
        screen.signed_in.connect(self.open)
        screen.cancelled.connect(self._leave)
        self._show(screen, None)

    @Slot(object)
    def open(self, navigator: Navigator) -> None:
        """A navigator has signed in: their home is the dashboard."""
        self.navigator = navigator
        self.idle.arm()
        self.show_home()

    def _menu(self, page: DashboardScreen) -> None:
        """The desk's own places, above the figures."""
        _ = self.journey.words._
        assert self.navigator is not None
        # Two to a row, words wrapping: at the largest text a row of five does not fit.
        grid = QGridLayout()
        grid.setSpacing(self.journey.theme.gap_px * 2)
        places: list[tuple[str, Callable[[], None]]] = [(_("Help a resident apply"), self.assist)]
        if self.entrance is not None:
            places.append((_("Continue a paused application"), self.resume))
            places.append((_("Paused applications"), self.drafts))
        places.append((_("Find an application by reference"), self.lookup.show))
        places.append((_("Audit log"), self.show_audit))
        if self.navigator.is_administrator:
            places.append((_("Settings"), self.show_settings))
        for index, (text, action) in enumerate(places):
            place = button(text, wrap=True)
            place.clicked.connect(action)
            page.menu[text] = place
            grid.addWidget(place, index // 2, index % 2)
        page.body.insertLayout(1, grid)
        page.body.insertLayout(1, self._who(page))

    def _who(self, page: DashboardScreen) -> QHBoxLayout:
        """Who is signed in, and Sign out beside it: apart from the everyday places and
        quieter than them (muted words, a dotted edge), still a full-size target."""
        _ = self.journey.words._
        assert self.navigator is not None
        row = QHBoxLayout()
        row.setSpacing(self.journey.theme.gap_px * 2)
        page.signed_in = label(_("Signed in as {name}").format(name=self.navigator.name))
        row.addWidget(page.signed_in, 1)
        leave = button(_("Sign out"), "sign_out")
        leave.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        muted = self.journey.theme.colours.muted
        leave.setStyleSheet(f"QPushButton#sign_out {{ color: {muted}; border-style: dotted; }}")
        leave.clicked.connect(lambda: self.sign_out("asked"))
        page.menu[_("Sign out")] = leave
        row.addWidget(leave, 0)
        return row

    def show_home(self, notice: str = "") -> None:
        """The dashboard, with the queue's figures as they are now (and `notice`)."""
        self._run(
            lambda device: queue_health(device.store), "queue figures",
            lambda health: self._home(health, notice),
        )  # fmt: skip

    def _home(self, health: QueueHealth, notice: str) -> None:
        if self.navigator is None:
            return  # signed out while the figures were read
        journey = self.journey
        titles = {sid: journey.words.text(s.title) for sid, s in journey.catalog.services.items()}
        page = DashboardScreen(
            journey.theme, journey.words, health, self.backend.online, journey.catalog.version,
            titles,
        )  # fmt: skip
        self._menu(page)
        page.sync_requested.connect(self.backend.sync_now)
        page.catalog_requested.connect(self._update_catalog)
        page.diagnostics_requested.connect(self._diagnostics)
        page.requeue_requested.connect(self._requeue)
        self._show(page, None)
        if notice:
            page.show_notice(notice)

    def show_audit(self) -> None:
        """The audit log, its chain verified from the start on the worker."""

        def work(device: Device) -> AuditFindings:
            conn = device.store.conn
            names = {n.navigator_id: n.name for n in list_navigators(device.store)}
            return audit.verify(conn), audit.recent(conn, 200), names

        self._run(work, "audit verification", self._audit)

    def _audit(self, found: AuditFindings) -> None:
        if self.navigator is None:
            return
        page = AuditScreen(self.journey.theme, self.journey.words, *found)
        self._show(page, self.show_home)

    def show_settings(self) -> None:
        if self.navigator is None or not self.navigator.is_administrator:
            return
        self._run(lambda device: load_settings(device.store), "settings", self._settings)

    def _settings(self, settings: DeviceSettings) -> None:
        if self.navigator is None or not self.navigator.is_administrator:
            return
        page = SettingsScreen(self.journey.theme, self.journey.words, settings)
        page.saved.connect(self._save_settings)
        page.enroll_requested.connect(self._enroll)
        self._show(page, self.show_home)

    # -- doing ---------------------------------------------------------------------
    def assist(self) -> None:
        """Hand the screen to the resident's journey, from its first screen: through the
        staff entrance, the resident is asked to consent to the help, and the
        application carries "assisted by". The desk comes back when the visit ends."""
        self.idle.disarm()
        self.screen = None  # the journey's screens now, until it hands the window back
        if self.entrance is None or self.navigator is None:
            self.journey.start()
            return
        self.entrance.assist_as(self.navigator, self._back_at_desk)

    def resume(self) -> None:
        if self.entrance is not None and self.navigator is not None:
            self.idle.disarm()
            self.screen = None
            self.entrance.resume_as(self.navigator, self._back_at_desk)

    def drafts(self) -> None:
        if self.entrance is not None and self.navigator is not None:
            self.idle.disarm()
            self.screen = None
            self.entrance.drafts_as(self.navigator, self._back_at_desk)

    def _back_at_desk(self) -> None:
        if self.navigator is None:
            self._leave()
            return
        self.idle.arm()
        self.show_home()

    def sign_out(self, why: str = "asked") -> None:
        navigator, now = self.navigator, time.time()
        if navigator is not None:
            self._run(lambda device: sign_out(device.store, navigator, now, why), "sign-out")
        self.navigator = None
        self.idle.disarm()
        self._leave()

    def _leave(self) -> None:
        if self.on_leave is not None:
            self.on_leave()
        else:
            self.show_sign_in()

    @Slot(object)
    def _synced(self, _report: object) -> None:
        if isinstance(self.screen, DashboardScreen) and self.screen.isVisible():
            self.show_home()  # the figures as they are now

    def _update_catalog(self) -> None:
        self._run(lambda device: check_catalog_soon(device.store), "catalog check",
                  lambda _done: self.backend.sync_now())  # fmt: skip

    def _requeue(self, submission_id: str) -> None:
        assert self.navigator is not None
        navigator_id, now = self.navigator.navigator_id, time.time()

        def requeued(_done: object) -> None:
            self.show_home()
            self.backend.sync_now()

        self._run(
            lambda device: device.store.requeue(submission_id, now, navigator_id), "requeue",
            requeued,
        )  # fmt: skip

    def _diagnostics(self) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = self.data.diagnostics / f"ieum-diagnostics-{stamp}.zip"
        log_file, versions = self.data.log_file, self.versions
        words = self.journey.words

        def work(device: Device) -> Path:
            kept_log = log_file if log_file.exists() else None
            return export(device.store, target, versions=versions, log_file=kept_log)

        def tell(text: str) -> None:
            if isinstance(self.screen, DashboardScreen):
                self.screen.show_notice(text)

        def failed(error: BaseException) -> None:
            log.error("diagnostics could not be saved: %s", type(error).__name__)
            tell(words._("The diagnostics could not be saved: the disk is full or not writable."))

        def saved(path: Path) -> None:
            tell(words._("Diagnostics saved for the help desk: {path}").format(path=path))

        StoreOp(self, work, "diagnostics").success(saved).failure(failed).run(self.owner)

    def _save_settings(self, settings: DeviceSettings) -> None:
        assert self.navigator is not None
        navigator_id = self.navigator.navigator_id
        page = self.screen

        def saved(_done: object) -> None:
            apply_to_journey(self.journey, settings)
            _ = self.journey.words._
            self.show_home(_("Settings saved. They apply from the next resident on."))

        def refused(error: BaseException) -> None:
            if not isinstance(error, BadSetting):
                log.error("settings could not be saved: %s", type(error).__name__)
                return
            # Checked on the page already, but for the enrolled platform's address.
            if isinstance(page, SettingsScreen) and page is self.screen:
                _ = self.journey.words._
                page.show_problem(
                    _("Another platform address needs a new enrollment of this kiosk.")
                )

        StoreOp(
            self, lambda device: save_settings(device.store, settings, navigator_id),
            "saving settings",
        ).success(saved).failure(refused).run(self.owner)  # fmt: skip

    def _enroll(self, token: str) -> None:
        page = self.screen
        fallback_url = self.backend.platform_url
        _ = self.journey.words._

        def work(device: Device) -> str:
            url = load_settings(device.store).platform_url or fallback_url
            return enroll_device(device.data.root, url, token, store=device.store)

        def done(device_id: str) -> None:
            if isinstance(page, SettingsScreen) and page is self.screen:
                page.show_problem(_("Enrolled. This kiosk is now known to the platform."))

        def failed(error: BaseException) -> None:
            reason = error.reason if isinstance(error, EnrollmentError) else "platform"
            log.info("enrollment failed: %s", reason)
            if isinstance(page, SettingsScreen) and page is self.screen:
                page.show_problem(enrollment_words(self.journey.words, reason))

        StoreOp(self, work, "enrollment").success(done).failure(failed).run(self.owner)

    def close(self) -> None:
        """The desk's operations are the kiosk's store owner's; its sign-out timer is its
        own and must not fire once the kiosk has closed."""
        self.idle.disarm()
