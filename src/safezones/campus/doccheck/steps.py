"""What staff read: the name of each kind of document, why the check thinks
so, and what to do next, in the staff member's language.

Every list of steps ends with the document going to the legal office. The
check advises; it never says a document is valid.
"""

from safezones.campus.doccheck.catalogue import _, translate

LABELS = {
    "judicial_warrant": _("Judicial warrant"),
    "administrative_warrant": _("Administrative warrant (immigration authorities)"),
    "judicial_subpoena": _("Judicial subpoena"),
    "administrative_subpoena": _("Administrative subpoena (immigration authorities)"),
    "court_order": _("Court order"),
    "detainer": _("Immigration detainer"),
    "notice_to_appear": _("Notice to Appear"),
    "unknown": _("Unknown document"),
}

WHY_KIND = {
    "judicial_warrant": _(
        "It names a court as the issuer and carries a judge's signature and title, as a judicial warrant does."
    ),
    "administrative_warrant": _(
        "It comes from immigration authorities (the Department of Homeland Security) and is signed by an "
        "immigration officer, not a judge. An administrative warrant does not allow entry to non-public areas."
    ),
    "judicial_subpoena": _(
        "It is a subpoena from a court (which includes a grand jury). It asks for testimony or records later; "
        "it is not answered on the spot."
    ),
    "administrative_subpoena": _(
        "It is a subpoena from an agency (the Department of Homeland Security), not from a court. It is not "
        "answered on the spot and allows no entry."
    ),
    "court_order": _("It is an order that names a court as the issuer and carries a judge's signature and title."),
    "detainer": _(
        "It is an immigration detainer: a request to a jail to hold someone. It is not a warrant and allows no entry."
    ),
    "notice_to_appear": _(
        "It is a Notice to Appear: it tells a person to go to immigration court. It allows no entry and asks "
        "for no records."
    ),
    "unknown": _("The check could not tell with confidence what this document is."),
}

WHY_CONCERN = {
    "expired": _("The date by which it had to be carried out seems to have passed."),
    "no_signature": _("No signature could be found on it."),
    "not_signed_by_judge": _("It is signed, but the signer is not shown to be a judge."),
    "premises_not_named": _("It does not clearly name the place to be searched."),
    "person_not_named": _("It does not clearly name the person it is about."),
    "wrong_school": _("It seems to name a different school or place than this school."),
    "immigration_court": _(
        "It comes from an immigration court. Immigration judges work for an executive agency: their papers are "
        "not from a court in the sense the law uses for access to schools."
    ),
    "not_from_a_court": _("It reads as an order but does not come from a court."),
    "conflicting_markers": _(
        "Its markers disagree: some point to a court, others to immigration authorities, or the title and the "
        "form number do not match."
    ),
    "issuer_not_named": _("It does not say clearly who issued it: a court or an agency."),
    "type_not_clear": _("It does not say clearly what it is: a warrant, a subpoena, an order or another paper."),
    "no_markers": _("None of the words that tell documents apart were found in the text."),
}

