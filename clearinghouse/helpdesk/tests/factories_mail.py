"""E-mail as the help desk receives it, for the mail tests."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid


def message(
    body: str | None = "Bonjour, je ne trouve pas le formulaire d'évaluation des besoins nationaux.",
    *,
    subject: str | None = "Formulaire des besoins",
    sender: str = "Amélie Dupont <amelie@example.fr>",
    to: str = "helpdesk@clearinghouse.example",
    headers: dict[str, str] | None = None,
    html: str | None = None,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> bytes:
    """A message as a mail program writes it: UTF-8 text (or HTML only), files attached."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    if subject is not None:
        mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="example.fr")
    for name, value in (headers or {}).items():
        mail[name] = value
    if html is not None:
        mail.set_content(html, subtype="html")
    elif body is not None:
        mail.set_content(body)
    for name, content, media_type in files:
        maintype, subtype = media_type.split("/")
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return mail.as_bytes()


def encoded(body: str, charset: str, *, subject: str = "Question") -> bytes:
    """A message whose text is in a legacy charset, sent base64 as old mail programs do."""
    import base64

    payload = base64.encodebytes(body.encode(charset)).decode()
    return (
        "From: Taro <taro@example.jp>\r\nTo: helpdesk@clearinghouse.example\r\n"
        f"Subject: {subject}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{charset}"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        f"{payload}"
    ).encode("ascii")
