from django import forms

from safezones.lib.widgets import QuickSelect


class Choice(forms.Form):
    school = forms.ChoiceField(
        choices=[("", "Choose"), ("North", [("N1", "Alder <Elementary>"), ("N2", 'Birch "Middle"')]), ("S1", "Solo")],
        widget=QuickSelect,
    )


def test_it_renders_what_django_would_with_every_value_escaped():
    html = str(Choice(initial={"school": "N2"})["school"])
    opening = html[: html.index(">") + 1]
    for part in ('id="id_school"', 'name="school"', " required"):
        assert part in opening
    assert '<option value="">Choose</option>' in html
    assert '<optgroup label="North"><option value="N1">Alder &lt;Elementary&gt;</option>' in html
    assert '<option value="N2" selected>Birch &quot;Middle&quot;</option></optgroup>' in html
    assert '<option value="S1">Solo</option></select>' in html


def test_a_submitted_value_stays_selected_after_an_error():
    form = Choice(data={"school": "S1"})
    assert form.is_valid()
    assert '<option value="S1" selected>' in str(form["school"])