STEPS = {
    "no_consent": _(
        'Do not consent to entry into non-public areas. Say calmly: "I do not consent to entry into non-public '
        'areas. Please wait here while I call the school administrator."'
    ),
    "legal_now": _("Send the document to the legal office now, and wait for its answer before anything else."),
    "judicial_warrant_scope": _(
        "Read what the warrant names: it covers only the people, places and things it lists, and only within its dates."
    ),
    "judicial_warrant_wait": _(
        "Ask the agents to wait until the site administrator or the legal office has read the warrant. If they go "
        "ahead anyway, step aside, do not obstruct, and note where they go."
    ),
    "administrative_warrant_no_entry": _(
        "An administrative warrant does not allow entry to non-public areas of the school. Do not consent to entry."
    ),
    "subpoena_not_now": _(
        "Do not answer a subpoena on the spot: hand over no records and let no one question students. Accept the "
        "paper and send it to the legal office."
    ),
    "parent_notice": _(
        "Before any records are released, the legal office makes a reasonable effort to tell the parent first "
        "(FERPA), unless a court order forbids it."
    ),
    "court_order_read": _(
        "Do not act on the order yourself. The legal office reads what it requires and by when, and decides how "
        "the school answers."
    ),
    "detainer_no_entry": _(
        "A detainer is a request to a jail. It gives no right to enter the school, to take a student, or to see "
        "records. Do not consent to entry."
    ),
    "notice_to_appear_no_entry": _(
        "A Notice to Appear gives no right to enter the school, to take anyone, or to see records. Do not consent "
        "to entry."
    ),
    "concern_expired": _(
        "Point out to the site administrator that the date on the document seems to have passed; the legal "
        "office must confirm it is still in force."
    ),
    "concern_wrong_school": _(
        "The document seems to name another school or place. Tell the agents you must check with the legal "
        "office, and do not consent to entry."
    ),
    "concern_not_named": _(
        "The document does not clearly name who or what it covers. Do not consent to entry while the legal "
        "office reviews it."
    ),
    "concern_signature": _(
        "The document does not show a judge's signature. Treat it as giving no permission until the legal "
        "office says otherwise."
    ),
    "wait_in_public_area": _("Ask the agents to wait in a public area, such as the front office."),
    "call_administrator": _(
        "Call the site administrator now and tell the agents you need the administrator's direction."
    ),
    "record_details": _(
        "Ask for identification. Write down the agents' names, badge numbers, agency and supervisor's phone, "
        "and the reason they give."
    ),
    "copy_document": _("Make a copy or take a photo of every document they show."),
    "send_to_legal": _("Send the document and your notes to the legal office."),
    "no_student_information": _(
        "Give no information about any student or family (not even an address or a schedule) without written "
        "parental consent or the legal office's approval."
    ),
    "declared_emergency": _(
        "If the agents say there is an emergency, do not obstruct them; alert the site administrator and the "
        "district at once."
    ),
    "do_not_obstruct": _("Never physically block or resist the agents, even when you do not consent."),
}

FIRST_STEPS = {
    "judicial_warrant": ["judicial_warrant_scope", "judicial_warrant_wait"],
    "administrative_warrant": ["administrative_warrant_no_entry", "no_consent"],
    "judicial_subpoena": ["subpoena_not_now", "parent_notice"],
    "administrative_subpoena": ["subpoena_not_now", "no_consent", "parent_notice"],
    "court_order": ["court_order_read"],
    "detainer": ["detainer_no_entry", "no_consent"],
    "notice_to_appear": ["notice_to_appear_no_entry", "no_consent"],
    "unknown": ["no_consent", "legal_now"],
}
CONCERN_STEPS = {
    "expired": ["concern_expired", "no_consent"],
    "wrong_school": ["concern_wrong_school", "no_consent"],
    "premises_not_named": ["concern_not_named", "no_consent"],
    "person_not_named": ["concern_not_named", "no_consent"],
    "no_signature": ["concern_signature", "no_consent"],
    "not_signed_by_judge": ["concern_signature", "no_consent"],
}
EVERY_TIME = [
    "wait_in_public_area",
    "call_administrator",
    "record_details",
    "copy_document",
    "send_to_legal",
    "no_student_information",
    "declared_emergency",
    "do_not_obstruct",
]


def label(kind: str, lang: str) -> str:
    return translate(LABELS[kind], lang)


def explain(kind: str, concerns: tuple[str, ...], lang: str) -> str:
    sentences = [WHY_KIND[kind], *(WHY_CONCERN[concern] for concern in concerns)]
    return " ".join(translate(sentence, lang) for sentence in sentences)


def next_steps(kind: str, concerns: tuple[str, ...], lang: str) -> list[str]:
    """The kind's own steps first, then what the concerns call for, then what
    is done every time; the legal office is always among them."""
    ids = [*FIRST_STEPS[kind], *(step for concern in concerns for step in CONCERN_STEPS.get(concern, [])), *EVERY_TIME]
    return [translate(STEPS[step], lang) for step in dict.fromkeys(ids)]
