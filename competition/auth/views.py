"""Log in, log out, change one's password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from competition.auth.forms import LoginForm, PasswordForm
from competition.domain.roles import scores
from competition.services import accounts, throttle
from competition.web import login_limits
from competition.web.paging import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.log_in(form.username.data, form.password.data,
                                   address=request.remote_addr or "")
        except accounts.LoginWait as wait:
            return _refused(form, *login_limits.waiting(wait.seconds))
        except throttle.StoreUnavailable:
            return _refused(form, *login_limits.unavailable())
        if user is None:
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        target = safe_next(request.args.get("next"), landing(user))
        if user.must_change_password:
            return redirect(url_for(".password", next=target))
        return redirect(target)
    return render_template("auth/login.html", form=form)


def landing(user) -> str:
    """Where a login leads without a ``next``: judges and chief judges to their trades,
    everyone else to the start page (organizers: their events)."""
    return url_for("judging.my_trades") if scores(user.role) else url_for("core.index")


def _refused(form, message: str, status: int, headers: dict[str, str]):
    flash(message, "error")
    return render_template("auth/login.html", form=form), status, headers


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # A copy of the session cookie (a shared tablet, a stolen cookie) must not outlive the
        # logout: ending the account's sessions is the only way with signed cookie sessions.
        accounts.end_sessions(current_user)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        problem = accounts.change_password(current_user._get_current_object(), form.current.data,
                                           form.new.data)
        if problem:
            form.new.errors.append(problem.render(_))
        else:
            # The version changed: keep this session, end all others. Pass the user itself, not
            # the current_user proxy, which would then resolve to itself for the rest of the request.
            login_user(current_user._get_current_object())
            flash(_("Your password was changed."), "success")
            return redirect(safe_next(request.args.get("next"),
                                      landing(current_user._get_current_object())))
    return render_template("auth/password.html", form=form,
                           required=current_user.must_change_password)
