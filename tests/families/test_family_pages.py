"""The family pages, without JavaScript: ask for help, report, follow up."""

import io
import re

from django.test import Client
from pypdf import PdfReader

from safezones.audit.models import AuditEvent
from safezones.families.models import FamilyCase
from tests.families.test_case_pages import _signed_in


def _form_token(page) -> str:
    return str(page.context["form"]["retry_token"].value())


def _receipt(page) -> str:
    match = re.search(r"<code>(\d{5}(?:-\d{5}){4})</code>", page.content.decode())
    assert match, "the receipt is shown"
    return match.group(1)


def test_a_family_reports_in_spanish_and_follows_up(cast):
    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    form = family.get("/help/report/")
    assert "Reportar un problema" in form.content.decode()
    page = family.post(
        "/help/report/",
        {
            "school": "SA",
            "language": "es",
            "kind": "agents_allowed_in",
            "date": "2026-11-02",
            "description": "Dejaron entrar a los agentes al salón",
            "retry_token": _form_token(form),
        },
    )
    assert page.status_code == 200
    receipt = _receipt(page)
    assert "Anótelo" in page.content.decode() or "Escríbalo" in page.content.decode()
    case = FamilyCase.objects.get()
    assert (case.kind, case.report_kind, case.school) == ("report", "agents_allowed_in", cast.school_a)

    office = _signed_in(cast.area_1_office)
    office.post(f"/staff/cases/{case.pk}/message/", {"text": "¿En qué hora pasó?"})

    later = Client(HTTP_ACCEPT_LANGUAGE="es")
    seen = later.post("/help/follow-up/", {"receipt": receipt.replace("-", " ")}).content.decode()
    assert "¿En qué hora pasó?" in seen
    answered = later.post("/help/follow-up/message/", {"receipt": receipt, "text": "Como a las 10 de la mañana"})
    assert "Como a las 10 de la mañana" in answered.content.decode()
    staff_view = office.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Como a las 10 de la mañana" in staff_view


def test_sending_the_same_page_twice_files_once_with_the_same_receipt(cast):
    family = Client()
    form = family.get("/help/request/")
    body = {
        "school": "SA2",
        "language": "en",
        "needs": ["legal_help", "safe_passage"],
        "contact": "none",
        "message": "We need a lawyer",
        "retry_token": _form_token(form),
    }
    first, second = family.post("/help/request/", body), family.post("/help/request/", body)
    assert _receipt(first) == _receipt(second)
    assert FamilyCase.objects.count() == 1


def test_errors_are_specific_and_nothing_is_filed(cast):
    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    body = {"school": "SA", "language": "es", "contact": "phone", "retry_token": "x" * 20}
    page = family.post("/help/request/", body)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Escriba el número de teléfono" in html
    assert FamilyCase.objects.count() == 0


def test_a_wrong_receipt_gets_the_generic_answer(cast):
    page = Client().post("/help/follow-up/", {"receipt": "11111-22222-33333-44444-55555"})
    assert "No case matches this receipt" in page.content.decode()


def test_a_message_with_a_wrong_receipt_is_not_saved(cast):
    page = Client().post("/help/follow-up/message/", {"receipt": "11111-22222-33333-44444-55555", "text": "hola"})
    assert "was not saved" in page.content.decode()


def test_the_receipt_never_appears_in_a_url(cast):
    family = Client()
    form = family.get("/help/report/")
    page = family.post(
        "/help/report/",
        {"school": "SA", "language": "en", "kind": "other", "description": "x", "retry_token": _form_token(form)},
    )
    receipt = _receipt(page)
    assert receipt not in str(page.get("Location", ""))
    assert "no-store" in page["Cache-Control"]


def test_the_privacy_page_states_the_districts_retention_period(cast):
    cast.district.retention_days = 45
    cast.district.save()
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get("/help/privacy/").content.decode()
    assert "45 días" in page
    assert "estatus migratorio" in page


def test_a_family_writes_a_letter_in_spanish_citing_the_policy_and_sends_it(cast):
    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    page = family.post("/help/letter/", {"school": "SA", "language": "es", "questions": ["training", "workshops"]})
    letter = page.context["text"]
    assert "REF-1" in letter  # the district's policy number, from the cast's district
    assert "School A" in letter
    assert "¿Qué" in letter
    form = page.context["request_form"]
    sent = family.post(
        "/help/request/",
        {
            "school": "SA",
            "language": "es",
            "needs": ["other"],
            "contact": "none",
            "message": letter,
            "retry_token": form["retry_token"].value(),
        },
    )
    assert _receipt(sent)
    case = FamilyCase.objects.get()
    assert case.needs == ["other"]


def test_a_letter_needs_at_least_one_question(cast):
    page = Client().post("/help/letter/", {"school": "SA", "language": "en"})
    assert page.status_code == 200
    assert "text" not in page.context


def test_the_letter_comes_as_a_pdf_in_the_familys_language_and_nothing_is_kept(cast):
    family = Client(HTTP_ACCEPT_LANGUAGE="en")
    counts = (FamilyCase.objects.count(), AuditEvent.objects.count())
    response = family.post(
        "/help/letter/", {"school": "SA", "language": "es", "questions": ["training", "workshops"], "pdf": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter-sa.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "REF-1" in text
    assert "School A" in text
    assert "¿Qué" in text  # Spanish, the language chosen, though the page was in English
    assert (FamilyCase.objects.count(), AuditEvent.objects.count()) == counts


def test_the_letter_page_offers_the_pdf_with_the_same_choices(cast):
    page = Client().post("/help/letter/", {"school": "SA", "language": "en", "questions": ["protocol"]})
    html = page.content.decode()
    assert 'name="pdf"' in html
    assert '<input type="hidden" name="questions" value="protocol">' in html


def _without_tokens(page) -> str:
    html = page.content.decode().replace(_form_token(page), "TOKEN")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def test_every_blank_form_gets_its_own_retry_token_and_a_renamed_school_shows_at_once(
    cast, django_capture_on_commit_callbacks
):
    from safezones.schools.actions import update_school

    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    first, second = family.get("/help/request/"), family.get("/help/request/")
    assert _form_token(first) != _form_token(second)
    assert f'value="{_form_token(second)}"' in second.content.decode()
    assert "@@" not in second.content.decode()
    assert _without_tokens(first) == _without_tokens(second)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/help/request/").content.decode()
    assert "Choose your school" in english
    assert "Choose your school" not in second.content.decode()  # kept per language

    with django_capture_on_commit_callbacks(execute=True):
        update_school(cast.admin_a, "site_admin", cast.school_a, name="Escuela Renombrada", address="", languages=[])
    for path in ("/help/request/", "/help/report/", "/help/letter/"):
        assert "Escuela Renombrada" in family.get(path).content.decode(), path


def test_the_report_form_refuses_a_client_past_its_hourly_submissions(cast, settings):
    settings.FAMILY_SUBMISSIONS_PER_HOUR = 1
    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    report = {"school": "SA", "language": "es", "kind": "other", "description": "Una vez"}
    first = family.post("/help/report/", {**report, "retry_token": _form_token(family.get("/help/report/"))})
    assert _receipt(first)
    second = family.post("/help/report/", {**report, "retry_token": _form_token(family.get("/help/report/"))})
    assert "Demasiados intentos" in second.content.decode()
    assert FamilyCase.objects.count() == 1
