"""E-mail leaves through SMTP to a real server on loopback, and can be read back."""

from django.core.mail import send_mail


def test_mail_is_delivered_to_the_loopback_smtp_server(smtp_server):
    send_mail("Bonjour", "Corps du message", "rh@example.org", ["lea@example.org"])
    assert len(smtp_server) == 1
    assert smtp_server[0]["Subject"] == "Bonjour"
    assert smtp_server[0].envelope_recipients == ["lea@example.org"]
    assert "Corps du message" in smtp_server[0].get_content()
