"""个人设置: change one's own password; turn the TOTP second factor on with the QR code (a real
PNG) or the secret, confirmed by a code from the authenticator, and off again."""

from __future__ import annotations

from types import SimpleNamespace

import pyotp
import pytest
from screen import texts
from signin import OWN_PASSWORD
from streamlit.testing.v1 import AppTest

from workbench.services import accounts, auth
from workbench.services.actors import Actor
from workbench.services.auth import SecondFactorRequired

PERSON = Actor("qian", "钱评价", "评价人员")


def change(at: AppTest, old: str, new: str, again: str) -> AppTest:
    for key, value in {"old": old, "new": new, "again": again}.items():
        at.text_input(key=f"account_password:{key}").set_value(value)
    return at.button(key="FormSubmitter:account_password:form-修改密码").click().run()


def test_changing_ones_password_needs_the_old_one_and_the_policy(open_page, app_db):
    at = open_page("account", as_=PERSON)
    assert texts(at.title) == ["个人设置"] and any("钱评价" in m for m in texts(at.markdown))

    at = change(at, "Not#2024-mine", "New#2024-secret", "New#2024-secret")
    assert "原密码不正确，密码未修改" in texts(at.error)
    at = change(at, OWN_PASSWORD, "short", "short")
    assert at.error and not at.success
    at = change(at, OWN_PASSWORD, "New#2024-secret", "New#2024-secret")

    assert "密码已修改，您在其他浏览器或设备上的登录已全部结束。下次登录请使用新密码。" in texts(at.success)
    assert texts(at.title) == ["个人设置"]  # the session goes on
    assert auth.login(app_db.uow(), PERSON.username, "New#2024-secret").username == PERSON.username


def test_turning_on_the_second_factor_shows_a_qr_code_and_needs_a_right_code(open_page, app_db, downloads):
    person = Actor("sun", "孙评价", "评价人员")
    at = open_page("account", as_=person)
    at = at.button(key="totp_start").click().run()
    qr = next(i.proto.imgs[0] for i in at.get("image") if i.proto.imgs[0].caption == "用验证器扫描此二维码")
    assert downloads(SimpleNamespace(proto=qr)).startswith(b"\x89PNG")  # the image's bytes as served
    secret = at.get("code")[0].value
    assert any(f"secret={secret}" in c for c in texts(at.caption))
    at.text_input(key="totp_code").set_value("12345")
    at = at.button(key="totp_confirm").click().run()
    assert any("动态验证码不正确" in e for e in texts(at.error))

    assert at.get("code")[0].value == secret  # a wrong code keeps the same setup on the screen
    at.text_input(key="totp_code").set_value(pyotp.TOTP(secret).now())
    at = at.button(key="totp_confirm").click().run()

    assert any("动态验证码已启用" in s for s in texts(at.success))
    assert accounts.my_account(app_db.uow(), person).totp_enabled
    with pytest.raises(SecondFactorRequired):
        auth.login(app_db.uow(), person.username, OWN_PASSWORD)

    at.text_input(key="totp_off_password").set_value("Wrong#2024-guess")
    at = at.button(key="FormSubmitter:totp_off-停用动态验证码").click().run()
    assert "密码不正确，动态验证码未停用" in texts(at.error)
    assert accounts.my_account(app_db.uow(), person).totp_enabled

    at.text_input(key="totp_off_password").set_value(OWN_PASSWORD)
    at = at.button(key="FormSubmitter:totp_off-停用动态验证码").click().run()
    assert any("动态验证码已停用" in w for w in texts(at.warning))
    assert not accounts.my_account(app_db.uow(), person).totp_enabled
